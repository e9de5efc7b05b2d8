/**
 * Hyperparameter validation shared by the optimizers, with PyTorch's messages.
 *
 * Each optimizer's constructor calls these before `super(...)`, in the order its PyTorch
 * `__init__` checks, so a bad value throws before any group or state exists. Conditions
 * are written `!(0 <= x)` as PyTorch writes `not 0.0 <= x`, so NaN is rejected too.
 */
import { closestName } from "../utils/signature.ts";

/**
 * A number as Python's `repr` prints a float in an f-string: scientific notation below
 * 1e-4 and from 1e16 (`1e-05`, `1e+16`), plain digits otherwise. Whole numbers print
 * without `.0`, since JavaScript cannot tell `-1` from `-1.0` (`Invalid learning rate: -1`).
 */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0";
  const [mantissa, exponentText] = x.toExponential().split("e") as [string, string];
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const sign = exponent < 0 ? "-" : "+";
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  return String(x); // JavaScript prints fixed digits in this range, shortest round-trip as Python
}

/** `Invalid learning rate: -1` unless 0 ≤ lr. */
export function checkLr(lr: number): void {
  if (!(0 <= lr)) throw new Error(`Invalid learning rate: ${formatNumber(lr)}`);
}

/** `Invalid epsilon value: -1` unless 0 ≤ eps. */
export function checkEps(eps: number): void {
  if (!(0 <= eps)) throw new Error(`Invalid epsilon value: ${formatNumber(eps)}`);
}

/** `Invalid weight_decay value: -1` unless 0 ≤ weight_decay. */
export function checkWeightDecay(weight_decay: number): void {
  if (!(0 <= weight_decay)) throw new Error(`Invalid weight_decay value: ${formatNumber(weight_decay)}`);
}

/** `Invalid momentum value: -1` unless 0 ≤ momentum. */
export function checkMomentum(momentum: number): void {
  if (!(0 <= momentum)) throw new Error(`Invalid momentum value: ${formatNumber(momentum)}`);
}

/** `Invalid beta parameter at index 0: 1` unless each beta is in [0, 1). */
export function checkBetas(betas: readonly number[]): void {
  betas.forEach((beta, index) => {
    if (!(0 <= beta && beta < 1)) throw new Error(`Invalid beta parameter at index ${index}: ${formatNumber(beta)}`);
  });
}

/** `Invalid <name> value: -1` unless 0 ≤ value (Adagrad's lr_decay, initial_accumulator_value …). */
export function checkNonNegative(name: string, value: number): void {
  if (!(0 <= value)) throw new Error(`Invalid ${name} value: ${formatNumber(value)}`);
}

/**
 * For optimizers written outside gradlab that take one options object (gradlab's own declare
 * a signature instead, see src/optim/adam.ts). The constructor's options with PyTorch's defaults filled in, as Python binds keyword
 * arguments: an unknown key throws `Adam.__init__() got an unexpected keyword argument
 * 'lrr'`; a key given as `undefined` takes its default (an explicit `null` is kept: None).
 */
export function withDefaults<D extends object>(className: string, defaults: D, options: object): D {
  const merged = { ...defaults } as Record<string, unknown>;
  for (const [key, value] of Object.entries(options)) {
    if (!(key in defaults)) {
      const suggestion = closestName(key, Object.keys(defaults));
      throw new TypeError(
        `${className}.__init__() got an unexpected keyword argument '${key}'${suggestion === undefined ? "" : `. Did you mean '${suggestion}'?`}`,
      );
    }
    if (value !== undefined) merged[key] = Array.isArray(value) ? value.slice() : value;
  }
  return merged as D;
}

/** PyTorch's messages for kernel flags that cannot be combined (the flags themselves choose nothing here). */
export function checkFused(options: { fused?: boolean | null; foreach?: boolean | null; differentiable?: boolean }): void {
  if (!options.fused) return;
  if (options.differentiable) throw new Error("`fused` does not support `differentiable`");
  if (options.foreach) throw new Error("`fused` and `foreach` cannot be `True` together.");
}
