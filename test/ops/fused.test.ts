/**
 * addcmul, addcdiv, add/sub with alpha and lerp, bit for bit against PyTorch's CPU kernels:
 * the scalar converted to the dtype first, then one fused multiply-add for `self + (v·t1)·t2`,
 * `self + α·other` and each form of lerp, and a rounded quotient before the add in addcdiv.
 *
 * expected values: tools/fixtures/ops_fused.py (torch 1.13, AVX2; lengths 7, 16, 33 and
 * 100, so the vector body and the scalar tail both run, and a broadcast case; current
 * PyTorch's PointwiseOpsKernel.cpp has the same expressions, see the generator).
 */
import { afterAll, describe, expect, it } from "vitest";
import { tensor } from "gradlab";
import type { Tensor } from "../../src/tensor/tensor.ts";
import { fixture } from "../helpers.ts";
import { parseHexFloat, sameBits } from "../math/bits.ts";

interface FusedCase {
  op: "addcmul" | "addcmul_" | "addcdiv" | "addcdiv_" | "add" | "add_" | "sub" | "sub_" | "lerp" | "lerp_";
  dtype: "float32" | "float64";
  /** value, alpha or lerp's weight; null for a tensor of weights (the third input). */
  scalar: number | null;
  shapes: number[][];
  inputs: string[][];
  expected: string[];
}
const data = fixture<{ cases: FusedCase[]; grad_fn: Record<string, string> }>("ops/fused");

function run(c: FusedCase): number[] {
  const [x, a, b] = c.inputs.map((hex, k) => tensor(hex.map(parseHexFloat), { dtype: c.dtype }).reshape(c.shapes[k]!)) as [Tensor, Tensor, Tensor?];
  switch (c.op) {
    case "addcmul":
    case "addcmul_":
    case "addcdiv":
    case "addcdiv_": {
      // One name of four: a union of overloaded methods cannot be called as is.
      const fused = x[c.op] as (this: Tensor, t1: Tensor, t2: Tensor, options: { value: number }) => Tensor;
      return Array.from(fused.call(x, a, b!, { value: c.scalar! }).contiguous().data.data);
    }
    case "lerp":
    case "lerp_": {
      const lerp = x[c.op] as (this: Tensor, end: Tensor, weight: Tensor | number) => Tensor;
      return Array.from(lerp.call(x, a, b ?? c.scalar!).contiguous().data.data);
    }
    default: {
      const scaled = x[c.op] as (this: Tensor, other: Tensor, options: { alpha: number }) => Tensor;
      return Array.from(scaled.call(x, a, { alpha: c.scalar! }).contiguous().data.data);
    }
  }
}

const tally = new Map<string, { same: number; total: number }>();

describe.each(["float32", "float64"] as const)("fused pointwise ops in %s", (dtype) => {
  it.each(data.cases.filter((c) => c.dtype === dtype))("are bit-identical to PyTorch: $op value $scalar, shapes $shapes", (c) => {
    const actual = run(c);
    const expected = c.expected.map(parseHexFloat);
    const differ = actual.flatMap((v, i) => (sameBits(v, expected[i]!) ? [] : [i]));
    const key = `${c.op.replace("_", "")} ${dtype}`;
    const row = tally.get(key) ?? { same: 0, total: 0 };
    tally.set(key, { same: row.same + expected.length - differ.length, total: row.total + expected.length });
    expect(differ.slice(0, 5).map((i) => [i, actual[i], expected[i]])).toEqual([]);
  });
});

describe("fused pointwise ops, autograd", () => {
  it("name grad_fn as PyTorch does", () => {
    const [a, b, c] = [0, 1, 2].map(() => tensor([1, 2, 3], { requires_grad: true })) as [Tensor, Tensor, Tensor];
    const names = {
      addcmul: a.addcmul(b, c, { value: 0.5 }),
      addcdiv: a.addcdiv(b, c, { value: 0.5 }),
      addcmul_: a.clone().addcmul_(b, c),
      addcdiv_: a.clone().addcdiv_(b, c),
      "add alpha": a.add(b, { alpha: 0.5 }),
      "sub alpha": a.sub(b, { alpha: 0.5 }),
    };
    expect(Object.fromEntries(Object.entries(names).map(([k, t]) => [k, t.grad_fn!.name]))).toEqual(data.grad_fn);
  });
});

afterAll(() => {
  const lines = [...tally].map(([key, { same, total }]) => `  ${key.padEnd(16)} ${same}/${total} = ${((100 * same) / total).toFixed(2)}%`);
  console.log(`fused pointwise ops, bit-identical elements:\n${lines.join("\n")}`);
});
