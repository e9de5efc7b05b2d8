// %% [markdown]
// # 10. Debugging an optimizer: what to measure when training goes wrong
//
// When a loss curve is flat, noisy or turns into `NaN`, the optimizer is rarely broken;
// the numbers it is fed are. This notebook builds four instruments from library parts
// and points them at small networks that misbehave on purpose:
//
// 1. gradient norms per layer (are the gradients reaching every layer?);
// 2. update-to-weight ratios, measured by step hooks (is the learning rate sensible?);
// 3. a NaN detector, as a global step hook (where and when did it break?);
// 4. `nn.utils.clip_grad_norm_` (keep rare huge gradients from wrecking the run).
//
// The data is the two-moons set; the models are small MLPs.

// %%
import { F, manual_seed, nn, optim, utils, type Tensor } from "gradlab";
import { lineChart } from "gradlab/plotting";
import { showFigure } from "./support.ts";

manual_seed(0);
const [x, y] = utils.data.make_moons({ n_samples: 256, noise: 0.1 });
const target = y.to("float32"); // 0/1 labels as floats for the binary losses
const norm = (t: Tensor): number => t.norm().item();
console.log(`${x.shape[0]} points; class 1 fraction ${target.mean().item()}`);

// %% [markdown]
// ## 1. Gradient norms per layer
//
// After `loss.backward()`, every parameter's `.grad` is there to inspect. Its norm,
// layer by layer, tells you whether the signal reaches the early layers. Compare a deep
// stack of sigmoids with the same stack of ReLUs, both with PyTorch's default `Linear`
// initialisation and at the same starting point:

// %%
function deepNet(activation: () => nn.TensorModule, depth = 6): nn.Sequential {
  manual_seed(1);
  const layers: nn.TensorModule[] = [new nn.Linear(2, 32)];
  for (let k = 1; k < depth; k++) layers.push(activation(), new nn.Linear(32, k === depth - 1 ? 1 : 32));
  return new nn.Sequential(...layers);
}
function weightGradNorms(model: nn.Sequential): number[] {
  model.zero_grad();
  F.binary_cross_entropy_with_logits(model.forward(x).reshape(-1), target).backward();
  return model
    .named_parameters()
    .filter(([name]) => name.endsWith("weight"))
    .map(([, p]) => norm(p.grad!));
}
const sigmoidNorms = weightGradNorms(deepNet(() => new nn.Sigmoid()));
const reluNorms = weightGradNorms(deepNet(() => new nn.ReLU()));
console.log("layer   ‖∇W‖ sigmoid net   ‖∇W‖ ReLU net");
sigmoidNorms.forEach((s, k) => console.log(`${String(k).padStart(5)}   ${s.toExponential(3).padStart(16)}   ${reluNorms[k]!.toExponential(3).padStart(13)}`));

// %% [markdown]
// Read the sigmoid column from the output layer (5) back to the input layer (0): the
// norm shrinks at each layer, because each sigmoid multiplies the backward signal by its
// derivative, which is at most 1/4. The ReLU column shrinks far less. This is the
// vanishing-gradient problem in six numbers: with one learning rate for all layers, the
// sigmoid net's first layers would barely move. Adaptive optimizers (Adam, RMSprop)
// partly compensate, since they divide each element's step by its own gradient size.
//
// ## 2. Update-to-weight ratios, with step hooks
//
// A gradient norm says nothing about how big the *step* is: that depends on the
// optimizer, its learning rate and its state. What matters is the step relative to the
// weights, ‖Δθ‖ / ‖θ‖, per parameter. A common rule of thumb (from Stanford's CS231n
// notes) is that it should be around 1e-3: much smaller and the layer learns slowly,
// much larger and it is being overwritten each step.
//
// `register_step_pre_hook` and `register_step_post_hook` (as in PyTorch) run around every
// `optimizer.step()`, so the measurement needs no change to the training loop: copy the
// weights before the step, compare after.

// %%
function watchUpdates(opt: optim.Optimizer): number[][] {
  const params = opt.param_groups[0]!.params;
  const ratios: number[][] = [];
  let before: Tensor[] = [];
  opt.register_step_pre_hook(() => {
    before = params.map((p) => p.detach().clone());
  });
  opt.register_step_post_hook(() => {
    ratios.push(params.map((p, i) => norm(p.detach().sub(before[i]!)) / norm(before[i]!)));
  });
  return ratios;
}

