/**
 * The calls of the selecting reductions as tensor methods and torch functions, declared once
 * as PyTorch declares them.
 *
 * ```text
 * Tensor.max()  Tensor.max(other)  Tensor.max(dim, keepdim=False)      (and min)
 * Tensor.amax(dim=[], keepdim=False)                                   (and amin)
 * Tensor.argmax(dim=None, keepdim=False)                               (and argmin)
 * torch.max(input), torch.max(input, other), torch.max(input, dim, keepdim=False) …
 * ```
 * `x.max(1, true)` is `x.max(1, { keepdim: true })`; `x.max(y)` is `x.maximum(y)`, as in PyTorch.
 */
import { maximum, minimum } from "../ops/compare.ts";
import * as ops from "../ops/minmax.ts";
import { Tensor } from "../tensor/tensor.ts";
import { type Arguments, boolean, integer, isPlainObject, nullable, optional, required } from "../utils/signature.ts";
import { dimsKind, inputParameter, tensorKind, functionSignature, methodSignature } from "./kinds.ts";

const alongParameters = [required("dim", integer), optional("keepdim", boolean, false)] as const;
const otherParameters = [required("other", tensorKind)] as const;
const amaxParameters = [optional("dim", dimsKind, []), optional("keepdim", boolean, false)] as const;
const argParameters = [optional("dim", nullable(integer), null), optional("keepdim", boolean, false)] as const;

/** `Tensor.max(dim, keepdim=False)`. */
export const maxMethodSignature = methodSignature("max", alongParameters);
/** `Tensor.min(dim, keepdim=False)`. */
export const minMethodSignature = methodSignature("min", alongParameters);
/** `Tensor.max(other)` and `Tensor.min(other)`: the elementwise maximum / minimum. */
export const maxOtherSignature = methodSignature("max", otherParameters, "other");
export const minOtherSignature = methodSignature("min", otherParameters, "other");
/** `torch.max(input, other)` and `torch.min(input, other)`. */
export const maxOtherFunctionSignature = functionSignature("max", [inputParameter, ...otherParameters], "other");
export const minOtherFunctionSignature = functionSignature("min", [inputParameter, ...otherParameters], "other");
/** `torch.max(input, dim, keepdim=False)`, `torch.min(…)`. */
export const maxSignature = functionSignature("max", [inputParameter, ...alongParameters]);
export const minSignature = functionSignature("min", [inputParameter, ...alongParameters]);
/** `Tensor.amax(dim=[], keepdim=False)`, `Tensor.amin(…)`, and the torch functions with `input` first. */
export const amaxMethodSignature = methodSignature("amax", amaxParameters);
export const aminMethodSignature = methodSignature("amin", amaxParameters);
export const amaxSignature = functionSignature("amax", [inputParameter, ...amaxParameters]);
export const aminSignature = functionSignature("amin", [inputParameter, ...amaxParameters]);
/** `Tensor.argmax(dim=None, keepdim=False)`, `Tensor.argmin(…)`, and the torch functions. */
export const argmaxMethodSignature = methodSignature("argmax", argParameters);
export const argminMethodSignature = methodSignature("argmin", argParameters);
export const argmaxSignature = functionSignature("argmax", [inputParameter, ...argParameters]);
export const argminSignature = functionSignature("argmin", [inputParameter, ...argParameters]);

type Along = Arguments<typeof maxMethodSignature>;

/** True for `x.max()` and `x.max({})`: the reduction over every element. */
const noArguments = (args: readonly unknown[]): boolean =>
  args.length === 0 || (args.length === 1 && isPlainObject(args[0]) && Object.keys(args[0]).length === 0);

/** True when a call passes `other` at `position` or names it (the elementwise form), not a dim. */
const isOtherCall = (args: readonly unknown[], position: number): boolean =>
  args[position] instanceof Tensor || args.some((a) => isPlainObject(a) && "other" in a);

/** `x.max()`, `x.max(y)`, `x.max(1)`, `x.max(1, true)`, `x.max({ dim: 1, keepdim: true })`. */
export function maxMethod(self: Tensor): Tensor;
export function maxMethod(self: Tensor, other: Tensor): Tensor;
export function maxMethod(self: Tensor, ...args: Along): ops.ValuesIndices;
export function maxMethod(self: Tensor, ...args: unknown[]): Tensor | ops.ValuesIndices {
  if (noArguments(args)) return ops.max(self);
  if (isOtherCall(args, 0)) return maximum(self, maxOtherSignature.parse(args).other);
  const { dim, keepdim } = maxMethodSignature.parse(args);
  return ops.max(self, dim, { keepdim });
}

