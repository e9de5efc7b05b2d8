import { describe, expect, it } from "vitest";
import { lerp, tensor } from "gradlab";

// lerp's dtype rules: end must have self's dtype and so must a weight tensor with dims
// (torch 1.13 and current PyTorch refuse: test/ops/integer.test.ts, from tools/fixtures/ops_integer.py);
// a 0-d weight of another dtype is converted to self's, as current PyTorch's Lerp.cpp does
// (`promote_weight = weight.dim() == 0`, read from its source: torch 1.13 refused it, so no
// recording), so the result is the one of the same weight given in self's dtype.
describe("lerp with a 0-d weight of another dtype", () => {
  it("computes in self's dtype, as with that weight converted", () => {
    const x = tensor([0, 1, -2], { dtype: "float32" });
    const y = tensor([1, 3, 2], { dtype: "float32" });
    const out = lerp(x, y, tensor(0.3, { dtype: "float64" }));
    expect(out.dtype).toBe("float32");
    expect(out.tolist()).toEqual(lerp(x, y, tensor(0.3, { dtype: "float32" })).tolist());
  });

  it("sends the weight its gradient in its own dtype: ∂/∂w Σ lerp = Σ (end − self)", () => {
    const x = tensor([0, 1], { dtype: "float32" });
    const y = tensor([2, 5], { dtype: "float32" });
    const w = tensor(0.25, { dtype: "float64", requires_grad: true });
    lerp(x, y, w).sum().backward();
    expect([w.grad!.dtype, w.grad!.item()]).toEqual(["float64", 6]);
  });

  it("still refuses a weight with dims of another dtype", () => {
    const x = tensor([0, 1], { dtype: "float32" });
    expect(() => lerp(x, x, tensor([0.5, 0.5], { dtype: "float64" }))).toThrow("expected dtype float for `weight` but got dtype double");
  });
});
