import { describe, expect, it } from "vitest";
import { autograd, enable_grad, no_grad, ones, tensor } from "gradlab";

// Expected values below are derived by hand in the comments.
describe("backward", () => {
  it("accumulates into leaves across calls", () => {
    // y = sum(x·x) ⇒ dy/dx = 2x; two backward calls add up to 4x.
    const x = tensor([1, -2, 3], { dtype: "float64", requires_grad: true });
    x.mul(x).sum().backward();
    expect(x.grad!.tolist()).toEqual([2, -4, 6]);
    x.mul(x).sum().backward();
    expect(x.grad!.tolist()).toEqual([4, -8, 12]);
  });

  it("sums the gradients of a tensor used twice", () => {
    // y = sum(x·x + x) ⇒ dy/dx = 2x + 1.
    const x = tensor([0.5, 2], { dtype: "float64", requires_grad: true });
    x.mul(x).add(x).sum().backward();
    expect(x.grad!.tolist()).toEqual([2, 5]);
  });

  it("gives each input its own .grad even when an op passes one gradient to both", () => {
    // y = sum(a + b): both grads are ones, and must not share memory.
    const a = tensor([1, 2], { requires_grad: true });
    const b = tensor([3, 4], { requires_grad: true });
    a.add(b).sum().backward();
    a.grad!.add_(10);
    expect(b.grad!.tolist()).toEqual([1, 1]);
  });

  it("never makes a caller's gradient, or a view of it, a leaf's .grad", () => {
    // x.reshape passes the explicit gradient on as a view; x.grad must be a copy.
    const x = tensor([1, 2, 3, 4], { dtype: "float64", requires_grad: true });
    const g = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: "float64" },
    );
    x.reshape([2, 2]).backward(g);
    g.add_(100);
    expect(x.grad!.tolist()).toEqual([1, 2, 3, 4]);
    // A leaf as the root takes its own gradient: a copy too.
    const w = tensor([5, 6], { dtype: "float64", requires_grad: true });
    const gw = tensor([1, 1], { dtype: "float64" });
    w.backward(gw);
    gw.add_(1);
    expect(w.grad!.tolist()).toEqual([1, 1]);
  });

  it("gives a leaf a view its op made, passed on by a view op (x·wᵀ: w.grad is the transpose of the product's column-major dw)", () => {
    // x = [1 2; 3 4], y = Σ x·wᵀ ⇒ dy/dw[j][p] = Σ_i x[i][p] = [4, 6] in every row
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    const w = tensor(
      [
        [1, 1],
        [1, 1],
        [1, 1],
      ],
      { requires_grad: true },
    );
    x.matmul(w.t()).sum().backward();
    expect(w.grad!.tolist()).toEqual([
      [4, 6],
      [4, 6],
      [4, 6],
    ]);
    expect(w.grad!.is_contiguous()).toBe(true);
    expect(w.grad!._base).toBeNull(); // as torch 1.13's w.grad._base is None
    w.grad!.add_(1);
    x.matmul(w.t()).sum().backward();
    expect(w.grad!.tolist()).toEqual([
      [9, 13],
      [9, 13],
      [9, 13],
    ]);
    // a caller's gradient passed on by a view op stays the caller's: .grad is a copy
    const v = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requires_grad: true },
    );
    const g = tensor([
      [1, 2],
      [3, 4],
    ]);
    v.t().backward(g);
    g.add_(100);
    expect(v.grad!.tolist()).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });

  it("lets relu's backward overwrite only a gradient the engine owns (x = [−1, 2, 3]: d/dx of Σ 2·relu(x) = [0, 2, 2])", () => {
    const x = tensor([-1, 2, 3], { requires_grad: true });
    const r = x.relu();
    r.retain_grad();
    r.mul(2).sum().backward(); // the mask goes into mul's fresh gradient; r.grad was copied first
    expect(x.grad!.tolist()).toEqual([0, 2, 2]);
    expect(r.grad!.tolist()).toEqual([2, 2, 2]);
    const v = tensor([-1, 2, 3], { requires_grad: true });
    const g = tensor([5, 6, 7]);
    v.relu().backward(g); // a caller's gradient is read, not overwritten
    expect(g.tolist()).toEqual([5, 6, 7]);
    expect(v.grad!.tolist()).toEqual([0, 6, 7]);
  });

  it("keeps .grad apart from what the graph saved (y = x·c: dy/dc = x, a saved tensor's values)", () => {
    const x = tensor([2, 3], { dtype: "float64", requires_grad: true });
    const c = tensor([4, 5], { dtype: "float64", requires_grad: true });
    x.mul(c).backward(tensor([1, 1], { dtype: "float64" }));
    c.grad!.add_(10);
    expect(x.tolist()).toEqual([2, 3]);
    expect(x.grad!.tolist()).toEqual([4, 5]);
    expect(c.grad!.tolist()).toEqual([12, 13]);
  });

  it("gives a leaf the gradient its op made (dy/dx of sum(3x) is a fresh tensor of 3s)", () => {
    const x = tensor([1, 2], { requires_grad: true });
    x.mul(3).sum().backward();
    expect(x.grad!.tolist()).toEqual([3, 3]);
    expect(x.grad!.requires_grad).toBe(false);
    expect(x.grad!.grad_fn).toBeNull();
    x.grad!.zero_();
    x.mul(3).sum().backward();
    expect(x.grad!.tolist()).toEqual([3, 3]);
  });

  it("takes an explicit gradient for a non-scalar output", () => {
    const x = tensor([1, 2], { dtype: "float64", requires_grad: true });
    x.mul(3).backward(tensor([1, 10], { dtype: "float64" }));
    expect(x.grad!.tolist()).toEqual([3, 30]);
  });

  it("refuses a non-scalar output without a gradient", () => {
    const x = tensor([1, 2], { requires_grad: true });
    expect(() => x.mul(2).backward()).toThrow("grad can be implicitly created only for scalar outputs");
  });

  it("refuses a gradient of the wrong shape", () => {
    const x = tensor([1, 2, 3], { requires_grad: true });
    expect(() => x.mul(2).backward(ones(2))).toThrow(
      "Mismatch in shape: grad_output[0] has a shape of torch.Size([2]) and output[0] has a shape of torch.Size([3]).",
    );
  });

  it("refuses a tensor that does not require grad", () => {
    expect(() => tensor([1]).sum().backward()).toThrow("element 0 of tensors does not require grad and does not have a grad_fn");
  });

  it("frees saved tensors, so a second backward throws unless retain_graph", () => {
    const x = tensor([1, 2], { requires_grad: true });
    const y = x.mul(x).sum();
    y.backward(null, { retain_graph: true });
    expect(() => y.backward()).not.toThrow();
    expect(() => y.backward()).toThrow(/Trying to backward through the graph a second time/);
  });

  it("walks a long chain without recursion (20,000 ops: d/dx of x·1.0001^20000)", () => {
    const x = tensor([1], { dtype: "float64", requires_grad: true });
    let y = x;
    for (let i = 0; i < 20_000; i++) y = y.mul(1.0001);
    y.sum().backward();
    // The product is accumulated one factor at a time, as the backward pass multiplies.
    let expected = 1;
    for (let i = 0; i < 20_000; i++) expected *= 1.0001;
    expect(x.grad!.item()).toBeCloseTo(expected, 10);
  });

  it("keeps a retained non-leaf gradient", () => {
    // h = 2x, y = sum(h·h) ⇒ dy/dh = 2h = 4x.
    const x = tensor([1, 3], { dtype: "float64", requires_grad: true });
    const h = x.mul(2);
    h.retain_grad();
    h.mul(h).sum().backward();
    expect(h.grad!.tolist()).toEqual([4, 12]);
    expect(x.grad!.tolist()).toEqual([8, 24]);
  });
});

