import { record } from "../autograd/node.ts";
import { logsumexpInto, meanInto, varInto } from "../kernels/reduce.ts";
import { Tensor, emptyTensor } from "../tensor/tensor.ts";
import { equalMask, zeroWhere } from "./masks.ts";
import { type ReduceOptions, expandReduced, foldedDims, reduceWith, reducedCount, sum } from "./sum.ts";
import { scalarTensor } from "./operands.ts";
import { div, sub, mul } from "./arithmetic.ts";
import { to, contiguous } from "./copy.ts";

/**
 * Reductions that fold numbers together: `sum`, `mean`, `var`, `std`, `logsumexp`
 * (`norm` is in norm.ts; `max`, `min`, `amax`, `amin`, `argmax`, `argmin` in minmax.ts).
 * Each runs a single-pass kernel of src/kernels/reduce.ts that accumulates in float64.
 */

function requireFloating(t: Tensor, op: string): void {
  if (t.dtype === "int64") {
    throw new Error(`${op}(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long`);
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
  return record(name, out, [t], (g) => [div(expandReduced(g, t.shape, dims), n)]);
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
    throw new Error(`${op}() received an invalid combination of arguments - got (correction=int, unbiased=bool), but expected one of:`);
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
        gVar = zeroWhere(div(g, mul(out, 2)), equalMask(out, scalarTensor(0, out.dtype)));
      }
      if (degenerate) return [mul(expandReduced(gVar, t.shape, dims), infiniteSlope(t))];
      const centred = sub(t, mean(t, { dim: dims, keepdim: true }));
      return [mul(expandReduced(mul(gVar, 2 / dof), t.shape, dims), centred)];
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
  const atMean = equalMask(x, mean(x));
  const out = emptyTensor(atMean.dtype, atMean.shape);
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
  const source = t.dtype === "int64" ? to(t, "float32") : t;
  const out = reduceWith(source, dims, options.keepdim ?? false, logsumexpInto);
  return record("LogsumexpBackward0", out, [t], (g) => [mul(expandReduced(g, t.shape, dims), softmaxWeights(t, out, dims))], [t, out]);
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
  const w = emptyTensor(t.dtype, t.shape);
  const shift = contiguous(expandReduced(lse.detach(), t.shape, dims));
  const x = contiguous(t.detach());
  const wd = w.data.data;
  // As PyTorch's logsumexp_backward, exp(x − lse) as is: NaN where both are the same infinity.
  for (let i = 0; i < wd.length; i++) wd[i] = Math.exp(x.data.data[x.data.offset + i]! - shift.data.data[shift.data.offset + i]!);
  return record("SoftmaxBackward0", w, [t], (gw) => [mul(w, sub(gw, sum(mul(gw, w), { dim: dims, keepdim: true })))], [w]);
}
