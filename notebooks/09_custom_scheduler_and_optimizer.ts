// %% [markdown]
// # 9. Writing your own scheduler and optimizer
//
// Sooner or later you want a schedule or an update rule that `torch.optim` does not
// have. In PyTorch you subclass `LRScheduler` and override `get_lr()`, or subclass
// `Optimizer` and write `step()`. gradlab keeps the same two base classes, with the same
// fields (`param_groups`, `state`, `defaults`, `last_epoch`, `base_lrs`), so a custom
// class is a short file. The best way to check one is to write a built-in first and
// compare it with the library's to the last bit: then you know you understood the
// contract, and your new idea starts from a correct base.
//
// ## A scheduler: StepLR again
//
// A scheduler's job is one method. `step()` increments `last_epoch`, calls `get_lr()`,
// and writes the values it returns into each group's `lr`. The constructor already took
// one step, so right after construction `last_epoch` is 0 and the groups hold the
// epoch-0 rates. PyTorch's `StepLR.get_lr()` is *chainable*: it reads each group's
// current `lr` and multiplies it by γ at every multiple of `step_size`, rather than
// computing base_lr · γ^⌊epoch/step_size⌋ from scratch. That is what lets several
// schedulers be chained on one optimizer.
//
// Settings the first step needs (`step_size`, `gamma`) must exist before the base
// constructor runs that step. gradlab's convention: pass them as the third argument of
// `super(optimizer, last_epoch, settings)`, which copies them onto the instance first,
// and declare the fields with `declare` so that class-field initialisation does not
// reset them afterwards.

// %%
import { manual_seed, nn, optim, utils, zeros_like, type Tensor } from "gradlab";
import { lineChart } from "gradlab/plotting";
import { showFigure } from "./support.ts";

class MyStepLR extends optim.lr_scheduler.LRScheduler {
  declare step_size: number;
  declare gamma: number;

  constructor(optimizer: optim.Optimizer, step_size: number, { gamma = 0.1, last_epoch = -1 }: { gamma?: number; last_epoch?: number } = {}) {
    super(optimizer, last_epoch, { step_size, gamma });
  }

  /** η ← η·γ when last_epoch is a positive multiple of step_size, else η unchanged. */
  override get_lr(): number[] {
    const lrs = this.optimizer.param_groups.map((group) => group.lr);
    if (this.last_epoch === 0 || this.last_epoch % this.step_size !== 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }
}

// %% [markdown]
// To compare, make two identical optimizers (two parameter groups with different rates,
// to exercise the per-group logic), attach the built-in `StepLR` to one and ours to the
// other, step both for 40 epochs and compare every rate with `Object.is`, which is true
// only for the same float64 bits.

// %%
function twoGroupSGD(): optim.SGD {
  manual_seed(0);
  const model = new nn.Linear(3, 2);
  return new optim.SGD([{ params: [model.weight] }, { params: [model.bias!], lr: 0.3 }], { lr: 0.1 });
}
const theirs = new optim.lr_scheduler.StepLR(twoGroupSGD(), 7, { gamma: 0.7 });
const ours = new MyStepLR(twoGroupSGD(), 7, { gamma: 0.7 });
const rows: number[][] = [];
let identical = true;
for (let epoch = 0; epoch < 40; epoch++) {
  const [a, b] = [theirs.get_last_lr(), ours.get_last_lr()];
  identical &&= a.every((lr, i) => Object.is(lr, b[i]));
  rows.push([epoch, a[0]!, b[0]!, a[1]!, b[1]!]);
  theirs.optimizer.step();
  ours.optimizer.step();
  theirs.step();
  ours.step();
}
console.log("epoch   StepLR group 0        MyStepLR group 0      StepLR group 1        MyStepLR group 1      0.3·0.7^⌊e/7⌋");
for (const r of rows.filter(([e]) => e! % 7 === 0 || e === 6 || e === 39)) {
  const closed = 0.3 * 0.7 ** Math.floor(r[0]! / 7);
  console.log(
    `${String(r[0]).padStart(5)}   ${r
      .slice(1)
      .map((v) => String(v).padEnd(20))
      .join("  ")}  ${closed}`,
  );
}
console.log(`all 80 rates bit-identical: ${identical}`);

// %% [markdown]
// Every rate matches bit for bit. The last column shows why the chainable form matters
// for that: the closed form 0.3·0.7^⌊e/7⌋ differs from the chained products
// 0.3·0.7·0.7·… in the last digits from epoch 14 on (0.147 against
// 0.14699999999999996 at epoch 14). Matching PyTorch to the last digit means multiplying
// in the order it does.
//
// ## A scheduler PyTorch does not have: warm-up then cosine in one class
//
// The common "linear warm-up, then cosine decay" schedule is built in PyTorch from
// `SequentialLR([LinearLR, CosineAnnealingLR])`. As one class it reads like its formula,
// written here in closed form (from `last_epoch` and `base_lrs`, not from the current
// rates): for epoch e, warm-up length W and total T,
//
// ```text
// e < W:   η = η₀ · (s + (1 − s)·e/W)                             s = start_factor
// e ≥ W:   η = η_min + (η₀ − η_min)·(1 + cos(π·(e − W)/(T − W)))/2
// ```

// %%
class WarmupCosineLR extends optim.lr_scheduler.LRScheduler {
  declare warmup: number;
  declare total: number;
  declare start_factor: number;
  declare eta_min: number;

