import { describe, expect, it } from "vitest";
import { autograd, cumsum, square, tensor } from "gradlab";

// Hand-derived: y_k = Σ_{j≤k} x_j, so ∂(Σ_k g_k·y_k)/∂x_j = Σ_{k≥j} g_k (cumsum's gradient is the
// running sum of g from the end). gradcheck of cumsum and square: test/ops/elementwise_grad.test.ts;
// their values and calls against torch: test/calls (tools/fixtures/tensor_calls.py).
describe("cumsum", () => {
  it("sums along a dim and sends back the running sums of the gradient from the end", () => {
    const x = tensor([1, 2, 3], { dtype: "float64", requires_grad: true });
    const y = x.cumsum(0);
    expect(y.tolist()).toEqual([1, 3, 6]);
    expect(y.grad_fn?.name).toBe("CumsumBackward0");
    y.backward(tensor([1, 10, 100], { dtype: "float64" }));
    expect(x.grad!.tolist()).toEqual([111, 110, 100]);
  });

  it("runs along the inner dim of a non-contiguous view", () => {
    const x = tensor(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      { dtype: "float64" },
    ).t();
    // x = [[1, 3, 5], [2, 4, 6]]
    expect(cumsum(x, 1).tolist()).toEqual([
      [1, 4, 9],
      [2, 6, 12],
    ]);
    expect(x.cumsum(0).tolist()).toEqual([
      [1, 3, 5],
      [3, 7, 11],
    ]);
  });

  it("accumulates float32 in float64 and rounds each sum once, as PyTorch's CPU kernel (torch 1.13 gives 2^24, 2^24, 2^24 + 2)", () => {
    // 2^24 + 1 is not a float32 (it rounds to 2^24), but the float64 running sum 2^24 + 2 is.
    expect(
      tensor([2 ** 24, 1, 1], { dtype: "float32" })
        .cumsum(0)
        .tolist(),
    ).toEqual([2 ** 24, 2 ** 24, 2 ** 24 + 2]);
  });

  it("has a differentiable gradient: the second derivatives of Σ cumsum(x)² are hand-derived", () => {
    // L = Σ_k (Σ_{j≤k} x_j)²; ∂L/∂x_j = 2·Σ_{k≥j} y_k; ∂²L/∂x_i∂x_j = 2·(n − max(i, j)).
    const x = tensor([1, -2, 0.5], { dtype: "float64", requires_grad: true });
    const [g] = autograd.grad(x.cumsum(0).square().sum(), x, { create_graph: true });
    // y = [1, −1, −0.5]: ∂L/∂x = 2·[−0.5, −1.5, −0.5]
    expect(g!.tolist()).toEqual([-1, -3, -1]);
    const [h0] = autograd.grad(g!.narrow(0, 0, 1).sum(), x);
    expect(h0!.tolist()).toEqual([6, 4, 2]);
  });
});

describe("square", () => {
  it("is pow(x, 2), as PyTorch computes it: int64 stays int64, the node is PowBackward0", () => {
    expect(square(tensor([3, -4], { dtype: "int64" })).dtype).toBe("int64");
    const x = tensor([3, -4], { dtype: "float64", requires_grad: true });
    const y = x.square();
    expect(y.grad_fn?.name).toBe("PowBackward0");
    y.sum().backward();
    expect(x.grad!.tolist()).toEqual([6, -8]);
  });
});
