// %% [markdown]
// # 2. Gradient descent, by hand and with `optim.SGD`
//
// Gradient descent repeats one rule: θ ← θ − γ·∇L(θ). This tutorial fits a linear
// regression with that rule written out, then shows that `optim.SGD` performs exactly
// the same arithmetic, and finally what the learning rate γ does.

// %%
import { lab, manual_seed, no_grad, optim, tensor, utils, zeros } from "gradlab";
import { lineChart } from "gradlab/plotting";
import { showFigure } from "./support.ts";

manual_seed(1);
const [X, y, trueWeight] = utils.data.make_regression({ n_samples: 64, n_features: 3, noise: 0.1, bias: 0.5, dtype: "float64" });
console.log(`X: ${JSON.stringify(X.shape)}, y: ${JSON.stringify(y.shape)}`);
console.log(`true weight: ${(trueWeight.tolist() as number[]).map((v) => v.toFixed(4)).join(", ")}, true bias 0.5`);

// %% [markdown]
// ## Predict, then look: the first step
//
// Every weight starts at zero. The first step moves each weight by −γ times its gradient,
// and at w = 0, b = 0 the gradient of the mean squared error is −(2/n)·Xᵀy: it measures how
// strongly each feature lines up with the targets.

// %%
const truth = trueWeight.tolist() as number[];
console.log(`Predict: the true weights are ${truth.map((v) => v.toFixed(2)).join(", ")}. On the first step with lr 0.1,`);
console.log("which weight moves furthest, and does it move as far as its true value?");

// %%
const w0 = zeros(3, { dtype: "float64", requires_grad: true });
X.matmul(w0)
  .add(zeros(1, { dtype: "float64" }))
  .sub(y)
  .pow(2)
  .mean()
  .backward();
const firstMove = (w0.grad!.tolist() as number[]).map((g) => -0.1 * g);
const furthest = firstMove.map(Math.abs).indexOf(Math.max(...firstMove.map(Math.abs)));
console.log(`first step: Δw = ${firstMove.map((d) => d.toFixed(4)).join(", ")}`);
console.log(
  `Answer: w[${furthest}] moves furthest (${firstMove[furthest]!.toFixed(4)}), ${(100 * Math.abs(firstMove[furthest]! / truth[furthest]!)).toFixed(0)}% of the way to its true value ${truth[furthest]!.toFixed(4)} in one step.`,
);

// %% [markdown]
// One step covers about an eighth of the distance, and the order is not the order of the
// true weights: w[2] (true −0.68) moves further than w[1] (true −0.83). At zero the
// gradient is −(2/n)·Xᵀy, how strongly each feature lines up with the targets, and each
// feature's alignment includes what it shares with the other features, not only its own
// weight. The step points downhill; it takes many of them to sort out whose weight is whose.
//
// ## By hand
//
// The model is ŷ = X·w + b and the loss the mean squared error. By hand: compute the
// loss, call `backward()` to fill `w.grad` and `b.grad`, then update inside `no_grad`
// (the update must not be recorded) and clear the gradients (they accumulate).

// %%
const mse = (w: typeof X, b: typeof X) => X.matmul(w).add(b).sub(y).pow(2).mean();
const lr = 0.1;
const w = zeros(3, { dtype: "float64", requires_grad: true });
const b = zeros(1, { dtype: "float64", requires_grad: true });
const byHand: number[] = [];
for (let step = 0; step < 50; step++) {
  const loss = mse(w, b);
  byHand.push(loss.item());
  loss.backward();
  no_grad(() => {
    w.sub_(w.grad!, { alpha: lr });
    b.sub_(b.grad!, { alpha: lr });
  });
  w.grad = null;
  b.grad = null;
}
console.log(`loss at steps 0, 10, 49: ${[0, 10, 49].map((i) => byHand[i]!.toFixed(6)).join(", ")}`);
console.log(`learned weight: ${(w.tolist() as number[]).map((v) => v.toFixed(4)).join(", ")}, bias ${b.item().toFixed(4)}`);

// %% [markdown]
// The same 50 steps with `optim.SGD`: `zero_grad()` replaces clearing `.grad`, and
// `step()` replaces the update. Plain SGD (no momentum, no weight decay) computes
// θ − γ·g for each element, the same operation in the same order, so the two runs agree
// bit for bit:

// %%
const w2 = zeros(3, { dtype: "float64", requires_grad: true });
const b2 = zeros(1, { dtype: "float64", requires_grad: true });
const sgd = new optim.SGD([w2, b2], { lr });
const withSGD: number[] = [];
for (let step = 0; step < 50; step++) {
  sgd.zero_grad();
  const loss = mse(w2, b2);
  withSGD.push(loss.item());
  loss.backward();
  sgd.step();
}
const identical = withSGD.every((v, i) => v === byHand[i]) && JSON.stringify(w2.tolist()) === JSON.stringify(w.tolist());
console.log(`every loss and the final weights identical: ${identical}`);

