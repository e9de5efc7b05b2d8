// %% [markdown]
// # 8. The learning-rate range test
//
// Which learning rate should you use? Leslie Smith's *range test* (the "LR finder" of
// fastai and of the pytorch-lr-finder package) answers it with one short run: start with a
// tiny learning rate and raise it by a constant factor after every batch, recording the
// loss. While the rate is too small the loss barely moves; over a good range it falls
// quickly; past some point the steps overshoot and the loss explodes. You pick a rate from
// the falling part, well below the explosion.
//
// PyTorch has no `LRFinder`. gradlab has one beside its mirror of `torch.optim`,
// `lab.lr_finder`, which does what users of the others ask for: it gives the model and the
// optimizer back exactly as they were, returns the whole curve, and reads three suggestions
// off it side by side instead of one. This tutorial first builds the ramp from a scheduler,
// to see there is no magic in it, then runs the test and trains at what it suggests.
//
// The set-up: a small network on the two-moons data set (a quarter of the points held out
// for validation), and a function that builds it from a fixed seed, so every run below
// starts from the same weights.

// %%
import { lab, manual_seed, nn, no_grad, optim, tensor, utils, type Tensor } from "gradlab";
import { lineChart } from "gradlab/plotting";
import { showFigure } from "./support.ts";

manual_seed(0);
const [x, y] = utils.data.make_moons({ n_samples: 512, noise: 0.15 });
/** Rows whose index passes `keep`, as an index tensor. */
const rows = (n: number, keep: (i: number) => boolean): Tensor => tensor(Array.from({ length: n }, (_, i) => i).filter(keep), { dtype: "int64" });
const [trainRows, valRows] = [rows(512, (i) => i % 4 !== 0), rows(512, (i) => i % 4 === 0)];
const [xTrain, yTrain, xVal, yVal] = [x.index_select(0, trainRows), y.index_select(0, trainRows), x.index_select(0, valRows), y.index_select(0, valRows)];
const loader = new utils.data.DataLoader(new utils.data.TensorDataset(xTrain, yTrain), { batch_size: 32, shuffle: true });
const lossFn = new nn.CrossEntropyLoss();

function makeModel(): nn.Sequential {
  manual_seed(1);
  return new nn.Sequential(new nn.Linear(2, 32), new nn.ReLU(), new nn.Linear(32, 32), new nn.ReLU(), new nn.Linear(32, 2));
}
console.log(`${xTrain.shape[0]} training and ${xVal.shape[0]} validation points, batches of 32 (${loader.length} per epoch)`);
console.log(
  `model with ${makeModel()
    .parameters()
    .reduce((n, p) => n + p.numel(), 0)} parameters`,
);

// %% [markdown]
// ## The ramp as a scheduler
//
// The rate of batch k (counting from 0) is lr_k = lr_start · (lr_end / lr_start)^(k / (N − 1)),
// from 1e-5 to 10 in N = 100 batches. Two built-in schedulers produce exactly this:
//
// - `LambdaLR(opt, k => q ** k)` multiplies the *initial* rate by a factor you compute
//   from the step count (PyTorch: `lr = base_lr * lr_lambda(last_epoch)`);
// - `ExponentialLR(opt, q)` multiplies the *current* rate by `gamma = q` on each step.
//
// with q = (lr_end / lr_start)^(1 / (N − 1)). The optimizer's own `lr` must be the start
// value, since both schedulers scale the rate the optimizer was created with.

// %%
const [lrStart, lrEnd, N] = [1e-5, 10, 100];
const q = (lrEnd / lrStart) ** (1 / (N - 1));
const S = optim.lr_scheduler;
const viaLambda = lab.preview_schedule((o) => new S.LambdaLR(o, (k) => q ** k), { steps: N, groups: [{ lr: lrStart }] }).group(0);
const viaExponential = lab.preview_schedule((o) => new S.ExponentialLR(o, q), { steps: N, groups: [{ lr: lrStart }] }).group(0);
console.log(`q = ${q}`);
for (const k of [0, 1, 2, 50, 99]) {
  console.log(`batch ${String(k).padStart(3)}:  LambdaLR ${viaLambda[k]!.toExponential(10)}   ExponentialLR ${viaExponential[k]!.toExponential(10)}`);
}
const worst = Math.max(...viaLambda.map((lr, k) => Math.abs(lr - viaExponential[k]!) / lr));
console.log(`largest relative difference over the ${N} batches: ${worst.toExponential(2)}`);

