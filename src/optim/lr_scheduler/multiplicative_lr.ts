import { type LrLambda, factorAt, lambdasPerGroup, lrLambdaParameter } from "./lambda_lr.ts";
import { LRScheduler, type SchedulerState, groupsOf } from "./lr_scheduler.ts";
import { type Arguments, signature } from "../../utils/signature.ts";
import { lastEpochParameter, optimizerParameter } from "./parameters.ts";

/** MultiplicativeLR's signature in current PyTorch: `MultiplicativeLR(optimizer, lr_lambda, last_epoch=-1)`. */
export const multiplicativeLRSignature = signature("MultiplicativeLR.__init__", [optimizerParameter, lrLambdaParameter, lastEpochParameter]);

/**
 * Multiplies each group's learning rate by a function of the epoch, every epoch.
 *
 * ```text
 * options  λᵢ lr_lambda (one function, or one per group)
 * ηᵢ ← ηᵢ · λᵢ(last_epoch)          every step but the initial one
 * ```
 */
export class MultiplicativeLR extends LRScheduler {
  declare lr_lambdas: LrLambda[];

  constructor(...args: Arguments<typeof multiplicativeLRSignature>) {
    const { optimizer, lr_lambda, last_epoch } = multiplicativeLRSignature.parse(args);
    const lr_lambdas = lambdasPerGroup(optimizer, lr_lambda);
    for (const fn of lr_lambdas) {
      if (typeof fn !== "function") throw new TypeError(`lr_lambda should be a function, but got ${typeof fn}`);
    }
    super(optimizer, last_epoch, { lr_lambdas });
  }

  override get_lr(): number[] {
    this.warnIfOutsideStep();
    const groups = groupsOf(this.optimizer);
    if (this._is_initial) return groups.map((group) => group.lr);
    return groups.map((group, i) => group.lr * factorAt("MultiplicativeLR", this.lr_lambdas[i]!, this.last_epoch));
  }

  override state_dict(): SchedulerState {
    return { ...this.stateWithout(["lr_lambdas"]), lr_lambdas: this.lr_lambdas.map(() => null) };
  }

  /** The lambdas are functions, not saved: loading keeps the ones given to the constructor. */
  protected override _not_loaded(): readonly string[] {
    return ["lr_lambdas"];
  }
}
