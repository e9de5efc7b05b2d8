/**
 * The loops of `F.embedding` (aten/src/ATen/native/Embedding.cpp): the weight's gradient,
 * dense or sparse, and max_norm's in-place renorm of the looked-up rows. The weight is laid
 * out [numEmbeddings, dim] and `idx` holds the looked-up rows, one per position (checked to
 * be in range by the caller). The lookup itself is {@link gatherRows} (sparse_rows.ts):
 * out[k, :] = weight[idx[k], :].
 */
import { pow } from "../math/libm.ts";
import { fma32, fma64, keep } from "./rounding.ts";
import type { Float, View } from "./view.ts";

/**
 * The dense gradient of the weight, as PyTorch's embedding_dense_backward: pass zeros (a fresh
 * array) as `out`; `g` is the output's gradient laid out [positions, dim].
 *
 * ```text
 * for each position k in order, i = idx[k], unless i = padding_idx:
 *   out[i, :] ← out[i, :] + s·g[k, :]      s = 1 / count(i) if scale_grad_by_freq, else 1
 * ```
 * count(i) is how often i occurs in `idx`; the padding row gets nothing. Each row update is
 * PyTorch's `add(alpha=s)`: one fused multiply-add with s rounded to the dtype (rounding.ts).
 */
export function embeddingBackwardInto(
  out: Float,
  g: Float,
  dim: number,
  idx: ArrayLike<number>,
  padding_idx: number | null,
  scale_grad_by_freq: boolean,
): Float {
  const counts = new Map<number, number>();
  if (scale_grad_by_freq) for (let k = 0; k < idx.length; k++) counts.set(idx[k]!, (counts.get(idx[k]!) ?? 0) + 1);
  const float32 = out instanceof Float32Array;
  const fma = float32 ? fma32 : fma64;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    if (i === padding_idx) continue;
    if (!scale_grad_by_freq) {
      for (let j = 0; j < dim; j++) out[i * dim + j]! += g[k * dim + j]!; // s = 1: the FMA is the sum
      continue;
    }
    const s = float32 ? Math.fround(1 / counts.get(i)!) : 1 / counts.get(i)!;
    for (let j = 0; j < dim; j++) out[i * dim + j] = fma(s, g[k * dim + j]!, out[i * dim + j]!);
  }
  return out;
}

/** The positions k of `idx` whose row is not `padding_idx`, in order: the entries of the sparse gradient. */
export function nonPaddingPositions(idx: ArrayLike<number>, padding_idx: number | null): number[] {
  const kept: number[] = [];
  for (let k = 0; k < idx.length; k++) if (idx[k] !== padding_idx) kept.push(k);
  return kept;
}

/**
 * The sparse gradient of the weight, as PyTorch's embedding_sparse_backward: one entry per
 * kept position (see {@link nonPaddingPositions}), in input order and uncoalesced.
 *
 * ```text
 * rows[e] = idx[kept[e]],   values[e, :] = g[kept[e], :]
 * ```
 * Returns `values`; `rows` (the entries' indices, [1, nnz]) is written too.
 */
export function embeddingSparseGradInto(values: Float, rows: Float, g: Float, dim: number, idx: ArrayLike<number>, kept: readonly number[]): Float {
  for (let e = 0; e < kept.length; e++) {
    const k = kept[e]!;
    rows[e] = idx[k]!;
    values.set(g.subarray(k * dim, (k + 1) * dim), e * dim);
  }
  return values;
}

/**
 * max_norm's renorm, in place on the (possibly strided) weight view, as PyTorch's
 * embedding_renorm_: each distinct row i of `rows` is rescaled when its p-norm is too large.
 *
 * ```text
 * ‖w_i‖_p = (Σ_j |w_ij|^p)^(1/p)                  as PyTorch's norm computes it, see rowNorm
 * w_i ← w_i · max_norm / (‖w_i‖_p + 1e-7)        if ‖w_i‖_p > max_norm
 * ```
 * The scale is a float64 number; a float32 row is multiplied by it rounded to float32, as
 * PyTorch's `row *= scale` rounds a Python scalar to the tensor's dtype.
 */
