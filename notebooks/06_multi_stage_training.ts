// %% [markdown]
// # 6. Multi-stage training
//
// Real training recipes chain stages: warm up, then decay; train with Adam, then
// fine-tune with SGD; give a pretrained body a smaller rate than a fresh head. This
// tutorial builds each with the library's parts.
//
// ## SequentialLR: one scheduler after another
//
// `SequentialLR` hands control from one scheduler to the next at milestone epochs.
// Each scheduler counts its own epochs from when it takes over.

// %%
import { manual_seed, nn, no_grad, optim, tensor, utils } from "gradlab";
import { lineChart } from "gradlab/plotting";
import { showFigure } from "./support.ts";

const S = optim.lr_scheduler;
function lrs(opt: optim.Optimizer, scheduler: { step(): void }, epochs: number): number[][] {
  const out: number[][] = [];
  for (let e = 0; e < epochs; e++) {
    out.push(opt.param_groups.map((g) => g.lr));
    opt.step();
    scheduler.step();
  }
  return out;
}
const w = tensor([0], { requires_grad: true });
const sgd = new optim.SGD([w], { lr: 0.1 });
const warmupThenCosine = new S.SequentialLR(
  sgd,
  [new S.LinearLR(sgd, { start_factor: 0.01, total_iters: 5 }), new S.CosineAnnealingLR(sgd, 25)],
  [5],
);
const sequential = lrs(sgd, warmupThenCosine, 30).map((r) => r[0]!);
console.log(`epochs 0-6:   ${sequential.slice(0, 7).map((x) => x.toFixed(4)).join(" ")}`);
console.log(`epochs 27-29: ${sequential.slice(27).map((x) => x.toExponential(2)).join(" ")}`);

// %% [markdown]
// The warmup rises from 0.001 to 0.1; at epoch 5 the cosine takes over from its own
// epoch 0, at the full rate, and anneals towards zero over its 25 epochs.
//
// ## ChainedScheduler: several schedulers at once
//
// `ChainedScheduler` steps all its schedulers at every epoch, so their factors multiply:
// here a constant warmup factor for 4 epochs times an exponential decay.

// %%
const w2 = tensor([0], { requires_grad: true });
const sgd2 = new optim.SGD([w2], { lr: 0.1 });
const chained = new S.ChainedScheduler([
  new S.ConstantLR(sgd2, { factor: 0.1, total_iters: 4 }),
  new S.ExponentialLR(sgd2, 0.9),
]);
const chainedLrs = lrs(sgd2, chained, 30).map((r) => r[0]!);
console.log(`epochs 0-6: ${chainedLrs.slice(0, 7).map((x) => x.toFixed(5)).join(" ")}`);
console.log(`check: epoch 3 = 0.1·0.1·0.9³ = ${(0.1 * 0.1 * 0.9 ** 3).toFixed(5)}, epoch 4 = 0.1·0.9⁴ = ${(0.1 * 0.9 ** 4).toFixed(5)}`);
showFigure(
  "06_combined",
  await lineChart(
    [
      { name: "SequentialLR(LinearLR → CosineAnnealingLR)", x: sequential.map((_, i) => i), y: sequential },
      { name: "ChainedScheduler(ConstantLR × ExponentialLR)", x: chainedLrs.map((_, i) => i), y: chainedLrs },
    ],
    { title: "Combining schedulers", xlabel: "epoch", ylabel: "learning rate" },
  ),
);

// %% [markdown]
// ## Param groups with different learning rates
//
// A common fine-tuning recipe: the body of a network (pretend it is pretrained) learns
// slowly, the new head quickly. Each param group carries its own lr, and a scheduler
// scales every group from its own initial rate:

// %%
manual_seed(3);
const body = new nn.Sequential(new nn.Linear(2, 16), new nn.Tanh());
const head = new nn.Linear(16, 2);
const adam = new optim.Adam([
  { params: body.parameters(), lr: 1e-3 },
  { params: head.parameters() },
], { lr: 1e-2 });
const step = new S.StepLR(adam, 10, { gamma: 0.5 });
const groupLrs = lrs(adam, step, 21);
console.log(`epoch 0:  body ${groupLrs[0]![0]}, head ${groupLrs[0]![1]}`);
console.log(`epoch 20: body ${groupLrs[20]![0]}, head ${groupLrs[20]![1]}`);

// %% [markdown]
// ## Switching optimizers between stages
//
// Adam makes fast early progress; some recipes finish with SGD. Switching is just
// creating a new optimizer over the same parameters (the model's weights carry over,
// the optimizer state does not). Two stages on the two-moons data:

// %%
manual_seed(0);
const [x, y] = utils.data.make_moons({ n_samples: 200, noise: 0.15 });
const model = new nn.Sequential(new nn.Linear(2, 32), new nn.Tanh(), new nn.Linear(32, 2));
const lossFn = new nn.CrossEntropyLoss();
const loader = new utils.data.DataLoader(new utils.data.TensorDataset(x, y), { batch_size: 40, shuffle: true });
const accuracy = (): number =>
  no_grad(() => model.forward(x).argmax({ dim: 1 }).eq(y).sum().item() / 200);
function train(opt: optim.Optimizer, epochs: number, label: string, losses: number[]): void {
  for (let e = 0; e < epochs; e++) {
    let total = 0;
    for (const [xb, yb] of loader) {
      opt.zero_grad();
      const loss = lossFn.forward(model.forward(xb!), yb!);
      loss.backward();
      opt.step();
      total += loss.item() * xb!.shape[0]!;
    }
    losses.push(total / 200);
  }
  console.log(`${label}: loss ${losses.at(-1)!.toFixed(4)}, accuracy ${(100 * accuracy()).toFixed(1)}%`);
}
const history: number[] = [];
train(new optim.Adam(model.parameters(), { lr: 0.02 }), 30, "after 30 epochs of Adam     ", history);
train(new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 }), 30, "after 30 more epochs of SGD ", history);
console.log(`loss in epochs 28-33 (the switch is after 30): ${history.slice(27, 33).map((l) => l.toFixed(4)).join(" ")}`);
showFigure(
  "06_adam_then_sgd",
  await lineChart([{ name: "training loss", x: history.map((_, i) => i + 1), y: history }], {
    title: "Adam for 30 epochs, then SGD with momentum",
    xlabel: "epoch",
    ylabel: "loss (log scale)",
    logY: true,
  }),
);

// %% [markdown]
// There is no jump at the switch: the loss goes on falling (with one noisy epoch,
// 0.0926 → 0.0933), and SGD brings it from 0.096 to about 0.05. The new optimizer
// starts with empty state (no momentum buffer yet, no second moments), so its first
// steps are plain gradient steps from where Adam left the weights.
