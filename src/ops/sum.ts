import { is_grad_enabled } from "../autograd/grad_mode.ts";
import { record } from "../autograd/node.ts";
import { expandView } from "../kernels/broadcast.ts";
import { sumInto } from "../kernels/reduce.ts";
import { Tensor, emptyTensor } from "../tensor/tensor.ts";
import { reducedShape, reductionDims } from "./operands.ts";
import { reshape } from "./reshape.ts";

/**
 * `sum` and `expand`, each the other's gradient, with `unbroadcast` (the gradient of every
 * broadcasting op): the one place where reducing and broadcasting meet, so every other op
 * file can use them without an import cycle.
 */

/** Options of reductions: which dims (all by default) and whether to keep them as size 1. */
export interface ReduceOptions {
  dim?: number | readonly number[] | null;
  keepdim?: boolean;
}

/** Accepts `x.sum(0)` and `x.sum([0, 1])` as well as `x.sum({ dim: 0, keepdim: true })`. */
export function reduceOptions<O extends ReduceOptions>(arg?: number | readonly number[] | O | null): O {
  if (typeof arg === "number" || Array.isArray(arg)) return { dim: arg as number | number[] } as O;
  return (arg ?? {}) as O;
}

/**
 * The dims a reduction folds: PyTorch reads an empty list, like null, as every dim
 * (`x.sum(dim=[])` is the full sum), so both go to `reductionDims` as null.
 */
export const foldedDims = (dim: number | readonly number[] | null | undefined, ndim: number): number[] =>
  reductionDims(Array.isArray(dim) && dim.length === 0 ? null : dim, ndim);

/** The gradient of a reduced output spread back over the input's shape (size-1 dims stretched). */
export function expandReduced(g: Tensor, shape: readonly number[], dims: readonly number[]): Tensor {
  return expand(reshape(g, reducedShape(shape, dims, true)), shape.slice());
}

/** Runs a reduction kernel into a fresh tensor of the reduced shape. */
export function reduceWith(
  t: Tensor,
  dims: readonly number[],
  keepdim: boolean,
  kernel: (out: Tensor["data"], x: Tensor["data"], dims: readonly number[]) => unknown,
): Tensor {
  const out = emptyTensor(t.dtype, reducedShape(t.shape, dims, keepdim));
  kernel(out.data, t.data, dims);
  return out;
}

/** The number of elements folded into each output element. */
export const reducedCount = (shape: readonly number[], dims: readonly number[]): number => dims.reduce((n, d) => n * shape[d]!, 1);

/** The sum over `dim` (every element by default). */
export function sum(t: Tensor, options: ReduceOptions = {}): Tensor {
  const dims = foldedDims(options.dim, t.ndim);
  const out = reduceWith(t, dims, options.keepdim ?? false, sumInto);
  const name = options.dim === undefined || options.dim === null ? "SumBackward0" : "SumBackward1";
  return record(name, out, [t], (g) => [expandReduced(g, t.shape, dims)]);
}

/** A view broadcast to `shape` (size-1 dims stretched with stride 0; -1 keeps a size). */
export function expand(t: Tensor, shape: readonly number[]): Tensor {
  const lead = shape.length - t.ndim;
  if (lead < 0) {
    throw new Error(
      `expand(${t._typeAndShape()}, size=[${shape.join(", ")}]): the number of sizes provided (${shape.length}) must be greater or equal to the number of dimensions in the tensor (${t.ndim})`,
    );
  }
  const target = shape.map((s, i) => (s === -1 && i >= lead ? t.shape[i - lead]! : s));
  const out = new Tensor(expandView(t.data, target), t.dtype, t.storage)._viewOf(t);
  return record("ExpandBackward0", out, [t], (g) => [unbroadcast(g, t.shape)]);
}

/**
 * The gradient of a broadcast input: sums `grad` over the dimensions broadcasting added or
 * stretched, so it has `shape` again. Written once here; every broadcasting op uses it.
 */
export function unbroadcast(grad: Tensor, shape: readonly number[]): Tensor {
  const lead = grad.ndim - shape.length;
  const dims: number[] = [];
  for (let d = 0; d < grad.ndim; d++) {
    if (d < lead || (shape[d - lead] === 1 && grad.shape[d] !== 1)) dims.push(d);
  }
  if (dims.length === 0) return grad;
  if (grad.requires_grad && is_grad_enabled()) return reshape(sum(grad, { dim: dims, keepdim: true }), shape.slice());
  // nothing to record (a backward without create_graph): the same kernel straight into
  // `shape`, whose row-major order is that of the kept dims, as the sum and reshape give it
  const out = emptyTensor(grad.dtype, shape);
  sumInto(out.data, grad.data, dims);
  return out;
}
