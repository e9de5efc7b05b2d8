// %% [markdown]
// # 5. Learning-rate schedules
//
// A schedule changes the learning rate as training goes: large early to make progress,
// small late to settle into a minimum, sometimes cycling or warming up. In PyTorch and
// gradlab a scheduler wraps an optimizer and rewrites `param_groups[i].lr`; the training
// loop calls `optimizer.step()` every batch and `scheduler.step()` every epoch (or every
// batch, for CyclicLR and OneCycleLR). This tutorial draws the common schedules.

// %%
import { lab, manual_seed, optim, utils, zeros } from "gradlab";
import { lineChart } from "gradlab/plotting";
import { showFigure } from "./support.ts";

const S = optim.lr_scheduler;

/**
 * The lr of SGD (lr 0.1, momentum 0.9) before each of `epochs` steps of the standard loop:
 * lab.preview_schedule runs the real scheduler on a throwaway optimizer and records it.
 */
const curve = (make: (opt: optim.Optimizer) => optim.lr_scheduler.LRScheduler, epochs = 100): number[] =>
  lab.preview_schedule(make, { steps: epochs, groups: [{ lr: 0.1, momentum: 0.9 }] }).group(0);

const decays: Record<string, number[]> = {
  "StepLR(step_size 30, gamma 0.1)": curve((o) => new S.StepLR(o, 30, { gamma: 0.1 })),
  "MultiStepLR([50, 75], gamma 0.1)": curve((o) => new S.MultiStepLR(o, [50, 75], { gamma: 0.1 })),
  "ExponentialLR(gamma 0.96)": curve((o) => new S.ExponentialLR(o, 0.96)),
  "CosineAnnealingLR(T_max 100)": curve((o) => new S.CosineAnnealingLR(o, 100)),
};
console.log(
  "epoch  " +
    Object.keys(decays)
      .map((k) => k.split("(")[0]!.padStart(18))
      .join(""),
);
for (const e of [0, 10, 29, 30, 50, 75, 99]) {
  console.log(
    String(e).padStart(5) +
      "  " +
      Object.values(decays)
        .map((c) => c[e]!.toExponential(3).padStart(18))
        .join(""),
  );
}

// %%
const series = (curves: Record<string, number[]>) => Object.entries(curves).map(([name, y]) => ({ name, x: y.map((_, i) => i), y }));
showFigure("05_decays", await lineChart(series(decays), { title: "Decay schedules, SGD lr 0.1", xlabel: "epoch", ylabel: "learning rate" }));

// %% [markdown]
// StepLR and MultiStepLR cut the rate in stairs (epoch 29 still uses 0.1, epoch 30 uses
// 0.01); ExponentialLR decays by a constant factor every epoch; cosine annealing falls
// slowly at first, fastest in the middle and slowly again near the end.
//
// ## Cyclic schedules
//
// CyclicLR moves the rate between a base and a maximum, once per `2·step_size_up`
// batches; with `cycle_momentum` it moves SGD's momentum the opposite way.
// OneCycleLR makes one cycle over the whole run: a warmup to `max_lr`, then a long
// anneal far below the start. Both step once per batch.

// %%
const cyclicPreview = lab.preview_schedule((o) => new S.CyclicLR(o, 0.01, 0.1, { step_size_up: 20, mode: "triangular2" }), {
  steps: 101,
  groups: [{ lr: 0.1, momentum: 0.9 }],
});
const cyclic = cyclicPreview.group(0);
const momenta = cyclicPreview.group(0, "momentum");
const oneCycle = curve((o) => new S.OneCycleLR(o, 0.1, { total_steps: 100 }));
console.log(`CyclicLR triangular2 peaks at batches 20, 60, 100: ${[20, 60, 100].map((e) => cyclic[e]!.toFixed(4)).join(", ")}`);
console.log(`CyclicLR momentum at batch 20 (lr peak): ${momenta[20]!.toFixed(3)}, at batch 40 (lr trough): ${momenta[40]!.toFixed(3)}`);
console.log(
  `OneCycleLR: starts ${oneCycle[0]!.toExponential(3)}, peaks ${Math.max(...oneCycle).toFixed(4)} at step ${oneCycle.indexOf(Math.max(...oneCycle))}, ends ${oneCycle[99]!.toExponential(3)}`,
);
showFigure(
  "05_cyclic",
  await lineChart(series({ "CyclicLR(0.01, 0.1, triangular2)": cyclic, "OneCycleLR(max_lr 0.1, 100 steps)": oneCycle }), {
    title: "Cyclic schedules (per batch)",
    xlabel: "batch",
    ylabel: "learning rate",
  }),
);

