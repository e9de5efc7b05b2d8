import { notIgnoredInto } from "../../kernels/nll.ts";
import { isFloating } from "../../tensor/dtype.ts";
import { Tensor } from "../../methods.ts";
import { emptyTensor } from "../../tensor/tensor.ts";
import type { IndexLike } from "../functional/indices.ts";
import { type ClassWeightOptions, checkClassTarget, nllElements } from "./nll.ts";
import { Loss, checkReduction } from "./reduction.ts";
import { type Arguments, anything, integer, nullable, number, optional, required, signature } from "../../utils/signature.ts";
import { legacyReduction, reduceParameter, reductionParameter, sizeAverageParameter, tensorKind } from "../signatures.ts";

/** Options of `cross_entropy`, with PyTorch's defaults. */
export interface CrossEntropyOptions extends ClassWeightOptions {
  label_smoothing?: number;
}

/**
 * `cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
 * reduction="mean", label_smoothing=0.0)`, as PyTorch declares it.
 */
export const crossEntropySignature = signature("cross_entropy", [
  required("input", tensorKind),
  required("target", anything<IndexLike>()),
  optional("weight", nullable(tensorKind), null),
  sizeAverageParameter,
  optional("ignore_index", integer, -100),
  reduceParameter,
  reductionParameter,
  optional("label_smoothing", number, 0.0),
]);

/**
 * Cross entropy between logits `input` ([N, C, d…] or [C]) and a target, as
 * `torch.nn.functional.cross_entropy`. With log-probabilities ℓp = log_softmax(input)
 * along the class dim, ε = label_smoothing and C classes:
 *
 * ```text
 * class indices c (int64 or number[]):
 *   nll    = −w[c]·ℓp[c]                                  0 where c = ignore_index
 *   smooth = −Σ_k w[k]·ℓp[k]                              0 where c = ignore_index
 *   loss   = (1 − ε)·nll + (ε/C)·smooth
 *   mean:  Σ nll / Σ w[c]  and  Σ smooth / Σ w[c] (w = 1 without weights: the count not ignored)
 * class probabilities p (a float tensor shaped like input):
 *   p'     = p·(1 − ε) + ε/C
 *   loss   = −Σ_k w[k]·p'[k]·ℓp[k]
 *   mean:  Σ loss / (numel / C)
 * ```
 *
 * @example
 * ```ts
 * import { F, tensor } from "gradlab";
 * const logits = tensor([[0, 0]], { dtype: "float64" });
 * console.log(F.cross_entropy(logits, [1]).item()); // 0.6931471805599453
 * ```
 */
export function cross_entropy(...args: Arguments<typeof crossEntropySignature>): Tensor {
  const { input, target, weight, size_average, ignore_index, reduce: legacy, reduction: given, label_smoothing } = crossEntropySignature.parse(args);
  const reduction = checkReduction(legacyReduction(size_average, legacy, given));
  if (label_smoothing < 0 || label_smoothing > 1) {
    throw new Error(`label_smoothing must be between 0.0 and 1.0. Got: ${label_smoothing}`);
  }
  const classDim = input.ndim === 1 ? 0 : 1;
  const C = input.shape[classDim]!;
  if (weight !== null && weight.numel() !== C) {
    throw new Error(`weight tensor should be defined either for all ${C} classes or no classes but got weight tensor of shape: [${weight.shape.join(", ")}]`);
  }
  // Weights broadcast along the class dim: [1, C, 1, …] (or [C] for a 1-d input).
  const classShape = input.shape.map((s, d) => (d === classDim ? s : 1));
  const weightAlongClasses = weight === null ? null : weight.reshape(classShape);
  const probabilities = target instanceof Tensor && isFloating(target.dtype) && sameShape(target.shape, input.shape);
  if (probabilities) {
    const logp = input.log_softmax(classDim);
    const p = label_smoothing > 0 ? (target as Tensor).mul(1 - label_smoothing).add(label_smoothing / C) : (target as Tensor);
    const weighted = weightAlongClasses === null ? logp.mul(p) : logp.mul(p).mul(weightAlongClasses);
    const loss = weighted.sum(classDim).neg();
    if (reduction === "none") return loss;
    return reduction === "sum" ? loss.sum() : loss.sum().div(input.numel() / C);
  }
  const t = checkClassTarget(input, target, weight);
  const logp = input.log_softmax(classDim);
  const [nll, weightSum] = nllElements(logp, t, weight, ignore_index);
  const nllLoss = reduction === "none" ? nll : reduction === "sum" ? nll.sum() : nll.sum().div(weightSum);
  if (label_smoothing === 0) return nllLoss;
  const keep = emptyTensor(input.dtype, t.shape);
  notIgnoredInto(keep.data.data, t.contiguous().toTypedArray(), ignore_index);
  const weighted = weightAlongClasses === null ? logp : logp.mul(weightAlongClasses);
  let smooth = weighted.sum(classDim).neg().mul(keep);
  if (reduction === "sum") smooth = smooth.sum();
  else if (reduction === "mean") smooth = smooth.sum().div(weightSum);
  return nllLoss.mul(1 - label_smoothing).add(smooth.mul(label_smoothing / C));
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((s, i) => s === b[i]);

/**
 * `CrossEntropyLoss(weight=None, size_average=None, ignore_index=-100, reduce=None,
 * reduction="mean", label_smoothing=0.0)`, as PyTorch declares it.
 */
export const crossEntropyLossSignature = signature("CrossEntropyLoss.__init__", [
  optional("weight", nullable(tensorKind), null),
  sizeAverageParameter,
  optional("ignore_index", integer, -100),
  reduceParameter,
  reductionParameter,
  optional("label_smoothing", number, 0.0),
]);

/** Cross entropy on logits, as `torch.nn.CrossEntropyLoss`; see `F.cross_entropy`. */
export class CrossEntropyLoss extends Loss {
  readonly ignore_index: number;
  readonly label_smoothing: number;
  weight: Tensor | null;
  constructor(...args: Arguments<typeof crossEntropyLossSignature>) {
    const { weight, size_average, ignore_index, reduce: legacy, reduction, label_smoothing } = crossEntropyLossSignature.parse(args);
    super({ reduction: checkReduction(legacyReduction(size_average, legacy, reduction)) });
    this.ignore_index = ignore_index;
    this.label_smoothing = label_smoothing;
    this.weight = this.register_buffer("weight", weight);
  }
  override forward(input: Tensor, target: IndexLike): Tensor {
    return cross_entropy(input, target, {
      weight: this.weight,
      ignore_index: this.ignore_index,
      reduction: this.reduction,
      label_smoothing: this.label_smoothing,
    });
  }
}
