// %% [markdown]
// # 13. Averaging weights: SWA and EMA with `optim.swa_utils`
//
// Late in training, SGD bounces around a wide region of low loss instead of settling at
// one point. Two cheap tricks exploit that, without changing the optimizer:
//
// - **Stochastic Weight Averaging** (SWA, Izmailov et al. 2018): keep training with a
//   constant or cyclic learning rate and average the weights visited, once per epoch,
//   with equal weights. The average sits nearer the centre of the region, which tends
//   to generalise better than any single iterate.
// - **Exponential Moving Average** (EMA): after every step, move a shadow copy of the
//   weights a small fraction toward the current ones,
//   ema ← ema + (1 − decay)·(θ − ema). It smooths out the last steps' noise.
//
// PyTorch's `torch.optim.swa_utils` provides both around one class, `AveragedModel`,
// plus `SWALR` (the learning-rate schedule for the SWA phase) and `update_bn`
// (recompute BatchNorm statistics for averaged weights). gradlab has the same four.

// %%
import { Generator, manual_seed, nn, no_grad, optim, utils, type Tensor } from "gradlab";
import { lineChart } from "gradlab/plotting";
import { progressBar, showFigure } from "./support.ts";

manual_seed(0);
const [x, y] = utils.data.make_moons({ n_samples: 500, noise: 0.3 });
const order = utils.data.randperm(500, new Generator().manual_seed(1));
const [xTrain, yTrain] = [x.index_select(0, order.slice(0, 300)), y.index_select(0, order.slice(0, 300))];
const [xVal, yVal] = [x.index_select(0, order.slice(300)), y.index_select(0, order.slice(300))];
const loader = new utils.data.DataLoader(new utils.data.TensorDataset(xTrain, yTrain), { batch_size: 20, shuffle: true });
console.log(`two moons with noise 0.3: ${xTrain.shape[0]} training and ${xVal.shape[0]} validation points`);

// %% [markdown]
// The model has a `BatchNorm1d` layer on purpose: its running mean and variance are
// buffers, not parameters, and averaging the weights leaves them describing a network
// that no longer exists. That is the problem `update_bn` solves.
//
// The plan, as in PyTorch's SWA recipe:
//
// 1. epochs 1–30: SGD with momentum at lr 0.1;
// 2. epochs 31–50: `SWALR` anneals the rate to `swa_lr` = 0.05 over 5 epochs and holds
//    it; after each epoch `swa_model.update_parameters(model)` adds the weights to the
//    average;
// 3. throughout, an EMA model (decay 0.99, buffers averaged too) is updated after every
//    step;
// 4. at the end, `update_bn(loader, swa_model)` recomputes the SWA model's statistics.

// %%
manual_seed(2);
const model = new nn.Sequential(new nn.Linear(2, 64), new nn.BatchNorm1d(64), new nn.ReLU(), new nn.Linear(64, 64), new nn.ReLU(), new nn.Linear(64, 2));
const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
const swa_model = new optim.swa_utils.AveragedModel(model);
const ema_model = new optim.swa_utils.AveragedModel(model, {
  multi_avg_fn: optim.swa_utils.get_ema_multi_avg_fn(0.99),
  use_buffers: true,
});
const swa_start = 30;
const epochs = 50;
const swa_scheduler = new optim.swa_utils.SWALR(opt, 0.05, { anneal_epochs: 5, anneal_strategy: "cos" });
const lossFn = new nn.CrossEntropyLoss();
console.log(`after construction: lr ${opt.param_groups[0]!.lr}, swa_lr ${opt.param_groups[0]!.swa_lr}, swa_model.n_averaged ${swa_model.n_averaged.item()}`);

// %% [markdown]
// Note that creating `SWALR` right away is harmless: it only changes the learning rate
// when stepped (its first step, in the constructor, keeps lr 0.1). `AveragedModel` deep
// copies the model, so the averages live in their own tensors.
//
// To check the averages afterwards, the loop also keeps the first layer's weight at
// every SWA update, and one EMA weight computed by hand.

