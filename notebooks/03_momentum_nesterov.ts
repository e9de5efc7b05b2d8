// %% [markdown]
// # 3. Momentum and Nesterov on an ill-conditioned problem
//
// When the loss curves much more steeply in one direction than another, plain gradient
// descent must use a learning rate small enough for the steep direction, and then crawls
// along the flat one. Momentum keeps a running sum of past gradients: components that
// keep their sign (the flat direction) build up speed, components that flip sign (the
// steep direction) cancel. The test problem is f(x, y) = x²/2 + 25·y²/2: curvature 1
// along x and 25 along y, a condition number of 25.

// %%
import { type Tensor, optim, tensor } from "gradlab";
import { lineChart } from "gradlab/plotting";
import { showFigure } from "./support.ts";

const scale = tensor([0.5, 12.5], { dtype: "float64" });
const loss = (p: Tensor) => p.mul(p).mul(scale).sum();

/** Runs an optimizer from (−4, 1) and returns its path and the steps to reach f < 1e-6. */
function descend(make: (p: Tensor) => optim.Optimizer, steps = 150) {
  const p = tensor([-4, 1], { dtype: "float64", requires_grad: true });
  const opt = make(p);
  const path: number[][] = [p.tolist() as number[]];
  let reached = -1;
  for (let t = 1; t <= steps; t++) {
    opt.zero_grad();
    const l = loss(p);
    l.backward();
    opt.step();
    path.push(p.tolist() as number[]);
    if (reached < 0 && loss(p).item() < 1e-6) reached = t;
  }
  return { path, reached, final: loss(p).item() };
}

// %% [markdown]
// Plain SGD is stable only for γ < 2/25 = 0.08. With γ = 0.075 the y coordinate is
// multiplied by 1 − 0.075·25 = −0.875 per step (it zig-zags) and x by 1 − 0.075 = 0.925
// (it crawls). Momentum μ = 0.9 with a smaller γ, and Nesterov momentum, change that:

// %%
const runs = {
  "SGD lr 0.075": descend((p) => new optim.SGD([p], { lr: 0.075 })),
  "momentum 0.9, lr 0.02": descend((p) => new optim.SGD([p], { lr: 0.02, momentum: 0.9 })),
  "Nesterov 0.9, lr 0.02": descend((p) => new optim.SGD([p], { lr: 0.02, momentum: 0.9, nesterov: true })),
  "momentum 0.6, lr 0.05": descend((p) => new optim.SGD([p], { lr: 0.05, momentum: 0.6 })),
  "tuned: momentum 0.444, lr 0.111": descend((p) => new optim.SGD([p], { lr: 4 / 36, momentum: 4 / 9 })),
};
console.log("method                             steps to f < 1e-6    f after 150 steps");
for (const [name, r] of Object.entries(runs)) {
  console.log(`${name.padEnd(35)}${String(r.reached).padStart(8)}             ${r.final.toExponential(2)}`);
}

// %% [markdown]
// Momentum is not automatically faster. With μ = 0.9 and γ = 0.02 the buffer carries so
// much speed that the point overshoots and spirals in, and it needs more steps than
// plain SGD; Nesterov, which applies the gradient after the momentum (g + μ·b in
// gradlab's and PyTorch's formulation), damps that overshoot and does better. A moderate
// μ = 0.6 needs less than half of SGD's steps, and the heavy-ball parameters that theory
// gives for curvatures ℓ = 1 and L = 25, μ = ((√L − √ℓ)/(√L + √ℓ))² = 4/9 and
// γ = 4/(√L + √ℓ)² = 1/9, are the fastest of all. The trajectories of the first 60 steps:

// %%
showFigure(
  "03_trajectories",
  await lineChart(
    Object.entries(runs).map(([name, r]) => ({
      name,
      x: r.path.slice(0, 61).map((q) => q[0]!),
      y: r.path.slice(0, 61).map((q) => q[1]!),
    })),
    { title: "60 steps on f = x²/2 + 25y²/2 from (−4, 1)", xlabel: "x", ylabel: "y", points: true },
  ),
);

// %% [markdown]
// ## What momentum computes
//
// PyTorch's (and gradlab's) SGD keeps a buffer b: b ← g on the first step, then
// b ← μ·b + (1 − τ)·g, and steps θ ← θ − γ·b (or θ − γ·(g + μ·b) with Nesterov). With
// dampening τ = 0 a gradient that stays constant makes b approach g/(1 − μ): momentum
// 0.9 multiplies the effective step along a consistent direction by up to 10. Here is b
// for a constant gradient of 1:

// %%
const w = tensor([0], { dtype: "float64", requires_grad: true });
const opt = new optim.SGD([w], { lr: 0.1, momentum: 0.9 });
const buffers: string[] = [];
for (let t = 0; t < 30; t++) {
  w.grad = tensor([1], { dtype: "float64" });
  opt.step();
  const b = opt.state.get(w)!.momentum_buffer!.item();
  if ([0, 1, 2, 9, 29].includes(t)) buffers.push(`step ${t + 1}: b = ${b.toFixed(6)}`);
}
console.log(buffers.join("\n"));
console.log(`limit 1/(1 − 0.9) = ${(1 / (1 - 0.9)).toFixed(6)}`);
