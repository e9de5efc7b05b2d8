import { record } from "../../autograd/node.ts";
import { Tensor } from "../../methods.ts";
import { Loss, checkReduction, reduce, warnIfShapesDiffer } from "./reduction.ts";
import { type Arguments, number, optional, required, signature } from "../../utils/signature.ts";
import { legacyReduction, reduceParameter, reductionParameter, sizeAverageParameter, tensorKind } from "../signatures.ts";

/** `smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0)`, as PyTorch declares it. */
export const smoothL1LossSignature = signature("smooth_l1_loss", [
  required("input", tensorKind),
  required("target", tensorKind),
  sizeAverageParameter,
  reduceParameter,
  reductionParameter,
  optional("beta", number, 1.0),
]);

/**
 * Squared near zero, absolute far away, as `torch.nn.functional.smooth_l1_loss`. With
 * z = |x − y|:
 *
 * ```text
 * loss = 0.5·z²/β      if z < β
 *        z − 0.5·β     otherwise            (β = 0 gives the L1 loss)
 * ```
 * computed branch-free as m = min(z, β), loss = 0.5·m²/β + (z − m), which is the same
 * function with the same gradient.
 */
export function smooth_l1_loss(...args: Arguments<typeof smoothL1LossSignature>): Tensor {
  const { input, target, size_average, reduce: legacy, reduction: given, beta } = smoothL1LossSignature.parse(args);
  const reduction = checkReduction(legacyReduction(size_average, legacy, given));
  if (beta < 0) throw new Error("smooth_l1_loss does not support negative values for beta.");
  warnIfShapesDiffer(input, target);
  const z = input.sub(target).abs();
  if (beta === 0) return reduce(z, reduction);
  const m = z.clamp({ max: beta });
  return reduce(
    m
      .mul(m)
      .mul(0.5 / beta)
      .add(z.sub(m)),
    reduction,
  );
}

/** `huber_loss(input, target, reduction="mean", delta=1.0)`, as PyTorch declares it. */
export const huberLossSignature = signature("huber_loss", [
  required("input", tensorKind),
  required("target", tensorKind),
  reductionParameter,
  optional("delta", number, 1.0),
]);

/**
 * Squared near zero, linear (slope δ) far away, as `torch.nn.functional.huber_loss`. With
 * z = |x − y|:
 *
 * ```text
 * loss = 0.5·z²             if z < δ
 *        δ·(z − 0.5·δ)      otherwise
 * ```
 * computed as m = min(z, δ), loss = 0.5·m² + δ·(z − m).
 */
export function huber_loss(...args: Arguments<typeof huberLossSignature>): Tensor {
  const { input, target, reduction: given, delta } = huberLossSignature.parse(args);
  const reduction = checkReduction(given);
  if (delta <= 0) throw new Error("huber_loss does not support non-positive values for delta.");
  warnIfShapesDiffer(input, target);
  const z = failingBackwardOnDtypes(input, target).sub(target).abs();
  const m = z.clamp({ max: delta });
  const elementwise = m.mul(m).mul(0.5).add(z.sub(m).mul(delta));
  // PyTorch writes the promoted values into a tensor like the input (Loss.cpp: empty_like(input)), then reduces
  return reduce(elementwise.dtype === input.dtype ? elementwise : elementwise.to(input.dtype), reduction);
}

/** PyTorch's ScalarType names, as its dtype messages print them. */
const SCALAR_TYPE_NAMES = { float32: "Float", float64: "Double", int64: "Long" } as const;

/**
 * `input` itself, except that when the target's dtype differs from the input's (an int64
 * target, or float64 against float32) the gradient flowing back to `input` throws
 * PyTorch's error. Current PyTorch computes huber_loss's forward with type promotion but
 * its backward (Loss.cpp, huber_loss_backward_out) with a TensorIterator that checks all
 * dtypes are equal: "Found dtype Long but expected Float" at `backward()`, where mse_loss
 * and smooth_l1_loss promote. (A fix is proposed upstream: pytorch#192027, issue #76646.)
 */
function failingBackwardOnDtypes(input: Tensor, target: Tensor): Tensor {
  if (target.dtype === input.dtype || !input.requires_grad) return input;
  const message = `Found dtype ${SCALAR_TYPE_NAMES[target.dtype]} but expected ${SCALAR_TYPE_NAMES[input.dtype]}`;
  return record("HuberLossBackward0", input.detach(), [input], () => {
    throw new Error(message);
  });
}

/** `SmoothL1Loss(size_average=None, reduce=None, reduction="mean", beta=1.0)`, as PyTorch declares it. */
export const smoothL1LossModuleSignature = signature("SmoothL1Loss.__init__", [
  sizeAverageParameter,
  reduceParameter,
  reductionParameter,
  optional("beta", number, 1.0),
]);

/** Smooth L1 loss, as `torch.nn.SmoothL1Loss`; see `F.smooth_l1_loss`. */
export class SmoothL1Loss extends Loss {
  readonly beta: number;
  constructor(...args: Arguments<typeof smoothL1LossModuleSignature>) {
    const { size_average, reduce: legacy, reduction, beta } = smoothL1LossModuleSignature.parse(args);
    super({ reduction: checkReduction(legacyReduction(size_average, legacy, reduction)) });
    this.beta = beta;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return smooth_l1_loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}

/** `HuberLoss(reduction="mean", delta=1.0)`, as PyTorch declares it. */
export const huberLossModuleSignature = signature("HuberLoss.__init__", [reductionParameter, optional("delta", number, 1.0)]);

/** Huber loss, as `torch.nn.HuberLoss`; see `F.huber_loss`. */
export class HuberLoss extends Loss {
  readonly delta: number;
  constructor(...args: Arguments<typeof huberLossModuleSignature>) {
    const { reduction, delta } = huberLossModuleSignature.parse(args);
    super({ reduction: checkReduction(reduction) });
    this.delta = delta;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return huber_loss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}