/** `x.min()`, `x.min(y)`, `x.min(1)`, `x.min(1, true)`, `x.min({ dim: 1, keepdim: true })`. */
export function minMethod(self: Tensor): Tensor;
export function minMethod(self: Tensor, other: Tensor): Tensor;
export function minMethod(self: Tensor, ...args: Along): ops.ValuesIndices;
export function minMethod(self: Tensor, ...args: unknown[]): Tensor | ops.ValuesIndices {
  if (noArguments(args)) return ops.min(self);
  if (isOtherCall(args, 0)) return minimum(self, minOtherSignature.parse(args).other);
  const { dim, keepdim } = minMethodSignature.parse(args);
  return ops.min(self, dim, { keepdim });
}

/** `torch.max(input)`, `torch.max(input, other)`, `torch.max(input, dim, keepdim=False)`. */
export function max(input: Tensor): Tensor;
export function max(input: Tensor, other: Tensor): Tensor;
export function max(...args: Arguments<typeof maxSignature>): ops.ValuesIndices;
export function max(...args: unknown[]): Tensor | ops.ValuesIndices {
  if (args[0] instanceof Tensor && noArguments(args.slice(1))) return ops.max(args[0]);
  if (isOtherCall(args, 1)) {
    const { input, other } = maxOtherFunctionSignature.parse(args);
    return maximum(input, other);
  }
  const { input, dim, keepdim } = maxSignature.parse(args);
  return ops.max(input, dim, { keepdim });
}

/** `torch.min(input)`, `torch.min(input, other)`, `torch.min(input, dim, keepdim=False)`. */
export function min(input: Tensor): Tensor;
export function min(input: Tensor, other: Tensor): Tensor;
export function min(...args: Arguments<typeof minSignature>): ops.ValuesIndices;
export function min(...args: unknown[]): Tensor | ops.ValuesIndices {
  if (args[0] instanceof Tensor && noArguments(args.slice(1))) return ops.min(args[0]);
  if (isOtherCall(args, 1)) {
    const { input, other } = minOtherFunctionSignature.parse(args);
    return minimum(input, other);
  }
  const { input, dim, keepdim } = minSignature.parse(args);
  return ops.min(input, dim, { keepdim });
}

/** `x.amax(1)`, `x.amax([0, 1], true)`, `x.amax({ dim: 1, keepdim: true })`. */
export function amaxMethod(self: Tensor, ...args: Arguments<typeof amaxMethodSignature>): Tensor {
  return ops.amax(self, amaxMethodSignature.parse(args));
}

/** `x.amin(1)`, `x.amin([0, 1], true)`. */
export function aminMethod(self: Tensor, ...args: Arguments<typeof aminMethodSignature>): Tensor {
  return ops.amin(self, aminMethodSignature.parse(args));
}

/** `torch.amax(input, dim=[], keepdim=False)`. */
export function amax(...args: Arguments<typeof amaxSignature>): Tensor {
  const { input, ...options } = amaxSignature.parse(args);
  return ops.amax(input, options);
}

/** `torch.amin(input, dim=[], keepdim=False)`. */
export function amin(...args: Arguments<typeof aminSignature>): Tensor {
  const { input, ...options } = aminSignature.parse(args);
  return ops.amin(input, options);
}

/** `x.argmax()`, `x.argmax(1)`, `x.argmax(1, true)`, `x.argmax({ dim: 1 })`. */
export function argmaxMethod(self: Tensor, ...args: Arguments<typeof argmaxMethodSignature>): Tensor {
  return ops.argmax(self, argmaxMethodSignature.parse(args));
}

/** `x.argmin()`, `x.argmin(1)`, `x.argmin(1, true)`. */
export function argminMethod(self: Tensor, ...args: Arguments<typeof argminMethodSignature>): Tensor {
  return ops.argmin(self, argminMethodSignature.parse(args));
}

/** `torch.argmax(input, dim=None, keepdim=False)`. */
export function argmax(...args: Arguments<typeof argmaxSignature>): Tensor {
  const { input, ...options } = argmaxSignature.parse(args);
  return ops.argmax(input, options);
}

/** `torch.argmin(input, dim=None, keepdim=False)`. */
export function argmin(...args: Arguments<typeof argminSignature>): Tensor {
  const { input, ...options } = argminSignature.parse(args);
  return ops.argmin(input, options);
}
