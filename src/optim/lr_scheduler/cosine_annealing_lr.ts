import * as libm from "../../math/libm.ts";
import { LRScheduler, groupsOf } from "./lr_scheduler.ts";
import { type Arguments, number, optional, required, signature } from "../../utils/signature.ts";
import { checkPeriod, lastEpochParameter, optimizerParameter } from "./parameters.ts";

/** Learning rate at epoch e of a cosine cycle with no restarts (used by `step(epoch)`, docs and tests). */
export const cosineAt = (e: number, base_lr: number, eta_min: number, T_max: number): number =>
  eta_min + ((base_lr - eta_min) * (1 + libm.cos((Math.PI * e) / T_max))) / 2;

/** CosineAnnealingLR's signature in current PyTorch: `CosineAnnealingLR(optimizer, T_max, eta_min=0.0, last_epoch=-1)`. */
export const cosineAnnealingLRSignature = signature("CosineAnnealingLR.__init__", [
  optimizerParameter,
  required("T_max", number),
  optional("eta_min", number, 0.0),
  lastEpochParameter,
]);

/**
 * Anneals each group's learning rate along a cosine from its initial value to `eta_min`
 * over `T_max` epochs, then back up, and so on (no restarts), updating recursively as
 * PyTorch does so that changes made to the rate from outside carry through.
 *
 * ```text
 * options  T_max · η_min eta_min (0)
 * t ← last_epoch
 * η ← η_min + (η₀ − η_min)·(1 + cos(t·π/T_max))/2            first step after resuming (t > 0)
 * η ← η + (η₀ − η_min)·(1 − cos(π/T_max))/2                   when (t − 1 − T_max) mod 2T_max = 0
 * η ← (1 + cos(π·t/T_max)) / (1 + cos(π·(t − 1)/T_max)) · (η − η_min) + η_min   otherwise
 * closed form: η_min + (η₀ − η_min)·(1 + cos(π·t/T_max))/2   (cosineAt)
 * ```
 * The second line steps past the minimum, where the ratio of the third would divide by zero.
 */
export class CosineAnnealingLR extends LRScheduler {
  declare T_max: number;
  declare eta_min: number;

  constructor(...args: Arguments<typeof cosineAnnealingLRSignature>) {
    const { optimizer, T_max, eta_min, last_epoch } = cosineAnnealingLRSignature.parse(args);
    checkPeriod("CosineAnnealingLR", "T_max", T_max);
    super(optimizer, last_epoch, { T_max, eta_min });
  }

  override get_lr(): number[] {
    this.warnIfOutsideStep();
    const groups = groupsOf(this.optimizer);
    const { T_max, eta_min } = this;
    const t = this.last_epoch;
    if (this._is_initial) return groups.map((group) => group.lr);
    if (this._step_count === 1 && t > 0) return this.base_lrs.map((base_lr) => cosineAt(t, base_lr, eta_min, T_max));
    if ((t - 1 - T_max) % (2 * T_max) === 0) {
      return groups.map((group, i) => group.lr + ((this.base_lrs[i]! - eta_min) * (1 - libm.cos(Math.PI / T_max))) / 2);
    }
    return groups.map((group) => ((1 + libm.cos((Math.PI * t) / T_max)) / (1 + libm.cos((Math.PI * (t - 1)) / T_max))) * (group.lr - eta_min) + eta_min);
  }

  override _get_closed_form_lr(): number[] {
    return this.base_lrs.map((base_lr) => cosineAt(this.last_epoch, base_lr, this.eta_min, this.T_max));
  }
}
