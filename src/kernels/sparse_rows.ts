/**
 * Row loops of sparse COO tensors whose sparse part is the first dimension (the gradients
 * `nn.Embedding(..., { sparse: true })` makes): `rows[k]` names the row of a dense
 * [numRows, width] buffer that the k-th row of `values` belongs to. Out-first, one pass.
 */
import type { Float } from "./view.ts";
import { fma32, fma64, keep } from "./rounding.ts";

/** How the sparse kernels round in a dtype: what it stores, and `a·b + c` as one exact FMA. */
export interface SparseRounding {
  round: (x: number) => number;
  fma: (a: number, b: number, c: number) => number;
}

/**
 * The rounding of PyTorch's sparse CPU kernels for a dtype: every op rounded to it, and
 * `dense.add_(sparse, alpha=α)` (an axpy per entry) and the merge of two entry lists as
 * fused multiply-adds, exact in both dtypes ({@link fma32}, {@link fma64}: these loops are
 * per looked-up row, not per element of a parameter, so the exact float64 FMA is affordable).
 */
export const sparseRounding = (dtype: string): SparseRounding => (dtype === "float32" ? { round: Math.fround, fma: fma32 } : { round: keep, fma: fma64 });

/**
 * dense[rows[k], :] ← dense[rows[k], :] + α·values[k, :] for k = 0…nnz−1 in order, as
 * PyTorch's dense `add_(sparse, alpha=α)` adds one sparse entry after the other (a repeated
 * row is added twice, not summed first). `fma(a, b, c)` = a·b + c as the dtype's kernel rounds it.
 */
export function addRowsInto(
  dense: Float,
  width: number,
  rows: ArrayLike<number>,
  values: Float,
  alpha: number,
  fma: (a: number, b: number, c: number) => number,
): Float {
  for (let k = 0; k < rows.length; k++) {
    const base = rows[k]! * width;
    const from = k * width;
    for (let j = 0; j < width; j++) dense[base + j] = fma(alpha, values[from + j]!, dense[base + j]!);
  }
  return dense;
}

/** out[k, :] ← dense[rows[k], :]: the dense rows a sparse tensor names (PyTorch's `sparse_mask(...)._values()`). */
export function gatherRows(out: Float, dense: Float, width: number, rows: ArrayLike<number>): Float {
  for (let k = 0; k < rows.length; k++) out.set(dense.subarray(rows[k]! * width, (rows[k]! + 1) * width), k * width);
  return out;
}

/**
 * Coalescing: the distinct rows in increasing order, and for each entry k the position of
 * its row among them (a stable sort, so repeated rows are summed in the order they came).
 */
export function coalescePlan(rows: ArrayLike<number>): { unique: number[]; slot: Int32Array } {
  const order = Array.from({ length: rows.length }, (_, k) => k).sort((a, b) => rows[a]! - rows[b]! || a - b);
  const unique: number[] = [];
  const slot = new Int32Array(rows.length);
  for (const k of order) {
    if (unique.length === 0 || unique[unique.length - 1] !== rows[k]) unique.push(rows[k]!);
    slot[k] = unique.length - 1;
  }
  return { unique, slot };
}
