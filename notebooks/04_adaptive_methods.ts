// %% [markdown]
// # 4. Adaptive methods: Adagrad, RMSprop, Adam, AdamW
//
// SGD uses one learning rate for every element of every parameter. Adaptive methods
// divide each element's step by a running measure of that element's gradient size, so
// elements with large gradients take smaller steps and rarely-updated ones larger.
// They differ in how they measure: Adagrad sums all past squared gradients, RMSprop
// averages them with exponential decay, Adam adds a momentum (first moment) and corrects
// both averages for starting at zero.

// %%
import { type Tensor, lab, optim, tensor } from "gradlab";
import { lineChart } from "gradlab/plotting";
import { showFigure } from "./support.ts";

// One parameter, two elements whose gradients differ by a factor of 100.
const grads = [
  [1, 0.01],
  [1.2, 0.012],
  [0.8, 0.008],
  [1, 0.01],
  [1.1, 0.011],
];
function steps(make: (p: Tensor) => optim.Optimizer): number[][] {
  const p = tensor([0, 0], { dtype: "float64", requires_grad: true });
  const opt = make(p);
  const out: number[][] = [];
  for (const g of grads) {
    p.grad = tensor(g, { dtype: "float64" });
    opt.step();
    out.push((p.tolist() as number[]).map((v) => -v));
  }
  return out;
}
const table = {
  "SGD lr 0.1": steps((p) => new optim.SGD([p], { lr: 0.1 })),
  "Adagrad lr 0.1": steps((p) => new optim.Adagrad([p], { lr: 0.1 })),
  "RMSprop lr 0.01": steps((p) => new optim.RMSprop([p], { lr: 0.01 })),
  "Adam lr 0.1": steps((p) => new optim.Adam([p], { lr: 0.1 })),
};
console.log("distance travelled after 5 steps     element with |g|≈1    element with |g|≈0.01");
for (const [name, rows] of Object.entries(table)) {
  const last = rows.at(-1)!;
  console.log(`${name.padEnd(37)}${last[0]!.toFixed(5).padStart(10)}            ${last[1]!.toFixed(5).padStart(10)}`);
}

// %% [markdown]
// SGD moves the small-gradient element 100 times less. The adaptive methods move both
// elements the same distance to the printed digits (the two gradient sequences are
// proportional and the per-element scaling divides the proportion out; only ε, added
// to the denominator, tells them apart, around the sixth digit): the step depends on
// how consistent an element's gradient is, not on its size.
//
// ## Adam's first three steps, number by number
//
// gradlab computes Adam exactly as PyTorch's single-tensor loop does (see
// docs/optim/adam.md):
//
// ```text
// m ← m + (1 − β1)·(g − m)          v ← β2·v + (1 − β2)·g²
// θ ← θ − (γ / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
// ```
//
// With γ = 0.1, β1 = 0.9, β2 = 0.999, ε = 1e-8, θ₀ = 1 and gradients 0.5, −0.2, 0.8:

// %%
const [gamma, beta1, beta2, eps] = [0.1, 0.9, 0.999, 1e-8];
let [theta, m, v] = [1, 0, 0];
const byHand: number[] = [];
[0.5, -0.2, 0.8].forEach((g, k) => {
  const t = k + 1;
  m = m + (1 - beta1) * (g - m);
  v = beta2 * v + (1 - beta2) * g * g;
  const stepSize = gamma / (1 - beta1 ** t);
  const denom = Math.sqrt(v) / Math.sqrt(1 - beta2 ** t) + eps;
  theta = theta - stepSize * (m / denom);
  byHand.push(theta);
  console.log(`t=${t}: g=${g}  m=${m.toFixed(6)}  v=${v.toExponential(6)}  step size γ/(1−β1ᵗ)=${stepSize.toFixed(6)}  θ=${theta.toFixed(12)}`);
});

// %% [markdown]
// The first step moves θ by almost exactly γ: with m = (1 − β1)·g and v = (1 − β2)·g²,
// the bias corrections turn m/√v back into g/|g| = 1. Without them, the first step would
// be (1 − β1)/√(1 − β2) ≈ 3.16 times larger. Now the same three steps with `optim.Adam`:

