import { record } from "../autograd/node.ts";
import { extremumInto } from "../kernels/reduce.ts";
import { Tensor, emptyTensor, normalizeDim } from "../tensor/tensor.ts";
import { equalMask, zeroWhere } from "./masks.ts";
import { reducedShape, reductionDims, scalarTensor } from "./operands.ts";
import { expandReduced, sum, expand } from "./sum.ts";
import { div, mul } from "./arithmetic.ts";

/**
 * The selecting reductions: `max`/`min` (the extreme value, or values and indices along
 * a dim), `amax`/`amin` (extreme values over dims), `argmax`/`argmin` (indices only).
 * Ties pick the first occurrence and NaN wins over numbers, as PyTorch on the CPU.
 */

/**
 * PyTorch's `torch.return_types.max`, a named tuple: the extreme values and where they
 * are (int64), read as `r.values` / `r.indices` or unpacked as `const [values, indices] = r`.
 */
export type ValuesIndices = readonly [values: Tensor, indices: Tensor] & { readonly values: Tensor; readonly indices: Tensor };

const valuesIndices = (values: Tensor, indices: Tensor): ValuesIndices => Object.assign([values, indices] as const, { values, indices });

/** Options of reductions over one dim. */
export interface KeepdimOptions {
  keepdim?: boolean;
}

function checkNonEmpty(t: Tensor, dims: readonly number[], op: string): void {
  for (const d of dims) {
    if (t.shape[d] === 0) throw new Error(`${op}(): Expected reduction dim ${d} to have non-zero size.`);
  }
}