  constructor(optimizer: optim.Optimizer, warmup: number, total: number, { start_factor = 0.1, eta_min = 0 } = {}) {
    super(optimizer, -1, { warmup, total, start_factor, eta_min });
  }

  override get_lr(): number[] {
    const e = this.last_epoch;
    return this.base_lrs.map((base) =>
      e < this.warmup
        ? base * (this.start_factor + ((1 - this.start_factor) * e) / this.warmup)
        : this.eta_min + ((base - this.eta_min) * (1 + Math.cos((Math.PI * (e - this.warmup)) / (this.total - this.warmup)))) / 2,
    );
  }
}
const [W, T] = [5, 40];
const single = new WarmupCosineLR(twoGroupSGD(), W, T);
const opt2 = twoGroupSGD();
const sequential = new optim.lr_scheduler.SequentialLR(
  opt2,
  [new optim.lr_scheduler.LinearLR(opt2, { start_factor: 0.1, total_iters: W }), new optim.lr_scheduler.CosineAnnealingLR(opt2, T - W)],
  [W],
);
const mine: number[] = [];
const builtIn: number[] = [];
let largest = 0;
for (let epoch = 0; epoch < T; epoch++) {
  mine.push(single.get_last_lr()[0]!);
  builtIn.push(sequential.get_last_lr()[0]!);
  largest = Math.max(largest, ...single.get_last_lr().map((lr, i) => Math.abs(lr - sequential.get_last_lr()[i]!) / sequential.get_last_lr()[i]!));
  single.optimizer.step();
  opt2.step();
  single.step();
  sequential.step();
}
console.log("epoch   WarmupCosineLR          SequentialLR(LinearLR, CosineAnnealingLR)");
for (const e of [0, 1, 4, 5, 6, 20, 39]) console.log(`${String(e).padStart(5)}   ${String(mine[e]).padEnd(22)}  ${builtIn[e]}`);
console.log(`largest relative difference, both groups, ${T} epochs: ${largest.toExponential(2)}`);
showFigure(
  "09_warmup_cosine",
  await lineChart(
    [
      { name: "WarmupCosineLR", x: mine.map((_, e) => e), y: mine },
      { name: "SequentialLR", x: builtIn.map((_, e) => e), y: builtIn },
    ],
    { title: "Warm-up then cosine, two ways", xlabel: "epoch", ylabel: "learning rate" },
  ),
);

// %% [markdown]
// The two curves lie on top of each other, but the digits are not all equal: the
// largest relative difference printed above is at the level of float64 rounding, not
// zero. The built-ins are chainable (each rate computed from the previous one by a
// recurrence), ours evaluates the closed form, and the two round differently in the last
// bits. That is expected and harmless; it is also why a test of your own scheduler
// against a *different* built-in composition should use a tolerance, while a
// re-implementation of the *same* scheduler (StepLR above) should match exactly.
//
// ## An optimizer: SGD with momentum, from the base class
//
// gradlab's `Optimizer` does the bookkeeping PyTorch's `step()` boilerplate does (loop
// over groups and parameters, skip parameters without a gradient, run the closure, call
// the hooks, keep the state). A subclass provides:
//
// - a constructor that validates its options and passes the defaults to `super`;
// - `initState(param, group)`: the parameter's state on its first step with a gradient
//   (or null for none);
// - `update(theta, g, state, group, param)`: one loop over the parameter's elements,
//   `theta` written in place, `g` its gradient, both typed arrays in row-major order.
//
// The algorithm is the one in PyTorch's SGD docs (and src/optim/sgd.ts):
//
// ```text
// g ← g + λ·θ                    if λ ≠ 0
// b ← g on the first step, then b ← μ·b + (1 − τ)·g
// g ← g + μ·b if nesterov, else g ← b
// θ ← θ − γ·g
// ```

// %%
interface MySGDGroup {
  params: Tensor[];
  lr: number;
  momentum: number;
  dampening: number;
  weight_decay: number;
  nesterov: boolean;
  [key: string]: unknown;
}
interface MySGDState {
  momentum_buffer: Tensor | null;
}

class MySGD extends optim.Optimizer<MySGDGroup, MySGDState> {
  constructor(params: Tensor[], { lr = 1e-3, momentum = 0, dampening = 0, weight_decay = 0, nesterov = false } = {}) {
    if (lr < 0) throw new Error(`Invalid learning rate: ${lr}`);
    if (momentum < 0) throw new Error(`Invalid momentum value: ${momentum}`);
    if (weight_decay < 0) throw new Error(`Invalid weight_decay value: ${weight_decay}`);
    super(params, { lr, momentum, dampening, weight_decay, nesterov });
  }

