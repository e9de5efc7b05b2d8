/**
 * The calls of the arithmetic ops as tensor methods (out of place and in place) and torch
 * functions, declared once as PyTorch declares them.
 *
 * ```text
 * Tensor.add(other, *, alpha=1)     Tensor.add_(other, *, alpha=1)     torch.add(input, other, *, alpha=1)
 * Tensor.sub(other, *, alpha=1)     Tensor.sub_(other, *, alpha=1)     torch.sub(input, other, *, alpha=1)
 * Tensor.mul(other)                 Tensor.mul_(other)                 torch.mul(input, other)
 * Tensor.div(other, *, rounding_mode=None)   Tensor.div_(…)          torch.div(input, other, *, rounding_mode=None)
 * ```
 * `rounding_mode` is null (true division), "trunc" or "floor" (ops/div_mode.ts).
 * `other` is a Tensor or a number. The plain call `x.add(y)` goes straight to the op (one
 * length test and one type test); every other call is parsed by the declared signature,
 * so `x.add(y, 2)` throws `add() takes 1 positional argument but 2 were given` before
 * anything is computed or written.
 */
import * as ops from "../ops/arithmetic.ts";
import { type RoundingMode, divRounded, divRounded_ } from "../ops/div_mode.ts";
import type { Operand } from "../ops/operands.ts";
import { Tensor } from "../tensor/tensor.ts";
import { type Arguments, choice, isPlainObject, keyword, kind, nullable, required } from "../utils/signature.ts";
import { inputParameter, operandKind, functionSignature, methodSignature } from "./kinds.ts";

/** Any number, NaN and the infinities included (PyTorch's Scalar). */
const scalar = kind<number>("a number", (v) => typeof v === "number");
const alphaParameters = [required("other", operandKind), keyword("alpha", scalar, 1)] as const;
const otherParameters = [required("other", operandKind)] as const;
/** Another string meets `div`'s own RuntimeError, as in PyTorch. */
const divParameters = [required("other", operandKind), keyword("rounding_mode", nullable(choice("trunc", "floor")), null)] as const;

/** `Tensor.add(other, *, alpha=1)`. */
export const addMethodSignature = methodSignature("add", alphaParameters);
/** `Tensor.sub(other, *, alpha=1)`. */
export const subMethodSignature = methodSignature("sub", alphaParameters);
/** `Tensor.mul(other)`. */
export const mulMethodSignature = methodSignature("mul", otherParameters);
/** `Tensor.div(other, *, rounding_mode=None)`. */
export const divMethodSignature = methodSignature("div", divParameters);
/** `Tensor.add_(other, *, alpha=1)`. */
export const addInPlaceSignature = methodSignature("add_", alphaParameters);
/** `Tensor.sub_(other, *, alpha=1)`. */
export const subInPlaceSignature = methodSignature("sub_", alphaParameters);
/** `Tensor.mul_(other)`. */
export const mulInPlaceSignature = methodSignature("mul_", otherParameters);
/** `Tensor.div_(other, *, rounding_mode=None)`. */
export const divInPlaceSignature = methodSignature("div_", divParameters);
/** `torch.add(input, other, *, alpha=1)`. */
export const addSignature = functionSignature("add", [inputParameter, ...alphaParameters]);
/** `torch.sub(input, other, *, alpha=1)`. */
export const subSignature = functionSignature("sub", [inputParameter, ...alphaParameters]);
/** `torch.mul(input, other)`. */
export const mulSignature = functionSignature("mul", [inputParameter, ...otherParameters]);
/** `torch.div(input, other, *, rounding_mode=None)`. */
export const divSignature = functionSignature("div", [inputParameter, ...divParameters]);

type AlphaArguments = Arguments<typeof addMethodSignature>;
type OtherArguments = Arguments<typeof mulMethodSignature>;
type DivArguments = Arguments<typeof divMethodSignature>;

/** a / b, or rounded toward zero or down. */
const divide = (a: Tensor, { other, rounding_mode }: { other: Operand; rounding_mode: RoundingMode | null }): Tensor =>
  rounding_mode === null ? ops.div(a, other) : divRounded(a, other, rounding_mode);

/** The operand of a plain call (`x.add(y)`, `x.mul(2)`), or undefined when the call needs parsing. */
const plainOperand = (args: readonly unknown[]): Operand | undefined => {
  if (args.length !== 1) return undefined;
  const other = args[0];
  return other instanceof Tensor || typeof other === "number" ? other : undefined;
};

/**
 * The alpha of a plain `(other, { alpha })` call (`p.add_(g, { alpha: -lr })`, the idiom of
 * hand-written update steps), or undefined when the call needs parsing.
 */
