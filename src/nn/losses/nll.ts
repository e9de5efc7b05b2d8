import { record } from "../../autograd/node.ts";
import { firstOutOfRange } from "../../kernels/indices.ts";
import { nllGradMaskInto, nllInto } from "../../kernels/nll.ts";
import { contiguousElements } from "../../kernels/view.ts";
import { isFloating } from "../../tensor/dtype.ts";
import { tensor } from "../../tensor/creation.ts";
import { Tensor } from "../../methods.ts";
import { emptyTensor } from "../../tensor/tensor.ts";
import { type IndexLike, longExpected } from "../functional/indices.ts";
import { Loss, type ReductionOptions, checkReduction } from "./reduction.ts";
import { type Arguments, anything, integer, nullable, optional, required, signature } from "../../utils/signature.ts";
import { legacyReduction, reduceParameter, reductionParameter, sizeAverageParameter, tensorKind } from "../signatures.ts";

/** Options of `nll_loss` and `cross_entropy` shared by both. */
export interface ClassWeightOptions extends ReductionOptions {
  /** A rescaling weight per class, of size C. */
  weight?: Tensor | null;
  /** A target value that contributes nothing to the loss or to the mean's denominator. */
  ignore_index?: number;
}

const sizes = (shape: readonly number[]): string => `[${shape.join(", ")}]`;

/**
 * Checks class-index targets against an input of shape [N, C, d…] (or [C] with a 0-d
 * target), in PyTorch's order and words, and returns them as an int64 tensor.
 */
export function checkClassTarget(input: Tensor, target: IndexLike, weight: Tensor | null): Tensor {
  const t = target instanceof Tensor ? target : tensor(target, { dtype: "int64" });
  if (input.ndim < 1) throw new Error("input tensor should be 1D or 2D");
  if (input.ndim === 1) {
    if (t.ndim !== 0 && !(t.ndim === 1 && t.shape[0] === input.shape[0])) {
      throw new Error(`size mismatch (got input: ${sizes(input.shape)}, target: ${sizes(t.shape)})`);
    }
  } else {
    if (t.ndim >= 1 && t.shape[0] !== input.shape[0]) {
      throw new Error(`Expected input batch_size (${input.shape[0]}) to match target batch_size (${t.shape[0]}).`);
    }
    if (input.ndim === 2 && t.ndim > 1) throw new Error("0D or 1D target tensor expected, multi-target not supported");
    const expected = [input.shape[0]!, ...input.shape.slice(2)];
    if (t.ndim !== expected.length || t.shape.some((s, i) => s !== expected[i])) {
      throw new Error(`Expected target size ${sizes(expected)}, got ${sizes(t.shape)}`);
    }
  }
  if (isFloating(t.dtype)) {
    // PyTorch's message, then what a TypeScript caller needs to know to fix the call
    throw new Error(
      `${longExpected(t)}: class-index targets are int64 or a number[]; a floating target holds class probabilities and must have the input's shape ${sizes(input.shape)}`,
    );
  }
  const C = input.ndim === 1 ? input.shape[0]! : input.shape[1]!;
  if (weight !== null && weight.numel() !== C) {
    throw new Error(`weight tensor should be defined either for all ${C} classes or no classes but got weight tensor of shape: ${sizes(weight.shape)}`);
  }
  return t;
}

/**
 * The weighted negative log-likelihood of each position, as PyTorch's native
 * `nll_loss` kernel computes it (an operation of its own, with its own backward):
 *
 * ```text
 * ℓ[n, s] = −w[c]·x[n, c, s]   with c = target[n, s];   0 where c = ignore_index
 * ∂ℓ[n, s]/∂x[n, c, s] = −w[c]                          (0 for every other class)
 * ```
 * Returns ℓ (shape [N, d…], or 0-d for a 1-d input) and Σ w[c] over the positions not
 * ignored (the denominator of the mean).
 */
