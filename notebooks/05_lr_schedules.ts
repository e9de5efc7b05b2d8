// %% [markdown]
// # 5. Learning-rate schedules
//
// A schedule changes the learning rate as training goes: large early to make progress,
// small late to settle into a minimum, sometimes cycling or warming up. In PyTorch and
// gradlab a scheduler wraps an optimizer and rewrites `param_groups[i].lr`; the training
// loop calls `optimizer.step()` every batch and `scheduler.step()` every epoch (or every
// batch, for CyclicLR and OneCycleLR). This tutorial draws the common schedules.

// %%
import { optim, tensor } from "gradlab";
import { lineChart } from "gradlab/plotting";
import { showFigure } from "./support.ts";

const S = optim.lr_scheduler;
type Scheduler = { step(): void };

/** The lr of a fresh SGD (lr 0.1) before each of `epochs` steps of the standard loop. */
function curve(make: (opt: optim.SGD) => Scheduler, epochs = 100): number[] {
  const w = tensor([0], { requires_grad: true });
  const opt = new optim.SGD([w], { lr: 0.1, momentum: 0.9 });
  const scheduler = make(opt);
  const lrs: number[] = [];
  for (let e = 0; e < epochs; e++) {
    lrs.push(opt.param_groups[0]!.lr);
    opt.step();
    scheduler.step();
  }
  return lrs;
}

const decays: Record<string, number[]> = {
  "StepLR(step_size 30, gamma 0.1)": curve((o) => new S.StepLR(o, 30, { gamma: 0.1 })),
  "MultiStepLR([50, 75], gamma 0.1)": curve((o) => new S.MultiStepLR(o, [50, 75], { gamma: 0.1 })),
  "ExponentialLR(gamma 0.96)": curve((o) => new S.ExponentialLR(o, 0.96)),
  "CosineAnnealingLR(T_max 100)": curve((o) => new S.CosineAnnealingLR(o, 100)),
};
console.log("epoch  " + Object.keys(decays).map((k) => k.split("(")[0]!.padStart(18)).join(""));
for (const e of [0, 10, 29, 30, 50, 75, 99]) {
  console.log(String(e).padStart(5) + "  " + Object.values(decays).map((c) => c[e]!.toExponential(3).padStart(18)).join(""));
}

// %%
const series = (curves: Record<string, number[]>) =>
  Object.entries(curves).map(([name, y]) => ({ name, x: y.map((_, i) => i), y }));
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
const momenta: number[] = [];
const cyclic = curve((o) => {
  const s = new S.CyclicLR(o, 0.01, 0.1, { step_size_up: 20, mode: "triangular2" });
  return { step: () => (s.step(), momenta.push(o.param_groups[0]!.momentum)) };
}, 101);
const oneCycle = curve((o) => new S.OneCycleLR(o, 0.1, { total_steps: 100 }));
console.log(`CyclicLR triangular2 peaks at batches 20, 60, 100: ${[20, 60, 100].map((e) => cyclic[e]!.toFixed(4)).join(", ")}`);
// momenta[k] is the momentum set by the k-th step, used in batch k + 1.
console.log(`CyclicLR momentum at batch 20 (lr peak): ${momenta[19]!.toFixed(3)}, at batch 40 (lr trough): ${momenta[39]!.toFixed(3)}`);
console.log(`OneCycleLR: starts ${oneCycle[0]!.toExponential(3)}, peaks ${Math.max(...oneCycle).toFixed(4)} at step ${oneCycle.indexOf(Math.max(...oneCycle))}, ends ${oneCycle[99]!.toExponential(3)}`);
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
// ## Warmup
//
// Large learning rates in the very first steps can wreck a freshly initialised network
// (Adam's second-moment estimate is still noisy then). A warmup starts small and ramps
// up. LinearLR does it with a linear factor; LambdaLR with any function of the epoch,
// here a linear ramp over 10 epochs followed by an inverse-square-root decay:

// %%
const warmups: Record<string, number[]> = {
  "LinearLR(start_factor 0.1, total_iters 10)": curve((o) => new S.LinearLR(o, { start_factor: 0.1, total_iters: 10 }), 40),
  "LambdaLR(linear warmup, then 1/√epoch)": curve(
    (o) => new S.LambdaLR(o, (e) => (e < 10 ? (e + 1) / 10 : Math.sqrt(10 / (e + 1)))),
    40,
  ),
};
for (const [name, c] of Object.entries(warmups)) console.log(`${name.padEnd(44)} ${[0, 5, 9, 10, 39].map((e) => c[e]!.toFixed(4)).join("  ")}`);
showFigure("05_warmup", await lineChart(series(warmups), { title: "Warmup schedules", xlabel: "epoch", ylabel: "learning rate" }));

// %% [markdown]
// The columns are epochs 0, 5, 9, 10 and 39. LinearLR reaches the full 0.1 at epoch 10
// and stays there; the LambdaLR ramp reaches it at epoch 9 and then decays. Combining a
// warmup with another schedule is the subject of the next tutorial.
