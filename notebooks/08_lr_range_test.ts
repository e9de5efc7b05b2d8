// %% [markdown]
// # 8. The learning-rate range test
//
// Which learning rate should you use? Leslie Smith's *range test* (the "LR finder" of
// fastai and PyTorch Lightning) answers it with one short run: start with a tiny learning
// rate and multiply it by a constant factor after every batch, recording the loss. While
// the rate is too small the loss barely moves; over a good range it falls quickly; past
// some point the steps overshoot and the loss explodes. You pick a rate from the falling
// part, well below the explosion.
//
// PyTorch has no `LRFinder` class, and gradlab needs none: an exponential ramp is just a
// scheduler stepped once per *batch* instead of once per epoch. Here is the set-up: a
// small network on the two-moons data set, and a function that builds it from a fixed
// seed, so every run below starts from the same weights.

// %%
import { manual_seed, nn, no_grad, optim, utils, type Tensor } from "gradlab";
import { lineChart, terminalChart } from "gradlab/plotting";
import { showFigure } from "./support.ts";

manual_seed(0);
const [x, y] = utils.data.make_moons({ n_samples: 512, noise: 0.15 });
const dataset = new utils.data.TensorDataset(x, y);
const lossFn = new nn.CrossEntropyLoss();

function makeModel(): nn.Sequential {
  manual_seed(1);
  return new nn.Sequential(new nn.Linear(2, 32), new nn.ReLU(), new nn.Linear(32, 32), new nn.ReLU(), new nn.Linear(32, 2));
}
console.log(`${x.shape[0]} points, batches of 32, model with ${makeModel().parameters().reduce((n, p) => n + p.numel(), 0)} parameters`);

// %% [markdown]
// ## The ramp as a scheduler
//
// We want the learning rate of batch k (counting from 0) to be
// lr_k = lr_start · (lr_end / lr_start)^(k / (N − 1)), going from 1e-5 to 10 in N = 120
// batches. Two built-in schedulers produce exactly this:
//
// - `LambdaLR(opt, k => q ** k)` multiplies the *initial* rate by a factor you compute
//   from the step count (PyTorch: `lr = base_lr * lr_lambda(last_epoch)`);
// - `ExponentialLR(opt, q)` multiplies the *current* rate by `gamma = q` on each step.
//
// with q = (lr_end / lr_start)^(1 / (N − 1)). The optimizer's own `lr` must be the start
// value, since both schedulers scale the rate the optimizer was created with.

// %%
const [lrStart, lrEnd, N] = [1e-5, 10, 120];
const q = (lrEnd / lrStart) ** (1 / (N - 1));

function rampLrs(make: (opt: optim.Optimizer) => optim.lr_scheduler.LRScheduler): number[] {
  const opt = new optim.SGD(makeModel().parameters(), { lr: lrStart });
  const scheduler = make(opt);
  const lrs: number[] = [];
  for (let k = 0; k < N; k++) {
    lrs.push(scheduler.get_last_lr()[0]!);
    opt.step(); // no gradients yet: nothing moves, but the scheduler expects a step first
    scheduler.step();
  }
  return lrs;
}
const viaLambda = rampLrs((opt) => new optim.lr_scheduler.LambdaLR(opt, (k) => q ** k));
const viaExponential = rampLrs((opt) => new optim.lr_scheduler.ExponentialLR(opt, q));
console.log(`q = ${q}`);
for (const k of [0, 1, 2, 60, 119]) {
  console.log(`batch ${String(k).padStart(3)}:  LambdaLR ${viaLambda[k]!.toExponential(10)}   ExponentialLR ${viaExponential[k]!.toExponential(10)}`);
}
const worst = Math.max(...viaLambda.map((lr, k) => Math.abs(lr - viaExponential[k]!) / lr));
console.log(`largest relative difference over the ${N} batches: ${worst.toExponential(2)}`);

// %% [markdown]
// Both end at 10 and agree to better than 1e-15: `LambdaLR` computes
// 1e-5 · q^k afresh each time, `ExponentialLR` multiplies k times, so they round
// differently in the last bits but follow the same curve. We use `LambdaLR` below because
// its rates do not accumulate rounding.
//
// ## Running the test
//
// One optimizer step per batch, cycling through the shuffled data as often as needed.
// The raw batch loss is noisy, so we also keep an exponentially smoothed loss,
// s_k = β·s_(k−1) + (1 − β)·loss_k with β = 0.9, divided by (1 − β^(k+1)) to remove the
// bias toward the initial 0 (the same correction Adam applies to its moments). The test
// stops early once the smoothed loss exceeds four times its best value: beyond that
// point the network is diverging and the numbers mean nothing.