// %% [markdown]
// Both end at 10 and agree to about 1e-15: `LambdaLR` computes 1e-5 · q^k afresh each
// time, `ExponentialLR` multiplies k times, so they round differently in the last bits
// but follow the same curve. `lab.lr_finder` computes lr_start · (lr_end / lr_start)^(k/(N−1))
// directly for each step, as pytorch-lr-finder does; with `step_mode: "linear"` it ramps
// arithmetically instead.
//
// ## Running the test
//
// `lab.lr_finder(model, optimizer, lossFn, loader, options)` runs one optimizer step per
// batch on the ramp, cycling through the shuffled data as often as needed, and records the
// loss of each batch. The batch loss is noisy, so it also keeps a smoothed loss,
// s_k = 0.05 · loss_k + 0.95 · s_(k−1), and it stops once the smoothed loss passes 5 times
// its best: beyond that the network is diverging and the numbers mean nothing.

// %%
const model = makeModel();
const sgd = new optim.SGD(model.parameters(), { lr: lrStart, momentum: 0.9 });
const weightsBefore = model.parameters().map((p) => p.tolist());
console.log("Predict: the test is about to take up to 100 SGD steps with momentum, at rates up to 10,");
console.log("on this very model. Afterwards, will its weights be the ones it has now?");

// %%
const sgdTest = lab.lr_finder(model, sgd, lossFn, loader, { start_lr: lrStart, end_lr: lrEnd, num_iter: N });
const same = model.parameters().every((p, i) => JSON.stringify(p.tolist()) === JSON.stringify(weightsBefore[i]));
console.log(
  `Answer: ${same ? "yes" : "no"}, every weight is exactly what it was; the optimizer has state for ${sgd.state.size} parameters and lr ${sgd.param_groups[0]!.lr}, as before.`,
);
const rise = Math.max(...sgdTest.smoothed.slice(sgdTest.smoothed.indexOf(sgdTest.best_loss))) / sgdTest.best_loss;
console.log(
  `The test ran ${sgdTest.lr.length} steps; ${sgdTest.stop_reason === null ? `it did not stop early: after its minimum the smoothed loss rose to ${rise.toFixed(1)} × its best, short of the 5 × that stops it` : `it stopped: ${sgdTest.stop_reason}`}.`,
);
console.log(sgdTest.toString());

// %% [markdown]
// That is the first thing to trust about a range test: it must not leave the model trained
// at rates up to 10, with momentum buffers pointing wherever the last explosion sent them.
// `lab.lr_finder` saves every parameter, buffer, gradient, module mode, the optimizer's
// groups and state, and the random generators, and puts them back, bit for bit, even if
// the test throws. Training afterwards runs exactly as it would have without the test.
//
// The terminal chart is the smoothed loss, one column per step, with the rate growing to
// the right: flat for the first decades of rate, falling through the middle of the range,
// and blowing up near the end. The usual view is the loss against the rate on a logarithmic
// axis, which `toSVG()` draws with the three suggestions marked:

// %%
showFigure("08_range_test", await sgdTest.toSVG({ title: "Range test, SGD with momentum 0.9 on two moons" }));

// %% [markdown]
// ## Three ways to read a rate off the curve
//
// A single rule is known to be unreliable, so the result carries three, each with its rule
// and the reason to trust it:

// %%
for (const s of Object.values(sgdTest.suggestions)) {
  console.log(`${s.name.padEnd(9)} ${s.lr!.toExponential(2)}  (read at step ${s.point!.step}, smoothed loss ${s.point!.loss.toFixed(3)})`);
  console.log(`          rule: ${s.rule}`);
  console.log(`          why:  ${s.rationale}`);
}