export function nllElements(input: Tensor, target: Tensor, weight: Tensor | null, ignore_index: number): [Tensor, number] {
  const batched = input.ndim >= 2;
  const C = batched ? input.shape[1]! : input.shape[0]!;
  const N = batched ? input.shape[0]! : 1;
  const S = batched ? input.numel() / Math.max(N * C, 1) : 1;
  const x = contiguousElements(input.contiguous().data);
  // The positions the loops visit: all of the target, unless C = 0 leaves S = 0.
  const td = contiguousElements(target.contiguous().data).subarray(0, N * S);
  const w = weight === null ? null : contiguousElements(weight.contiguous().data);
  const bad = firstOutOfRange(td, C, ignore_index);
  if (bad >= 0) throw new Error(`Target ${td[bad]} is out of bounds.`);
  const out = emptyTensor(input.dtype, batched ? [N, ...input.shape.slice(2)] : []);
  let weightSum = nllInto(out.data.data, x, td, w, N, C, S, ignore_index);
  if (input.dtype === "float32") weightSum = Math.fround(weightSum);
  const result = record("NllLossBackward0", out, [input], (g) => {
    // ∂x = g (one value per position, broadcast along the class dim) · M, M[n, c, s] = −w[c] at c = target.
    const mask = emptyTensor(input.dtype, input.shape);
    nllGradMaskInto(mask.data.data, td, w, N, C, S, ignore_index);
    const perPosition = batched ? g.reshape([N, 1, ...input.shape.slice(2)]) : g;
    return [perPosition.mul(mask)];
  });
  return [result, weightSum];
}

/** `nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean")`, as PyTorch declares it. */
export const nllLossSignature = signature("nll_loss", [
  required("input", tensorKind),
  required("target", anything<IndexLike>()),
  optional("weight", nullable(tensorKind), null),
  sizeAverageParameter,
  optional("ignore_index", integer, -100),
  reduceParameter,
  reductionParameter,
]);

/**
 * The negative log-likelihood loss for log-probabilities `input` ([N, C, d…] or [C]) and
 * class indices `target` ([N, d…] or 0-d; int64 or plain numbers), as
 * `torch.nn.functional.nll_loss`; `mean` divides by the summed weights of the positions
 * not ignored: loss = Σ ℓ / Σ w[target].
 */
export function nll_loss(...args: Arguments<typeof nllLossSignature>): Tensor {
  const { input, target, weight, size_average, ignore_index, reduce: legacy, reduction: given } = nllLossSignature.parse(args);
  const reduction = checkReduction(legacyReduction(size_average, legacy, given));
  const t = checkClassTarget(input, target, weight);
  const [elements, weightSum] = nllElements(input, t, weight, ignore_index);
  if (reduction === "none") return elements;
  return reduction === "sum" ? elements.sum() : elements.sum().div(weightSum);
}

/** `NLLLoss(weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean")`, as PyTorch declares it. */
export const nllLossModuleSignature = signature("NLLLoss.__init__", [
  optional("weight", nullable(tensorKind), null),
  sizeAverageParameter,
  optional("ignore_index", integer, -100),
  reduceParameter,
  reductionParameter,
]);

/** The negative log-likelihood loss, as `torch.nn.NLLLoss`; see `F.nll_loss`. */
export class NLLLoss extends Loss {
  readonly ignore_index: number;
  weight: Tensor | null;
  constructor(...args: Arguments<typeof nllLossModuleSignature>) {
    const { weight, size_average, ignore_index, reduce: legacy, reduction } = nllLossModuleSignature.parse(args);
    super({ reduction: checkReduction(legacyReduction(size_average, legacy, reduction)) });
    this.ignore_index = ignore_index;
    this.weight = this.register_buffer("weight", weight);
  }
  override forward(input: Tensor, target: IndexLike): Tensor {
    return nll_loss(input, target, { weight: this.weight, ignore_index: this.ignore_index, reduction: this.reduction });
  }
}
