import * as libm from "../../math/libm.ts";
import { LRScheduler, type SchedulerState, checkOptimizer, formatParam, groupsOf } from "../lr_scheduler/lr_scheduler.ts";
import { type Arguments, choice, number, optional, required, signature } from "../../utils/signature.ts";
import { lastEpochParameter, optimizerParameter, perGroup } from "../lr_scheduler/parameters.ts";

/**
 * SWALR's signature in current PyTorch: `SWALR(optimizer, swa_lr, anneal_epochs=10,
 * anneal_strategy="cos", last_epoch=-1)`; anneal_epochs and anneal_strategy are checked with
 * PyTorch's messages.
 */
export const swalrSignature = signature("SWALR.__init__", [
  optimizerParameter,
  required("swa_lr", perGroup),
  optional("anneal_epochs", number, 10),
  optional("anneal_strategy", choice("cos", "linear"), "cos"),
  lastEpochParameter,
]);

/** The annealing curves: t ∈ [0, 1] to the weight of swa_lr. */
const ANNEAL = {
  cos: (t: number): number => (1 - libm.cos(Math.PI * t)) / 2,
  linear: (t: number): number => t,
} as const;

/** The lr an annealing step started from, recovered from the current one (SWALR's `_get_initial_lr`). */
const initialLr = (lr: number, swa_lr: number, alpha: number): number => (alpha === 1 ? swa_lr : (lr - alpha * swa_lr) / (1 - alpha));

/**
 * Anneals each group's learning rate to a constant `swa_lr` over `anneal_epochs` epochs,
 * for Stochastic Weight Averaging, as `torch.optim.swa_utils.SWALR`.
 *
 * ```text
 * options  swa_lr (one, or one per group) · anneal_epochs (10) · anneal_strategy ("cos")
 * s ← _step_count − 1 (at least 1 when anneal_epochs = 0);  A ← max(1, anneal_epochs)
 * a(t) = (1 − cos(π·t))/2 (cos) or t (linear);  clamp(x) = max(0, min(1, x))
 * α_prev ← a(clamp((s − 1)/A));  η_start ← (η − α_prev·swa_lr)/(1 − α_prev)   (swa_lr when α_prev = 1)
 * α ← a(clamp(s/A));  η ← swa_lr·α + η_start·(1 − α)
 * ```
 */
export class SWALR extends LRScheduler {
  declare anneal_epochs: number;
  declare _anneal_strategy: "cos" | "linear";

  constructor(...args: Arguments<typeof swalrSignature>) {
    const { optimizer, swa_lr, anneal_epochs, anneal_strategy, last_epoch } = swalrSignature.parse(args);
    checkOptimizer(optimizer);
    const swa_lrs = formatParam("swa_lr", optimizer, swa_lr);
    if (anneal_strategy !== "cos" && anneal_strategy !== "linear") {
      throw new Error(`anneal_strategy must by one of 'cos' or 'linear', instead got ${String(anneal_strategy)}`);
    }
    if (!Number.isInteger(anneal_epochs) || anneal_epochs < 0) throw new Error(`anneal_epochs must be equal or greater than 0, got ${anneal_epochs}`);
    if (last_epoch !== -1) {
      groupsOf(optimizer).forEach((group, i) => {
        if (!("initial_lr" in group)) throw new Error(`param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer`);
      });
    }
    groupsOf(optimizer).forEach((group, i) => (group.swa_lr = swa_lrs[i]!));
    super(optimizer, last_epoch, { anneal_epochs, _anneal_strategy: anneal_strategy });
  }

  /** The annealing curve of the chosen strategy. */
  anneal_func(t: number): number {
    return ANNEAL[this._anneal_strategy](t);
  }

  override get_lr(): number[] {
    this.warnIfOutsideStep();
    let step = this._step_count - 1;
    if (this.anneal_epochs === 0) step = Math.max(1, step);
    const span = Math.max(1, this.anneal_epochs);
    const prev_alpha = this.anneal_func(Math.max(0, Math.min(1, (step - 1) / span)));
    const alpha = this.anneal_func(Math.max(0, Math.min(1, step / span)));
    return groupsOf(this.optimizer).map((group) => {
      const swa_lr = group.swa_lr as number;
      return swa_lr * alpha + initialLr(group.lr, swa_lr, prev_alpha) * (1 - alpha);
    });
  }

  override state_dict(): SchedulerState {
    return this.stateWithout([]);
  }
}