function trainWatched(makeOpt: (params: Tensor[]) => optim.Optimizer, steps = 60): { ratios: number[][]; loss: number } {
  const model = deepNet(() => new nn.ReLU(), 3);
  const opt = makeOpt(model.parameters());
  const ratios = watchUpdates(opt);
  let loss = NaN;
  for (let k = 0; k < steps; k++) {
    opt.zero_grad();
    const l = F.binary_cross_entropy_with_logits(model.forward(x).reshape(-1), target);
    l.backward();
    loss = l.item();
    opt.step();
  }
  return { ratios, loss };
}
const runs = {
  "SGD lr 0.001": trainWatched((p) => new optim.SGD(p, { lr: 0.001 })),
  "SGD lr 0.1": trainWatched((p) => new optim.SGD(p, { lr: 0.1 })),
  "Adam lr 0.001": trainWatched((p) => new optim.Adam(p, { lr: 0.001 })),
  "Adam lr 0.1": trainWatched((p) => new optim.Adam(p, { lr: 0.1 })),
};
for (const step of [1, 60]) {
  console.log(`log10 ‖Δθ‖/‖θ‖ at step ${String(step).padEnd(3)}0.weight   0.bias 2.weight   2.bias 4.weight   4.bias   loss at step 60`);
  for (const [name, run] of Object.entries(runs)) {
    const cells = run.ratios[step - 1]!.map((r) => Math.log10(r).toFixed(2).padStart(9)).join("");
    console.log(`${name.padEnd(27)}${cells}   ${step === 60 ? run.loss.toFixed(4) : ""}`);
  }
}

// %% [markdown]
// The tables make the learning rate visible per layer. SGD at 0.001 takes steps of 1e-5
// to 1e-4 of the weights, far below the rule of thumb, and after 60 steps its loss has
// hardly moved; at 0.1 the ratios are a hundred times larger (the step is linear in the
// learning rate) and the loss is lower. Adam's first step moves every element by about
// `lr` whatever its gradient, so at step 1 its ratios depend on the learning rate and
// the weights' size, not on the gradient norms of the first table; at lr 0.1 they are
// between about 0.2 and 2: the first step rewrites a good part of the weights. By step
// 60 the Adam lr 0.1 ratios have fallen to about 1e-3, with the loss near zero. The
// ratios are a per-layer view of the step size over time, not a fixed property of the
// optimizer. The full history of each ratio is in the arrays the hooks filled:

// %%
const history = runs["SGD lr 0.1"].ratios;
showFigure(
  "10_update_ratios",
  await lineChart(
    ["0.weight", "2.weight", "4.weight"].map((name, j) => ({
      name,
      x: history.map((_, k) => k + 1),
      y: history.map((r) => r[2 * j]!),
    })),
    { title: "Update-to-weight ratio, SGD lr 0.1", xlabel: "step", ylabel: "‖Δθ‖ / ‖θ‖", logY: true },
  ),
);
console.log(`0.weight ratio: step 1 ${history[0]![0]!.toExponential(2)}, step 60 ${history[59]![0]!.toExponential(2)}`);

// %% [markdown]
// ## 3. Catching the first NaN
//
// One `NaN` in one gradient is enough: the optimizer writes it into the weights (and
// into its state, so even momentum or Adam's averages are poisoned), and from then on
// every output is `NaN`. The cause usually comes steps earlier than the symptom, so the
// useful question is *which step and which parameter first*.
//
// Here is a classic cause: binary cross-entropy written by hand as
// −mean(y·log p + (1 − y)·log(1 − p)) with p = sigmoid(logit). Once a logit is large,
// p rounds to exactly 1 in float32, log(1 − p) is −∞, and its gradient is ∞ · 0 = NaN.
// A global hook (`optim.register_optimizer_step_pre_hook`, applied to every optimizer)
// checks all gradients before each step and stops with a message naming the culprit.

// %%
let stepIndex = 0;
const detector = optim.register_optimizer_step_pre_hook((opt) => {
  stepIndex += 1;
  for (const [g, group] of opt.param_groups.entries()) {
    for (const [i, p] of group.params.entries()) {
      const grad = p.grad?.toTypedArray();
      const bad = grad ? grad.findIndex((v) => !Number.isFinite(v)) : -1;
      if (bad >= 0) throw new Error(`step ${stepIndex}: param_groups[${g}].params[${i}] has gradient ${grad![bad]} at element ${bad}`);
    }
  }
});

function handWrittenBce(logits: Tensor, y01: Tensor): Tensor {
  const p = logits.sigmoid();
  return y01
    .mul(p.log())
    .add(y01.neg().add(1).mul(p.neg().add(1).log()))
    .mean()
    .neg();
}
function trainBinary(lossFn: (logits: Tensor, y01: Tensor) => Tensor, steps = 100): number[] {
  stepIndex = 0;
  const model = deepNet(() => new nn.ReLU(), 3);
  const opt = new optim.SGD(model.parameters(), { lr: 1, momentum: 0.9 });
  const losses: number[] = [];
  for (let k = 0; k < steps; k++) {
    opt.zero_grad();
    const loss = lossFn(model.forward(x).reshape(-1), target);
    loss.backward();
    losses.push(loss.item());
    opt.step();
  }
  return losses;
}
try {
  trainBinary(handWrittenBce);
} catch (error) {
  console.log(`caught: ${(error as Error).message}`);
}
const stable = trainBinary(F.binary_cross_entropy_with_logits);
console.log(
  `with F.binary_cross_entropy_with_logits: ${stable.length} steps, final loss ${stable.at(-1)!.toExponential(3)}, any NaN: ${stable.some(Number.isNaN)}`,
);
detector.remove();