// %%
function evaluate(net: nn.Module): { loss: number; acc: number } {
  net.eval();
  const result = no_grad(() => {
    const logits = net.forward(xVal) as Tensor;
    const predicted = logits.argmax({ dim: 1 }).toTypedArray();
    const truth = yVal.toTypedArray();
    return { loss: lossFn.forward(logits, yVal).item(), acc: predicted.filter((p, i) => p === truth[i]).length / truth.length };
  });
  net.train();
  return result;
}
const firstWeight = (net: nn.Module): number[] => Array.from(net.parameters()[0]!.toTypedArray());
const snapshots: number[][] = [];
let emaByHand: number | null = null; // element 0 of the first weight, float64 arithmetic
const lrs: number[] = [];
const curves = { model: [] as number[], ema: [] as number[] };
const bar = progressBar(epochs, "SWA and EMA"); // drawn on stderr, in a terminal only
for (let epoch = 1; epoch <= epochs; epoch++) {
  bar.update(epoch);
  for (const [xb, yb] of loader) {
    opt.zero_grad();
    lossFn.forward(model.forward(xb!), yb!).backward();
    opt.step();
    ema_model.update_parameters(model);
    const w = firstWeight(model)[0]!;
    emaByHand = emaByHand === null ? w : emaByHand + (1 - 0.99) * (w - emaByHand); // the first update copies
  }
  lrs.push(opt.param_groups[0]!.lr);
  if (epoch > swa_start) {
    swa_model.update_parameters(model);
    snapshots.push(firstWeight(model));
    swa_scheduler.step();
  }
  curves.model.push(evaluate(model).loss);
  curves.ema.push(evaluate(ema_model).loss);
}
bar.stop();
console.log(`learning rate used in epoch: ${[1, 30, 31, 32, 33, 34, 35, 36, 37, 50].map((e) => `${e}: ${lrs[e - 1]!.toFixed(4)}`).join(", ")}`);
console.log(`swa_model.n_averaged ${swa_model.n_averaged.item()}, ema_model.n_averaged ${ema_model.n_averaged.item()}`);

// %% [markdown]
// The rate stays at 0.1 through epoch 31 (the first SWA epoch trains at the old rate;
// `SWALR` is stepped at its end), then follows a half cosine down to 0.05 over five
// epochs and holds there. The SWA model averaged 20 snapshots (epochs 31 to 50); the
// EMA model was updated after all 750 steps (15 batches × 50 epochs).
//
// ## Are the averages what they claim?
//
// SWA's average should equal the plain mean of the 20 snapshots; the EMA weight should
// equal the recurrence computed by hand in float64. Both are float32 tensors, so they
// agree to float32 rounding, about 1e-7 relative:

// %%
const mean = snapshots[0]!.map((_, i) => snapshots.reduce((s, snap) => s + snap[i]!, 0) / snapshots.length);
const swaWeight = firstWeight(swa_model.module);
const swaError = Math.max(...mean.map((m, i) => Math.abs(swaWeight[i]! - m) / Math.max(Math.abs(m), 1e-3)));
console.log(`SWA: first-layer weight vs mean of ${snapshots.length} snapshots, largest relative difference ${swaError.toExponential(2)}`);
const emaWeight = firstWeight(ema_model.module)[0]!;
const emaError = Math.abs(emaWeight - emaByHand!) / Math.abs(emaByHand!);
console.log(`EMA: element 0 = ${emaWeight.toPrecision(8)}, by hand ${emaByHand!.toPrecision(8)}, relative difference ${emaError.toExponential(2)}`);

// %% [markdown]
// Both match to float32 precision (a few units of 1e-7). As in PyTorch, the first
// `update_parameters` call copies the weights (`n_averaged` = 0 means "start from the
// model") and only later calls apply the averaging formula; the hand recurrence does the
// same.
//
// ## BatchNorm after averaging
//
// The SWA model copied the BatchNorm running statistics from `model` on each update
// (`use_buffers` is false by default), so they describe the last iterate, not the
// averaged weights. Compare the SWA model before and after `update_bn`, which resets the
// statistics and recomputes them with one pass over the training data:

