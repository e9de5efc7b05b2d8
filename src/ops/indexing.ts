import { record } from "../autograd/node.ts";
import { expandView } from "../kernels/broadcast.ts";
import { gatherInto, scatterAddInto } from "../kernels/gather.ts";
import { tensor } from "../tensor/creation.ts";
import { type NestedArray, Tensor, emptyTensor, normalizeDim } from "../tensor/tensor.ts";
import { reshape } from "./reshape.ts";

/**
 * Selecting entries by integer index along one dim: `index_select` (whole slices, in the
 * order of a vector of indices) and `gather` (one entry per index position). Indices are
 * an int64 tensor or plain numbers. Each backward adds the gradient back at the selected
 * places (scatter-add), and that rule's own backward gathers again.
 */

/** An index argument: an int64 tensor, or (nested) arrays of integers. */
export type IndexLike = Tensor | NestedArray;

function asIndex(index: IndexLike, op: string, dtypeMessage: string): Tensor {
  if (!(index instanceof Tensor)) return tensor(index, { dtype: "int64" });
  if (index.dtype !== "int64") throw new Error(`${op}(): ${dtypeMessage}`);
  return index;
}

/** The index values in row-major order, checked to lie in [0, size). */
function checkRange(index: Tensor, size: number, message: (value: number) => string): void {
  const values = index.toTypedArray();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < 0 || v >= size) throw new Error(message(v));
  }
}

/**
 * The slices of `t` along `dim` at the positions listed by `index` (a vector), in that order.
 *
 * ```text
 * out[…, j, …] = t[…, index[j], …]        (j along dim)
 * ∂L/∂t[…, i, …] = Σ_{j: index[j] = i} g[…, j, …]
 * ```
 */
export function index_select(t: Tensor, dim: number, index: IndexLike): Tensor {
  const idx = asIndex(index, "index_select", "Expected dtype int32 or int64 for index");
  if (idx.ndim > 1) throw new Error("index_select(): Index is supposed to be a vector");
  const d = normalizeDim(dim, t.ndim);
  const size = t.ndim === 0 ? 1 : t.shape[d]!;
  checkRange(idx, size, () => "index out of range in self");
  const shape = t.shape.slice();
  if (t.ndim > 0) shape[d] = idx.numel();
  const spread = spreadIndex(idx, shape, d);
  const out = emptyTensor(t.dtype, shape);
  gatherInto(out.data, t.data, spread.data, t.ndim === 0 ? 0 : d);
  return record("IndexSelectBackward0", out, [t], (g) => [scatterAdd(g, t.shape, spread, d)]);
}

/** A 1-D index viewed along `dim` of `shape` with stride 0 elsewhere (no copy). */
function spreadIndex(idx: Tensor, shape: readonly number[], dim: number): Tensor {
  if (shape.length === 0) return reshape(idx, []);
  const column = reshape(
    idx,
    shape.map((s, i) => (i === dim ? s : 1)),
  );
  // A Tensor, not a bare view: holding the storage keeps the pooled buffer alive.
  return new Tensor(expandView(column.data, shape), "int64", column.storage);
}

/**
 * Zeros of `shape` with `src` added at the positions `index` selects along `dim`
 * (PyTorch's `scatter_add`), recorded so that its gradient is `gather` of the incoming one.
 */
function scatterAdd(src: Tensor, shape: readonly number[], index: Tensor, dim: number): Tensor {
  const out = emptyTensor(src.dtype, shape);
  scatterAddInto(out.data, src.data, index.data, shape.length === 0 ? 0 : dim);
  return record("ScatterAddBackward0", out, [src], (g) => {
    const back = emptyTensor(g.dtype, index.shape);
    gatherInto(back.data, g.data, index.data, shape.length === 0 ? 0 : dim);
    return [record("GatherBackward0", back, [g], (gg) => [scatterAdd(gg, shape, index, dim)])];
  });
}

/**
 * The entries of `t` picked along `dim` by `index`, which has t's number of dims and is
 * no larger than t in the other dims.
 *
 * ```text
 * out[i] = t[i with i_dim ← index[i]]
 * ∂L/∂t = scatter_add of g at the same positions
 * ```
 */
export function gather(t: Tensor, dim: number, index: IndexLike): Tensor {
  const idx = asIndex(index, "gather", "Expected dtype int64 for index");
  const d = normalizeDim(dim, t.ndim);
  if (Math.max(idx.ndim, 1) !== Math.max(t.ndim, 1)) {
    throw new Error("Index tensor must have the same number of dimensions as input tensor");
  }
  for (let k = 0; k < idx.ndim; k++) {
    if (k !== d && idx.shape[k]! > t.shape[k]!) {
      throw new Error(
        `Size does not match at dimension ${k} expected index [${idx.shape.join(", ")}] to be smaller than self [${t.shape.join(", ")}] apart from dimension ${d}`,
      );
    }
  }
  const size = t.ndim === 0 ? 1 : t.shape[d]!;
  checkRange(idx, size, (v) => `index ${v} is out of bounds for dimension ${d} with size ${size}`);
  const index0 = t.ndim === 0 ? reshape(idx, []) : idx;
  const out = emptyTensor(t.dtype, index0.shape);
  gatherInto(out.data, t.data, index0.data, t.ndim === 0 ? 0 : d);
  return record("GatherBackward0", out, [t], (g) => [scatterAdd(g, t.shape, index0, d)]);
}
