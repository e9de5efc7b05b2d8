import * as libm from "../../math/libm.ts";
import { LRScheduler, groupsOf } from "./lr_scheduler.ts";
import { type Arguments, number, required, signature } from "../../utils/signature.ts";
import { lastEpochParameter, optimizerParameter } from "./parameters.ts";

/** Learning rate at epoch e of ExponentialLR: η₀ · γ^e. */
export const exponentialLrAt = (e: number, base_lr: number, gamma: number): number => base_lr * libm.pow(gamma, e);

/** ExponentialLR's signature in current PyTorch: `ExponentialLR(optimizer, gamma, last_epoch=-1)`. */
export const exponentialLRSignature = signature("ExponentialLR.__init__", [optimizerParameter, required("gamma", number), lastEpochParameter]);

/**
 * Decays each group's learning rate by `gamma` every epoch.
 *
 * ```text
 * options  γ gamma
 * η ← η · γ          every step but the initial one
 * closed form: η₀ · γ^last_epoch   (exponentialLrAt)
 * ```
 */
export class ExponentialLR extends LRScheduler {
  declare gamma: number;

  constructor(...args: Arguments<typeof exponentialLRSignature>) {
    const { optimizer, gamma, last_epoch } = exponentialLRSignature.parse(args);
    super(optimizer, last_epoch, { gamma });
  }

  override get_lr(): number[] {
    this.warnIfOutsideStep();
    const groups = groupsOf(this.optimizer);
    // The initial step (also when resuming) keeps the rates: they already are this epoch's.
    if (this._is_initial) return groups.map((group) => group.lr);
    return groups.map((group) => group.lr * this.gamma);
  }

  override _get_closed_form_lr(): number[] {
    return this.base_lrs.map((base_lr) => exponentialLrAt(this.last_epoch, base_lr, this.gamma));
  }
}
