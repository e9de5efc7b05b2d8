"""PyTorch's figures for `npm run bench`: the same cases as bench/cases.ts, one thread.

bench/run.ts runs this once, before both of its runs (bundle under node, and tsx), and
hands the JSON it writes to both through GRADLAB_BENCH_TORCH, so both tables show the
same torch figures. Timing as bench/timing.ts: each case warmed until two trials in a row
agree within 5% (or 3 s), then the median of 5 trials (3 for slow cases).

Usage: /usr/bin/python3 bench/torch_cases.py OUT.json
Writes {"version", "threads", "load": [start, end], "figures": {name: value}}, or
{"unavailable": reason} when torch cannot be imported.
"""

import json
import os
import sys
import time


def trial(fn, seconds, min_calls):
    calls = 0
    start = time.perf_counter()
    elapsed = 0.0
    while calls < min_calls or elapsed < seconds:
        fn()
        calls += 1
        elapsed = time.perf_counter() - start
    return elapsed / calls


def seconds_per_call(fn, seconds=0.15, trials=5, min_calls=1, warm_seconds=0.0):
    start = time.perf_counter()
    previous = trial(fn, seconds, min_calls)
    while True:
        t = trial(fn, seconds, min_calls)
        steady = abs(t - previous) <= 0.05 * min(t, previous) and time.perf_counter() - start >= warm_seconds
        if steady or time.perf_counter() - start > max(3.0, warm_seconds):
            break
        previous = t
    times = sorted(trial(fn, seconds, min_calls) for _ in range(trials))
    return times[len(times) // 2]


def bench_matmul(torch, figures):
    for name, dtype in (("float32", torch.float32), ("float64", torch.float64)):
        for n in (64, 128, 256, 512, 1024):
            a = torch.randn(n, n, dtype=dtype)
            b = torch.randn(n, n, dtype=dtype)
            s = seconds_per_call(lambda: torch.mm(a, b), 0.2, 3 if n >= 512 else 5)
            figures[f"matmul {name} {n} GFLOPS"] = 2 * n**3 / s / 1e9


OPTIMIZERS = {
    "Adam": lambda torch, p: torch.optim.Adam([p], lr=1e-3),
    "AdamW": lambda torch, p: torch.optim.AdamW([p], lr=1e-3),
    "SGD momentum 0.9": lambda torch, p: torch.optim.SGD([p], lr=1e-3, momentum=0.9),
    "RMSprop": lambda torch, p: torch.optim.RMSprop([p], lr=1e-3),
}


def bench_optimizers(torch, figures):
    cases = [(name, n) for name in OPTIMIZERS for n in (1_000_000, 10_000_000)]
    cases += [("Adam", n) for n in (1_000, 10_000, 100_000)]
    for name, n in cases:
        p = torch.randn(n, requires_grad=True)
        p.grad = torch.randn(n)
        opt = OPTIMIZERS[name](torch, p)
        s = seconds_per_call(opt.step, 0.2 if n >= 1_000_000 else 0.1, 3, 2)
        figures[f"{name} {n} ns/param"] = s / n * 1e9


def mlp_step(torch, layers, loss_fn, x, y):
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()

    return step


def bench_training(torch, figures):
    nn = torch.nn
    for width in (64, 128, 256, 512, 1024):
        x = torch.randn(128, 784)
        y = torch.randint(0, 10, (128,))
        step = mlp_step(torch, [nn.Linear(784, width), nn.ReLU(), nn.Linear(width, 10)], nn.CrossEntropyLoss(), x, y)
        figures[f"784-{width}-10 MLP steps/s"] = 1 / seconds_per_call(step, 0.3, 3, 3)
    x = torch.randn(32, 2)
    y = torch.randn(32, 1)
    layers = [nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 1)]
    step = mlp_step(torch, layers, nn.MSELoss(), x, y)
    figures["2-16-16-1 MLP steps/s"] = 1 / seconds_per_call(step, 0.3, 5, 3, warm_seconds=1.0)


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
    figures = {}
    load0 = os.getloadavg()[0]
    bench_matmul(torch, figures)
    bench_optimizers(torch, figures)
    bench_training(torch, figures)
    result = {"version": torch.__version__, "threads": torch.get_num_threads(), "load": [load0, os.getloadavg()[0]], "figures": figures}
    with open(out, "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
