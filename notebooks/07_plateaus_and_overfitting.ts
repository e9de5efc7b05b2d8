// %% [markdown]
// # 7. Plateaus and overfitting
//
// With few training examples and a large model, the training loss keeps falling while
// the loss on held-out data turns up: the model memorises noise. This tutorial watches
// a validation split and uses three tools: weight decay (AdamW), ReduceLROnPlateau, and
// early stopping that restores the best weights.

// %%
import { manual_seed, nn, no_grad, optim, utils, type Tensor } from "gradlab";
import { lineChart } from "gradlab/plotting";
import { progressBar, showFigure } from "./support.ts";

manual_seed(7);
const [xAll, yAll] = utils.data.make_moons({ n_samples: 300, noise: 0.35 });
const xTrain = xAll.narrow(0, 0, 60);
const yTrain = yAll.narrow(0, 0, 60);
const xVal = xAll.narrow(0, 60, 240);
const yVal = yAll.narrow(0, 60, 240);
console.log(`train ${xTrain.shape[0]} points, validation ${xVal.shape[0]} points, label noise from noise=0.35`);

const lossFn = new nn.CrossEntropyLoss();
const makeModel = () => new nn.Sequential(new nn.Linear(2, 64), new nn.ReLU(), new nn.Linear(64, 64), new nn.ReLU(), new nn.Linear(64, 2));
const evaluate = (model: { forward(x: Tensor): Tensor }, x: Tensor, y: Tensor) =>
  no_grad(() => {
    const logits = model.forward(x);
    return { loss: lossFn.forward(logits, y).item(), accuracy: logits.argmax({ dim: 1 }).eq(y).sum().item() / y.shape[0]! };
  });

interface Run {
  train: number[];
  val: number[];
  lrs: number[];
  model: nn.Sequential;
}
function fit(weight_decay: number, plateau: boolean, epochs = 300): Run {
  manual_seed(11);
  const model = makeModel();
  const opt = new optim.AdamW(model.parameters(), { lr: 0.01, weight_decay });
  const scheduler = plateau ? new optim.lr_scheduler.ReduceLROnPlateau(opt, { factor: 0.5, patience: 10 }) : null;
  const run: Run = { train: [], val: [], lrs: [], model };
  const bar = progressBar(epochs, `weight_decay ${weight_decay}`); // drawn on stderr, in a terminal only
  for (let e = 0; e < epochs; e++) {
    opt.zero_grad();
    const loss = lossFn.forward(model.forward(xTrain), yTrain);
    loss.backward();
    opt.step();
    run.train.push(loss.item());
    const val = evaluate(model, xVal, yVal).loss;
    run.val.push(val);
    run.lrs.push(opt.param_groups[0]!.lr);
    scheduler?.step(val);
    bar.update(e + 1, { "val loss": val });
  }
  bar.stop();
  return run;
}

// %% [markdown]
// ## Overfitting, and weight decay
//
// Full-batch AdamW for 300 epochs, with almost no weight decay and with a strong one:

// %%
const weak = fit(1e-4, false);
const strong = fit(0.5, false);
const report = (name: string, r: Run) => {
  const best = r.val.indexOf(Math.min(...r.val));
  console.log(
    `${name.padEnd(22)} train loss ${r.train.at(-1)!.toFixed(4)}   val loss ${r.val.at(-1)!.toFixed(4)} (best ${r.val[best]!.toFixed(4)} at epoch ${best})   val accuracy ${(100 * evaluate(r.model, xVal, yVal).accuracy).toFixed(1)}%`,
  );
};
report("weight_decay 1e-4", weak);
report("weight_decay 0.5", strong);
showFigure(
  "07_overfitting",
  await lineChart(
    [
      { name: "train, wd 1e-4", x: weak.train.map((_, i) => i), y: weak.train },
      { name: "validation, wd 1e-4", x: weak.val.map((_, i) => i), y: weak.val },
      { name: "train, wd 0.5", x: strong.train.map((_, i) => i), y: strong.train },
      { name: "validation, wd 0.5", x: strong.val.map((_, i) => i), y: strong.val },
    ],
    { title: "Training and validation loss", xlabel: "epoch", ylabel: "cross-entropy (log scale)", logY: true },
  ),
);

// %% [markdown]
// With almost no decay the model drives its training loss to 0.005 while the validation
// loss, best at epoch 26 (0.325), climbs to 1.69: after epoch 26 it is learning the noise
// of 60 points. Strong decoupled decay keeps the weights small; the validation loss still
// rises after epoch 27, but only to 0.60, and validation accuracy ends 2.9 points higher.
//
// ## ReduceLROnPlateau
//
// ReduceLROnPlateau watches the validation loss passed to `step(metric)` and halves the
// rate after 10 epochs without an improvement of more than 0.01% (its default relative
// threshold):

// %%
const plateau = fit(1e-4, true);
report("wd 1e-4 + plateau", plateau);
const drops = plateau.lrs.flatMap((lr, e) => (e > 0 && lr < plateau.lrs[e - 1]! ? [`epoch ${e}: ${lr}`] : []));
console.log(`lr reductions: ${drops.slice(0, 6).join(", ")}${drops.length > 6 ? ", …" : ""}`);

// %% [markdown]
// The validation loss stops improving after epoch 26, so from epoch 38 the rate halves
// every 11 epochs (10 of patience plus the step that notices). Learning slows to a crawl
// before the model has memorised much: validation loss ends at 0.45 instead of 1.69.
//
// ## Early stopping
//
// Early stopping keeps the weights from the epoch with the best validation loss and stops
// after `patience` epochs without improvement. `state_dict()` copies are the checkpoint:

// %%
manual_seed(11);
const model = makeModel();
const opt = new optim.AdamW(model.parameters(), { lr: 0.01, weight_decay: 1e-4 });
const patience = 25;
let best = { loss: Infinity, epoch: -1, state: model.state_dict() };
let epoch = 0;
for (; epoch < 300; epoch++) {
  opt.zero_grad();
  lossFn.forward(model.forward(xTrain), yTrain).backward();
  opt.step();
  const { loss } = evaluate(model, xVal, yVal);
  if (loss < best.loss) {
    const state = Object.fromEntries(Object.entries(model.state_dict()).map(([k, v]) => [k, v.clone()]));
    best = { loss, epoch, state };
  } else if (epoch - best.epoch >= patience) break;
}
model.load_state_dict(best.state);
console.log(`stopped at epoch ${epoch}; restored epoch ${best.epoch} with validation loss ${best.loss.toFixed(4)}`);
console.log(`restored model: validation accuracy ${(100 * evaluate(model, xVal, yVal).accuracy).toFixed(1)}%`);

// %% [markdown]
// Early stopping ran 25 epochs past the best one, gave up, and restored the epoch-26
// weights: the best validation accuracy of the four runs, with no tuning of the decay.
// The three tools combine well: decay to prefer simple models, a plateau schedule to
// settle, early stopping as a safety net.