// %% [markdown]
// ## One step with momentum, term by term
//
// `optim.SGD` also takes a momentum μ: it keeps a buffer b of past gradients and steps
// along b instead of g. `lab.inspect` (a gradlab tool; PyTorch has none) watches a real
// optimizer and records, at every step, each term of the update as SGD's loop computes it,
// under the names of SGD's algorithm box (the class's doc comment, after PyTorch's docs):
//
// ```text
// options  γ lr · μ momentum · τ dampening · λ weight_decay · nesterov · maximize
// for each parameter θ with gradient g:                        recorded as
//   g ← −g                       if maximize                   g
//   g ← g + λ·θ                  if λ ≠ 0                      g_decayed
//   b ← g                        on the first step             buf
//   b ← μ·b + (1 − τ)·g          afterwards                    buf_prev → buf
//   g ← g + μ·b if nesterov, else g ← b                        direction
//   θ ← θ − γ·g                                                theta → theta_after
// ```
//
// The same regression with μ = 0.9, watching the three weights:

// %%
const wm = zeros(3, { dtype: "float64", requires_grad: true });
const bm = zeros(1, { dtype: "float64", requires_grad: true });
const heavyBall = new optim.SGD([wm, bm], { lr, momentum: 0.9 });
const watch = lab.inspect(heavyBall, { params: [wm] });
const stepWithMomentum = () => {
  heavyBall.zero_grad();
  mse(wm, bm).backward();
  heavyBall.step();
};
stepWithMomentum();
const gradientsAt2 = (() => {
  heavyBall.zero_grad();
  mse(wm, bm).backward();
  return wm.grad!.tolist() as number[];
})();
console.log(`Predict: the gradient at the second step is ${gradientsAt2.map((g) => g.toFixed(4)).join(", ")}.`);
console.log("Plain SGD would move each weight by −0.1·g. With momentum 0.9, does each weight move further or less far?");

// %%
heavyBall.step(); // the gradients just computed
console.log(watch.toString(2));

// %% [markdown]
// Read the table column by column. `buf_prev` is the first step's gradient (the buffer is
// a copy of g on its first step, as in PyTorch); `buf` = μ·buf_prev + g; SGD moves against
// `direction`, which is `buf` itself without Nesterov; and `theta_after` = θ − γ·direction.
// The same arithmetic again, with the recorded numbers:

// %%
const [first] = watch.steps[1]!.params[0]!.elements;
const t = first!.terms;
console.log(`b = μ·b_prev + g = 0.9·(${t.buf_prev!.toFixed(6)}) + (${t.g!.toFixed(6)}) = ${t.buf!.toFixed(6)}`);
console.log(`θ after = θ − γ·b = ${t.theta!.toFixed(6)} − 0.1·(${t.direction!.toFixed(6)}) = ${t.theta_after!.toFixed(6)}`);
console.log(`and that is the weight the optimizer holds: ${t.theta_after === (wm.tolist() as number[])[0]}`);
const ratios = watch.steps[1]!.params[0]!.elements.map((e) => (e.terms.theta_after! - e.terms.theta!) / (-lr * e.terms.g!));
console.log(`Answer: each weight moves ${ratios.map((r) => r.toFixed(3)).join(", ")} times as far as plain SGD would:`);
console.log("further, because the gradient kept its sign and the buffer adds 0.9 of the last one to it.");

// %% [markdown]
// ## What the learning rate does
//
// The same fit with four learning rates. For this quadratic loss the curvature (the
// largest eigenvalue of the Hessian 2·XᵀX/n) sets a limit: a step larger than 2 divided
// by it overshoots further each time and the loss grows without bound.

// %%
const run = (rate: number, steps = 50): number[] => {
  const wr = zeros(3, { dtype: "float64", requires_grad: true });
  const br = zeros(1, { dtype: "float64", requires_grad: true });
  const opt = new optim.SGD([wr, br], { lr: rate });
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    opt.zero_grad();
    const loss = mse(wr, br);
    losses.push(loss.item());
    loss.backward();
    opt.step();
  }
  return losses;
};
const rates = [0.01, 0.1, 0.8, 1.1];
const curves = rates.map((rate) => ({ rate, losses: run(rate) }));
console.log("lr      loss at step 5    step 20        step 49 (the last)");
for (const { rate, losses } of curves) {
  console.log(`${String(rate).padEnd(6)}  ${[5, 20, 49].map((i) => losses[i]!.toExponential(3).padEnd(13)).join("  ")}`);
}
// The Hessian of the MSE in (w, b): 2/n · [X 1]ᵀ[X 1]; its largest eigenvalue by power iteration.
const A = tensor(
  (X.tolist() as number[][]).map((row) => [...row, 1]),
  { dtype: "float64" },
);
const H = A.t()
  .matmul(A)
  .mul(2 / 64);
