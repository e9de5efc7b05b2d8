import { describe, expect, it } from "vitest";
import { type DType, type Tensor, arange, eye, full, linspace, ones, tensor, zeros, zeros_like } from "gradlab";
import { fixture } from "../helpers.ts";

interface CreationCase {
  name: string;
  call: [string, ...unknown[]];
  dtype: DType;
  shape: number[];
  values: number[];
}

const build = ([fn, ...args]: CreationCase["call"]): Tensor => {
  const n = args as number[];
  switch (fn) {
    case "arange":
      return n.length === 1 ? arange(n[0]!) : n.length === 2 ? arange(n[0]!, n[1]!) : arange(n[0]!, n[1]!, n[2]!);
    case "linspace":
      return linspace(n[0]!, n[1]!, n[2]!, { dtype: args[3] as DType });
    case "eye":
      return eye(n[0]!, n[1]);
    case "full":
      return full(args[0] as number[], n[1]!, { dtype: args[2] as DType | undefined });
    case "zeros":
      return zeros(args[0] as number);
    case "ones":
      return ones(args[0] as number[]);
    case "tensor":
      return tensor(args[0] as number[][]);
    default:
      throw new Error(`unknown factory ${fn}`);
  }
};

// expected values: tools/fixtures/creation.py (torch 1.13), compared exactly: each
// factory computes the same arithmetic as PyTorch's, in the same precision.
describe("tensor factories follow PyTorch", () => {
  it.each(fixture<{ cases: CreationCase[] }>("tensor/creation").cases)("$name", (c) => {
    const t = build(c.call);
    expect(t.dtype).toBe(c.dtype);
    expect(t.shape).toEqual(c.shape);
    expect(Array.from(t.toTypedArray())).toEqual(c.values);
  });
});

describe("factory arguments", () => {
  it("rejects a negative size with PyTorch's message", () => {
    expect(() => zeros([2, -1])).toThrow("Trying to create tensor with negative dimension -1: [2, -1]");
  });
  it("rejects ragged nested arrays", () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/expected sequence of length 2 at dim 1/);
  });
  it("*_like copies shape and dtype", () => {
    const z = zeros_like(ones([2, 3], { dtype: "float64" }));
    expect([z.shape, z.dtype]).toEqual([[2, 3], "float64"]);
  });
  it("item() refuses tensors with more than one element", () => {
    expect(() => ones(2).item()).toThrow("a Tensor with 2 elements cannot be converted to Scalar");
  });
});