// %% [markdown]
// The three rates span a factor of 50: 0.46, 0.071 and 0.0093. `steepest` is read on the
// way down only; past the minimum the curve is the blow-up, where the loss sometimes falls
// again as the network recovers from a diverged step, and a rule that looked there would
// suggest a rate that does not learn at all (docs/lab/lr_finder.md says where each rule
// comes from and where gradlab's differ from fastai's and pytorch-lr-finder's).
//
// Neither rule is a law; the test only tells you where the useful range lies. So check:
// train from the same initial weights for 15 epochs at each suggestion, at a rate 100 times
// smaller than the smallest, and at the last rate of the ramp, 10.

// %%
/** The fraction of `xs` the model classifies as `ys` says. */
function accuracy(m: nn.Module, xs: Tensor, ys: Tensor): number {
  return no_grad(() => {
    const predicted = (m.forward(xs) as Tensor).argmax(1).tolist() as number[];
    const labels = ys.tolist() as number[];
    return predicted.filter((p, i) => p === labels[i]).length / labels.length;
  });
}
/** Trains a fresh model (the same initial weights every time) and records the validation loss and accuracy after each epoch. */
function train(
  make: () => nn.Module,
  makeOptimizer: (params: Tensor[]) => optim.Optimizer,
  batches: utils.data.DataLoader,
  xs: Tensor,
  ys: Tensor,
  epochs: number,
) {
  const m = make();
  const opt = makeOptimizer(m.parameters());
  const loss: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const [xb, yb] of batches) {
      opt.zero_grad();
      lossFn.forward(m.forward(xb!) as Tensor, yb!).backward();
      opt.step();
    }
    loss.push(no_grad(() => lossFn.forward(m.forward(xs) as Tensor, ys).item()));
  }
  return { loss, accuracy: accuracy(m, xs, ys) };
}
const suggested = Object.values(sgdTest.suggestions).map((s) => ({ name: `${s.name}, lr ${s.lr!.toExponential(1)}`, lr: s.lr! }));
const smallest = Math.min(...suggested.map((s) => s.lr));
const candidates = [
  ...suggested,
  { name: `100x smaller, lr ${(smallest / 100).toExponential(1)}`, lr: smallest / 100 },
  { name: `${sgdTest.diverged ? "where it stopped" : "the ramp's end"}, lr ${sgdTest.lr.at(-1)!.toExponential(1)}`, lr: sgdTest.lr.at(-1)! },
];
console.log("Predict: which of these five rates gives the best validation accuracy after 15 epochs,");
console.log(`and does every suggestion pass 90%? ${candidates.map((c) => c.name).join("; ")}`);

// %%
const runs = candidates.map((c) => ({ ...c, ...train(makeModel, (ps) => new optim.SGD(ps, { lr: c.lr, momentum: 0.9 }), loader, xVal, yVal, 15) }));
console.log("validation loss after epoch          1        5       10       15   validation accuracy");
for (const r of runs) {
  console.log(`${r.name.padEnd(32)} ${[0, 4, 9, 14].map((e) => r.loss[e]!.toFixed(4).padStart(8)).join(" ")}   ${(100 * r.accuracy).toFixed(1)}%`);
}
const best = runs.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
console.log(
  `Answer: the best is ${best.name} (${(100 * best.accuracy).toFixed(1)}%); every suggestion passes 90%: ${runs.slice(0, 3).every((r) => r.accuracy >= 0.9)}.`,
);
showFigure(
  "08_check_choice",
  await lineChart(
    runs.map((r) => ({ name: r.name, x: r.loss.map((_, e) => e + 1), y: r.loss })),
    { title: "Training at the suggested rates, and two others", xlabel: "epoch", ylabel: "validation loss (log scale)", logY: true },
  ),
);

// %% [markdown]
// Every suggestion reaches at least 90% validation accuracy in 15 epochs (the tests in
// test/lab/lr_finder.test.ts hold this claim, and the same for iris below), and the largest
// of them, `steepest`, is best here (98.4%, against 97.7% and 92.2%); the rate 100 times
// smaller has barely started after 15 epochs (71%), and the ramp's last rate jumps around
// and ends at 60%, little better than the 50% of guessing. That is the range
// test's promise: one run of about a hundred batches replaces a grid search over learning
// rates, and the three rules bracket the good range rather than pretending to pin one value.
//
// ## The test belongs to one configuration
//
// The curve depends on the optimizer, so rerun it when you change optimizers. The same
// network with Adam:

