import { describe, expect, it } from "vitest";
import { nn, optim, tensor } from "gradlab";
import { Optimizer } from "../../src/optim/optimizer.ts";

// SparseAdam's steps are checked against PyTorch in test/optim/sparse.test.ts; here, its
// constructor's checks (PyTorch's messages: lr > 0, eps > 0, betas in [0, 1)) and that a
// dense gradient is refused at step(), as PyTorch refuses it, not at construction.
describe("SparseAdam", () => {
  it("is constructed on dense parameters and refuses a dense gradient at step()", () => {
    const theta = tensor([1], { requires_grad: true });
    const opt = new optim.SparseAdam([theta], { lr: 0.01 });
    theta.grad = tensor([0.5]);
    expect(() => opt.step()).toThrow("SparseAdam does not support dense gradients, please consider Adam instead");
    expect(theta.tolist()).toEqual([1]);
  });

  it("is an Optimizer, as in current PyTorch: schedulers drive it and its state round-trips", () => {
    const emb = new nn.Embedding(5, 2, { sparse: true, dtype: "float64" });
    const opt = new optim.SparseAdam(emb.parameters(), { lr: 0.1 });
    expect(opt).toBeInstanceOf(Optimizer);
    const sched = new optim.lr_scheduler.StepLR(opt, 1, { gamma: 0.5 });
    emb.forward([1, 3, 1]).sum().backward();
    opt.step();
    sched.step();
    expect(opt.param_groups[0]!.lr).toBe(0.05);
    const saved = JSON.parse(JSON.stringify(opt.state_dict()));
    expect(Object.keys(saved.state[0])).toEqual(["step", "exp_avg", "exp_avg_sq"]);
    expect(saved.state[0].step).toBe(1);
    const again = new optim.SparseAdam(emb.parameters(), { lr: 0.1 });
    again.load_state_dict(saved);
    expect(again.state_dict()).toEqual(opt.state_dict());
  });

  it("moves only the rows its sparse gradient names", () => {
    const emb = new nn.Embedding(5, 2, { sparse: true });
    const before = emb.weight.detach().clone();
    const opt = new optim.SparseAdam(emb.parameters(), { lr: 0.1 });
    emb.forward([1, 3, 1]).sum().backward();
    opt.step();
    expect(emb.weight.sub(before).abs().sum(1).gt(0).tolist()).toEqual([0, 1, 0, 1, 0]);
  });

  it.each([
    { options: { lr: 0 }, message: "Invalid learning rate: 0" },
    { options: { eps: 0 }, message: "Invalid epsilon value: 0" },
    { options: { betas: [0.9, 1] }, message: "Invalid beta parameter at index 1: 1" },
    { options: { weight_decay: 0.1 }, message: "SparseAdam.__init__() got an unexpected keyword argument 'weight_decay'" },
  ])("checks $options first, with PyTorch's message", ({ options, message }) => {
    const theta = tensor([1], { requires_grad: true });
    expect(() => new optim.SparseAdam([theta], options as never)).toThrow(message);
    expect(theta.tolist()).toEqual([1]);
  });
});
