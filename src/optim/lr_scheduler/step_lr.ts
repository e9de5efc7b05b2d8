import { LRScheduler, type SchedulableOptimizer, groupsOf } from "./lr_scheduler.ts";
import * as libm from "../../math/libm.ts";

/** Learning rate at epoch e of StepLR: η₀ · γ^⌊e / step_size⌋ (used by `step(epoch)`, docs and tests). */
export const stepLrAt = (e: number, base_lr: number, step_size: number, gamma: number): number =>
  base_lr * libm.pow(gamma, Math.floor(e / step_size));

/**
 * Decays each group's learning rate by `gamma` every `step_size` epochs.
 *
 * ```text
 * options  step_size · γ gamma (0.1)
 * η ← η · γ        when last_epoch > 0 and last_epoch mod step_size = 0
 * closed form: η₀ · γ^⌊last_epoch / step_size⌋   (stepLrAt)
 * ```
 */
export class StepLR extends LRScheduler {
  declare step_size: number;
  declare gamma: number;

  constructor(optimizer: SchedulableOptimizer, step_size: number, { gamma = 0.1, last_epoch = -1 }: { gamma?: number; last_epoch?: number } = {}) {
    super(optimizer, last_epoch, { step_size, gamma });
  }

  override get_lr(): number[] {
    this.warnIfOutsideStep();
    const groups = groupsOf(this.optimizer);
    if (this.last_epoch === 0 || this.last_epoch % this.step_size !== 0) return groups.map((group) => group.lr);
    return groups.map((group) => group.lr * this.gamma);
  }

  override _get_closed_form_lr(): number[] {
    return this.base_lrs.map((base_lr) => stepLrAt(this.last_epoch, base_lr, this.step_size, this.gamma));
  }
}
