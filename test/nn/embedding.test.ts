/**
 * F.embedding against PyTorch: the output, the weight after max_norm's in-place renorm, and the
 * weight's gradient, dense or sparse (its entries uncoalesced, in input order), for every
 * option. The loss is (embedding(indices, weight, ...) * W).sum().
 */
import { describe, expect, it } from "vitest";
import { F, type SparseTensor, tensor } from "gradlab";
import type { DType } from "gradlab";
import { TOL, expectClose, fixture } from "../helpers.ts";

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

/** Whether a case's arithmetic rounds (max_norm's norm and scale, scale_grad_by_freq's 1/count), not only copies and sums. */
const rounds = (c: EmbeddingCase): boolean => c.options.max_norm !== undefined || c.options.scale_grad_by_freq === true;

describe("F.embedding follows PyTorch", () => {
  it.each(cases)("within tolerance: $name", (c) => {
    const got = run(c);
    expect(Object.keys(got).sort()).toEqual(Object.keys(c.expected).sort());
    for (const key of Object.keys(c.expected) as (keyof EmbeddingCase["expected"])[]) {
      expectClose(got[key] as number[], c.expected[key] as number[], TOL[c.dtype as "float32" | "float64"], key);
    }
  });
  // Lookups, sums of gradient rows and sparse entries only copy and add in PyTorch's order.
  it.each(cases.filter((c) => !rounds(c)))("bit for bit: $name", (c) => {
    expect(run(c)).toEqual(c.expected);
  });
});
