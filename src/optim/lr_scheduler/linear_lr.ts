import { LRScheduler, groupsOf } from "./lr_scheduler.ts";
import { type Arguments, integer, number, optional, signature } from "../../utils/signature.ts";
import { checkClosedFormPeriod, lastEpochParameter, optimizerParameter } from "./parameters.ts";

/** Learning rate at epoch e of LinearLR: η₀ · (s + (f − s) · min(T, e) / T). */
export const linearLrAt = (e: number, base_lr: number, start_factor: number, end_factor: number, total_iters: number): number =>
  base_lr * (start_factor + ((end_factor - start_factor) * Math.min(total_iters, e)) / total_iters);

/** LinearLR's signature in current PyTorch: `LinearLR(optimizer, start_factor=1/3, end_factor=1.0, total_iters=5, last_epoch=-1)`. */
export const linearLRSignature = signature("LinearLR.__init__", [
  optimizerParameter,
  optional("start_factor", number, 1.0 / 3),
  optional("end_factor", number, 1.0),
  optional("total_iters", integer, 5),
  lastEpochParameter,
]);

/**
 * Moves each group's learning-rate factor linearly from `start_factor` to `end_factor`
 * over `total_iters` epochs.
 *
 * ```text
 * options  s start_factor (1/3) · f end_factor (1.0) · T total_iters (5)
 * η ← η · s                                                at epoch 0
 * η ← η · (1 + (f − s) / (T·s + (last_epoch − 1)·(f − s)))   for 0 < last_epoch ≤ T
 * closed form: η₀ · (s + (f − s) · min(T, last_epoch) / T)   (linearLrAt)
 * ```
 */
export class LinearLR extends LRScheduler {
  declare start_factor: number;
  declare end_factor: number;
  declare total_iters: number;

  constructor(...args: Arguments<typeof linearLRSignature>) {
    const { optimizer, start_factor, end_factor, total_iters, last_epoch } = linearLRSignature.parse(args);
    if (start_factor > 1.0 || start_factor <= 0) {
      throw new Error("Starting multiplicative factor expected to be greater than 0 and less or equal to 1.");
    }
    if (end_factor > 1.0 || end_factor < 0) throw new Error("Ending multiplicative factor expected to be between 0 and 1.");
    super(optimizer, last_epoch, { start_factor, end_factor, total_iters });
  }

  override get_lr(): number[] {
    this.warnIfOutsideStep();
    const groups = groupsOf(this.optimizer);
    const { start_factor: s, end_factor: f, total_iters: T } = this;
    if (this.last_epoch === 0) return groups.map((group) => group.lr * s);
    if (this._is_initial || this.last_epoch > T) return groups.map((group) => group.lr);
    return groups.map((group) => group.lr * (1.0 + (f - s) / (T * s + (this.last_epoch - 1) * (f - s))));
  }

  override _get_closed_form_lr(): number[] {
    checkClosedFormPeriod("LinearLR", "total_iters", this.total_iters);
    return this.base_lrs.map((base_lr) => linearLrAt(this.last_epoch, base_lr, this.start_factor, this.end_factor, this.total_iters));
  }
}
