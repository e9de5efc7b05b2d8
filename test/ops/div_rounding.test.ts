import { describe, expect, it } from "vitest";
import { type DType, div, tensor, testing } from "gradlab";
import { fixture } from "../helpers.ts";

// expected values: tools/fixtures/div_rounding.py (torch 1.13): torch.div(a, b, rounding_mode=…)
// for "trunc", "floor" and None, its dtype, the sign of each zero, and the gradients of
// result.sum() (zero with a rounding mode).
interface Case {
  dtype: DType;
  a: number[];
  b: number[] | number;
  mode: "trunc" | "floor" | null;
  result_dtype: DType;
  result: number[];
  negative_zero: (boolean | null)[];
  grad_a?: number[];
  grad_b?: number[];
}
const F = fixture<{ cases: Case[] }>("calls/div_rounding");

const title = (c: Case): string => `${c.mode} ${c.dtype} ${Array.isArray(c.b) ? "by a tensor" : `by ${c.b}`}`;
const exact = { rtol: 0, atol: 0, equal_nan: true };

describe("div(a, b, { rounding_mode }) follows torch", () => {
  it.each(F.cases)("$mode $dtype: values, dtype, signed zeros and gradients", (c) => {
    const floating = c.dtype !== "int64";
    const a = tensor(c.a, { dtype: c.dtype, requires_grad: floating });
    const b = Array.isArray(c.b) ? tensor(c.b, { dtype: c.dtype, requires_grad: floating }) : c.b;
    const r = div(a, b, { rounding_mode: c.mode });
    expect(r.dtype, title(c)).toBe(c.result_dtype);
    // The rounded quotients are exact in torch's arithmetic; true division may differ by rounding.
    testing.assert_close(r.detach(), tensor(c.result, { dtype: c.result_dtype }), c.mode === null ? { equal_nan: true } : exact);
    expect((r.tolist() as number[]).map((v) => (v === 0 ? Object.is(v, -0) : null))).toEqual(c.negative_zero);
    if (!floating) return;
    r.sum().backward();
    testing.assert_close(a.grad!, tensor(c.grad_a!, { dtype: c.dtype }), { equal_nan: true });
    if (c.grad_b !== undefined) testing.assert_close((b as typeof a).grad!, tensor(c.grad_b, { dtype: c.dtype }), { equal_nan: true });
  });

  it("takes the same rounding modes as a method and in place, by name only", () => {
    const x = tensor([-7.5, 7.5], { dtype: "float64" });
    expect(x.div(2, { rounding_mode: "floor" }).tolist()).toEqual([-4, 3]);
    expect(x.clone().div_(-2, { rounding_mode: "trunc" }).tolist()).toEqual([3, -3]);
    expect(div(x, 2, { rounding_mode: null }).tolist()).toEqual([-3.75, 3.75]);
    // torch: TypeError (div() received an invalid combination of arguments - got (Tensor, str))
    expect(() => (x.div as (...a: unknown[]) => unknown)(2, "floor")).toThrow(new TypeError("div() takes 1 positional argument but 2 were given"));
    // torch: RuntimeError, the same words
    expect(() => x.div(2, { rounding_mode: "round" as "floor" })).toThrow(
      "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found 'round'",
    );
  });
});
