import * as libm from "../../math/libm.ts";
import { LRScheduler, groupsOf } from "./lr_scheduler.ts";
import { type Arguments, number, optional, required, signature } from "../../utils/signature.ts";
import { checkPeriod, lastEpochParameter, optimizerParameter } from "./parameters.ts";

/** Learning rate at epoch e of StepLR: η₀ · γ^⌊e / step_size⌋ (used by `step(epoch)`, docs and tests). */
export const stepLrAt = (e: number, base_lr: number, step_size: number, gamma: number): number => base_lr * libm.pow(gamma, Math.floor(e / step_size));

/** StepLR's signature in current PyTorch: `StepLR(optimizer, step_size, gamma=0.1, last_epoch=-1)`. */
export const stepLRSignature = signature("StepLR.__init__", [
  optimizerParameter,
  required("step_size", number),
  optional("gamma", number, 0.1),
  lastEpochParameter,
]);

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

  constructor(...args: Arguments<typeof stepLRSignature>) {
    const { optimizer, step_size, gamma, last_epoch } = stepLRSignature.parse(args);
    checkPeriod("StepLR", "step_size", step_size);
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
