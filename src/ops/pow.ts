import { record } from "../autograd/node.ts";
import { binaryKernel, unaryKernel } from "../kernels/elementwise.ts";
import { zeros_like } from "../tensor/creation.ts";
import { Tensor } from "../tensor/tensor.ts";
import { broadcastBinary, mul, sub } from "./arithmetic.ts";
import { where, eq, ge } from "./compare.ts";
import { type Operand, asTensor, floatResultType, integralResultType, mapUnary } from "./operands.ts";
import { unbroadcast } from "./sum.ts";
import { log } from "./unary.ts";

const powInto = binaryKernel(Math.pow);
/** int64 powers, as C's integer pow: a negative exponent truncates toward zero (2^−1 = 0, (−1)^−1 = −1). */
const integerPowInto = binaryKernel((a, b) => Math.trunc(a ** b) + 0); // + 0: no −0 in an int64

/**
 * PyTorch computes these number exponents without `pow` (so, for instance, (−∞)^0.5 is
 * NaN through √ and (−0)^0.5 is −0); gradlab does the same. Each operation of the formula
 * is rounded to the tensor's dtype, as PyTorch's kernel runs it in that dtype
 * (aten/src/ATen/native/cpu/PowKernel.cpp, `pow_tensor_scalar_optimized_kernel`:
 * `base * base * base` for 3, `1 / (base * base)` for −2; `rsqrt_kernel`'s `1 / sqrt(base)`
 * for −0.5). In float64 that is JavaScript's own arithmetic; in float32 x³ is
 * fl32(fl32(x·x)·x), rounded twice, not the float64 x·x·x rounded once.
 */
const powerFormulas: readonly [number, (x: number) => number, (x: number) => number][] = [
  [2, (x) => x * x, (x) => x * x],
  [3, (x) => x * x * x, (x) => Math.fround(x * x) * x],
  [0.5, Math.sqrt, Math.sqrt],
  [-0.5, (x) => 1 / Math.sqrt(x), (x) => 1 / Math.fround(Math.sqrt(x))],
  [-1, (x) => 1 / x, (x) => 1 / x],
  [-2, (x) => 1 / (x * x), (x) => 1 / Math.fround(x * x)],
];
const specialPowers = {
  float64: new Map(powerFormulas.map(([e, f64]) => [e, unaryKernel(f64)] as const)),
  float32: new Map(powerFormulas.map(([e, , f32]) => [e, unaryKernel(f32)] as const)),
};

/**
 * xʸ elementwise with broadcasting, as `torch.pow` (Math.pow's special cases: 0⁰ = 1).
 *
 * ```text
 * ∂/∂x = g · y · x^(y−1),   0 where y = 0
 * ∂/∂y = g · xʸ · ln x,     0 where x = 0 and y ≥ 0
 * ```
 * A number exponent gets no gradient.
 */
export function pow(x: Tensor, exponent: Operand): Tensor {
  if (typeof exponent === "number") {
    const e = exponent;
    const integral = x.dtype === "int64" && Number.isInteger(e);
    if (integral && e < 0) throw new Error("Integers to negative integer powers are not allowed.");
    const special = x.dtype === "int64" ? undefined : specialPowers[x.dtype].get(e);
    const out = special ? mapUnary(x, special) : broadcastBinary(x, asTensor(e, x), powInto, integral ? integralResultType : floatResultType);
    return record("PowBackward0", out, [x], (g) => [e === 0 ? zeros_like(g) : mul(g, mul(pow(x, e - 1), e))], [x]);
  }
  const y = exponent;
  const integral = integralResultType(x.dtype, y.dtype) === "int64";
  const out = broadcastBinary(x, y, integral ? integerPowInto : powInto, integralResultType);
  return record(
    "PowBackward1",
    out,
    [x, y],
    (g) => [
      x.requires_grad ? unbroadcast(where(eq(y, 0), 0, mul(g, mul(y, pow(x, sub(y, 1))))), x.shape) : null,
      y.requires_grad ? unbroadcast(where(mul(eq(x, 0), ge(y, 0)), 0, mul(g, mul(out, log(x)))), y.shape) : null,
    ],
    [x, y, out],
  );
}

/** x², as `torch.square`, which PyTorch computes as `pow(x, 2)`: int64 stays int64, the node is PowBackward0. */
export const square = (x: Tensor): Tensor => pow(x, 2);