// %% [markdown]
// The CyclicLR peaks rise 0.09, 0.045 and 0.0225 above the base: triangular2 halves the
// amplitude each cycle, and the momentum is lowest where the rate is highest.
// OneCycleLR warms up for 30% of the run from max_lr/25 and ends at max_lr/(25·10⁴).
//
// ## CyclicLR gives plain SGD momentum
//
// `cycle_momentum` is on by default. On SGD, CyclicLR writes each group's `momentum`: 0.9
// (`max_momentum`) when it is made and at every trough of the rate, 0.8 (`base_momentum`)
// at every peak. PyTorch does the same. So an `SGD(params, { lr })` made *without*
// momentum trains with momentum as soon as a CyclicLR wraps it.

// %%
console.log("Predict: SGD is made with { lr: 0.1 } only, so its momentum is 0. Wrapped in");
console.log("CyclicLR(0.01, 0.1, step_size_up 10), what momentum does its 11th step (batch 10, the lr peak) use,");
console.log("and does the training differ from CyclicLR with cycle_momentum: false?");

// %%
const plain = lab.preview_schedule((o) => new S.CyclicLR(o, 0.01, 0.1, { step_size_up: 10 }), { steps: 41 });
const plainMomentum = plain.group(0, "momentum");
console.log(
  `made with momentum 0; under CyclicLR the momentum is ${plainMomentum[0]} at batch 0, ${plainMomentum[10]!.toFixed(3)} at batch 10 (lr ${plain.group(0)[10]}), ${plainMomentum[20]!.toFixed(3)} at batch 20`,
);
// The same fit as tutorial 02 (linear regression, MSE), 40 batches, with and without the cycled momentum.
manual_seed(1);
const [X, y] = utils.data.make_regression({ n_samples: 64, n_features: 3, noise: 0.1, bias: 0.5, dtype: "float64" });
function fit(cycle_momentum: boolean): { loss: number; momentum: number } {
  const w = zeros(3, { dtype: "float64", requires_grad: true });
  const b = zeros(1, { dtype: "float64", requires_grad: true });
  const sgd = new optim.SGD([w, b], { lr: 0.1 });
  const scheduler = new S.CyclicLR(sgd, 0.01, 0.1, { step_size_up: 10, cycle_momentum });
  let loss = 0;
  for (let step = 0; step < 40; step++) {
    sgd.zero_grad();
    const l = X.matmul(w).add(b).sub(y).pow(2).mean();
    loss = l.item();
    l.backward();
    sgd.step();
    scheduler.step();
  }
  return { loss, momentum: sgd.param_groups[0]!.momentum };
}
const cycled = fit(true);
const kept = fit(false);
console.log(
  `after 40 batches: loss ${cycled.loss.toExponential(3)} with the default (momentum now ${cycled.momentum}), ${kept.loss.toExponential(3)} with cycle_momentum: false (momentum ${kept.momentum})`,
);
showFigure("05_cyclic_momentum", await plain.toSVG({ title: "CyclicLR on SGD(lr 0.1): the momentum it writes", quantity: "momentum", xlabel: "batch" }));

// %% [markdown]
// The answer: 0.8 at the peak, and yes. The optimizer was made with momentum 0, yet from
// the first batch it uses 0.9, then 0.8 at each peak of the rate and 0.9 again at each
// trough. The two runs differ: after 40 batches the loss is 0.0132 with the default and
// 0.0167 with `cycle_momentum: false`, which stays plain SGD. Here the unasked-for momentum
// happens to help, but it is not what the code says; if you want plain SGD under a cyclic
// rate, pass `cycle_momentum: false`. (The tests check CyclicLR's lr and momentum on a
// plain SGD against PyTorch's, with step_size_up 5: test/lab/preview_schedule.test.ts.)
//
// ## Warmup
//
// Large learning rates in the very first steps can wreck a freshly initialised network
// (Adam's second-moment estimate is still noisy then). A warmup starts small and ramps
// up. LinearLR does it with a linear factor; LambdaLR with any function of the epoch,
// here a linear ramp over 10 epochs followed by an inverse-square-root decay:

