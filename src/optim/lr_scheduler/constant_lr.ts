import { LRScheduler, groupsOf } from "./lr_scheduler.ts";
import { type Arguments, integer, number, optional, signature } from "../../utils/signature.ts";
import { checkPeriod, lastEpochParameter, optimizerParameter } from "./parameters.ts";

/** Learning rate at epoch e of ConstantLR: η₀ · factor before total_iters, η₀ from then on. */
export const constantLrAt = (e: number, base_lr: number, factor: number, total_iters: number): number =>
  base_lr * (factor + (e >= total_iters ? 1 : 0) * (1 - factor));

/** ConstantLR's signature in current PyTorch: `ConstantLR(optimizer, factor=1/3, total_iters=5, last_epoch=-1)`. */
export const constantLRSignature = signature("ConstantLR.__init__", [
  optimizerParameter,
  optional("factor", number, 1.0 / 3),
  optional("total_iters", integer, 5),
  lastEpochParameter,
]);

/**
 * Multiplies each group's learning rate by a constant factor until epoch `total_iters`.
 *
 * ```text
 * options  factor (1/3) · total_iters (5)
 * η ← η · factor        at epoch 0
 * η ← η · (1/factor)    at epoch total_iters
 * closed form: η₀ · (factor + [last_epoch ≥ total_iters] · (1 − factor))   (constantLrAt)
 * ```
 */
export class ConstantLR extends LRScheduler {
  declare factor: number;
  declare total_iters: number;

  constructor(...args: Arguments<typeof constantLRSignature>) {
    const { optimizer, factor, total_iters, last_epoch } = constantLRSignature.parse(args);
    if (factor > 1.0 || factor < 0) throw new Error("Constant multiplicative factor expected to be between 0 and 1.");
    // PyTorch divides by factor at total_iters (ZeroDivisionError there); refuse it up front.
    checkPeriod("ConstantLR", "factor", factor);
    super(optimizer, last_epoch, { factor, total_iters });
  }

  override get_lr(): number[] {
    this.warnIfOutsideStep();
    const groups = groupsOf(this.optimizer);
    if (this.last_epoch === 0) return groups.map((group) => group.lr * this.factor);
    if (this.last_epoch !== this.total_iters) return groups.map((group) => group.lr);
    return groups.map((group) => group.lr * (1.0 / this.factor));
  }

  override _get_closed_form_lr(): number[] {
    return this.base_lrs.map((base_lr) => constantLrAt(this.last_epoch, base_lr, this.factor, this.total_iters));
  }
}
