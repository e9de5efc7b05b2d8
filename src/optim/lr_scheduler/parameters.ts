/**
 * What the schedulers' signatures share: the `optimizer` and `last_epoch` parameters, the
 * kind of a value given once or per param group, and the check of a period that PyTorch
 * would divide by.
 */
import { anything, arrayOf, integer, number, optional, required, union } from "../../utils/signature.ts";
import { formatNumber } from "../checks.ts";
import type { SchedulableOptimizer } from "./lr_scheduler.ts";

/** `optimizer`, every scheduler's first parameter; the base class checks it with PyTorch's message. */
export const optimizerParameter = required("optimizer", anything<SchedulableOptimizer>());

/** `last_epoch=-1`: the index of the last epoch when resuming. */
export const lastEpochParameter = optional("last_epoch", integer, -1);

/** A number for every group, or one number per group (`max_lr`, `base_momentum`, `min_lr` …). */
export const perGroup = union(number, arrayOf(number));

/**
 * Throws `StepLR: step_size must be positive, but got 0` unless 0 < value: a period that
 * PyTorch's schedule divides by (or takes a remainder by), where zero would give NaN.
 */
export function checkPeriod(owner: string, name: string, value: number): void {
  if (!(value > 0)) throw new Error(`${owner}: ${name} must be positive, but got ${formatNumber(value)}`);
}

/**
 * Throws `PolynomialLR: total_iters must be positive for step(epoch), but got 0` unless
 * 0 < value: a period that only the closed form (`step(epoch)`) divides by, where PyTorch
 * raises ZeroDivisionError and JavaScript would give NaN; the chained `step()` accepts it.
 */
export function checkClosedFormPeriod(owner: string, name: string, value: number): void {
  if (value === 0) throw new Error(`${owner}: ${name} must be positive for step(epoch), but got 0 (the closed form divides by it)`);
}