// %%
function rangeTest(makeOptimizer: (params: Tensor[]) => optim.Optimizer): { lrs: number[]; losses: number[]; smooth: number[] } {
  manual_seed(2);
  const model = makeModel();
  const opt = makeOptimizer(model.parameters());
  const scheduler = new optim.lr_scheduler.LambdaLR(opt, (k) => q ** k);
  const loader = new utils.data.DataLoader(dataset, { batch_size: 32, shuffle: true });
  const lrs: number[] = [];
  const losses: number[] = [];
  const smooth: number[] = [];
  const beta = 0.9;
  let average = 0;
  let best = Infinity;
  while (lrs.length < N) {
    for (const [xb, yb] of loader) {
      opt.zero_grad();
      const loss = lossFn.forward(model.forward(xb!), yb!);
      loss.backward();
      lrs.push(scheduler.get_last_lr()[0]!);
      losses.push(loss.item());
      average = beta * average + (1 - beta) * loss.item();
      smooth.push(average / (1 - beta ** losses.length));
      best = Math.min(best, smooth.at(-1)!);
      if (!(smooth.at(-1)! < 4 * best) || lrs.length === N) return { lrs, losses, smooth };
      opt.step();
      scheduler.step();
    }
  }
  return { lrs, losses, smooth };
}
const sgd = rangeTest((params) => new optim.SGD(params, { lr: lrStart, momentum: 0.9 }));
console.log(`SGD with momentum 0.9: ${sgd.lrs.length} batches, stopped at lr ${sgd.lrs.at(-1)!.toExponential(2)}`);
console.log("    lr        batch loss   smoothed");
for (let k = 0; k < sgd.lrs.length; k += 10) {
  console.log(`${sgd.lrs[k]!.toExponential(2).padStart(9)}   ${sgd.losses[k]!.toFixed(4).padStart(9)}   ${sgd.smooth[k]!.toFixed(4).padStart(9)}`);
}
console.log(`${sgd.lrs.at(-1)!.toExponential(2).padStart(9)}   ${sgd.losses.at(-1)!.toFixed(4).padStart(9)}   ${sgd.smooth.at(-1)!.toFixed(4).padStart(9)}   (last)`);

// %% [markdown]
// The loss is almost flat for the first decades of learning rate, falls through the
// middle of the range and blows up near the end, where the test stops. The usual way to
// look at it is the smoothed loss against the learning rate on a logarithmic axis
// (gradlab's `lineChart` has a log scale only for y, so x is log10 of the rate):

// %%
const log10 = (v: number): number => Math.log10(v);
showFigure(
  "08_range_test",
  await lineChart(
    [
      { name: "batch loss", x: sgd.lrs.map(log10), y: sgd.losses },
      { name: "smoothed loss", x: sgd.lrs.map(log10), y: sgd.smooth },
    ],
    { title: "LR range test, SGD with momentum 0.9", xlabel: "log10(learning rate)", ylabel: "cross-entropy loss" },
  ),
);
console.log("smoothed loss, batch by batch (lr growing to the right):");
console.log(terminalChart(sgd.smooth, { height: 8 }));

// %% [markdown]
// ## Choosing a rate
//
// Two common rules read the curve:
//
// 1. the rate at the minimum of the smoothed loss, divided by 10 (the minimum itself is
//    already at the edge of instability, as the loss is about to turn up);
// 2. the rate where the smoothed loss falls fastest, i.e. the most negative slope
//    d loss / d log10(lr), here estimated by differences over 5 batches.

// %%
function suggestions(run: { lrs: number[]; smooth: number[] }): { atMinimum: number; steepest: number } {
  const kMin = run.smooth.indexOf(Math.min(...run.smooth));
  let steepest = 0;
  let bestSlope = Infinity;
  for (let k = 5; k < kMin; k++) {
    const slope = (run.smooth[k]! - run.smooth[k - 5]!) / (log10(run.lrs[k]!) - log10(run.lrs[k - 5]!));
    if (slope < bestSlope) [bestSlope, steepest] = [slope, run.lrs[k]!];
  }
  return { atMinimum: run.lrs[kMin]!, steepest };
}
const pick = suggestions(sgd);
console.log(`minimum of the smoothed loss at lr ${pick.atMinimum.toExponential(2)} -> rule 1 suggests ${(pick.atMinimum / 10).toExponential(2)}`);
console.log(`steepest descent at lr ${pick.steepest.toExponential(2)} -> rule 2 suggests ${pick.steepest.toExponential(2)}`);