/** The largest (or smallest) element as a 0-d tensor; its gradient is shared equally among ties. */
function extremum(t: Tensor, smallest: boolean): Tensor {
  const op = smallest ? "min" : "max";
  if (t.numel() === 0) {
    throw new Error(`${op}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
  }
  const dims = reductionDims(null, t.ndim);
  const out = emptyTensor(t.dtype, []);
  extremumInto(out.data, null, t.data, dims, smallest);
  // As PyTorch's evenly_distribute_backward on the CPU: zeros with g / #ties written where
  // x = max (where x is NaN when the max is NaN), so other entries stay exact zeros even
  // for an infinite g.
  return record(
    smallest ? "MinBackward1" : "MaxBackward1",
    out,
    [t],
    (g) => {
      const ties = equalMask(t.detach(), out.detach(), true);
      const others = equalMask(ties, scalarTensor(0, ties.dtype));
      return [zeroWhere(expand(div(g, sum(ties)), t.shape.slice()), others)];
    },
    [t, out],
  );
}

/** The extreme values along `dim` and their indices; the gradient goes to the chosen index. */
function extremumAlong(t: Tensor, dim: number, keepdim: boolean, smallest: boolean): ValuesIndices {
  const d = normalizeDim(dim, t.ndim);
  const dims = t.ndim === 0 ? [] : [d];
  checkNonEmpty(t, dims, smallest ? "min" : "max");
  const shape = reducedShape(t.shape, dims, keepdim);
  const values = emptyTensor(t.dtype, shape);
  const indices = emptyTensor("int64", shape);
  extremumInto(values.data, indices.data, t.data, dims, smallest);
  record(smallest ? "MinBackward0" : "MaxBackward0", values, [t], (g) => {
    // PyTorch scatters g into zeros at the indices: exact zeros elsewhere, even for infinite g.
    const chosen = equalMask(positionsAlong(t.shape, d), expandReduced(indices, t.shape, dims));
    return [zeroWhere(expandReduced(g, t.shape, dims), equalMask(chosen, emptyTensor(chosen.dtype, [])))];
  });
  return valuesIndices(values, indices);
}

/** A constant tensor of `shape` whose entries are their own index along `dim`. */
function positionsAlong(shape: readonly number[], dim: number): Tensor {
  const out = emptyTensor("float64", shape);
  const inner = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  const size = shape[dim] ?? 1;
  const o = out.data.data;
  for (let i = 0; i < o.length; i++) o[i] = Math.floor(i / inner) % size;
  return out;
}

/** The max of all elements (0-d), or `{ values, indices }` along `dim`, as `torch.max`. */
export function max(t: Tensor): Tensor;
export function max(t: Tensor, dim: number, options?: KeepdimOptions): ValuesIndices;
export function max(t: Tensor, dim?: number, options: KeepdimOptions = {}): Tensor | ValuesIndices {
  return dim === undefined ? extremum(t, false) : extremumAlong(t, dim, options.keepdim ?? false, false);
}

/** The min of all elements (0-d), or `{ values, indices }` along `dim`, as `torch.min`. */
export function min(t: Tensor): Tensor;
export function min(t: Tensor, dim: number, options?: KeepdimOptions): ValuesIndices;
export function min(t: Tensor, dim?: number, options: KeepdimOptions = {}): Tensor | ValuesIndices {
  return dim === undefined ? extremum(t, true) : extremumAlong(t, dim, options.keepdim ?? false, true);
}

/** Options of `amax`/`amin`: the dims (all by default) and keepdim. */
export interface AmaxOptions {
  dim?: number | readonly number[];
  keepdim?: boolean;
}

/**
 * The extreme values over `dim`; the gradient is split equally among tied entries:
 *
 * ```text
 * ∂L/∂x = g · [x = amax] / #{x = amax}        (per output element)
 * ```
 */
function amaxOrAmin(t: Tensor, options: AmaxOptions, smallest: boolean): Tensor {
  const op = smallest ? "amin" : "amax";
  const dim = options.dim ?? [];
  const dims = reductionDims(typeof dim === "number" || dim.length > 0 ? dim : null, t.ndim);
  checkNonEmpty(t, dims, op);
  const out = emptyTensor(t.dtype, reducedShape(t.shape, dims, options.keepdim ?? false));
  extremumInto(out.data, null, t.data, dims, smallest);
  return record(
    smallest ? "AminBackward0" : "AmaxBackward0",
    out,
    [t],
    (g) => {
      const ties = equalMask(t.detach(), expandReduced(out.detach(), t.shape, dims));
      const count = sum(ties, { dim: dims, keepdim: true });
      return [mul(div(expandReduced(g, t.shape, dims), expandReduced(count, t.shape, dims)), ties)];
    },
    [t, out],
  );
}

/** The maximum over `dim` (every dim by default), as `torch.amax`. */
export const amax = (t: Tensor, options: AmaxOptions = {}): Tensor => amaxOrAmin(t, options, false);
/** The minimum over `dim` (every dim by default), as `torch.amin`. */
export const amin = (t: Tensor, options: AmaxOptions = {}): Tensor => amaxOrAmin(t, options, true);

/** Options of `argmax`/`argmin`: one dim (null: the flattened tensor) and keepdim. */
export interface ArgOptions {
  dim?: number | null;
  keepdim?: boolean;
}

function argExtremum(t: Tensor, options: ArgOptions, smallest: boolean): Tensor {
  const op = smallest ? "argmin" : "argmax";
  const dim = options.dim ?? null;
  if (dim === null) {
    if (t.numel() === 0) throw new Error(`${op}(): Expected reduction dim to be specified for input.numel() == 0.`);
    const out = emptyTensor("int64", options.keepdim ? t.shape.map(() => 1) : []);
    extremumInto(null, out.data, t.data, reductionDims(null, t.ndim), smallest);
    return out;
  }
  const d = normalizeDim(dim, t.ndim);
  const dims = t.ndim === 0 ? [] : [d];
  checkNonEmpty(t, dims, op);
  const out = emptyTensor("int64", reducedShape(t.shape, dims, options.keepdim ?? false));
  extremumInto(null, out.data, t.data, dims, smallest);
  return out;
}

/** The index of the largest element along `dim`, or in the flattened tensor (int64, not differentiable). */
export const argmax = (t: Tensor, options: ArgOptions = {}): Tensor => argExtremum(t, options, false);
/** The index of the smallest element along `dim`, or in the flattened tensor (int64, not differentiable). */
export const argmin = (t: Tensor, options: ArgOptions = {}): Tensor => argExtremum(t, options, true);

export const dimOptions = <O>(arg: number | O | undefined): O => (typeof arg === "number" ? ({ dim: arg } as O) : (arg ?? ({} as O)));