describe("grad mode and graph structure", () => {
  it("records nothing inside no_grad, and records again inside enable_grad", () => {
    const w = ones(2, { requires_grad: true });
    const y = no_grad(() => w.mul(2));
    expect(y.requires_grad).toBe(false);
    expect(y.grad_fn).toBeNull();
    const z = no_grad(() => enable_grad(() => w.mul(2)));
    expect(z.requires_grad).toBe(true);
  });

  it("names grad_fn as PyTorch and marks leaves", () => {
    const x = tensor([1, 2], { requires_grad: true });
    const y = x.mul(2);
    expect(x.is_leaf).toBe(true);
    expect(y.is_leaf).toBe(false);
    expect(y.grad_fn!.name).toBe("MulBackward0");
    expect(y.sum().grad_fn!.name).toBe("SumBackward0");
    expect(y.sum(0).grad_fn!.name).toBe("SumBackward1");
    expect(y.grad_fn!.next_functions[0]).toBe(x);
  });

  it("detach shares memory but cuts the graph", () => {
    const x = tensor([1, 2], { requires_grad: true });
    const d = x.detach();
    expect(d.requires_grad).toBe(false);
    expect(d.data.data).toBe(x.data.data);
  });

  it("requires_grad_ turns tracking on for a leaf", () => {
    const x = tensor([2]).requires_grad_();
    x.mul(x).sum().backward();
    expect(x.grad!.tolist()).toEqual([4]);
  });
});

describe("autograd.grad", () => {
  it("returns gradients without touching .grad", () => {
    const x = tensor([3], { dtype: "float64", requires_grad: true });
    const [dx] = autograd.grad(x.mul(x).sum(), x);
    expect(dx!.tolist()).toEqual([6]);
    expect(x.grad).toBeNull();
  });

  it("builds a differentiable graph with create_graph (second derivative of x³ is 6x)", () => {
    const x = tensor([1], { dtype: "float64", requires_grad: true });
    const [dx] = autograd.grad(x.mul(x).mul(x).sum(), x, { create_graph: true });
    expect(dx!.tolist()).toEqual([3]);
    const [ddx] = autograd.grad(dx!.sum(), x);
    expect(ddx!.tolist()).toEqual([6]);
  });

  it("complains about an unused input unless allow_unused", () => {
    const x = tensor([1], { requires_grad: true });
    const unused = tensor([1], { requires_grad: true });
    expect(() => autograd.grad(x.mul(2).sum(), [x, unused])).toThrow(/appears to not have been used in the graph/);
    const [, none] = autograd.grad(x.mul(2).sum(), [x, unused], { allow_unused: true });
    expect(none).toBeNull();
  });
});