// %%
const p = tensor([1], { dtype: "float64", requires_grad: true });
const adam = new optim.Adam([p], { lr: gamma, betas: [beta1, beta2], eps });
const withAdam: number[] = [];
for (const g of [0.5, -0.2, 0.8]) {
  p.grad = tensor([g], { dtype: "float64" });
  adam.step();
  withAdam.push(p.item());
}
console.log(`optim.Adam: ${withAdam.map((x) => x.toFixed(12)).join(", ")}`);
console.log(`identical to the hand computation, bit for bit: ${withAdam.every((x, i) => x === byHand[i])}`);
const state = adam.state.get(p)!;
console.log(`state: step=${state.step}, exp_avg=${state.exp_avg.item().toFixed(6)}, exp_avg_sq=${state.exp_avg_sq.item().toExponential(6)}`);

// %% [markdown]
// ## One Adam step under the inspector, term by term
//
// The hand computation above is a copy of Adam's formulas; `lab.inspect` (a gradlab tool,
// PyTorch has none) shows the real loop's own numbers instead. Attached to an optimizer, it
// records at every step each term of the update of a few watched elements, exactly as the
// loop computes them (a watched step gives bit for bit the same result as an unwatched one).
// Here is Adam's algorithm box (the class's doc comment, after PyTorch's docs), with the
// names the inspector records on the right:
//
// ```text
// options  γ lr · β1, β2 betas · ε eps · λ weight_decay · amsgrad · maximize
// for each parameter θ with gradient g:                          recorded as
//   t ← t + 1                                                    t
//   g ← −g if maximize;  g ← g + λ·θ if λ ≠ 0                    grad → g
//   m ← lerp(m, g, 1 − β1) = β1·m + (1 − β1)·g                   m_prev → m
//   v ← β2·v + (1 − β2)·g·g                                      v_prev → v
//   vmax ← max(vmax, v), used as v       if amsgrad              vmax_prev → vmax
//   denom = √v / √(1 − β2^t) + ε                                 bias_correction2_sqrt, denom
//   θ ← θ − (γ / (1 − β1^t)) · m / denom                         step_size, update, theta_after
// ```
//
// Three weights start at 1, with gradients of very different sizes, and one whose
// gradient flips sign at every step.

// %%
const gradients = [
  [4, 0.01, -0.5],
  [3, 0.02, 0.5],
  [5, 0.01, -0.5],
];
console.log(`Predict: the first gradients are ${gradients[0]!.join(", ")} and lr is 0.1.`);
console.log("Which weight moves furthest on the first step? And on the third, after the third weight's gradient has flipped twice?");

// %%
const weights = tensor([1, 1, 1], { dtype: "float64", requires_grad: true });
const inspected = new optim.Adam([weights], { lr: 0.1 });
const watch = lab.inspect(inspected);
for (const g of gradients) {
  weights.grad = tensor(g, { dtype: "float64" });
  inspected.step();
}
console.log(watch.toString(1));

// %% [markdown]
// Read step 1 against the box, column by column. With m and v starting at zero, m = (1 − β1)·g
// and v = (1 − β2)·g². The bias corrections are folded into two scalars: `step_size` =
// γ/(1 − β1) = 1 and `bias_correction2_sqrt` = √(1 − β2) ≈ 0.0316, so `denom` = √v / 0.0316
// + ε = |g| + ε, and the update is −m/denom ≈ −0.1·g/|g|. Every weight moves by 0.1, whatever
// its gradient's size. The same lines of the box with element 0's recorded numbers (the
// last digits are float64's, as in PyTorch: 1 − 0.9 is 0.09999999999999998, and ε keeps the
// update a little short of 0.1):

// %%
const one = watch.steps[0]!.params[0]!;
const e0 = one.elements[0]!.terms;
console.log(`m      = β1·m_prev + (1 − β1)·g = 0.9·${e0.m_prev} + ${1 - 0.9}·${e0.g} = ${e0.m}`);
console.log(`v      = β2·v_prev + (1 − β2)·g² = 0.999·${e0.v_prev} + ${1 - 0.999}·${e0.g}² = ${e0.v}`);
console.log(`denom  = √v / ${one.scalars.bias_correction2_sqrt!.toFixed(6)} + ε = ${e0.denom}`);
console.log(`update = −${one.scalars.step_size} · m / denom = ${e0.update}`);
console.log(`θ      = ${e0.theta} + update = ${e0.theta_after}`);
const moves = (k: number) => watch.steps[k]!.params[0]!.elements.map((e) => Math.abs(e.terms.theta_after! - e.terms.theta!));
console.log(
  `Answer, step 1: the weights move ${moves(0)
    .map((d) => d.toFixed(6))
    .join(", ")}: all by lr, to 6 digits.`,
);