  protected override initState(): MySGDState {
    return { momentum_buffer: null };
  }

  protected override update(theta: Float32Array | Float64Array, g: Float32Array | Float64Array, state: MySGDState, group: MySGDGroup, param: Tensor): void {
    const { lr, momentum: mu, dampening: tau, weight_decay: lambda, nesterov } = group;
    const first = state.momentum_buffer === null;
    if (first) state.momentum_buffer = zeros_like(param);
    const b = state.momentum_buffer!.data.data; // the buffer's own elements: zeros_like is contiguous
    for (let i = 0; i < theta.length; i++) {
      let gi = g[i]!;
      if (lambda !== 0) gi += lambda * theta[i]!;
      b[i] = first ? gi : mu * b[i]! + (1 - tau) * gi;
      gi = nesterov ? gi + mu * b[i]! : b[i]!;
      theta[i] = theta[i]! - lr * gi;
    }
  }
}

// %% [markdown]
// (A real file would skip the buffer when μ = 0 and support `maximize`, as the built-in
// does; this one always keeps momentum, which with μ = 0 gives the same numbers.)
//
// The test: the same network, the same data and the same batches, trained once with
// `optim.SGD` and once with `MySGD`, in float32 and in float64, with momentum, dampening,
// weight decay and Nesterov in turn. After 60 steps we compare every weight bit for bit.

// %%
manual_seed(0);
const [x, y] = utils.data.make_moons({ n_samples: 240, noise: 0.2 });
type Config = { momentum: number; dampening?: number; weight_decay?: number; nesterov?: boolean };

function trainWith(make: (params: Tensor[]) => optim.Optimizer, dtype: "float32" | "float64"): { weights: number[]; losses: number[] } {
  manual_seed(1);
  const model = new nn.Sequential(new nn.Linear(2, 16), new nn.Tanh(), new nn.Linear(16, 2)).to(dtype);
  const opt = make(model.parameters());
  const loader = new utils.data.DataLoader(new utils.data.TensorDataset(x.to(dtype), y), { batch_size: 24, shuffle: true });
  const lossFn = new nn.CrossEntropyLoss();
  const losses: number[] = [];
  for (let epoch = 0; epoch < 6; epoch++) {
    for (const [xb, yb] of loader) {
      opt.zero_grad();
      const loss = lossFn.forward(model.forward(xb!), yb!);
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }
  }
  return { weights: model.parameters().flatMap((p) => Array.from(p.toTypedArray())), losses };
}

const configs: Config[] = [
  { momentum: 0 },
  { momentum: 0.9 },
  { momentum: 0.9, dampening: 0.5 },
  { momentum: 0.9, weight_decay: 0.01 },
  { momentum: 0.9, nesterov: true, weight_decay: 0.001 },
];
console.log("dtype     options                                              steps  weights  bit-identical  final loss");
for (const dtype of ["float32", "float64"] as const) {
  for (const config of configs) {
    const a = trainWith((params) => new optim.SGD(params, { lr: 0.1, ...config }), dtype);
    const b = trainWith((params) => new MySGD(params, { lr: 0.1, ...config }), dtype);
    const same = a.weights.every((w, i) => Object.is(w, b.weights[i])) && a.losses.every((l, i) => Object.is(l, b.losses[i]));
    console.log(
      `${dtype}   ${JSON.stringify(config).padEnd(52)} ${String(a.losses.length).padStart(5)}  ${String(a.weights.length).padStart(7)}  ${String(same).padStart(13)}  ${b.losses.at(-1)!.toFixed(6)}`,
    );
  }
}

// %% [markdown]
// The five float64 runs are identical to the last bit, weights and per-step losses alike.
// The float32 ones are not: the built-in rounds as PyTorch's CPU kernels do, to float32
// after every op, with each `θ + α·g` as one fused multiply-add (src/kernels/rounding.ts),
// where `MySGD` works in doubles and rounds once per stored value. To match in float32
// too, a loop must follow the same op sequence and rounding. This kind of test is worth
// its few lines: a changed
// grouping of a product (say μ·b + (1 − τ)·g written as μ·b + g − τ·g) rounds
// differently, and after 60 steps the difference would show in the last digits of the
// weights.
//
// ## Everything else comes free
//
// Because `MySGD` extends the base class, it has everything the built-ins have: schedulers
// drive its `lr`, `state_dict()` saves its momentum buffers under PyTorch's layout, hooks
// run around its `step`, and param groups work.

// %%
manual_seed(2);
const net = new nn.Linear(2, 2);
const custom = new MySGD(net.parameters(), { lr: 0.5, momentum: 0.9 });
const schedule = new optim.lr_scheduler.StepLR(custom, 2, { gamma: 0.5 });
custom.register_step_post_hook((o) => console.log(`  post hook: step done, lr ${o.param_groups[0]!.lr}`));
for (let k = 0; k < 4; k++) {
  custom.zero_grad();
  new nn.CrossEntropyLoss().forward(net.forward(x), y).backward();
  custom.step();
  schedule.step();
}
const saved = custom.state_dict();
console.log(`state_dict: ${Object.keys(saved.state).length} parameter states, keys ${Object.keys(saved.state[0]!).join(", ")}`);
console.log(`param_groups[0]: ${JSON.stringify({ ...saved.param_groups[0], params: undefined })}`);
console.log(custom.toString());

// %% [markdown]
// The post hook saw the rate halve every two steps (0.5, 0.5, 0.25, 0.25): `StepLR`
// changed `lr` in the group and `MySGD.update` read it from there on the next step. The
// state dict has one momentum buffer per parameter (weight and bias) and the group's
// options, including the `initial_lr` the scheduler added, ready to save as JSON and
// load into a fresh `MySGD` with `load_state_dict`.
//
// Optimizers that need all parameters at once (L-BFGS treats them as one flat vector and
// calls the closure several times per step) override `performStep(closure)` instead of
// `update`; see the doc comment of `Optimizer` in src/optim/optimizer.ts and notebook 12.
