// %% [markdown]
// # 12. Closures and L-BFGS on the Rosenbrock function
//
// The Rosenbrock function f(x, y) = (1 − x)² + 100·(y − x²)² is the classic test of an
// optimizer's patience: its minimum f = 0 at (1, 1) lies at the bottom of a long, curved,
// nearly flat valley, with walls a hundred times steeper than the floor. First-order
// methods zig-zag across the valley; quasi-Newton methods such as L-BFGS estimate the
// curvature from recent gradients and walk along it.
//
// This notebook minimises it from the usual start (−1.5, 2) with `optim.LBFGS` (with a
// fixed step and with the strong-Wolfe line search) and with `optim.Adam`, counting
// what really costs: evaluations of the function and its gradient.

// %%
import { optim, tensor, type Tensor } from "gradlab";
import { lineChart } from "gradlab/plotting";
import { showFigure } from "./support.ts";

/** (1 − x)² + 100·(y − x²)² for a point p = [x, y]. */
function rosenbrock(p: Tensor): Tensor {
  const x = p.narrow(0, 0, 1);
  const y = p.narrow(0, 1, 1);
  return x
    .neg()
    .add(1)
    .pow(2)
    .add(y.sub(x.pow(2)).pow(2).mul(100))
    .sum();
}
const start = [-1.5, 2];
const p0 = tensor(start, { dtype: "float64", requires_grad: true });
const f0 = rosenbrock(p0);
f0.backward();
console.log(`f(−1.5, 2) = ${f0.item()}   gradient ${JSON.stringify(p0.grad!.tolist())}`);
// By hand: 1 − x = 2.5, y − x² = −0.25, so f = 6.25 + 100·0.0625 = 12.5;
// ∂f/∂x = −2·2.5 − 400·(−1.5)·(−0.25) = −155, ∂f/∂y = 200·(−0.25) = −50.

// %% [markdown]
// ## Why `step` takes a closure
//
// `optimizer.step()` normally uses the gradients already in `.grad`: one evaluation
// per step. L-BFGS needs more: with a line search it tries several step lengths per
// iteration, and it runs up to `max_iter` (default 20) iterations per `step` call. So,
// exactly as in PyTorch, you pass a *closure*: a function that clears the gradients,
// recomputes the loss, calls `backward()` and returns the loss. The optimizer calls it
// as often as it needs, and `step(closure)` returns the loss of the first call.
//
// The closure below also records every point it is evaluated at, which gives us the
// trajectory and the evaluation count for free.

// %%
interface Run {
  name: string;
  path: number[][]; // every point the closure evaluated, in order
  losses: number[]; // the loss at each of those points
  steps: number;
}
function minimise(name: string, make: (p: Tensor) => optim.Optimizer, steps: number): Run {
  const p = tensor(start, { dtype: "float64", requires_grad: true });
  const opt = make(p);
  const run: Run = { name, path: [], losses: [], steps };
  const closure = (): Tensor => {
    opt.zero_grad();
    const loss = rosenbrock(p);
    loss.backward();
    run.path.push(p.tolist() as number[]);
    run.losses.push(loss.item());
    return loss;
  };
  for (let k = 0; k < steps; k++) opt.step(closure);
  return run;
}
const lbfgs = minimise("L-BFGS, fixed step lr 1", (p) => new optim.LBFGS([p], { lr: 1 }), 10);
const wolfe = minimise("L-BFGS, strong_wolfe", (p) => new optim.LBFGS([p], { line_search_fn: "strong_wolfe" }), 10);
console.log(`${lbfgs.name}: 10 calls to step, ${lbfgs.losses.length} closure evaluations`);
console.log(`${wolfe.name}: 10 calls to step, ${wolfe.losses.length} closure evaluations`);

// %% [markdown]
// Ten calls to `step` cost many more evaluations than ten: each call ran up to 20
// iterations. (A first-order optimizer also accepts a closure, and calls it once per
// step.) Adam gets the same budget in evaluations several times over: 3000 steps at
// lr 0.02, one evaluation each.

// %%
const adam = minimise("Adam lr 0.02", (p) => new optim.Adam([p], { lr: 0.02 }), 3000);
const distance = (q: number[]): number => Math.hypot(q[0]! - 1, q[1]! - 1);
const evalsToReach = (r: Run, tol: number): string => {
  const k = r.losses.findIndex((l) => l < tol);
  return k < 0 ? "never" : String(k + 1);
};
console.log("method                     evaluations   final point                                  final f        |p − (1,1)|   evals to f < 1e-6");
for (const r of [lbfgs, wolfe, adam]) {
  const last = r.path.at(-1)!;
  console.log(
    `${r.name.padEnd(26)} ${String(r.losses.length).padStart(11)}   (${last.map((v) => v.toFixed(12)).join(", ")})   ${r.losses.at(-1)!.toExponential(3).padStart(10)}   ${distance(last).toExponential(3).padStart(11)}   ${evalsToReach(r, 1e-6).padStart(17)}`,
  );
}

