// %% [markdown]
// # gradlab in one page: a classifier trained end to end
//
// A two-layer network learns the two-moons data set with `optim.Adam`, while a
// `CosineAnnealingLR` schedule lowers the learning rate. Everything here is gradlab:
// tensors, autograd, `nn`, `optim`, `optim.lr_scheduler` and the data utilities.
// Run it with `npm run demo`.

// %%
import { manual_seed, nn, no_grad, optim, utils, type Tensor } from "gradlab";
import { terminalChart } from "gradlab/plotting";
import { progressBar } from "./support.ts";

manual_seed(0);
const [x, y] = utils.data.make_moons({ n_samples: 200, noise: 0.1 });
const loader = new utils.data.DataLoader(new utils.data.TensorDataset(x, y), { batch_size: 32, shuffle: true });
console.log(`data: ${x.shape[0]} points with ${x.shape[1]} features, 2 classes`);

// %% [markdown]
// The model, its loss, the optimizer and the schedule, written as in PyTorch:

// %%
const model = new nn.Sequential(new nn.Linear(2, 16), new nn.Tanh(), new nn.Linear(16, 2));
const lossFn = new nn.CrossEntropyLoss();
const optimizer = new optim.Adam(model.parameters(), { lr: 0.05 });
const epochs = 40;
const scheduler = new optim.lr_scheduler.CosineAnnealingLR(optimizer, epochs);
console.log(model.toString());

// %% [markdown]
// The training loop: for each batch, zero the gradients, compute the loss, backpropagate
// and step; once per epoch, step the schedule.

// %%
const accuracy = (logits: Tensor, target: Tensor): number => {
  const predicted = logits.argmax({ dim: 1 }).toTypedArray();
  const truth = target.toTypedArray();
  return predicted.filter((p, i) => p === truth[i]).length / truth.length;
};

const losses: number[] = [];
console.log("epoch   lr        loss     accuracy");
const bar = progressBar(epochs); // drawn on stderr in a terminal only; bar.log prints a row above it
for (let epoch = 1; epoch <= epochs; epoch++) {
  let total = 0;
  for (const [xb, yb] of loader) {
    optimizer.zero_grad();
    const loss = lossFn.forward(model.forward(xb!), yb!);
    loss.backward();
    optimizer.step();
    total += loss.item() * xb!.shape[0]!;
  }
  const lr = scheduler.get_last_lr()[0]!;
  scheduler.step();
  losses.push(total / x.shape[0]!);
  bar.update(epoch, { loss: losses.at(-1)! });
  if (epoch % 5 === 0 || epoch === 1) {
    const acc = no_grad(() => accuracy(model.forward(x), y));
    bar.log(`${String(epoch).padStart(5)}   ${lr.toFixed(5)}   ${losses.at(-1)!.toFixed(4)}   ${(100 * acc).toFixed(1)}%`);
  }
}
bar.stop();

// %%
console.log("training loss per epoch:");
console.log(terminalChart(losses, { height: 8 }));
