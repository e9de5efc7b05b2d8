import { no_grad } from "../../autograd/grad_mode.ts";
import { record } from "../../autograd/node.ts";
import { Tensor } from "../../methods.ts";
import { emptyTensor } from "../../tensor/tensor.ts";
import type { Float } from "../../tensor/dtype.ts";
import { embeddingBackwardInto, embeddingSparseGradInto, nonPaddingPositions, renormRowsInto } from "../../kernels/embedding.ts";
import { firstOutOfRange } from "../../kernels/indices.ts";
import { gatherRows } from "../../kernels/sparse_rows.ts";
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
  const idx = rowsOf(indices);
  if (firstOutOfRange(idx, num_embeddings, null) !== -1) throw new Error("index out of range in self");
  if (max_norm !== null) {
    no_grad(() => renormRowsInto(weight.data, idx, max_norm, norm_type));
    weight._bumpVersion();
  }
  const out = emptyTensor(weight.dtype, [...indices.shape, dim]);
  gatherRows(out.data.data, rowsOf(weight.contiguous()), dim, idx);
  return record(
    "EmbeddingBackward0",
    out,
    [weight],
    (g) => {
      if (sparse) return [sparseEmbeddingGrad(g, idx, num_embeddings, dim, padding_idx, scale_grad_by_freq)];
      const grad = emptyTensor(weight.dtype, weight.shape);
      embeddingBackwardInto(grad.data.data, rowsOf(g.contiguous()), dim, idx, padding_idx, scale_grad_by_freq);
      return [grad];
    },
    [indices],
  );
}

/** The elements of a contiguous tensor, in row-major order, as a typed array (no copy). */
const rowsOf = (t: Tensor): Float => t.data.data.subarray(t.data.offset, t.data.offset + t.numel());

/** The sparse gradient of the weight: row idx[k] gets g[k, :] for every non-padding position k. */
function sparseEmbeddingGrad(
  g: Tensor,
  idx: Float,
  num_embeddings: number,
  dim: number,
  padding_idx: number | null,
  scale_grad_by_freq: boolean,
): SparseTensor {
  if (scale_grad_by_freq) throw new Error("embedding_backward: scale_grad_by_freq not supported with sparse gradients");
  const kept = nonPaddingPositions(idx, padding_idx);
  const indices = emptyTensor("int64", [1, kept.length]);
  const values = emptyTensor(g.dtype, [kept.length, dim]);
  embeddingSparseGradInto(values.data.data, indices.data.data, rowsOf(g.contiguous()), dim, idx, kept);
  const grad = new SparseTensor(indices, values, [num_embeddings, dim]);
  grad.contiguousValues = g.is_contiguous(); // PyTorch's values are g reshaped: a view when g is one
  return grad;
}
