import { Tensor } from "../../methods.ts";
import { Loss, type ReductionOptions, checkReduction, reduce, warnIfShapesDiffer } from "./reduction.ts";

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
export function smooth_l1_loss(input: Tensor, target: Tensor, options: ReductionOptions & { beta?: number } = {}): Tensor {
  const reduction = checkReduction(options.reduction ?? "mean");
  const beta = options.beta ?? 1.0;
  if (beta < 0) throw new Error("smooth_l1_loss does not support negative values for beta.");
  warnIfShapesDiffer(input, target);
  const z = input.sub(target).abs();
  if (beta === 0) return reduce(z, reduction);
  const m = z.clamp({ max: beta });
  return reduce(m.mul(m).mul(0.5 / beta).add(z.sub(m)), reduction);
}

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
export function huber_loss(input: Tensor, target: Tensor, options: ReductionOptions & { delta?: number } = {}): Tensor {
  const reduction = checkReduction(options.reduction ?? "mean");
  const delta = options.delta ?? 1.0;
  if (delta <= 0) throw new Error("huber_loss does not support non-positive values for delta.");
  warnIfShapesDiffer(input, target);
  const z = input.sub(target).abs();
  const m = z.clamp({ max: delta });
  return reduce(m.mul(m).mul(0.5).add(z.sub(m).mul(delta)), reduction);
}

/** Smooth L1 loss, as `torch.nn.SmoothL1Loss`; see `F.smooth_l1_loss`. */
export class SmoothL1Loss extends Loss {
  readonly beta: number;
  constructor(options: ReductionOptions & { beta?: number } = {}) {
    super(options);
    this.beta = options.beta ?? 1.0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return smooth_l1_loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}

/** Huber loss, as `torch.nn.HuberLoss`; see `F.huber_loss`. */
export class HuberLoss extends Loss {
  readonly delta: number;
  constructor(options: ReductionOptions & { delta?: number } = {}) {
    super(options);
    this.delta = options.delta ?? 1.0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return huber_loss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}

