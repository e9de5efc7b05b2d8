import * as libm from "../../math/libm.ts";
import { LRScheduler, groupsOf } from "./lr_scheduler.ts";
import { type Arguments, integer, number, optional, signature } from "../../utils/signature.ts";
import { checkClosedFormPeriod, lastEpochParameter, optimizerParameter } from "./parameters.ts";

/** Learning rate at epoch e of PolynomialLR: η₀ · (1 − min(T, e) / T)^p. */
export const polynomialLrAt = (e: number, base_lr: number, total_iters: number, power: number): number =>
  base_lr * libm.pow(1.0 - Math.min(total_iters, e) / total_iters, power);

/** PolynomialLR's signature in current PyTorch: `PolynomialLR(optimizer, total_iters=5, power=1.0, last_epoch=-1)`. */
export const polynomialLRSignature = signature("PolynomialLR.__init__", [
  optimizerParameter,
  optional("total_iters", integer, 5),
  optional("power", number, 1.0),
  lastEpochParameter,
]);

/**
 * Decays each group's learning rate to zero along a polynomial over `total_iters` epochs.
 *
 * ```text
 * options  T total_iters (5) · p power (1.0)
 * η ← η · ((1 − last_epoch/T) / (1 − (last_epoch − 1)/T))^p     for 0 < last_epoch ≤ T
 * closed form: η₀ · (1 − min(T, last_epoch)/T)^p   (polynomialLrAt)
 * ```
 */
export class PolynomialLR extends LRScheduler {
  declare total_iters: number;
  declare power: number;

  constructor(...args: Arguments<typeof polynomialLRSignature>) {
    const { optimizer, total_iters, power, last_epoch } = polynomialLRSignature.parse(args);
    super(optimizer, last_epoch, { total_iters, power });
  }

  override get_lr(): number[] {
    this.warnIfOutsideStep();
    const groups = groupsOf(this.optimizer);
    const T = this.total_iters;
    if (this._is_initial || this.last_epoch > T) return groups.map((group) => group.lr);
    if (this.last_epoch === T) this.checkPowerAtZero();
    const decay_factor = libm.pow((1.0 - this.last_epoch / T) / (1.0 - (this.last_epoch - 1) / T), this.power);
    return groups.map((group) => group.lr * decay_factor);
  }

  override _get_closed_form_lr(): number[] {
    checkClosedFormPeriod("PolynomialLR", "total_iters", this.total_iters);
    if (this.last_epoch >= this.total_iters) this.checkPowerAtZero();
    return this.base_lrs.map((base_lr) => polynomialLrAt(this.last_epoch, base_lr, this.total_iters, this.power));
  }

  /** At epoch T the base of the power is 0: PyTorch's ZeroDivisionError for a negative power (JavaScript: Infinity). */
  private checkPowerAtZero(): void {
    if (this.power < 0) {
      throw new Error(
        `PolynomialLR: 0.0 cannot be raised to a negative power (power ${this.power} at epoch ${this.last_epoch}, total_iters ${this.total_iters})`,
      );
    }
  }
}
