import { record } from "../autograd/node.ts";
import { sumInto } from "../kernels/reduce.ts";
import { Tensor, emptyTensor } from "../tensor/tensor.ts";
import { reducedShape, reductionDims } from "./operands.ts";

/** Options of reductions: which dims (all by default) and whether to keep them as size 1. */
export interface ReduceOptions {
  dim?: number | readonly number[] | null;
  keepdim?: boolean;
}

/** Accepts `x.sum(0)` as well as `x.sum({ dim: 0, keepdim: true })`. */
export const reduceOptions = (arg?: number | readonly number[] | ReduceOptions): ReduceOptions =>
  typeof arg === "number" || Array.isArray(arg) ? { dim: arg as number | number[] } : ((arg ?? {}) as ReduceOptions);

/** The sum over `dim` (every element by default), accumulated in float64. */
export function sum(t: Tensor, options: ReduceOptions = {}): Tensor {
  const dims = reductionDims(options.dim, t.ndim);
  const keepdim = options.keepdim ?? false;
  const out = emptyTensor(t.dtype, reducedShape(t.shape, dims, keepdim), false);
  sumInto(out.data, t.data, dims);
  return record("SumBackward1", out, [t], (g) => [g.reshape(reducedShape(t.shape, dims, true)).expand(t.shape.slice())]);
}

declare module "../tensor/tensor.ts" {
  interface Tensor {
    sum(dim?: number | readonly number[] | ReduceOptions): Tensor;
  }
}

Tensor.prototype.sum = function (arg) {
  return sum(this, reduceOptions(arg));
};
