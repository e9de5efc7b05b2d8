import { is_grad_enabled } from "../../autograd/grad_mode.ts";
import { record } from "../../autograd/node.ts";
import { binaryCrossEntropyBackwardInto, binaryCrossEntropyInto, outsideUnitInterval } from "../../kernels/binary_cross_entropy.ts";
import { broadcastShapes, expandView } from "../../kernels/broadcast.ts";
import { copyInto } from "../../kernels/elementwise.ts";
import type { Float } from "../../kernels/view.ts";
import { Tensor } from "../../methods.ts";
import { emptyTensor } from "../../tensor/tensor.ts";
import { Loss, type ReductionOptions, checkReduction, reduce } from "./reduction.ts";
import { type Arguments, nullable, optional, required, signature } from "../../utils/signature.ts";
import { legacyReduction, reduceParameter, reductionParameter, sizeAverageParameter, tensorKind } from "../signatures.ts";

/** Options of the binary cross entropies: a weight broadcast against the loss. */
export interface BCEOptions extends ReductionOptions {
  weight?: Tensor | null;
}

const torchSize = (shape: readonly number[]): string => `torch.Size([${shape.join(", ")}])`;

/** PyTorch's ScalarType names, as its dtype messages print them. */
const SCALAR_TYPE_NAMES = { float32: "Float", float64: "Double", int64: "Long" } as const;

/** `t`'s values broadcast to `shape`, in row-major order (a copy). */
function broadcastValues(t: Tensor, shape: readonly number[]): Float {
  const out = emptyTensor(t.dtype, shape);
  copyInto(out.data, expandView(t.data, shape));
  return out.data.data;
}

/** `binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean")`, as PyTorch declares it. */
export const binaryCrossEntropySignature = signature("binary_cross_entropy", [
  required("input", tensorKind),
  required("target", tensorKind),
  optional("weight", nullable(tensorKind), null),
  sizeAverageParameter,
  reduceParameter,
  reductionParameter,
]);

/**
 * Binary cross entropy between probabilities `input` and targets in [0, 1], as
 * `torch.nn.functional.binary_cross_entropy`, an operation of its own as in PyTorch:
 *
 * ```text
 * ℓ = −w·(y·max(log x, −100) + (1 − y)·max(log(1 − x), −100))     (logs clamped, so x = 0 or 1 stay finite)
 * ∂ℓ/∂x = w·(x − y) / max((1 − x)·x, ε)      ε = 1e-12 rounded to float32, as PyTorch's kernel has it
 * ∂ℓ/∂y = −w·(max(log x, −100) − max(log(1 − x), −100))
 * ```
 * Its backward gives first derivatives only (a double backward is refused).
 */
export function binary_cross_entropy(...args: Arguments<typeof binaryCrossEntropySignature>): Tensor {
  const { input, target, weight, size_average, reduce: legacy, reduction: given } = binaryCrossEntropySignature.parse(args);
  const reduction = checkReduction(legacyReduction(size_average, legacy, given));
  if (!sameShape(target.shape, input.shape)) {
    throw new Error(
      `Using a target size (${torchSize(target.shape)}) that is different to the input size (${torchSize(input.shape)}) is deprecated. Please ensure they have the same size.`,
    );
  }
  if (target.dtype !== input.dtype) {
    throw new Error(`Found dtype ${SCALAR_TYPE_NAMES[target.dtype]} but expected ${SCALAR_TYPE_NAMES[input.dtype]}`);
  }
  if (weight !== null) broadcastShapes(weight.shape, input.shape);
  const x = input.contiguous().toTypedArray();
  const y = target.to(input.dtype).contiguous().toTypedArray();
  const w = weight === null ? null : broadcastValues(weight, input.shape);
  // current PyTorch's kernel (Loss.cpp, binary_cross_entropy_out_cpu) checks the targets too; torch 1.13 did not
  const outside = outsideUnitInterval(x, y);
  if (outside !== null) throw new Error(`all elements of ${outside} should be between 0 and 1`);
  const out = emptyTensor(input.dtype, input.shape);
  binaryCrossEntropyInto(out.data.data, x, y, w);
  const elementwise = record(
    "BinaryCrossEntropyBackward0",
    out,
    [input, target],
    (g) => {
      if (is_grad_enabled()) throw new Error("gradlab: double backward through binary_cross_entropy is not supported");
      const dx = emptyTensor(input.dtype, input.shape);
      const dy = emptyTensor(input.dtype, input.shape);
      binaryCrossEntropyBackwardInto(dx.data.data, dy.data.data, g.contiguous().toTypedArray(), x, y, w);
      return [input.requires_grad ? dx : null, target.requires_grad ? dy.to(target.dtype) : null];
    },
    [input, target],
  );
  return reduce(elementwise, reduction);
}

