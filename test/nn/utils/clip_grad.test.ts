import { describe, expect, it } from "vitest";
import { nn, tensor, testing, zeros, type DType } from "gradlab";
import { TOL, fixture } from "../../helpers.ts";

interface ClipCase {
  name: string;
  dtype: "float32" | "float64";
  norm_type?: number | "inf";
  max_norm?: number;
  clip_value?: number;
  grads: (number[] | number[][] | null)[];
  total_norm?: number;
  clipped: (number[] | number[][] | null)[];
}
// expected values: tools/fixtures/nn.py (torch 1.13), clip_cases(): three parameters, the last without a gradient
const cases = fixture<{ cases: ClipCase[] }>("nn/clip_grad").cases;

const paramsWith = (grads: ClipCase["grads"], dtype: DType) =>
  grads.map((g) => {
    const p = zeros(g === null ? 3 : (tensor(g).shape as number[]), { dtype, requires_grad: true });
    p.grad = g === null ? null : tensor(g, { dtype });
    return p;
  });

describe("nn.utils.clip_grad_norm_", () => {
  it.each(cases.filter((c) => c.total_norm !== undefined))("follows PyTorch: $name", (c) => {
    const params = paramsWith(c.grads, c.dtype);
    const total = nn.utils.clip_grad_norm_(params, c.max_norm!, { norm_type: c.norm_type });
    expect(total.dtype).toBe(c.dtype);
    testing.assert_close(total.item(), c.total_norm!, { ...TOL[c.dtype], equal_nan: true });
    params.forEach((p, i) => {
      if (c.clipped[i] === null) expect(p.grad).toBeNull();
      else testing.assert_close(p.grad!, c.clipped[i]!, { ...TOL[c.dtype], equal_nan: true });
    });
  });
  it("returns 0 when no parameter has a gradient", () => {
    expect(nn.utils.clip_grad_norm_([zeros(2, { requires_grad: true })], 1).item()).toBe(0);
  });
  it("accepts a single tensor", () => {
    // ‖(3, 4)‖ = 5 ≤ 10, so the gradient is scaled by 1 and unchanged.
    const p = zeros(2, { dtype: "float64", requires_grad: true });
    p.grad = tensor([3, 4], { dtype: "float64" });
    expect(nn.utils.clip_grad_norm_(p, 10).item()).toBe(5);
    expect(p.grad.tolist()).toEqual([3, 4]);
  });
  it("error_if_nonfinite throws PyTorch's message and leaves the gradient alone", () => {
    // PyTorch's message, with the Python spelling of the option in TypeScript's
    const message = fixture<{ nonfinite: string }>("nn/clip_grad_errors").nonfinite.replace("error_if_nonfinite=False", "error_if_nonfinite: false");
    const p = zeros(2, { requires_grad: true });
    p.grad = tensor([NaN, 1]);
    expect(() => nn.utils.clip_grad_norm_([p], 1, { error_if_nonfinite: true })).toThrow(message);
    expect(p.grad.tolist()).toEqual([NaN, 1]);
  });
});

describe("nn.utils.clip_grad_value_", () => {
  it.each(cases.filter((c) => c.clip_value !== undefined))("follows PyTorch: $name", (c) => {
    const params = paramsWith(c.grads, c.dtype);
    nn.utils.clip_grad_value_(params, c.clip_value!);
    testing.assert_close(params[0]!.grad!, c.clipped[0]!, { ...TOL[c.dtype], equal_nan: true });
  });
});
