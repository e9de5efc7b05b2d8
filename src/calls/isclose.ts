/**
 * The calls of `isclose` and `allclose` as tensor methods and torch functions, declared once
 * as PyTorch declares them (the computation is `ops/isclose.ts`).
 *
 * ```text
 * Tensor.isclose(other, rtol=1e-05, atol=1e-08, equal_nan=False)          → int64 0/1 tensor
 * torch.isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False)
 * Tensor.allclose(other, rtol=1e-05, atol=1e-08, equal_nan=False)         → boolean
 * torch.allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False)
 * ```
 * `other` may also be a number (it takes the input's dtype), which PyTorch does not accept.
 */
import * as ops from "../ops/isclose.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { type Arguments, boolean, number, optional, required } from "../utils/signature.ts";
import { inputParameter, operandKind, functionSignature, methodSignature } from "./kinds.ts";

const closenessParameters = [
  required("other", operandKind),
  optional("rtol", number, 1e-5),
  optional("atol", number, 1e-8),
  optional("equal_nan", boolean, false),
] as const;

/** `Tensor.isclose(other, rtol=1e-05, atol=1e-08, equal_nan=False)`. */
export const iscloseMethodSignature = methodSignature("isclose", closenessParameters);
/** `Tensor.allclose(other, rtol=1e-05, atol=1e-08, equal_nan=False)`. */
export const allcloseMethodSignature = methodSignature("allclose", closenessParameters);
/** `torch.isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False)`. */
export const iscloseSignature = functionSignature("isclose", [inputParameter, ...closenessParameters]);
/** `torch.allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False)`. */
export const allcloseSignature = functionSignature("allclose", [inputParameter, ...closenessParameters]);

/** `x.isclose(y)`, `x.isclose(y, 1e-3)`, `x.isclose(y, { atol: 1e-6, equal_nan: true })`: 1 where close, 0 elsewhere. */
export function iscloseMethod(self: Tensor, ...args: Arguments<typeof iscloseMethodSignature>): Tensor {
  const { other, rtol, atol, equal_nan } = iscloseMethodSignature.parse(args);
  return ops.isclose(self, other, rtol, atol, equal_nan);
}

/** `x.allclose(y)`, `x.allclose(y, 1e-3, 1e-6)`: true when every element is close. */
export function allcloseMethod(self: Tensor, ...args: Arguments<typeof allcloseMethodSignature>): boolean {
  const { other, rtol, atol, equal_nan } = allcloseMethodSignature.parse(args);
  return ops.allclose(self, other, rtol, atol, equal_nan);
}

/**
 * 1 where |input − other| ≤ atol + rtol·|other| (or the two are equal), 0 elsewhere, as
 * `torch.isclose` (int64, gradlab's stand-in for bool).
 */
export function isclose(...args: Arguments<typeof iscloseSignature>): Tensor {
  const { input, other, rtol, atol, equal_nan } = iscloseSignature.parse(args);
  return ops.isclose(input, other, rtol, atol, equal_nan);
}

/** True when every element of `input` is close to `other`, as `torch.allclose`. */
export function allclose(...args: Arguments<typeof allcloseSignature>): boolean {
  const { input, other, rtol, atol, equal_nan } = allcloseSignature.parse(args);
  return ops.allclose(input, other, rtol, atol, equal_nan);
}
