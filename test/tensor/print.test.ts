import { describe, expect, it } from "vitest";
import { type DType, type Tensor, tensor } from "gradlab";
import { inspect } from "node:util";
import { fixture } from "../helpers.ts";

// expected strings: repr() of the same tensors in PyTorch (torch 1.13, default print options),
// written by tools/fixtures/ops_reduce_shape.py into test/fixtures/tensor/print.json.
interface PrintCase {
  name: string;
  values: number[];
  shape: number[];
  dtype: DType;
  requires_grad: boolean;
  op: "sum" | "mul2" | "t" | null;
  repr: string;
}

function build(c: PrintCase): Tensor {
  const t = tensor(c.values, { dtype: c.dtype }).reshape(c.shape).requires_grad_(c.requires_grad);
  if (c.op === "sum") return t.sum();
  if (c.op === "mul2") return t.mul(2);
  if (c.op === "t") return t.t();
  return t;
}

describe("Tensor.toString", () => {
  it.each(fixture<{ cases: PrintCase[] }>("tensor/print").cases)("prints what PyTorch prints: $name", (c) => {
    expect(build(c).toString()).toBe(c.repr);
  });

  it("is what console.log shows", () => {
    const t = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requires_grad: true },
    );
    // The repr PyTorch prints for torch.tensor([[1., 2.], [3., 4.]], requires_grad=True).
    expect(inspect(t)).toBe("tensor([[1., 2.],\n        [3., 4.]], requires_grad=True)");
  });
});
