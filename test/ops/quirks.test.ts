import { describe, expect, it } from "vitest";
import { tensor } from "gradlab";
import type { Tensor } from "../../src/tensor/tensor.ts";
import { fixture } from "../helpers.ts";
import { parseHexFloat, sameBits } from "../math/bits.ts";

interface Quirks {
  pow_float32: { exponent: number; x: string[]; expected: string[] }[];
  clamp_tensor: {
    name: string;
    x: number[];
    min: number[] | null;
    max: number[] | null;
    w: number[];
    out: number[];
    grad_fn: string;
    grad_x: number[];
    grad_min: number[] | null;
    grad_max: number[] | null;
  }[];
  clamp_names: Record<string, string>;
}
// expected values: tools/fixtures/ops_quirks.py (torch 1.13; current PyTorch's PowKernel.cpp
// and clamp derivatives compute the same, see the generator's notes).
const q = fixture<Quirks>("ops/quirks");

const bitsDiffer = (actual: number[], expected: number[]): number[] => actual.flatMap((a, i) => (sameBits(a, expected[i]!) ? [] : [i]));

describe("pow with a number exponent in float32", () => {
  it.each(q.pow_float32)("rounds each product as PyTorch's float32 kernel does: exponent $exponent", ({ exponent, x, expected }) => {
    const input = tensor(x.map(parseHexFloat), { dtype: "float32" });
    const out = Array.from(input.pow(exponent).data.data);
    expect(bitsDiffer(out, expected.map(parseHexFloat))).toEqual([]);
  });
});

describe("clamp with tensor bounds", () => {
  it.each(q.clamp_tensor)("follows PyTorch, gradients included: $name", (c) => {
    const x = tensor(c.x as never, { dtype: "float64", requires_grad: true });
    const lo = c.min === null ? null : tensor(c.min as never, { dtype: "float64", requires_grad: true });
    const hi = c.max === null ? null : tensor(c.max as never, { dtype: "float64", requires_grad: true });
    const y = x.clamp({ min: lo, max: hi });
    y.mul(tensor(c.w as never, { dtype: "float64" }))
      .sum()
      .backward();
    const flat = (t: Tensor | null) => (t === null ? null : (t.tolist() as number[]).flat());
    expect(flat(y)).toEqual(c.out.flat());
    expect(y.grad_fn!.name).toBe(c.grad_fn);
    expect([flat(x.grad), flat(lo?.grad ?? null), flat(hi?.grad ?? null)]).toEqual([c.grad_x.flat(), c.grad_min?.flat() ?? null, c.grad_max?.flat() ?? null]);
  });

  it("names grad_fn as PyTorch does for every way of calling clamp", () => {
    const x = tensor([1, 2], { requires_grad: true });
    const t = tensor([0.5, 3]);
    const names = {
      "clamp(x, min=tensor, max=tensor)": x.clamp({ min: t, max: t }),
      "clamp(x, min=tensor)": x.clamp({ min: t }),
      "clamp(x, min=0, max=1)": x.clamp({ min: 0, max: 1 }),
      "clamp(x, min=0)": x.clamp({ min: 0 }),
      "clamp(x, max=1)": x.clamp({ max: 1 }),
      "x.clamp_min(0)": x.clamp_min(0),
      "x.clamp_min(tensor)": x.clamp_min(t),
      "x.clamp_max(1)": x.clamp_max(1),
      "x.clamp_max(tensor)": x.clamp_max(t),
    };
    expect(Object.fromEntries(Object.entries(names).map(([k, y]) => [k, y.grad_fn!.name]))).toEqual(q.clamp_names);
  });
});

interface LerpCase {
  name: string;
  dtype: "float32" | "float64";
  weight: number;
  self: string[];
  end: string[];
  expected: string[];
  differs_from_torch_1_13: number;
  source: string;
}
// expected values: tools/fixtures/lerp_reference.py, current PyTorch's lerp (|w| < 0.5 picks
// the form, one FMA each), checked against torch 1.13 wherever 1.13 picks the same form.
const lerp = fixture<{ cases: LerpCase[] }>("ops/lerp_reference");

describe("lerp with a number weight, against current PyTorch's formula", () => {
  it.each(lerp.cases.filter((c) => c.dtype === "float32"))("float32 is bit-identical: $name ($source)", (c) => {
    const out = tensor(c.self.map(parseHexFloat), { dtype: "float32" }).lerp(tensor(c.end.map(parseHexFloat), { dtype: "float32" }), c.weight);
    expect(bitsDiffer(Array.from(out.data.data), c.expected.map(parseHexFloat))).toEqual([]);
  });

  it.each(lerp.cases.filter((c) => c.dtype === "float64"))("float64 is bit-identical (exact FMAs): $name ($source)", (c) => {
    const out = tensor(c.self.map(parseHexFloat), { dtype: "float64" }).lerp(tensor(c.end.map(parseHexFloat), { dtype: "float64" }), c.weight);
    expect(bitsDiffer(Array.from(out.data.data), c.expected.map(parseHexFloat))).toEqual([]);
  });

  it("chooses the end-based form for w = −0.6, where torch 1.13 chose the other", () => {
    const c = lerp.cases.find((k) => k.dtype === "float32" && k.weight === -0.6 && k.differs_from_torch_1_13 > 0)!;
    expect(c.source).toContain("current PyTorch");
    const out = tensor(c.self.map(parseHexFloat), { dtype: "float32" }).lerp(tensor(c.end.map(parseHexFloat), { dtype: "float32" }), -0.6);
    expect(bitsDiffer(Array.from(out.data.data), c.expected.map(parseHexFloat))).toEqual([]);
  });
});