/** Options of `binary_cross_entropy_with_logits`: also a weight for positive examples per class. */
export interface BCEWithLogitsOptions extends BCEOptions {
  pos_weight?: Tensor | null;
}

/**
 * `binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
 * reduction="mean", pos_weight=None)`, as PyTorch declares it.
 */
export const binaryCrossEntropyWithLogitsSignature = signature("binary_cross_entropy_with_logits", [
  required("input", tensorKind),
  required("target", tensorKind),
  optional("weight", nullable(tensorKind), null),
  sizeAverageParameter,
  reduceParameter,
  reductionParameter,
  optional("pos_weight", nullable(tensorKind), null),
]);

/**
 * Binary cross entropy on logits, in the numerically stable form PyTorch uses, as
 * `torch.nn.functional.binary_cross_entropy_with_logits`:
 *
 * ```text
 * log σ(x) = min(x, 0) − log1p(e^(−|x|))            never overflows
 * l_p      = (p − 1)·y + 1                           p = pos_weight (1 when omitted)
 * ℓ        = w·((1 − y)·x − l_p·log σ(x))            = max(x, 0) − x·y + log1p(e^(−|x|)) when p = 1
 * ```
 *
 * @example
 * ```ts
 * import { F, tensor } from "gradlab";
 * const loss = F.binary_cross_entropy_with_logits(tensor([0], { dtype: "float64" }), tensor([1], { dtype: "float64" }));
 * console.log(loss.item()); // 0.6931471805599453
 * ```
 */
export function binary_cross_entropy_with_logits(...args: Arguments<typeof binaryCrossEntropyWithLogitsSignature>): Tensor {
  const { input, target, weight, size_average, reduce: legacy, reduction: given, pos_weight } = binaryCrossEntropyWithLogitsSignature.parse(args);
  const reduction = checkReduction(legacyReduction(size_average, legacy, given));
  if (!sameShape(target.shape, input.shape)) {
    throw new Error(`Target size (${torchSize(target.shape)}) must be the same as input size (${torchSize(input.shape)})`);
  }
  // PyTorch computes (1 − target) in the target's dtype and multiplies the input into it in place.
  if (target.dtype === "int64" && input.dtype !== "int64") {
    throw new Error(`result type ${SCALAR_TYPE_NAMES[input.dtype]} can't be cast to the desired output type Long`);
  }
  const logSigmoid = input.clamp({ max: 0 }).sub(input.abs().neg().exp().log1p());
  const weightedLogSigmoid = pos_weight === null ? logSigmoid : logSigmoid.mul(pos_weight.sub(1).mul(target).add(1));
  let loss = target.neg().add(1).mul(input).sub(weightedLogSigmoid);
  if (weight !== null) loss = loss.mul(weight);
  return reduce(loss, reduction);
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((s, i) => s === b[i]);

/** `BCELoss(weight=None, size_average=None, reduce=None, reduction="mean")`, as PyTorch declares it. */
export const bceLossSignature = signature("BCELoss.__init__", [
  optional("weight", nullable(tensorKind), null),
  sizeAverageParameter,
  reduceParameter,
  reductionParameter,
]);

/** Binary cross entropy on probabilities, as `torch.nn.BCELoss`; see `F.binary_cross_entropy`. */
export class BCELoss extends Loss {
  weight: Tensor | null;
  constructor(...args: Arguments<typeof bceLossSignature>) {
    const { weight, size_average, reduce: legacy, reduction } = bceLossSignature.parse(args);
    super({ reduction: checkReduction(legacyReduction(size_average, legacy, reduction)) });
    this.weight = this.register_buffer("weight", weight);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return binary_cross_entropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/** `BCEWithLogitsLoss(weight=None, size_average=None, reduce=None, reduction="mean", pos_weight=None)`, as PyTorch declares it. */
export const bceWithLogitsLossSignature = signature("BCEWithLogitsLoss.__init__", [
  optional("weight", nullable(tensorKind), null),
  sizeAverageParameter,
  reduceParameter,
  reductionParameter,
  optional("pos_weight", nullable(tensorKind), null),
]);

/** Binary cross entropy on logits, as `torch.nn.BCEWithLogitsLoss`; see `F.binary_cross_entropy_with_logits`. */
export class BCEWithLogitsLoss extends Loss {
  weight: Tensor | null;
  pos_weight: Tensor | null;
  constructor(...args: Arguments<typeof bceWithLogitsLossSignature>) {
    const { weight, size_average, reduce: legacy, reduction, pos_weight } = bceWithLogitsLossSignature.parse(args);
    super({ reduction: checkReduction(legacyReduction(size_average, legacy, reduction)) });
    this.weight = this.register_buffer("weight", weight);
    this.pos_weight = this.register_buffer("pos_weight", pos_weight);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return binary_cross_entropy_with_logits(input, target, { weight: this.weight, pos_weight: this.pos_weight, reduction: this.reduction });
  }
}
