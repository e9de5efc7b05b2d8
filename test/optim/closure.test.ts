import { describe, expect, it } from "vitest";
import { type Tensor, optim, tensor } from "gradlab";

// step(closure) runs the closure with grad enabled and returns what it returned, for
// every optimizer. The loss is Σθ² at θ = [2, 1] (so the closure returns 5, by hand),
// and every optimizer's first step on it must move θ towards 0.
const makers: [string, (params: Tensor[]) => optim.Optimizer][] = [
  ["SGD", (p) => new optim.SGD(p, { lr: 0.1 })],
  ["Adam", (p) => new optim.Adam(p, { lr: 0.1 })],
  ["AdamW", (p) => new optim.AdamW(p, { lr: 0.1 })],
  ["Adamax", (p) => new optim.Adamax(p, { lr: 0.1 })],
  ["NAdam", (p) => new optim.NAdam(p, { lr: 0.1 })],
  ["RAdam", (p) => new optim.RAdam(p, { lr: 0.1 })],
  ["Adagrad", (p) => new optim.Adagrad(p, { lr: 0.1 })],
  ["Adadelta", (p) => new optim.Adadelta(p)],
  ["RMSprop", (p) => new optim.RMSprop(p, { lr: 0.1 })],
  ["Rprop", (p) => new optim.Rprop(p)],
  ["ASGD", (p) => new optim.ASGD(p, { lr: 0.1 })],
  ["LBFGS", (p) => new optim.LBFGS(p, { max_iter: 3 })],
  ["Adafactor", (p) => new optim.Adafactor(p)],
  ["Muon", (p) => new optim.Muon(p, { lr: 0.1 })],
];

describe.each(makers)("%s.step(closure)", (_name, make) => {
  it("returns the closure's loss and moves θ downhill", () => {
    const theta = tensor([[2, 1]], { dtype: "float64", requires_grad: true });
    const opt = make([theta]);
    let calls = 0;
    const loss = opt.step(() => {
      calls++;
      opt.zero_grad();
      const l = theta.mul(theta).sum();
      l.backward();
      return l;
    });
    expect((loss as Tensor).item()).toBe(5);
    expect(calls).toBeGreaterThanOrEqual(1);
    const [a, b] = (theta.tolist() as number[][])[0]!;
    expect(a! ** 2 + b! ** 2).toBeLessThan(5);
  });
});
