import * as libm from "../../math/libm.ts";
import { LRScheduler, groupsOf } from "./lr_scheduler.ts";
import { type Arguments, arrayOf, integer, number, optional, required, signature } from "../../utils/signature.ts";
import { lastEpochParameter, optimizerParameter } from "./parameters.ts";

/**
 * Learning rate at epoch e of MultiStepLR: η₀ · γ^(number of milestones ≤ e), a milestone
 * listed twice counting twice (used by `step(epoch)`, docs and tests).
 */
export function multiStepLrAt(e: number, base_lr: number, milestones: readonly number[], gamma: number): number {
  let passed = 0;
  for (const m of milestones) if (m <= e) passed++;
  return base_lr * libm.pow(gamma, passed);
}

/** MultiStepLR's signature in current PyTorch: `MultiStepLR(optimizer, milestones, gamma=0.1, last_epoch=-1)`. */
export const multiStepLRSignature = signature("MultiStepLR.__init__", [
  optimizerParameter,
  required("milestones", arrayOf(integer)),
  optional("gamma", number, 0.1),
  lastEpochParameter,
]);

/**
 * Decays each group's learning rate by `gamma` at each milestone epoch.
 *
 * ```text
 * options  milestones · γ gamma (0.1)
 * η ← η · γ^c      when last_epoch is a milestone listed c times
 * closed form: η₀ · γ^(milestones ≤ last_epoch)   (multiStepLrAt)
 * ```
 * `milestones` is kept as counts by epoch, as PyTorch's `Counter`.
 */
export class MultiStepLR extends LRScheduler {
  declare milestones: Record<string, number>;
  declare gamma: number;

  constructor(...args: Arguments<typeof multiStepLRSignature>) {
    const { optimizer, milestones, gamma, last_epoch } = multiStepLRSignature.parse(args);
    const counts: Record<string, number> = {};
    for (const m of milestones) counts[m] = (counts[m] ?? 0) + 1;
    super(optimizer, last_epoch, { milestones: counts, gamma });
  }

  override get_lr(): number[] {
    this.warnIfOutsideStep();
    const groups = groupsOf(this.optimizer);
    const count = this.milestones[this.last_epoch];
    if (count === undefined) return groups.map((group) => group.lr);
    return groups.map((group) => group.lr * libm.pow(this.gamma, count));
  }

  override _get_closed_form_lr(): number[] {
    const listed = Object.entries(this.milestones).flatMap(([m, c]) => new Array<number>(c).fill(Number(m)));
    return this.base_lrs.map((base_lr) => multiStepLrAt(this.last_epoch, base_lr, listed, this.gamma));
  }
}