// %% [markdown]
// The hook stopped training at the step the first non-finite gradient appeared, before
// the optimizer could copy it into the weights, and named the parameter and element.
// The fix is not a smaller learning rate but a stable formula:
// `binary_cross_entropy_with_logits` computes the same loss from the logit directly
// (max(z, 0) − z·y + log(1 + e^(−|z|))), never forming log(0). With it, the identical
// run finishes all 100 steps with a tiny, finite loss. `detector.remove()` unregisters
// the global hook, so later optimizers are unaffected.
//
// ## 4. Clipping the gradient norm
//
// Some runs do not produce NaNs but get knocked off course by a few huge steps: a sharp
// region of the loss, an unlucky batch. `clip_grad_norm_(params, max_norm)` rescales all
// gradients together (one factor, directions preserved) when their total norm exceeds
// `max_norm`, and returns the total norm before clipping, a free diagnostic to log.
// It goes between `backward()` and `step()`. Same network, SGD with momentum at lr 3,
// with and without clipping at 1:

// %%
function trainClipped(max_norm: number | null, steps = 100): { losses: number[]; norms: number[] } {
  const model = deepNet(() => new nn.ReLU(), 3);
  const opt = new optim.SGD(model.parameters(), { lr: 3, momentum: 0.9 });
  const losses: number[] = [];
  const norms: number[] = [];
  for (let k = 0; k < steps; k++) {
    opt.zero_grad();
    const loss = F.binary_cross_entropy_with_logits(model.forward(x).reshape(-1), target);
    loss.backward();
    // With max_norm = ∞ nothing is scaled, but the total norm is still returned.
    norms.push(nn.utils.clip_grad_norm_(model.parameters(), max_norm ?? Infinity).item());
    losses.push(loss.item());
    opt.step();
  }
  return { losses, norms };
}
const free = trainClipped(null);
const clipped = trainClipped(1);
console.log("step    loss (no clip)   ‖g‖ (no clip)   loss (clip 1)   ‖g‖ before clip");
for (const k of [0, 10, 20, 30, 40, 60, 99]) {
  console.log(
    `${String(k + 1).padStart(4)}   ${free.losses[k]!.toFixed(5).padStart(13)}   ${free.norms[k]!.toFixed(4).padStart(13)}   ${clipped.losses[k]!.toExponential(3).padStart(13)}   ${clipped.norms[k]!.toFixed(4).padStart(13)}`,
  );
}
const peak = (a: number[]): string => `${Math.max(...a).toFixed(2)} at step ${a.indexOf(Math.max(...a)) + 1}`;
console.log(`largest gradient norm: no clip ${peak(free.norms)}; clip 1 ${peak(clipped.norms)}`);
console.log(`steps where clipping at 1 scaled the gradient: ${clipped.norms.filter((n) => n > 1).length} of ${clipped.norms.length}`);
showFigure(
  "10_clipping",
  await lineChart(
    [
      { name: "no clipping", x: free.losses.map((_, k) => k + 1), y: free.losses },
      { name: "clip_grad_norm_ 1.0", x: clipped.losses.map((_, k) => k + 1), y: clipped.losses },
    ],
    { title: "SGD (lr 3, momentum 0.9): clipping the gradient norm", xlabel: "step", ylabel: "loss", logY: true },
  ),
);

// %% [markdown]
// Without clipping, the run at lr 3 stalls: its loss is still 0.282 after 100 steps.
// With clipping at 1, the same run drives the loss to about 1e-4. The last line shows
// how little clipping it took: only 3 of the 100 steps had a gradient norm above 1 (the
// largest, 6.14, at step 6) and were scaled down; every other step was left alone. That
// is the typical use: `max_norm` set a little above the usual norm (which you get by
// logging the return value, as here), so that clipping acts only on the outliers.
//
// `clip_grad_norm_(…, { error_if_nonfinite: true })` doubles as a NaN detector: it
// throws PyTorch's message when the total norm is not finite.

// %%
const w = new nn.Linear(2, 1);
w.weight.grad = w.weight.detach().mul(0).add(Infinity);
try {
  nn.utils.clip_grad_norm_(w.parameters(), 1, { error_if_nonfinite: true });
} catch (error) {
  console.log((error as Error).message);
}

// %% [markdown]
// To sum up the checklist: log gradient norms per layer (do they all arrive?), the
// update-to-weight ratio per layer (is the learning rate in range?), fail fast on the
// first non-finite gradient (where did it start?), and clip by norm once you know the
// typical norm. All four use only public parts: `.grad`, step hooks and
// `nn.utils.clip_grad_norm_`.