export function renormRowsInto(weight: View, rows: ArrayLike<number>, max_norm: number, norm_type: number): View {
  const { data, offset, stride } = weight;
  const dim = weight.shape[1]!;
  const [rowStride, colStride] = [stride[0]!, stride[1]!];
  const float32 = data instanceof Float32Array;
  for (const i of new Set(Array.from(rows))) {
    const start = offset + i * rowStride;
    const norm = rowNorm(data, start, colStride, dim, norm_type);
    if (norm > max_norm) {
      const scale = max_norm / (norm + 1e-7);
      const factor = float32 ? Math.fround(scale) : scale;
      for (let j = 0; j < dim; j++) data[start + j * colStride]! *= factor;
    }
  }
  return weight;
}

/**
 * The p-norm of one row (`dim` elements from `start`, `step` apart), as torch 1.13's CPU norm
 * kernel rounds it (checked against it for lengths 1 to 512; tools/fixtures/nn_embedding.py):
 *
 * ```text
 * p = 0     count of non-zeros          p = ±∞   max / min of |x|
 * p = 1     Σ |x| in order, in the dtype
 * p = 2     float64: acc ← fma(x, x, acc) in order, then √acc
 *           float32: 8 lanes, lane_l ← fma(x, x, lane_l) over x[8q + l]; the lanes summed in
 *           order; the rest (n mod 8) added in order, products rounded for the first
 *           4·⌊(n mod 8)/4⌋ and fused after; √ in float32
 * other p   acc ← acc + |x|^p in order, then acc^(1/p), p and 1/p in the dtype (float32: each op rounded)
 * ```
 */
function rowNorm(data: Float, start: number, step: number, dim: number, p: number): number {
  let acc = 0;
  if (p === 0) {
    for (let j = 0, at = start; j < dim; j++, at += step) if (data[at] !== 0) acc++;
    return acc;
  }
  if (p === Infinity || p === -Infinity) {
    acc = p > 0 ? 0 : Infinity;
    for (let j = 0, at = start; j < dim; j++, at += step) acc = p > 0 ? Math.max(acc, Math.abs(data[at]!)) : Math.min(acc, Math.abs(data[at]!));
    return acc;
  }
  const f32 = data instanceof Float32Array;
  const round = f32 ? Math.fround : keep;
  if (p === 1) {
    for (let j = 0, at = start; j < dim; j++, at += step) acc = round(acc + Math.abs(data[at]!));
    return acc;
  }
  if (p === 2) return f32 ? twoNorm32(data, start, step, dim) : twoNorm64(data, start, step, dim);
  const q = round(p);
  for (let j = 0, at = start; j < dim; j++, at += step) acc = round(acc + round(pow(Math.abs(data[at]!), q)));
  return round(pow(acc, round(1 / q)));
}

/** ‖x‖₂ in float64: fused multiply-adds in order, then the square root. */
function twoNorm64(data: Float, start: number, step: number, dim: number): number {
  let acc = 0;
  for (let j = 0, at = start; j < dim; j++, at += step) acc = fma64(data[at]!, data[at]!, acc);
  return Math.sqrt(acc);
}

/** The 8 lanes of {@link twoNorm32}'s vectorised reduction (float32 values in float64). */
const lanes = new Float64Array(8);

/** ‖x‖₂ in float32, as the 8-lane vectorised reduction and its scalar tail round it (see rowNorm). */
function twoNorm32(data: Float, start: number, step: number, dim: number): number {
  const x = (j: number): number => data[start + j * step]!;
  const vectorEnd = dim - (dim % 8);
  lanes.fill(0);
  for (let q = 0; q < vectorEnd; q += 8) for (let l = 0; l < 8; l++) lanes[l] = fma32(x(q + l), x(q + l), lanes[l]!);
  let acc = lanes[0]!;
  for (let l = 1; l < 8; l++) acc = Math.fround(acc + lanes[l]!);
  const roundedEnd = vectorEnd + 4 * Math.floor((dim - vectorEnd) / 4);
  for (let j = vectorEnd; j < roundedEnd; j++) acc = Math.fround(acc + Math.fround(x(j) * x(j)));
  for (let j = roundedEnd; j < dim; j++) acc = fma32(x(j), x(j), acc);
  return Math.fround(Math.sqrt(acc));
}
