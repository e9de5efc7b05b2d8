import { record } from "../autograd/node.ts";
import { binaryKernel } from "../kernels/elementwise.ts";
import { Tensor } from "../tensor/tensor.ts";
import { broadcastBinary } from "./arithmetic.ts";
import { where } from "./compare.ts";
import { type Operand, asTensor, unbroadcast } from "./operands.ts";

const powInto = binaryKernel(Math.pow);

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
    const out = broadcastBinary(x, asTensor(e, x), powInto);
    return record("PowBackward0", out, [x], (g) => [e === 0 ? g.mul(0) : g.mul(x.pow(e - 1).mul(e))], [x]);
  }
  const y = exponent;
  const out = broadcastBinary(x, y, powInto);
  return record("PowBackward1", out, [x, y], (g) => [
    x.requires_grad ? unbroadcast(where(y.eq(0), 0, g.mul(y.mul(x.pow(y.sub(1))))), x.shape) : null,
    y.requires_grad ? unbroadcast(where(x.eq(0).mul(y.ge(0)), 0, g.mul(out.mul(x.log()))), y.shape) : null,
  ], [x, y, out]);
}

declare module "../tensor/tensor.ts" {
  interface Tensor {
    pow(exponent: Operand): Tensor;
  }
}

Tensor.prototype.pow = function (exponent) {
  return pow(this, exponent);
};
