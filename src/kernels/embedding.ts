/**
 * The loops of `F.embedding` (aten/src/ATen/native/Embedding.cpp): the weight's gradient,
 * dense or sparse, and max_norm's in-place renorm of the looked-up rows. The weight is laid
 * out [numEmbeddings, dim] and `idx` holds the looked-up rows, one per position (checked to
 * be in range by the caller). The lookup itself is {@link gatherRows} (sparse_rows.ts):
 * out[k, :] = weight[idx[k], :].
 */
import type { Float, View } from "./view.ts";

/**
 * The dense gradient of the weight, as PyTorch's embedding_dense_backward: pass zeros (a fresh
 * array) as `out`; `g` is the output's gradient laid out [positions, dim].
 *
 * ```text
 * for each position k in order, i = idx[k], unless i = padding_idx:
 *   out[i, :] ← out[i, :] + g[k, :] · s      s = 1 / count(i) if scale_grad_by_freq, else 1
 * ```
 * count(i) is how often i occurs in `idx`; the padding row gets nothing.
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
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    if (i === padding_idx) continue;
    const scale = scale_grad_by_freq ? 1 / counts.get(i)! : 1;
    for (let j = 0; j < dim; j++) out[i * dim + j]! += g[k * dim + j]! * scale;
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
 * ‖w_i‖_p = (Σ_j |w_ij|^p)^(1/p)
 * w_i ← w_i · max_norm / (‖w_i‖_p + 1e-7)     if ‖w_i‖_p > max_norm
 * ```
 */
export function renormRowsInto(weight: View, rows: ArrayLike<number>, max_norm: number, norm_type: number): View {
  const { data, offset, stride } = weight;
  const dim = weight.shape[1]!;
  const [rowStride, colStride] = [stride[0]!, stride[1]!];
  for (const i of new Set(Array.from(rows))) {
    let acc = 0;
    for (let j = 0; j < dim; j++) acc += Math.abs(data[offset + i * rowStride + j * colStride]!) ** norm_type;
    const norm = acc ** (1 / norm_type);
    if (norm > max_norm) {
      const scale = max_norm / (norm + 1e-7);
      for (let j = 0; j < dim; j++) data[offset + i * rowStride + j * colStride]! *= scale;
    }
  }
  return weight;
}