// %%
const before = evaluate(swa_model);
const bn = swa_model.module.get_submodule("1") as nn.BatchNorm1d;
const meanBefore = Array.from(bn.running_mean!.toTypedArray()).slice(0, 3);
optim.swa_utils.update_bn(loader, swa_model);
const after = evaluate(swa_model);
const meanAfter = Array.from(bn.running_mean!.toTypedArray()).slice(0, 3);
console.log(`running_mean[0:3] before update_bn: ${meanBefore.map((v) => v.toFixed(4)).join(", ")}`);
console.log(`running_mean[0:3] after update_bn:  ${meanAfter.map((v) => v.toFixed(4)).join(", ")}`);
console.log(`SWA model validation loss: before update_bn ${before.loss.toFixed(4)}, after ${after.loss.toFixed(4)}`);

// %% [markdown]
// The running means change once they are computed for the averaged weights, and the
// validation loss changes with them, here only slightly (0.2429 to 0.2415, since the
// weights moved little during the SWA phase at lr 0.05); with larger rates and longer
// averaging the mismatch grows. Evaluating an averaged BatchNorm model without
// `update_bn` measures a mismatched network. (The EMA model here averages its buffers
// too, `use_buffers: true`, so its statistics follow the averaged weights as it goes;
// PyTorch's docs recommend that for EMA.)
//
// ## The verdict on held-out data

// %%
const final = { "last SGD iterate": evaluate(model), "SWA (after update_bn)": evaluate(swa_model), "EMA, decay 0.99": evaluate(ema_model) };
console.log("model                    validation loss   validation accuracy");
for (const [name, r] of Object.entries(final)) console.log(`${name.padEnd(24)} ${r.loss.toFixed(4).padStart(15)}   ${(100 * r.acc).toFixed(1).padStart(18)}%`);
const lastTen = (a: number[]): number[] => a.slice(-10);
const spread = (a: number[]): string => `${Math.min(...a).toFixed(4)} to ${Math.max(...a).toFixed(4)}`;
console.log(`validation loss over the last 10 epochs: SGD iterate ${spread(lastTen(curves.model))}, EMA ${spread(lastTen(curves.ema))}`);
showFigure(
  "13_swa_ema",
  await lineChart(
    [
      { name: "SGD iterate", x: curves.model.map((_, e) => e + 1), y: curves.model },
      { name: "EMA (decay 0.99)", x: curves.ema.map((_, e) => e + 1), y: curves.ema },
      { name: "SWA final (after update_bn)", x: [swa_start + 1, epochs], y: [final["SWA (after update_bn)"].loss, final["SWA (after update_bn)"].loss] },
    ],
    { title: "Validation loss: iterate, EMA and SWA", xlabel: "epoch", ylabel: "cross-entropy" },
  ),
);

// %% [markdown]
// Both averages end with a lower validation loss than the last iterate (0.2415 and
// 0.2386 against 0.2516) and one or two more correct points out of 200. Over the last
// ten epochs the iterate's validation loss ranged over 0.028 (0.2338 to 0.2615), the
// EMA's over 0.007: each EMA weight is a weighted average over roughly the last
// 1/(1 − 0.99) = 100 steps, so the epoch-to-epoch noise is smoothed out. Note the
// iterate's best epoch was lower than either average: an average removes the luck of
// where training stops, in both directions. On a problem this small the differences are
// about 0.01 of loss, and whether an average beats the last iterate depends on the run;
// the benefit reported in the SWA paper is for large networks trained with high
// constant or cyclic rates, where the iterates wander far more.
//
// The recipe in PyTorch and here is the same handful of lines: `AveragedModel(model)`,
// `update_parameters(model)` at your chosen cadence, `SWALR` for the rate, and
// `update_bn` before using an averaged model that has BatchNorm layers.
