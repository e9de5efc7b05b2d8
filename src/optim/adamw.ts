import type { Params } from "./optimizer.ts";
import { Adam, type AdamGroup, type AdamOptions, adamDefaults } from "./adam.ts";
import { withDefaults } from "./checks.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { describeValue } from "../utils/state_checks.ts";

/** The options of {@link AdamW}: Adam's, without decoupled_weight_decay (always on). */
export type AdamWOptions = Omit<AdamOptions, "decoupled_weight_decay">;

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
 *   m ← m + (1 − β1)·(g − m)
 *   v ← β2·v + (1 − β2)·g·g
 *   vmax ← max(vmax, v), then use vmax as v  if amsgrad
 *   θ ← θ − (γ / (1 − β1^t)) · (m / (√v / √(1 − β2^t) + ε))
 * ```
 * As in current PyTorch, AdamW is Adam with `decoupled_weight_decay` fixed to true (every
 * group says so, and `instanceof Adam` holds); only the weight_decay default differs.
 */
export class AdamW extends Adam {
  constructor(params: Params<AdamGroup>, options: AdamWOptions = {}) {
    const { decoupled_weight_decay: _, ...shared } = adamDefaults();
    const defaults = withDefaults("AdamW", { ...shared, weight_decay: 1e-2 }, options);
    super(params, { ...defaults, decoupled_weight_decay: true });
  }

  /** AdamW's own message for a sparse gradient (Adam's points to SparseAdam). */
  protected override sparseGradientError(): string | null {
    return "AdamW does not support sparse gradients";
  }

  /** A loaded group keeps decoupled_weight_decay on; its other options go through AdamW's constructor. */
  protected override checkLoadedOptions(options: Record<string, unknown>, params: Tensor[]): void {
    const { decoupled_weight_decay, ...rest } = options;
    if (decoupled_weight_decay !== true) throw new Error(`AdamW groups have decoupled_weight_decay: true, got ${describeValue(decoupled_weight_decay)}`);
    super.checkLoadedOptions(rest, params);
  }
}
