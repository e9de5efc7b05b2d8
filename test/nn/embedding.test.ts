/**
 * F.embedding against PyTorch, bit for bit: the output, the weight after max_norm's in-place renorm, and the
 * weight's gradient, dense or sparse (its entries uncoalesced, in input order), for every
 * option. The loss is (embedding(indices, weight, ...) * W).sum().
 */
import { describe, expect, it } from "vitest";
import { F, type SparseTensor, tensor } from "gradlab";
import type { DType } from "gradlab";
import { fixture } from "../helpers.ts";

// expected values: tools/fixtures/nn_embedding.py (torch 1.13), float32 and float64 cases
interface EmbeddingCase {
  name: string;
  dtype: DType;
  rows: number;
  dim: number;
  weight: number[];
  indices: number[][];
  W: number[];
  options: { padding_idx?: number; max_norm?: number; norm_type?: number; scale_grad_by_freq?: boolean; sparse?: boolean };
  expected: { out: number[]; weight_after: number[]; grad?: number[]; grad_indices?: number[][]; grad_values?: number[]; grad_values_shape?: number[] };
}
const cases = fixture<{ cases: EmbeddingCase[] }>("nn/embedding").cases;

/** Runs the case's lookup and backward; returns what PyTorch recorded, as plain numbers. */
function run(c: EmbeddingCase) {
  const weight = tensor(c.weight, { dtype: c.dtype }).reshape([c.rows, c.dim]).detach().requires_grad_();
  const out = F.embedding(c.indices, weight, c.options);
  out
    .mul(tensor(c.W, { dtype: c.dtype }).reshape(out.shape))
    .sum()
    .backward();
  const grad = weight.grad!;
  const flat = (t: { tolist(): unknown }) => [t.tolist()].flat(3) as number[];
  const result: EmbeddingCase["expected"] = { out: flat(out), weight_after: flat(weight.detach()) };
  if (grad.is_sparse) {
    const sparse = grad as SparseTensor;
    result.grad_indices = sparse._indices().tolist() as number[][];
    result.grad_values = flat(sparse._values());
    result.grad_values_shape = [...sparse._values().shape];
  } else {
    result.grad = flat(grad);
  }
  return result;
}

describe("F.embedding follows PyTorch bit for bit", () => {
  // The lookup and the sparse entries copy; the dense gradient adds in PyTorch's order, fused
  // with 1/count for scale_grad_by_freq; max_norm's norm rounds as torch's norm kernel does.
  it.each(cases)("$name", (c) => {
    expect(run(c)).toEqual(c.expected);
  });
});
