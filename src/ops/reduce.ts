import { record } from "../autograd/node.ts";
import { logsumexpInto, meanInto, sumInto, varInto } from "../kernels/reduce.ts";
import { Tensor, emptyTensor } from "../tensor/tensor.ts";
import { equalMask, zeroWhere } from "./masks.ts";
import { reducedShape, reductionDims, scalarTensor } from "./operands.ts";

/**
 * Reductions that fold numbers together: `sum`, `mean`, `var`, `std`, `logsumexp`
 * (`norm` is in norm.ts; `max`, `min`, `amax`, `amin`, `argmax`, `argmin` in minmax.ts).
 * Each runs a single-pass kernel of src/kernels/reduce.ts that accumulates in float64.
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
  return g.reshape(reducedShape(shape, dims, true)).expand(shape.slice());
}

/** Runs a reduction kernel into a fresh tensor of the reduced shape. */
function reduceWith(
  t: Tensor,
  dims: readonly number[],
  keepdim: boolean,
  kernel: (out: Tensor["data"], x: Tensor["data"], dims: readonly number[]) => unknown,
): Tensor {
  const out = emptyTensor(t.dtype, reducedShape(t.shape, dims, keepdim), false);
  kernel(out.data, t.data, dims);
  return out;
}

/** The number of elements folded into each output element. */
const reducedCount = (shape: readonly number[], dims: readonly number[]): number =>
  dims.reduce((n, d) => n * shape[d]!, 1);

/** The sum over `dim` (every element by default). */
export function sum(t: Tensor, options: ReduceOptions = {}): Tensor {
  const dims = foldedDims(options.dim, t.ndim);
  const out = reduceWith(t, dims, options.keepdim ?? false, sumInto);
  const name = options.dim === undefined || options.dim === null ? "SumBackward0" : "SumBackward1";
  return record(name, out, [t], (g) => [expandReduced(g, t.shape, dims)]);
}

function requireFloating(t: Tensor, op: string): void {
  if (t.dtype === "int64") {
    throw new Error(
      `${op}(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long`,
    );
  }
}

/**
 * The arithmetic mean over `dim` (every element by default).
 *
 * ```text
 * mean = (Σ x) / n        ∂mean/∂x = 1/n
 * ```
 */
export function mean(t: Tensor, options: ReduceOptions = {}): Tensor {
  requireFloating(t, "mean");
  const dims = foldedDims(options.dim, t.ndim);
  const out = reduceWith(t, dims, options.keepdim ?? false, meanInto);
  const n = reducedCount(t.shape, dims);
  const name = options.dim === undefined || options.dim === null ? "MeanBackward0" : "MeanBackward1";
  return record(name, out, [t], (g) => [expandReduced(g, t.shape, dims).div(n)]);
}

/**
 * Options of `var` and `std`: `correction` is subtracted from the count in the divisor
 * (1, Bessel's correction, by default); the legacy `unbiased: false` means correction 0.
 */
export interface VarOptions extends ReduceOptions {
  correction?: number | null;
  unbiased?: boolean;
}

function correctionOf(options: VarOptions, op: string): number {
  if (options.unbiased !== undefined && options.correction !== undefined && options.correction !== null) {
    throw new Error(
      `${op}() received an invalid combination of arguments - got (correction=int, unbiased=bool), but expected one of:`,
    );
  }
  if (options.unbiased !== undefined) return options.unbiased ? 1 : 0;
  return options.correction ?? 1;
}

/**
 * The variance over `dim` (every element by default), with `correction` (default 1).
 *
 * ```text
 * μ = (Σ x) / n
 * var = Σ (x − μ)² / max(0, n − correction)
 * ∂L/∂x = (g · 2/(n − correction))·(x − μ)
 * ```
 * As PyTorch's var_backward, a reduction over all elements (no `dim`) with n ≤ correction
 * gives g·NaN where x = μ and g·∞ elsewhere; with `dim` given, the formula above holds as
 * is (2/0 = ∞, or a negative factor when correction > n).
 */
export function var_(t: Tensor, options: VarOptions = {}): Tensor {
  return variance(t, options, false);
}

/**
 * The standard deviation over `dim`: √var, with `correction` as in {@link var_}.
 * Its gradient ∂std/∂x = (x − μ) / ((n − correction)·std) is 0 where std is 0, as in PyTorch.
 */
export function std(t: Tensor, options: VarOptions = {}): Tensor {
  return variance(t, options, true);
}

