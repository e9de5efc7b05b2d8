import { describe, expect, it } from "vitest";
import { autograd, ones, tensor, zeros } from "gradlab";

describe("clone, contiguous, to, copy_", () => {
  it("clone copies memory and passes gradients through unchanged", () => {
    const x = tensor([1, 2, 3], { dtype: "float64", requires_grad: true });
    const y = x.clone();
    expect(y.data.data).not.toBe(x.data.data);
    expect(y.grad_fn!.name).toBe("CloneBackward0");
    expect(autograd.gradcheck((t) => t.clone().mul(t), [x])).toBe(true);
  });

  it("to(float32) rounds each value as Math.fround does, and gradients come back in float64", () => {
    const x = tensor([0.1, 1 / 3, 1e-40], { dtype: "float64", requires_grad: true });
    const y = x.to("float32");
    expect(y.dtype).toBe("float32");
    expect(y.tolist()).toEqual([Math.fround(0.1), Math.fround(1 / 3), Math.fround(1e-40)]);
    y.sum().backward();
    expect(x.grad!.dtype).toBe("float64");
    expect(x.grad!.tolist()).toEqual([1, 1, 1]);
  });

  it("to(int64) truncates toward zero, as PyTorch's conversion", () => {
    expect(tensor([1.7, -1.7, 2.5]).to("int64").tolist()).toEqual([1, -1, 2]);
  });

  it("contiguous returns the tensor itself when already contiguous", () => {
    const x = ones([2, 3]);
    expect(x.contiguous()).toBe(x);
  });

  it("copy_ broadcasts the source into self and bumps the version", () => {
    const x = zeros([2, 3], { dtype: "float64" });
    const before = x._version;
    x.copy_(tensor([1, 2, 3]));
    expect(x.tolist()).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
    expect(x._version).toBe(before + 1);
  });

  it("copy_ into a leaf that requires grad throws PyTorch's message and changes nothing", () => {
    const x = zeros(3, { requires_grad: true });
    expect(() => x.copy_(ones(3))).toThrow("a leaf Variable that requires grad is being used in an in-place operation.");
    expect(x.tolist()).toEqual([0, 0, 0]);
  });

  it("copy_ records a gradient to the source when self is not a leaf", () => {
    // y = 2·a, then y.copy_(b): the result is b, so d(sum y)/db = 1 and nothing reaches a.
    const a = tensor([1, 2], { dtype: "float64", requires_grad: true });
    const b = tensor([5, 7], { dtype: "float64", requires_grad: true });
    const y = a.mul(2);
    y.copy_(b);
    y.sum().backward();
    expect(y.tolist()).toEqual([5, 7]);
    expect(b.grad!.tolist()).toEqual([1, 1]);
    expect(a.grad!.tolist()).toEqual([0, 0]);
  });
});
