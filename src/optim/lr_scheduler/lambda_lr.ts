import { LRScheduler, type SchedulableOptimizer, type SchedulerState, checkOptimizer } from "./lr_scheduler.ts";
import { type Arguments, arrayOf, describeValue, func, required, union, signature } from "../../utils/signature.ts";
import { lastEpochParameter, optimizerParameter } from "./parameters.ts";

/** A function of the epoch index, returning a factor for the learning rate. */
export type LrLambda = (epoch: number) => number;

/** One function per parameter group: a single function is repeated (as LambdaLR and MultiplicativeLR do). */
export function lambdasPerGroup(optimizer: SchedulableOptimizer, lr_lambda: LrLambda | readonly LrLambda[]): LrLambda[] {
  checkOptimizer(optimizer);
  const n = optimizer.param_groups.length;
  if (!Array.isArray(lr_lambda)) return new Array<LrLambda>(n).fill(lr_lambda as LrLambda);
  if (lr_lambda.length !== n) throw new Error(`Expected ${n} lr_lambdas, but got ${lr_lambda.length}`);
  return lr_lambda.slice();
}

/**
 * The factor `fn` gives at `epoch`, which must be a number: JavaScript would turn a string or
 * undefined into a NaN learning rate, where Python's `base_lr * lmbda(epoch)` raises.
 */
export function factorAt(owner: string, fn: LrLambda, epoch: number): number {
  const factor: unknown = fn(epoch);
  if (typeof factor !== "number") {
    throw new TypeError(`${owner}: lr_lambda must return a number, but returned ${describeValue(factor)} at epoch ${epoch}`);
  }
  return factor;
}

/** A function of the epoch, or one per param group. */
export const lrLambdaParameter = required("lr_lambda", union(func<LrLambda>(), arrayOf(func<LrLambda>(), "an array of functions")));

/** LambdaLR's signature in current PyTorch: `LambdaLR(optimizer, lr_lambda, last_epoch=-1)`. */
export const lambdaLRSignature = signature("LambdaLR.__init__", [optimizerParameter, lrLambdaParameter, lastEpochParameter]);

/**
 * Sets each group's learning rate to its initial lr times a function of the epoch.
 *
 * ```text
 * options  λᵢ lr_lambda (one function, or one per group) · η₀ᵢ base_lrs[i]
 * ηᵢ ← η₀ᵢ · λᵢ(last_epoch)
 * ```
 * Functions are not saved by `state_dict()` (their slots hold null), as in PyTorch.
 */
export class LambdaLR extends LRScheduler {
  declare lr_lambdas: LrLambda[];

  constructor(...args: Arguments<typeof lambdaLRSignature>) {
    const { optimizer, lr_lambda, last_epoch } = lambdaLRSignature.parse(args);
    const lr_lambdas = lambdasPerGroup(optimizer, lr_lambda);
    super(optimizer, last_epoch, { lr_lambdas });
  }

  override get_lr(): number[] {
    this.warnIfOutsideStep();
    return this.base_lrs.map((base_lr, i) => base_lr * factorAt("LambdaLR", this.lr_lambdas[i]!, this.last_epoch));
  }

  override state_dict(): SchedulerState {
    return { ...this.stateWithout(["lr_lambdas"]), lr_lambdas: this.lr_lambdas.map(() => null) };
  }

  /** The lambdas are functions, not saved: loading keeps the ones given to the constructor. */
  protected override _not_loaded(): readonly string[] {
    return ["lr_lambdas"];
  }
}