// %%
const warmups: Record<string, number[]> = {
  "LinearLR(start_factor 0.1, total_iters 10)": curve((o) => new S.LinearLR(o, { start_factor: 0.1, total_iters: 10 }), 40),
  "LambdaLR(linear warmup, then 1/√epoch)": curve((o) => new S.LambdaLR(o, (e) => (e < 10 ? (e + 1) / 10 : Math.sqrt(10 / (e + 1)))), 40),
};
for (const [name, c] of Object.entries(warmups)) console.log(`${name.padEnd(44)} ${[0, 5, 9, 10, 39].map((e) => c[e]!.toFixed(4)).join("  ")}`);
showFigure("05_warmup", await lineChart(series(warmups), { title: "Warmup schedules", xlabel: "epoch", ylabel: "learning rate" }));

// %% [markdown]
// The columns are epochs 0, 5, 9, 10 and 39. LinearLR reaches the full 0.1 at epoch 10
// and stays there; the LambdaLR ramp reaches it at epoch 9 and then decays.
//
// ## Warm-up every batch, decay every epoch
//
// A very common recipe warms up over the first few hundred *batches* and decays once per
// *epoch*. Two schedulers on one optimizer, stepped at two cadences:
//
// ```ts
// const warmup = new S.LinearLR(opt, { start_factor: 0.1, total_iters: 8 }); // 8 batches
// const decay = new S.ExponentialLR(opt, 0.5);
// for (let epoch = 0; epoch < epochs; epoch++) {
//   for (const batch of loader) { train(batch); opt.step(); warmup.step(); }
//   decay.step();
// }
// ```
//
// Both are chainable (each multiplies the group's current rate), so their factors
// multiply. `lab.preview_schedule` takes the two as `{ per_batch, per_epoch }`; here with
// 4 batches per epoch, so the warm-up spans epochs 0 and 1:

// %%
const warmupThenDecay = (decayFrom: number) =>
  lab
    .preview_schedule(
      (o) => {
        const warmup = new S.LinearLR(o, { start_factor: 0.1, total_iters: 8 });
        const decay = new S.ExponentialLR(o, 0.5);
        let epoch = 0;
        return { per_batch: warmup, per_epoch: { step: () => (epoch++ >= decayFrom ? decay.step() : undefined) } };
      },
      { steps: 24, steps_per_epoch: 4 },
    )
    .group(0);
const fromStart = warmupThenDecay(0);
const afterWarmup = warmupThenDecay(2);
const row = (c: number[]) => c.map((v) => v.toFixed(4)).join(" ");
console.log(`decay from epoch 0:         ${row(fromStart.slice(0, 12))} …  peak ${Math.max(...fromStart).toFixed(4)}`);
console.log(`decay after the warm-up:    ${row(afterWarmup.slice(0, 12))} …  peak ${Math.max(...afterWarmup).toFixed(4)}`);
showFigure(
  "05_warmup_per_batch",
  await lineChart(series({ "LinearLR per batch × ExponentialLR(0.5) per epoch": fromStart, "the same, decay only after the warm-up": afterWarmup }), {
    title: "Warm-up over 8 batches, decay per epoch (4 batches per epoch)",
    xlabel: "batch",
    ylabel: "learning rate",
  }),
);

// %% [markdown]
// Decaying from the first epoch cuts the warm-up short: the decay at the end of epoch 0
// halves the rate while the warm-up is still raising it, so the run never reaches 0.1
// (its peak is 0.0444). Start the per-epoch decay after the warm-up's last epoch (here:
// skip its `step()` for epochs 0 and 1) and the rate climbs to the full 0.1 for epoch 2,
// then halves every epoch. PyTorch computes both curves the same way (the tests check them
// against it). Combining schedules with `SequentialLR` and `ChainedScheduler` is the
// subject of the next tutorial.
