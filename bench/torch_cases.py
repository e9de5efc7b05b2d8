"""PyTorch's figures for `npm run bench`: the same cases as bench/cases.ts, one thread.

bench/run.ts runs this once, before both of its runs (bundle under node, and tsx), and
hands the JSON it writes to both through GRADLAB_BENCH_TORCH, so both tables show the
same torch figures. Timing as bench/timing.ts: each figure is this thread's CPU time per
call (time.thread_time_ns; with one intra-op thread torch computes on the calling one),
so that waiting for a core on a shared machine does not count; wall time is kept beside
it. Each case is warmed until two trials in a row agree within 5% (or 3 s), then the
median of 5 trials (3 for slow cases). Each case prints one line: its figure by CPU time,
by wall time, wall ÷ CPU and the 1-minute load.

Usage: /usr/bin/python3 bench/torch_cases.py OUT.json
(GRADLAB_TORCH_ONLY=matmul,optimizers,training runs only those sections.)
Writes {"version", "threads", "clock", "load": [start, end], "figures": {name: value},
"wall_figures": {name: value}, "wall_over_cpu"}, or {"unavailable": reason} when torch
cannot be imported.
"""

import json
import os
import sys
import time

# CPU and wall seconds of every timed trial, for the run's overall wall ÷ CPU
TOTALS = {"cpu": 0.0, "wall": 0.0}


def trial(fn, seconds, min_calls):
    """One trial of at least `seconds` of wall time and `min_calls` calls: (CPU, wall) seconds per call."""
    calls = 0
    cpu_start = time.thread_time_ns()
    start = time.perf_counter()
    elapsed = 0.0
    while calls < min_calls or elapsed < seconds:
        fn()
        calls += 1
        elapsed = time.perf_counter() - start
    return (time.thread_time_ns() - cpu_start) / 1e9 / calls, elapsed / calls


def median(xs):
    s = sorted(xs)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 == 1 else (s[mid - 1] + s[mid]) / 2


def seconds_per_call(fn, seconds=0.15, trials=5, min_calls=1, warm_seconds=0.0):
    """(CPU, wall) seconds per call: the median trials, once two trials in a row agree in CPU time."""
    start = time.perf_counter()
    previous = trial(fn, seconds, min_calls)[0]
    while True:
        t = trial(fn, seconds, min_calls)[0]
        steady = abs(t - previous) <= 0.05 * min(t, previous) and time.perf_counter() - start >= warm_seconds
        if steady or time.perf_counter() - start > max(3.0, warm_seconds):
            break
        previous = t
    timed = [trial(fn, seconds, min_calls) for _ in range(trials)]
    TOTALS["cpu"] += sum(c for c, _ in timed)
    TOTALS["wall"] += sum(w for _, w in timed)
    return median([c for c, _ in timed]), median([w for _, w in timed])


def record(result, name, timed, figure):
    """Keeps a case's figure by CPU and by wall time (`figure` turns seconds per call into it) and prints both."""
    cpu, wall = timed
    result["figures"][name] = figure(cpu)
    result["wall_figures"][name] = figure(wall)
    line = f"  {name:<36}{figure(cpu):>10.4g} {figure(wall):>10.4g}   wall {wall / cpu:.2f}×  load {os.getloadavg()[0]:.1f}"
    print(line, flush=True)


def bench_matmul(torch, result):
    for name, dtype in (("float32", torch.float32), ("float64", torch.float64)):
        for n in (64, 128, 256, 512, 1024):
            a = torch.randn(n, n, dtype=dtype)
            b = torch.randn(n, n, dtype=dtype)
            timed = seconds_per_call(lambda: torch.mm(a, b), 0.2, 3 if n >= 512 else 5)
            record(result, f"matmul {name} {n} GFLOPS", timed, lambda s: 2 * n**3 / s / 1e9)


OPTIMIZERS = {
    "Adam": lambda torch, p: torch.optim.Adam([p], lr=1e-3),
    "AdamW": lambda torch, p: torch.optim.AdamW([p], lr=1e-3),
    "SGD momentum 0.9": lambda torch, p: torch.optim.SGD([p], lr=1e-3, momentum=0.9),
    "RMSprop": lambda torch, p: torch.optim.RMSprop([p], lr=1e-3),
}


def bench_optimizers(torch, result):
    cases = [(name, n) for name in OPTIMIZERS for n in (1_000_000, 10_000_000)]
    cases += [("Adam", n) for n in (1_000, 10_000, 100_000)]
    for name, n in cases:
        p = torch.randn(n, requires_grad=True)
        p.grad = torch.randn(n)
        opt = OPTIMIZERS[name](torch, p)
        timed = seconds_per_call(opt.step, 0.2 if n >= 1_000_000 else 0.1, 3, 2)
        record(result, f"{name} {n} ns/param", timed, lambda s: s / n * 1e9)


def mlp_step(torch, layers, loss_fn, x, y):
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()

    return step


def bench_training(torch, result):
    nn = torch.nn
    for width in (64, 128, 256, 512, 1024):
        x = torch.randn(128, 784)
        y = torch.randint(0, 10, (128,))
        step = mlp_step(torch, [nn.Linear(784, width), nn.ReLU(), nn.Linear(width, 10)], nn.CrossEntropyLoss(), x, y)
        record(result, f"784-{width}-10 MLP steps/s", seconds_per_call(step, 0.3, 3, 3), lambda s: 1 / s)
    x = torch.randn(32, 2)
    y = torch.randn(32, 1)
    layers = [nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 1)]
    step = mlp_step(torch, layers, nn.MSELoss(), x, y)
    record(result, "2-16-16-1 MLP steps/s", seconds_per_call(step, 0.3, 5, 3, warm_seconds=1.0), lambda s: 1 / s)


def main():
    out = sys.argv[1]
    try:
        import torch
    except ImportError as error:
        with open(out, "w") as f:
            json.dump({"unavailable": f"torch cannot be imported by {sys.executable} ({error})"}, f)
        return
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    result = {"version": torch.__version__, "threads": torch.get_num_threads(), "clock": "thread CPU time (time.thread_time_ns)"}
    result.update(figures={}, wall_figures={})
    load0 = os.getloadavg()[0]
    print(f"  {'torch ' + torch.__version__ + ', 1 thread':<36}{'CPU time':>10} {'wall time':>10}", flush=True)
    cases = os.environ.get("GRADLAB_TORCH_ONLY", "matmul,optimizers,training").split(",")
    for name, bench in (("matmul", bench_matmul), ("optimizers", bench_optimizers), ("training", bench_training)):
        if name in cases:
            bench(torch, result)
    result["load"] = [load0, os.getloadavg()[0]]
    result["wall_over_cpu"] = TOTALS["wall"] / TOTALS["cpu"] if TOTALS["cpu"] > 0 else None
    with open(out, "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
