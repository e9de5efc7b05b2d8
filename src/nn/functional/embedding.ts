import { no_grad } from "../../autograd/grad_mode.ts";
import { record } from "../../autograd/node.ts";
import { Tensor } from "../../methods.ts";
import { emptyTensor } from "../../tensor/tensor.ts";
import { SparseTensor } from "../../ops/sparse.ts";
import { type IndexLike, asIndexTensor, embeddingIndexExpected } from "./indices.ts";
import { type Arguments, anything, boolean, integer, nullable, number, optional, required, signature } from "../../utils/signature.ts";
import { tensorKind } from "../signatures.ts";

/** Options of `embedding`, with PyTorch's defaults. */
export interface EmbeddingOptions {
  padding_idx?: number | null;
  max_norm?: number | null;
  norm_type?: number;
  scale_grad_by_freq?: boolean;
  sparse?: boolean;
}

/**
 * `embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
 * scale_grad_by_freq=False, sparse=False)`, as PyTorch declares it.
 */
export const embeddingSignature = signature("embedding", [
  required("input", anything<IndexLike>()),
  required("weight", tensorKind),
  optional("padding_idx", nullable(integer), null),
  optional("max_norm", nullable(number), null),
  optional("norm_type", number, 2.0),
  optional("scale_grad_by_freq", boolean, false),
  optional("sparse", boolean, false),
]);

/**
 * Rows of `weight` picked by integer indices, as `torch.nn.functional.embedding`:
 * out[…, :] = weight[input[…], :], of shape [...input.shape, embedding_dim].
 *
 * ```text
 * backward   ∂L/∂weight[i] = Σ over positions k with input[k] = i of ∂L/∂out[k]
 *            ÷ count(i) in the batch        if scale_grad_by_freq
 *            0 for i = padding_idx          (the padding row never learns)
 * max_norm   before the lookup, each referenced row with ‖row‖_p > max_norm is rescaled in
 *            place by max_norm / (‖row‖_p + 1e-7)
 * sparse     the gradient is a SparseTensor: one entry per looked-up position (padding
 *            positions left out), in input order and uncoalesced, as PyTorch's
 *            embedding_sparse_backward; scale_grad_by_freq is refused there, as in PyTorch
 * ```
 */
export function embedding(...args: Arguments<typeof embeddingSignature>): Tensor {
  const options = embeddingSignature.parse(args);
  const { input, weight, max_norm, norm_type, scale_grad_by_freq, sparse } = options;
  const indices = asIndexTensor(input, embeddingIndexExpected).contiguous();
  const [num_embeddings, dim] = [weight.shape[0]!, weight.shape[1]!];
  let padding_idx = options.padding_idx ?? null;
  if (padding_idx !== null) {
    if (padding_idx >= num_embeddings || padding_idx < -num_embeddings) throw new Error("Padding_idx must be within num_embeddings");
    if (padding_idx < 0) padding_idx += num_embeddings;
  }
  const idx = indices.data.data;
  const start = indices.data.offset;
  const n = indices.numel();
  for (let k = 0; k < n; k++) {
    const i = idx[start + k]!;
    if (i < 0 || i >= num_embeddings) throw new Error("index out of range in self");
  }
  if (max_norm !== null) no_grad(() => renormRows(weight, idx.subarray(start, start + n), max_norm, norm_type));
  const w = weight.contiguous();
  const out = emptyTensor(weight.dtype, [...indices.shape, dim]);
  const o = out.data.data;
  const wd = w.data.data;
  const wo = w.data.offset;
  for (let k = 0; k < n; k++) o.set(wd.subarray(wo + idx[start + k]! * dim, wo + (idx[start + k]! + 1) * dim), k * dim);
  return record(
    "EmbeddingBackward0",
    out,
    [weight],
    (g) => {
      if (sparse) return [sparseEmbeddingGrad(g, idx.subarray(start, start + n), num_embeddings, dim, padding_idx, scale_grad_by_freq)];
      const grad = emptyTensor(weight.dtype, weight.shape);
      const gw = grad.data.data;
      const gc = g.contiguous();
      const gd = gc.data.data;
      const go = gc.data.offset;
      const counts = new Map<number, number>();
      if (scale_grad_by_freq) for (let k = 0; k < n; k++) counts.set(idx[start + k]!, (counts.get(idx[start + k]!) ?? 0) + 1);
      for (let k = 0; k < n; k++) {
        const i = idx[start + k]!;
        if (i === padding_idx) continue;
        const scale = scale_grad_by_freq ? 1 / counts.get(i)! : 1;
        for (let j = 0; j < dim; j++) gw[i * dim + j]! += gd[go + k * dim + j]! * scale;
      }
      return [grad];
    },
    [indices],
  );
}

/** The sparse gradient of the weight: row idx[k] gets g[k, :] for every non-padding position k. */
function sparseEmbeddingGrad(
  g: Tensor,
  idx: ArrayLike<number>,
  num_embeddings: number,
  dim: number,
  padding_idx: number | null,
  scale_grad_by_freq: boolean,
): SparseTensor {
  if (scale_grad_by_freq) throw new Error("embedding_backward: scale_grad_by_freq not supported with sparse gradients");
  const kept: number[] = [];
  for (let k = 0; k < idx.length; k++) if (idx[k] !== padding_idx) kept.push(k);
  const indices = emptyTensor("int64", [1, kept.length]);
  const values = emptyTensor(g.dtype, [kept.length, dim]);
  const gc = g.contiguous();
  const gd = gc.data.data;
  const go = gc.data.offset;
  kept.forEach((k, e) => {
    indices.data.data[e] = idx[k]!;
    values.data.data.set(gd.subarray(go + k * dim, go + (k + 1) * dim), e * dim);
  });
  const grad = new SparseTensor(indices, values, [num_embeddings, dim]);
  grad.contiguousValues = g.is_contiguous(); // PyTorch's values are g reshaped: a view when g is one
  return grad;
}

/** Rescales, in place, the rows of `weight` named in `rows` whose p-norm exceeds `max_norm`. */
function renormRows(weight: Tensor, rows: ArrayLike<number>, max_norm: number, norm_type: number): void {
  const { data, offset, stride } = weight.data;
  const dim = weight.shape[1]!;
  for (const i of new Set(Array.from(rows))) {
    let acc = 0;
    for (let j = 0; j < dim; j++) acc += Math.abs(data[offset + i * stride[0]! + j * stride[1]!]!) ** norm_type;
    const norm = acc ** (1 / norm_type);
    if (norm > max_norm) {
      const scale = max_norm / (norm + 1e-7);
      for (let j = 0; j < dim; j++) data[offset + i * stride[0]! + j * stride[1]!]! *= scale;
    }
  }
  weight._bumpVersion();
}