function variance(t: Tensor, options: VarOptions, sqrt: boolean): Tensor {
  const op = sqrt ? "std" : "var";
  if (t.dtype === "int64") throw new Error("std and var only support floating point and complex dtypes");
  const correction = correctionOf(options, op);
  const dims = foldedDims(options.dim, t.ndim);
  const out = reduceWith(t, dims, options.keepdim ?? false, (o, x, d) => varInto(o, x, d, correction, sqrt));
  const dof = reducedCount(t.shape, dims) - correction;
  // PyTorch's var_backward special-cases only a reduction over everything (no dim given).
  const degenerate = dof <= 0 && (options.dim === undefined || options.dim === null || t.ndim === 0);
  return record(
    sqrt ? "StdBackward0" : "VarBackward0",
    out,
    [t],
    (g) => {
      let gVar = g;
      if (sqrt) {
        // g / (2·std), with 0 where std = 0 (PyTorch masks those entries).
        gVar = zeroWhere(g.div(out.mul(2)), equalMask(out, scalarTensor(0, out.dtype)));
      }
      if (degenerate) return [expandReduced(gVar, t.shape, dims).mul(infiniteSlope(t))];
      const centred = t.sub(t.mean({ dim: dims, keepdim: true }));
      return [expandReduced(gVar.mul(2 / dof), t.shape, dims).mul(centred)];
    },
    [t, out],
  );
}

/**
 * The factor PyTorch's var_backward uses when n ≤ correction (2 / (n − correction) is not
 * finite): NaN where x equals its mean (∞·0), +∞ elsewhere, whatever the sign of x − μ.
 */
function infiniteSlope(t: Tensor): Tensor {
  const x = t.detach();
  const atMean = equalMask(x, x.mean());
  const out = emptyTensor(atMean.dtype, atMean.shape, false);
  const m = atMean.data.data;
  const o = out.data.data;
  for (let i = 0; i < o.length; i++) o[i] = m[i] !== 0 ? NaN : Infinity;
  return out;
}

/**
 * log Σ exp(x) over `dim`, computed stably (the running maximum is factored out).
 *
 * ```text
 * out = m + log Σ exp(x − m),  m = max x
 * ∂out/∂x = exp(x − out)        (the softmax of x over dim)
 * ```
 */
export function logsumexp(t: Tensor, dim: number | readonly number[], options: { keepdim?: boolean } = {}): Tensor {
  const dims = foldedDims(dim, t.ndim);
  const source = t.dtype === "int64" ? t.to("float32") : t;
  const out = reduceWith(source, dims, options.keepdim ?? false, logsumexpInto);
  return record("LogsumexpBackward0", out, [t], (g) => [expandReduced(g, t.shape, dims).mul(softmaxWeights(t, out, dims))], [t, out]);
}

/**
 * exp(x − lse) over `dims`, recorded with the softmax's own backward rule so that
 * gradients of logsumexp's gradient are exact:
 *
 * ```text
 * w = exp(x − lse)        ∂L/∂x = w·(gw − Σ_dims gw·w)
 * ```
 */
function softmaxWeights(t: Tensor, lse: Tensor, dims: readonly number[]): Tensor {
  const w = emptyTensor(t.dtype, t.shape, false);
  const shift = expandReduced(lse.detach(), t.shape, dims).contiguous();
  const x = t.detach().contiguous();
  const wd = w.data.data;
  // As PyTorch's logsumexp_backward, exp(x − lse) as is: NaN where both are the same infinity.
  for (let i = 0; i < wd.length; i++) wd[i] = Math.exp(x.data.data[x.data.offset + i]! - shift.data.data[shift.data.offset + i]!);
  return record("SoftmaxBackward0", w, [t], (gw) => [w.mul(gw.sub(gw.mul(w).sum({ dim: dims, keepdim: true })))], [w]);
}

declare module "../tensor/tensor.ts" {
  interface Tensor {
    sum(dim?: number | readonly number[] | ReduceOptions | null): Tensor;
    mean(dim?: number | readonly number[] | ReduceOptions | null): Tensor;
    var(dim?: number | readonly number[] | VarOptions | null): Tensor;
    std(dim?: number | readonly number[] | VarOptions | null): Tensor;
    logsumexp(dim: number | readonly number[], options?: { keepdim?: boolean }): Tensor;
  }
}

Tensor.prototype.sum = function (arg) {
  return sum(this, reduceOptions(arg));
};
Tensor.prototype.mean = function (arg) {
  return mean(this, reduceOptions(arg));
};
Tensor.prototype.var = function (arg) {
  return var_(this, reduceOptions<VarOptions>(arg));
};
Tensor.prototype.std = function (arg) {
  return std(this, reduceOptions<VarOptions>(arg));
};
Tensor.prototype.logsumexp = function (dim, options) {
  return logsumexp(this, dim, options);
};