// %%
const adamModel = makeModel();
const adamTest = lab.lr_finder(adamModel, new optim.Adam(adamModel.parameters(), { lr: lrStart }), lossFn, loader, {
  start_lr: lrStart,
  end_lr: lrEnd,
  num_iter: N,
});
console.log(`Adam: ${adamTest.lr.length} steps, stopped at lr ${adamTest.lr.at(-1)!.toExponential(2)}: ${adamTest.stop_reason ?? "no"}`);
for (const name of ["steepest", "minimum", "valley"] as const) {
  console.log(
    `${name.padEnd(9)} SGD with momentum ${sgdTest.suggestions[name].lr!.toExponential(2)}   Adam ${adamTest.suggestions[name].lr!.toExponential(2)}`,
  );
}
showFigure(
  "08_range_test_adam",
  await lineChart(
    [
      { name: "SGD, momentum 0.9", x: sgdTest.lr, y: sgdTest.smoothed },
      { name: "Adam", x: adamTest.lr, y: adamTest.smoothed },
    ],
    { title: "Smoothed range-test loss", xlabel: "learning rate (log scale)", ylabel: "smoothed loss", logX: true },
  ),
);

// %% [markdown]
// Adam's loss turns up earlier and passes 5 × its best at a rate of 1.9, where SGD with momentum
// only ever rose to 3 × its best. The rules react differently: `steepest` falls eight-fold
// (Adam's loss drops fastest earlier on the ramp), while `minimum` and `valley` barely move.
// Adam divides each step by a running gradient size, so its learning rate is close to a
// step length in weight space, while SGD's multiplies the raw gradient; on this problem the
// two happen to tolerate similar rates. The batch size changes the curve too; with
// `accumulation_steps` the test sums the gradients of several batches before each step, as
// training with gradient accumulation will.
//
// ## Iris, with Adam
//
// A second data set: the 150 iris flowers, standardised, every fifth one held out.

// %%
const iris = utils.data.load_iris();
const irisX = iris.data.sub(iris.data.mean({ dim: 0, keepdim: true })).div(iris.data.std({ dim: 0, keepdim: true }));
const [irisTrain, irisVal] = [rows(150, (i) => i % 5 !== 0), rows(150, (i) => i % 5 === 0)];
const irisLoader = new utils.data.DataLoader(new utils.data.TensorDataset(irisX.index_select(0, irisTrain), iris.target.index_select(0, irisTrain)), {
  batch_size: 16,
  shuffle: true,
});
const [irisXVal, irisYVal] = [irisX.index_select(0, irisVal), iris.target.index_select(0, irisVal)];
function makeIrisModel(): nn.Sequential {
  manual_seed(1);
  return new nn.Sequential(new nn.Linear(4, 16), new nn.ReLU(), new nn.Linear(16, 3));
}
const irisModel = makeIrisModel();
const irisTest = lab.lr_finder(irisModel, new optim.Adam(irisModel.parameters(), { lr: lrStart }), lossFn, irisLoader, {
  start_lr: lrStart,
  end_lr: lrEnd,
  num_iter: N,
});
console.log(irisTest.toString());

// %%
for (const s of Object.values(irisTest.suggestions)) {
  const r = train(makeIrisModel, (ps) => new optim.Adam(ps, { lr: s.lr! }), irisLoader, irisXVal, irisYVal, 30);
  console.log(`${s.name.padEnd(9)} lr ${s.lr!.toExponential(2)}: ${Math.round(r.accuracy * 30)} of 30 validation flowers after 30 epochs`);
}

// %% [markdown]
// On iris every suggestion classifies at least 28 of the 30 held-out flowers. The chosen rate
// is best read as a *maximum*: schedules such as `OneCycleLR` (tutorial 5) take it as `max_lr`
// and warm up to it, which is how Smith used the test.