let v = tensor([1, 1, 1, 1], { dtype: "float64" });
for (let i = 0; i < 100; i++) v = H.matmul(v).div(H.matmul(v).norm());
const lambdaMax = H.matmul(v).mul(v).sum().item();
console.log(`largest curvature ${lambdaMax.toFixed(4)}: steps diverge above lr = 2/${lambdaMax.toFixed(4)} = ${(2 / lambdaMax).toFixed(4)}`);

// %%
showFigure(
  "02_learning_rates",
  await lineChart(
    curves.map(({ rate, losses }) => ({ name: `lr ${rate}`, x: losses.map((_, i) => i), y: losses })),
    { title: "MSE per step for four learning rates", xlabel: "step", ylabel: "loss (log scale)", logY: true },
  ),
);

// %% [markdown]
// Too small a rate (0.01) is stable but slow: at the last step its loss (0.44) is still
// far above the floor of about 0.0105 that the noise in the data leaves. A moderate rate
// (0.1) gets there steadily. Close to the limit (0.8) the loss falls fastest at first, but
// along the steepest direction every step overshoots: the error there is multiplied by
// 1 − 0.8·2.384 ≈ −0.91 per step, flipping sign and shrinking slowly. Beyond the limit
// (1.1) that factor is below −1 and the loss explodes. Momentum and adaptive methods (the
// next tutorials) are ways around this trade-off.
//
// ## Too low, too high: a sweep of learning rates
//
// The same 50 steps for a sweep of rates from 0.003 to 1.1, with the bound 2/λmax marked.
// How many steps does each rate need to bring the loss within 1% of the floor (the least
// squares minimum, reached here by 500 steps at lr 0.5)?

// %%
const sweep = [0.003, 0.01, 0.03, 0.1, 0.3, 0.6, 0.8, 0.83, 0.85, 0.9, 1.1];
const bound = 2 / lambdaMax;
const floor = Math.min(...run(0.5, 500));
console.log(`floor (least squares minimum): ${floor.toFixed(6)}; bound 2/λmax = ${bound.toFixed(4)}`);
console.log("lr      side of the bound   loss at step 49   steps to within 1% of the floor");
const swept = sweep.map((rate) => ({ rate, losses: run(rate) }));
for (const { rate, losses } of swept) {
  const reached = losses.findIndex((l) => l <= 1.01 * floor);
  console.log(
    `${String(rate).padEnd(6)}  ${(rate < bound ? "below" : "above").padEnd(18)}  ${losses[49]!.toExponential(3).padEnd(16)}  ${reached < 0 ? "not in 50 steps" : reached}`,
  );
}
showFigure(
  "02_lr_sweep",
  await lineChart(
    swept.map(({ rate, losses }) => ({ name: `lr ${rate}${rate > bound ? " (above 2/λmax)" : ""}`, x: losses.map((_, i) => i), y: losses })),
    { title: `MSE per step over a sweep of rates (diverges above 2/λmax = ${bound.toFixed(3)})`, xlabel: "step", ylabel: "loss (log scale)", logY: true },
  ),
);
const finalLoss = swept.map(({ losses }) => losses[49]!);
showFigure(
  "02_lr_sweep_final",
  await lineChart(
    [
      { name: "loss at step 49", x: sweep, y: finalLoss },
      { name: `2/λmax = ${bound.toFixed(3)}`, x: [bound, bound], y: [Math.min(...finalLoss), Math.max(...finalLoss)] },
    ],
    { title: "Loss after 50 steps against the learning rate", xlabel: "learning rate (log scale)", ylabel: "loss (log scale)", logX: true, logY: true },
  ),
);

// %% [markdown]
// Too low and the loss is still far from the floor after 50 steps: 1.04 at lr 0.003, 0.44
// at 0.01, 0.049 at 0.03. The fastest rates here are in the middle (0.6 reaches the floor
// in 5 steps, 0.3 in 11). Approaching the bound slows things down again, because the
// steepest direction overshoots more each step: 34 steps at 0.8, and at 0.83, just below
// the bound 0.839, the loss (0.019) has not reached it in 50 steps. Just above the bound
// the error along the steepest direction grows by |1 − 0.85·2.384| ≈ 1.03 per step: the
// loss at step 49 for lr 0.85 is 0.88, far above the floor, and 0.9 and 1.1 explode to
// 4·10⁴ and 3·10¹⁹. The second figure is the same sweep as a curve:
// flat at the floor between about 0.1 and 0.8, rising on both sides, and a wall at 2/λmax.
