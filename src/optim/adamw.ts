import type { Tensor } from "../tensor/tensor.ts";
import { number, optional, signature, describeValue } from "../utils/signature.ts";
import { Adam } from "./adam.ts";
import { type OptimizerArguments, type OptionsOf, paramsParameter, common, commonKeywords } from "./signatures.ts";

/**
 * AdamW's signature in current PyTorch: `AdamW(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
 * weight_decay=1e-2, amsgrad=False, *, maximize=False, foreach=None, capturable=False,
 * differentiable=False, fused=None)`; it has no decoupled_weight_decay (always true).
 */
export const adamWSignature = signature("AdamW.__init__", [
  paramsParameter,
  optional("lr", number, 1e-3),
  ...common("betas", "eps"),
  optional("weight_decay", number, 1e-2),
  ...common("amsgrad"),
  ...commonKeywords("maximize", "foreach", "capturable", "differentiable", "fused"),
]);

/** The options of {@link AdamW}: Adam's, without decoupled_weight_decay (always on). */
export type AdamWOptions = OptionsOf<typeof adamWSignature>;

/**
 * AdamW: Adam with decoupled weight decay, written the way `step()` evaluates it.
 *
 * ```text
 * options  γ lr · β1, β2 betas · ε eps · λ weight_decay (default 1e-2) · amsgrad · maximize
 * state    t step · m exp_avg · v exp_avg_sq · vmax max_exp_avg_sq (amsgrad only)
 * for each parameter θ that has a gradient g:
 *   g ← −g                                   if maximize
 *   t ← t + 1
 *   θ ← θ·(1 − γλ)                           the decay acts on θ, never on m or v
 *   m ← lerp(m, g, 1 − β1)                   two-branch: m + w·(g − m) if w < 0.5, else g − (g − m)·(1 − w)
 *   v ← β2·v + (1 − β2)·g·g
 *   vmax ← max(vmax, v), then use vmax as v  if amsgrad
 *   θ ← θ − (γ / (1 − β1^t)) · (m / (√v / √(1 − β2^t) + ε))
 * ```
 * As in current PyTorch, AdamW is Adam with `decoupled_weight_decay` fixed to true (every
 * group says so, and `instanceof Adam` holds); only the weight_decay default differs.
 */
export class AdamW extends Adam {
  constructor(...args: OptimizerArguments<typeof adamWSignature>) {
    const { params, ...options } = adamWSignature.parse(args);
    super(params, { ...options, decoupled_weight_decay: true });
  }

  /** A state dict of an older PyTorch's AdamW lacks decoupled_weight_decay: AdamW's is always true. */
  protected override filledOnLoad(): Record<string, unknown> {
    return { ...super.filledOnLoad(), decoupled_weight_decay: true };
  }

  /** A loaded group keeps decoupled_weight_decay on; its other options go through AdamW's constructor. */
  protected override checkLoadedOptions(options: Record<string, unknown>, params: Tensor[]): void {
    const { decoupled_weight_decay, ...rest } = options;
    if (decoupled_weight_decay !== true) throw new Error(`AdamW groups have decoupled_weight_decay: true, got ${describeValue(decoupled_weight_decay)}`);
    super.checkLoadedOptions(rest, params);
  }
}
