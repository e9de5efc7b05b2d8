import { describe, expect, it } from "vitest";
import { addcdiv, addcmul, lerp, maximum, minimum, tensor } from "gradlab";
import type { Tensor } from "../../src/tensor/tensor.ts";
import { fixture } from "../helpers.ts";

interface IntegerCase {
  expression: string;
  dtype?: string;
  values?: (number | "NaN")[];
  error?: string;
}
interface Integer {
  a: number[];
  b: number[];
  f: number[];
  cases: IntegerCase[];
}
// expected dtypes, values and messages: tools/fixtures/ops_integer.py (torch 1.13; the
// promotion rules and the in-place cast check are the same in current PyTorch)
const fx = fixture<Integer>("ops/integer");

const a = tensor(fx.a, { dtype: "int64" });
const b = tensor(fx.b, { dtype: "int64" });
const f = tensor(fx.f, { dtype: "float32" });

/** Each fixture expression, written in gradlab. */
const gradlab: Record<string, () => Tensor> = {
  "a + b": () => a.add(b),
  "a - b": () => a.sub(b),
  "a * b": () => a.mul(b),
  "a / b": () => a.div(b),
  "a + 1": () => a.add(1),
  "a * 2.5": () => a.mul(2.5),
  "a + f": () => a.add(f),
  "-a": () => a.neg(),
  "a.add(b, alpha=2)": () => a.add(b, { alpha: 2 }),
  "a.sub(b, alpha=3)": () => a.sub(b, { alpha: 3 }),
  "a.add(b, alpha=0.5)": () => a.add(b, { alpha: 0.5 }),
  "a.pow(2)": () => a.pow(2),
  "a.pow(0.5)": () => a.pow(0.5),
  "a.pow(b.abs())": () => a.pow(b.abs()),
  "a.pow(b)": () => a.pow(b),
  "a.pow(-1)": () => a.pow(-1),
  "torch.maximum(a, b)": () => maximum(a, b),
  "torch.minimum(a, b)": () => minimum(a, b),
  "torch.maximum(a, f)": () => maximum(a, f),
  "a.clamp(0, 4)": () => a.clamp(0, 4),
  "a.clamp(0.5, 4)": () => a.clamp(0.5, 4),
  "a.clamp(min=b)": () => a.clamp({ min: b }),
  "a.clamp(max=f)": () => a.clamp({ max: f }),
  "a.abs()": () => a.abs(),
  "a.sign()": () => a.sign(),
  "a.relu()": () => a.relu(),
  "a.exp()": () => a.exp(),
  "a.sqrt()": () => a.sqrt(),
  "a.clone().add_(1)": () => a.clone().add_(1),
  "a.clone().add_(b, alpha=2)": () => a.clone().add_(b, { alpha: 2 }),
  "a.clone().mul_(b)": () => a.clone().mul_(b),
  "f.clone().add_(a)": () => f.clone().add_(a),
  "a.clone().add_(1.5)": () => a.clone().add_(1.5),
  "a.clone().sub_(f)": () => a.clone().sub_(f),
  "a.clone().mul_(f)": () => a.clone().mul_(f),
  "a.clone().div_(b)": () => a.clone().div_(b),
  "a.clone().sqrt_()": () => a.clone().sqrt_(),
  "a.clone().add_(f, alpha=2)": () => a.clone().add_(f, { alpha: 2 }),
  "a.clone().clamp_(0.5, 4)": () => a.clone().clamp_(0.5, 4),
  "a.square()": () => a.square(),
  "a.cumsum(0)": () => a.cumsum(0),
  "torch.addcmul(a, a, b)": () => addcmul(a, a, b),
  "torch.addcmul(a, a, b, value=2)": () => addcmul(a, a, b, { value: 2 }),
  "torch.addcmul(a, a, b, value=0.5)": () => addcmul(a, a, b, { value: 0.5 }),
  "torch.addcmul(a, a, b, value=-1.5)": () => addcmul(a, a, b, { value: -1.5 }),
  "torch.addcmul(a, f, b)": () => addcmul(a, f, b),
  "a.clone().addcmul_(a, b, value=3)": () => a.clone().addcmul_(a, b, { value: 3 }),
  "torch.addcdiv(a, a, b)": () => addcdiv(a, a, b),
  "torch.addcdiv(f, a, b)": () => addcdiv(f, a, b),
  "torch.addcdiv(a, f, b)": () => addcdiv(a, f, b),
  "a.clone().addcdiv_(a, b)": () => a.clone().addcdiv_(a, b),
  "torch.lerp(a, b, 0.5)": () => lerp(a, b, 0.5),
  "torch.lerp(a, b, b)": () => lerp(a, b, b),
  "torch.lerp(a, f, 0.5)": () => lerp(a, f, 0.5),
  "torch.lerp(f, a, 0.5)": () => lerp(f, a, 0.5),
  "a.clone().lerp_(b, 0.5)": () => a.clone().lerp_(b, 0.5),
  "torch.lerp(f, f.double(), 0.5)": () => lerp(f, f.double(), 0.5),
  "torch.lerp(f, f, f.double())": () => lerp(f, f, f.double()),
};

describe("int64 arithmetic as PyTorch's", () => {
  it("covers every expression of the fixture", () => {
    expect(Object.keys(gradlab).sort()).toEqual(fx.cases.map((c) => c.expression).sort());
  });

  it.each(fx.cases.filter((c) => c.error === undefined))("$expression gives $dtype", ({ expression, dtype, values }) => {
    const result = gradlab[expression]!();
    expect(result.dtype).toBe(dtype);
    const got = result.tolist() as number[];
    // exact: integers, and the float32 results are computed from the same float32 operands
    expect(got.map((v) => (Number.isNaN(v) ? "NaN" : v))).toEqual(values);
  });

  it.each(fx.cases.filter((c) => c.error !== undefined))("$expression is refused, and the tensor is unchanged", ({ expression, error }) => {
    const before = a.tolist();
    expect(gradlab[expression]!).toThrow(error!);
    expect(a.tolist()).toEqual(before);
  });

  it("leaves an int64 tensor unchanged when an in-place op is refused", () => {
    const x = tensor([3, -7, 5], { dtype: "int64" });
    for (const op of [() => x.add_(1.5), () => x.mul_(f), () => x.div_(b), () => x.sqrt_(), () => x.clamp_(0.5, 4)]) {
      expect(op).toThrow("can't be cast to the desired output type");
      expect(x.tolist()).toEqual([3, -7, 5]);
    }
  });
});
