import { record } from "../autograd/node.ts";
import { softmaxInto } from "../kernels/softmax.ts";
import { Tensor, emptyTensor, normalizeDim, shapeSize } from "../tensor/tensor.ts";
import { castTo, contiguous } from "./copy.ts";
import { mul, sub } from "./arithmetic.ts";
import { sum } from "./sum.ts";
import { exp } from "./unary.ts";

function run(x: Tensor, dim: number, log: boolean): Tensor {
  const source = contiguous(x.dtype === "int64" ? castTo(x, "float32") : x);
  const d = normalizeDim(dim, x.ndim);
  const shape = source.shape;
  const out = emptyTensor(source.dtype, shape);
  const n = shape.length === 0 ? 1 : shape[d]!;
  const outer = shapeSize(shape.slice(0, d));
  const inner = shapeSize(shape.slice(d + 1));
  const xs = source.data.data.subarray(source.data.offset, source.data.offset + source.numel());
  softmaxInto(out.data.data, xs, outer, n, inner, log);
  return out;
}

/**
 * e^(x_i) / Σ_j e^(x_j) along `dim`, computed stably (see `softmaxInto`).
 * Backward: g_x = y · (g − Σ_dim g·y).
 */
export function softmax(x: Tensor, dim: number): Tensor {
  const y = run(x, dim, false);
  return record("SoftmaxBackward0", y, [x], (g) => [mul(y, sub(g, sum(mul(g, y), { dim, keepdim: true })))], [y]);
}

/**
 * x_i − log Σ_j e^(x_j) along `dim`, computed stably.
 * Backward: g_x = g − e^y · Σ_dim g.
 */
export function log_softmax(x: Tensor, dim: number): Tensor {
  const y = run(x, dim, true);
  return record("LogSoftmaxBackward0", y, [x], (g) => [sub(g, mul(exp(y), sum(g, { dim, keepdim: true })))], [y]);
}