// %% [markdown]
// All three end within about 1e-5 of (1, 1) with f below 1e-9; the difference is the
// cost. The strong-Wolfe line search gets below f = 1e-6 after 50 evaluations, the
// fixed-step L-BFGS after 88, Adam after 2287. The line search chooses each step length
// so that the function decreases enough and the slope flattens enough (the two Wolfe
// conditions), instead of trusting a fixed step of 1. Adam only sees the gradient: the
// valley floor is nearly flat, so it creeps along it, with per-coordinate step sizes
// that know nothing of the valley's curve.
//
// ## The trajectories
//
// Each dot is one evaluation (for Adam, every 25th). Watch where the points go, not just
// where they end:

// %%
const every = (r: Run, n: number): number[][] => r.path.filter((_, k) => k % n === 0 || k === r.path.length - 1);
const valley = Array.from({ length: 41 }, (_, k) => -1.5 + (2.7 * k) / 40);
showFigure(
  "12_trajectories",
  await lineChart(
    [
      { name: "valley floor y = x²", x: valley, y: valley.map((v) => v * v) },
      ...[lbfgs, wolfe].map((r) => ({ name: r.name, x: r.path.map((q) => q[0]!), y: r.path.map((q) => q[1]!) })),
      { name: adam.name, x: every(adam, 25).map((q) => q[0]!), y: every(adam, 25).map((q) => q[1]!) },
    ],
    { title: "Rosenbrock from (−1.5, 2)", xlabel: "x", ylabel: "y", points: true, width: 520, height: 360 },
  ),
);
console.log("first five points of each L-BFGS run:");
for (const r of [lbfgs, wolfe])
  console.log(
    `  ${r.name}: ${r.path
      .slice(0, 5)
      .map((q) => `(${q.map((v) => v.toFixed(3)).join(", ")})`)
      .join(" ")}`,
  );

// %% [markdown]
// The first points show the difference between the two L-BFGS variants. The very first
// iteration has no curvature information yet, so both step along −g scaled by
// min(1, 1/Σ|g|)·lr (PyTorch's rule): with g = (−155, −50), Σ|g| = 205 and the step is
// (155, 50)/205 = (0.756, 0.244), taking both from (−1.5, 2) to (−0.744, 2.244). From
// there they part: the fixed-step version accepts whatever its quasi-Newton direction
// proposes at full length and then corrects (−1.314, then −1.571, then −1.398), while the
// line-search version evaluates points along one line until the Wolfe conditions hold
// and then moves on (the three points near (−1.42, 2.02)).
//
// ## The cost curve
//
// Plotting f against the number of evaluations puts all three on the same axis of cost:

// %%
showFigure(
  "12_loss_vs_evaluations",
  await lineChart(
    [lbfgs, wolfe, { ...adam, losses: adam.losses.slice(0, 400) }].map((r) => ({ name: r.name, x: r.losses.map((_, k) => k + 1), y: r.losses })),
    { title: "Rosenbrock: f against closure evaluations (Adam: first 400)", xlabel: "evaluations", ylabel: "f", logY: true },
  ),
);
for (const budget of [25, 50, 100, 400]) {
  const best = (r: Run): string =>
    r.losses.length >= budget ? Math.min(...r.losses.slice(0, budget)).toExponential(2) : `${Math.min(...r.losses).toExponential(2)}*`;
  console.log(
    `best f within ${String(budget).padStart(3)} evaluations:  fixed-step ${best(lbfgs).padEnd(10)} strong_wolfe ${best(wolfe).padEnd(10)} Adam ${best(adam)}`,
  );
}
console.log("(* the run stopped earlier: best over all its evaluations)");

// %% [markdown]
// At 25 evaluations nobody is close yet (f between 1.3 and 5.9). By 50, the strong-Wolfe
// run is at 2e-7 while the fixed-step run is at 0.62 and Adam at 5.8; by 100 both L-BFGS
// runs have stopped, converged, while Adam is still at 5.6, on its way along the valley.
//
// When to use L-BFGS, then? When the whole objective fits in one deterministic closure
// (full-batch problems: small models, curve fitting, style transfer, physics-informed
// fits), the curvature model pays off. With mini-batches the gradient changes from call
// to call for reasons that are not curvature, and the (s, y) pairs L-BFGS keeps become
// noise; that is why deep-learning training uses first-order methods. In PyTorch as
// here, prefer `line_search_fn: "strong_wolfe"`: a fixed step of `lr` converged on this
// start, but nothing guarantees it will on the next problem.
