import { describe, expect, it } from "vitest";
import { F, manual_seed, nn, no_grad, optim, tensor, utils, type Tensor } from "gradlab";

/** A two-layer classifier for iris: 4 measurements → 16 hidden units → 3 species. */
class IrisNet extends nn.Module {
  fc1 = this.register_module("fc1", new nn.Linear(4, 16));
  act = this.register_module("act", new nn.ReLU());
  fc2 = this.register_module("fc2", new nn.Linear(16, 3));
  override forward(x: Tensor): Tensor {
    return this.fc2.forward(this.act.forward(this.fc1.forward(x)));
  }
}

/** The fraction of rows whose largest logit is at the target class. */
function accuracy(logits: Tensor, target: Tensor): number {
  const rows = logits.tolist() as number[][];
  const labels = target.tolist() as number[];
  return rows.filter((r, i) => r.indexOf(Math.max(...r)) === labels[i]).length / rows.length;
}

describe("an MLP classifier learns iris", () => {
  it("reaches at least 95% training accuracy with Adam and cross entropy", () => {
    manual_seed(0);
    const { data, target } = utils.data.load_iris();
    // Standardise each feature (mean 0, std 1) so that one learning rate suits all four.
    const cols = data.tolist() as number[][];
    const mean = [0, 1, 2, 3].map((j) => cols.reduce((a, r) => a + r[j]!, 0) / cols.length);
    const std = [0, 1, 2, 3].map((j) => Math.sqrt(cols.reduce((a, r) => a + (r[j]! - mean[j]!) ** 2, 0) / cols.length));
    const x = data.sub(tensor(mean)).div(tensor(std));
    const model = new IrisNet();
    const opt = new optim.Adam(model.parameters(), { lr: 0.05 });
    const loader = new utils.data.DataLoader(new utils.data.TensorDataset(x, target), { batch_size: 32, shuffle: true });
    for (let epoch = 0; epoch < 60; epoch++) {
      for (const [xb, yb] of loader) {
        opt.zero_grad();
        F.cross_entropy(model.forward(xb!), yb!).backward();
        opt.step();
      }
    }
    const logits = no_grad(() => model.eval().forward(x));
    expect(accuracy(logits, target)).toBeGreaterThanOrEqual(0.95);
  });
});
