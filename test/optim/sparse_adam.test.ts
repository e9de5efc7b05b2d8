import { describe, expect, it } from "vitest";
import { optim, tensor } from "gradlab";

// gradlab has no sparse tensors, so every gradient is dense; PyTorch's SparseAdam refuses
// dense gradients ("SparseAdam does not support dense gradients, please consider Adam
// instead"), so a gradlab SparseAdam could never step: construction says so, after
// checking the options with PyTorch's messages (SparseAdam wants lr > 0 and eps > 0).
describe("SparseAdam", () => {
  it("cannot be constructed, and says why", () => {
    const theta = tensor([1], { requires_grad: true });
    expect(() => new optim.SparseAdam([theta], { lr: 0.01 })).toThrow(
      "SparseAdam does not support dense gradients, please consider Adam instead (gradlab has no sparse tensors, so every gradient is dense)",
    );
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