function plainAlpha(args: readonly unknown[]): number | undefined {
  if (args.length !== 2 || plainOperand(args.slice(0, 1)) === undefined || !isPlainObject(args[1])) return undefined;
  const options = args[1];
  for (const key in options) if (key !== "alpha") return undefined;
  return typeof options.alpha === "number" ? options.alpha : undefined;
}

/** `x.add(y)`, `x.add(y, { alpha: 2 })`, `x.add({ other: y })`: x + alpha·y. */
export function addMethod(self: Tensor, ...args: AlphaArguments): Tensor {
  const other = plainOperand(args);
  if (other !== undefined) return ops.add(self, other);
  const alpha = plainAlpha(args);
  if (alpha !== undefined) return ops.add(self, args[0] as Operand, { alpha });
  const values = addMethodSignature.parse(args);
  return ops.add(self, values.other, { alpha: values.alpha });
}

/** `x.sub(y)`, `x.sub(y, { alpha: 2 })`: x − alpha·y. */
export function subMethod(self: Tensor, ...args: AlphaArguments): Tensor {
  const other = plainOperand(args);
  if (other !== undefined) return ops.sub(self, other);
  const alpha = plainAlpha(args);
  if (alpha !== undefined) return ops.sub(self, args[0] as Operand, { alpha });
  const values = subMethodSignature.parse(args);
  return ops.sub(self, values.other, { alpha: values.alpha });
}

/** `x.mul(y)`, `x.mul(2)`. */
export function mulMethod(self: Tensor, ...args: OtherArguments): Tensor {
  return ops.mul(self, plainOperand(args) ?? mulMethodSignature.parse(args).other);
}

/** `x.div(y)`, `x.div(2)`, `x.div(y, { rounding_mode: "floor" })`. */
export function divMethod(self: Tensor, ...args: DivArguments): Tensor {
  const other = plainOperand(args);
  if (other !== undefined) return ops.div(self, other);
  return divide(self, divMethodSignature.parse(args));
}

/** `x.add_(y)`, `p.add_(g, { alpha: -lr })`: in place. */
export function addInPlaceMethod(self: Tensor, ...args: AlphaArguments): Tensor {
  const other = plainOperand(args);
  if (other !== undefined) return ops.add_(self, other);
  const alpha = plainAlpha(args);
  if (alpha !== undefined) return ops.add_(self, args[0] as Operand, { alpha });
  const values = addInPlaceSignature.parse(args);
  return ops.add_(self, values.other, { alpha: values.alpha });
}

/** `x.sub_(y)`, `x.sub_(y, { alpha: 2 })`: in place. */
export function subInPlaceMethod(self: Tensor, ...args: AlphaArguments): Tensor {
  const other = plainOperand(args);
  if (other !== undefined) return ops.sub_(self, other);
  const alpha = plainAlpha(args);
  if (alpha !== undefined) return ops.sub_(self, args[0] as Operand, { alpha });
  const values = subInPlaceSignature.parse(args);
  return ops.sub_(self, values.other, { alpha: values.alpha });
}

/** `x.mul_(y)`: in place. */
export function mulInPlaceMethod(self: Tensor, ...args: OtherArguments): Tensor {
  return ops.mul_(self, plainOperand(args) ?? mulInPlaceSignature.parse(args).other);
}

/** `x.div_(y)`, `x.div_(y, { rounding_mode: "trunc" })`: in place. */
export function divInPlaceMethod(self: Tensor, ...args: DivArguments): Tensor {
  const other = plainOperand(args);
  if (other !== undefined) return ops.div_(self, other);
  const values = divInPlaceSignature.parse(args);
  return values.rounding_mode === null ? ops.div_(self, values.other) : divRounded_(self, values.other, values.rounding_mode);
}

/** `torch.add(input, other, *, alpha=1)`. */
export function add(...args: Arguments<typeof addSignature>): Tensor {
  const { input, other, alpha } = addSignature.parse(args);
  return ops.add(input, other, { alpha });
}

/** `torch.sub(input, other, *, alpha=1)`. */
export function sub(...args: Arguments<typeof subSignature>): Tensor {
  const { input, other, alpha } = subSignature.parse(args);
  return ops.sub(input, other, { alpha });
}

/** `torch.mul(input, other)`. */
export function mul(...args: Arguments<typeof mulSignature>): Tensor {
  const { input, other } = mulSignature.parse(args);
  return ops.mul(input, other);
}

/** `torch.div(input, other)`. */
export function div(...args: Arguments<typeof divSignature>): Tensor {
  const { input, ...values } = divSignature.parse(args);
  return divide(input, values);
}