// %% [markdown]
// Here the two rules agree closely (about 0.17 either way). Neither is a law; the test
// only tells you where the useful range lies. So check: train from the same initial
// weights for 15 epochs at the suggested rate (rule 1), at a rate 100 times smaller, and
// at the rate where the test's loss was already rising.

// %%
function train(lr: number, epochs = 15): number[] {
  manual_seed(3);
  const model = makeModel();
  const opt = new optim.SGD(model.parameters(), { lr, momentum: 0.9 });
  const loader = new utils.data.DataLoader(dataset, { batch_size: 32, shuffle: true });
  const history: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const [xb, yb] of loader) {
      opt.zero_grad();
      lossFn.forward(model.forward(xb!), yb!).backward();
      opt.step();
    }
    history.push(no_grad(() => lossFn.forward(model.forward(x), y).item()));
  }
  return history;
}
const chosen = pick.atMinimum / 10;
const runs = [
  { name: `suggested lr ${chosen.toExponential(1)}`, lr: chosen },
  { name: `100x smaller, ${(chosen / 100).toExponential(1)}`, lr: chosen / 100 },
  { name: `diverging, ${sgd.lrs.at(-1)!.toExponential(1)}`, lr: sgd.lrs.at(-1)! },
].map((r) => ({ ...r, history: train(r.lr) }));
console.log("full-data loss after epoch      1        5       10       15");
for (const r of runs) {
  const at = [0, 4, 9, 14].map((e) => r.history[e]!.toFixed(4).padStart(8)).join(" ");
  console.log(`${r.name.padEnd(28)} ${at}`);
}
showFigure(
  "08_check_choice",
  await lineChart(
    runs.map((r) => ({ name: r.name, x: r.history.map((_, e) => e + 1), y: r.history })),
    { title: "Training with the chosen rate", xlabel: "epoch", ylabel: "loss on all 512 points", logY: true },
  ),
);

// %% [markdown]
// Compare the rows: the suggested rate brings the loss below 0.04 within 5 epochs, the
// rate 100 times smaller has only reached 0.35 after 15 epochs, and the rate at the end
// of the test jumps around and ends about where it started. That is the range test's
// whole promise: one run of about a hundred batches replaces a grid search over learning
// rates.
//
// The test depends on the optimizer, so rerun it when you change optimizers. The same
// function with Adam:

// %%
const adam = rangeTest((params) => new optim.Adam(params, { lr: lrStart }));
const adamPick = suggestions(adam);
console.log(`Adam: ${adam.lrs.length} batches, stopped at lr ${adam.lrs.at(-1)!.toExponential(2)}`);
console.log(`minimum of the smoothed loss at lr ${adamPick.atMinimum.toExponential(2)} -> rule 1 suggests ${(adamPick.atMinimum / 10).toExponential(2)}`);
console.log(`steepest descent at lr ${adamPick.steepest.toExponential(2)} -> rule 2 suggests ${adamPick.steepest.toExponential(2)}`);
showFigure(
  "08_range_test_adam",
  await lineChart(
    [
      { name: "SGD, momentum 0.9", x: sgd.lrs.map(log10), y: sgd.smooth },
      { name: "Adam", x: adam.lrs.map(log10), y: adam.smooth },
    ],
    { title: "Smoothed range-test loss", xlabel: "log10(learning rate)", ylabel: "smoothed loss" },
  ),
);

// %% [markdown]
// Adam's loss turns up about ten times earlier (its minimum is at 0.15 against 1.75 for
// SGD with momentum), and both rules put its rate near 0.01 to 0.015, an order of magnitude
// below SGD's. Adam divides each step by a running gradient size, so its learning rate is
// close to a step length in weight space, while SGD's multiplies the raw gradient. The
// batch size changes the curve too, so the test belongs to one full configuration.
//
// The chosen rate is best read as a *maximum*: schedules such as `OneCycleLR`
// (notebook 5) take it as `max_lr` and warm up to it, which is how Smith used the test.