// %%
console.log(watch.toString(3).split("\nwhere")[0]);
console.log(
  `Answer, step 3: the weights move ${moves(2)
    .map((d) => d.toFixed(6))
    .join(", ")}.`,
);

// %% [markdown]
// By step 3 the first two weights still move by about lr: their gradients keep their sign,
// so m / √v stays near 1 (after the bias corrections, now 1/(1 − 0.9³) and √(1 − 0.999³)).
// The third weight's gradient flipped twice: m, an average of +0.5 and −0.5, is small while
// v, an average of their squares, is not, so its step is a fraction of lr. Adam's step size
// measures how consistent an element's gradient is, not how large.

// %% [markdown]
// ## Coupled versus decoupled weight decay
//
// `Adam(weight_decay=λ)` adds λ·θ to the gradient before the moments: the decay is then
// divided by √v like everything else, so weights with large gradients are barely
// regularised. `AdamW` instead shrinks the weights directly, θ ← θ·(1 − γλ), before the
// Adam step: every weight decays at the same relative rate. Two weights start at 1; the
// first has large gradients, the second none at all (only the decay acts on it):

// %%
console.log("Predict: after 100 steps of Adam with weight_decay 0.5 (coupled), which weight is smaller,");
console.log("the busy one or the idle one? And with AdamW (decoupled)?");

// %%
function decay(make: (p: Tensor) => optim.Optimizer): number[][] {
  const q = tensor([1, 1], { dtype: "float64", requires_grad: true });
  const opt = make(q);
  const path: number[][] = [];
  for (let t = 0; t < 100; t++) {
    q.grad = tensor([t % 2 === 0 ? 5 : -5, 0], { dtype: "float64" });
    opt.step();
    path.push(q.tolist() as number[]);
  }
  return path;
}
const coupled = decay((q) => new optim.Adam([q], { lr: 0.01, weight_decay: 0.5 }));
const decoupled = decay((q) => new optim.AdamW([q], { lr: 0.01, weight_decay: 0.5 }));
console.log("after 100 steps            busy weight   idle weight");
console.log(`Adam, weight_decay 0.5     ${coupled.at(-1)![0]!.toFixed(4)}        ${coupled.at(-1)![1]!.toFixed(4)}`);
console.log(`AdamW, weight_decay 0.5    ${decoupled.at(-1)![0]!.toFixed(4)}        ${decoupled.at(-1)![1]!.toFixed(4)}`);
console.log(`AdamW's decay alone: (1 − 0.01·0.5)^100 = ${((1 - 0.005) ** 100).toFixed(4)}`);
const smaller = (w: number[]) => (Math.abs(w[0]!) < Math.abs(w[1]!) ? "the busy one" : "the idle one");
console.log(
  `Answer: with Adam ${smaller(coupled.at(-1)!)} ends smaller; with AdamW ${smaller(decoupled.at(-1)!)}, by ${Math.abs(Math.abs(decoupled.at(-1)![0]!) - Math.abs(decoupled.at(-1)![1]!)).toFixed(4)}.`,
);

// %%
showFigure(
  "04_weight_decay",
  await lineChart(
    [
      { name: "Adam (coupled), busy", x: coupled.map((_, i) => i + 1), y: coupled.map((q) => q[0]!) },
      { name: "Adam (coupled), idle", x: coupled.map((_, i) => i + 1), y: coupled.map((q) => q[1]!) },
      { name: "AdamW (decoupled), busy", x: decoupled.map((_, i) => i + 1), y: decoupled.map((q) => q[0]!) },
      { name: "AdamW (decoupled), idle", x: decoupled.map((_, i) => i + 1), y: decoupled.map((q) => q[1]!) },
    ],
    { title: "Weights under coupled and decoupled weight decay", xlabel: "step", ylabel: "weight" },
  ),
);

// %% [markdown]
// With coupled decay the idle weight, whose only "gradient" is λ·θ, is normalised by its
// own small √v and shrinks by roughly γ per step (from 1 to 0.22 in 100 steps), while
// the busy weight's decay is drowned by its ±5 gradients. AdamW decays both by the same
// factor (1 − γλ) per step, which is what "weight decay" means in SGD, and is why AdamW
// is the usual choice for regularised training.
