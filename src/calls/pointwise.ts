/**
 * The calls of the pointwise ops that take arguments, as tensor methods and torch functions,
 * declared once as PyTorch declares them.
 *
 * ```text
 * Tensor.clamp(min=None, max=None)    Tensor.clamp_(min=None, max=None)   torch.clamp(input, min=None, max=None)
 * Tensor.clamp_min(min)               Tensor.clamp_max(max)               torch.clamp_min(input, min), torch.clamp_max(input, max)
 * Tensor.pow(exponent)                torch.pow(input, exponent)
 * Tensor.eq(other) … ge(other)        torch.eq(input, other) …            Tensor.maximum(other), minimum(other)
 * Tensor.where(condition, other)      torch.where(condition, input, other)
 * Tensor.lerp(end, weight)            Tensor.lerp_(end, weight)           torch.lerp(input, end, weight)
 * Tensor.addcmul(tensor1, tensor2, *, value=1)   (and addcdiv, addcmul_, addcdiv_, torch.addcmul …)
 * Tensor.fill_(value)
 * ```
 * A plain call with one operand (`x.pow(2)`, `x.eq(y)`) goes straight to the op.
 */
import * as clampOps from "../ops/clamp.ts";
import * as compareOps from "../ops/compare.ts";
import type { Operand } from "../ops/operands.ts";
import * as pointwiseOps from "../ops/pointwise.ts";
import { pow as powOp } from "../ops/pow.ts";
import { Tensor } from "../tensor/tensor.ts";
import { type Arguments, keyword, kind, nullable, optional, required } from "../utils/signature.ts";
import { inputParameter, operandKind, tensorKind, functionSignature, methodSignature } from "./kinds.ts";

/** Any number, NaN and the infinities included (PyTorch's Scalar). */
const scalar = kind<number>("a number", (v) => typeof v === "number");

/** The operand of a plain one-operand call, or undefined when the call needs parsing. */
const plainOperand = (args: readonly unknown[]): Operand | undefined => {
  if (args.length !== 1) return undefined;
  const other = args[0];
  return other instanceof Tensor || typeof other === "number" ? other : undefined;
};

const clampParameters = [optional("min", nullable(operandKind), null), optional("max", nullable(operandKind), null)] as const;
/** `Tensor.clamp(min=None, max=None)`. */
export const clampMethodSignature = methodSignature("clamp", clampParameters);
/** `Tensor.clamp_(min=None, max=None)`. */
export const clampInPlaceSignature = methodSignature("clamp_", clampParameters);
/** `torch.clamp(input, min=None, max=None)`. */
export const clampSignature = functionSignature("clamp", [inputParameter, ...clampParameters]);

/** `x.clamp(0, 1)`, `x.clamp(null, 1)`, `x.clamp({ min: 0 })`: each element held within [min, max]. */
export function clampMethod(self: Tensor, ...args: Arguments<typeof clampMethodSignature>): Tensor {
  return clampOps.clamp(self, clampMethodSignature.parse(args));
}

/** `x.clamp_(0, 1)`: in place. */
export function clampInPlaceMethod(self: Tensor, ...args: Arguments<typeof clampInPlaceSignature>): Tensor {
  return clampOps.clamp_(self, clampInPlaceSignature.parse(args));
}

/** `torch.clamp(input, min=None, max=None)`. */
export function clamp(...args: Arguments<typeof clampSignature>): Tensor {
  const { input, ...bounds } = clampSignature.parse(args);
  return clampOps.clamp(input, bounds);
}

/** `Tensor.clamp_min(min)`. */
export const clampMinSignature = methodSignature("clamp_min", [required("min", operandKind)]);
/** `Tensor.clamp_max(max)`. */
export const clampMaxSignature = methodSignature("clamp_max", [required("max", operandKind)]);

/** `x.clamp_min(0)`, `x.clamp_min({ min: 0 })`: each element at least min. */
export function clampMinMethod(self: Tensor, ...args: Arguments<typeof clampMinSignature>): Tensor {
  return clampOps.clampNamed(self, { min: plainOperand(args) ?? clampMinSignature.parse(args).min }, "ClampMin");
}

/** `x.clamp_max(1)`, `x.clamp_max({ max: 1 })`: each element at most max. */
export function clampMaxMethod(self: Tensor, ...args: Arguments<typeof clampMaxSignature>): Tensor {
  return clampOps.clampNamed(self, { max: plainOperand(args) ?? clampMaxSignature.parse(args).max }, "ClampMax");
}

/** `torch.clamp_min(input, min)`. */
export const clampMinFunctionSignature = functionSignature("clamp_min", [inputParameter, required("min", operandKind)]);
/** `torch.clamp_max(input, max)`. */
export const clampMaxFunctionSignature = functionSignature("clamp_max", [inputParameter, required("max", operandKind)]);

/** `torch.clamp_min(input, min)`: each element at least min. */
export function clamp_min(...args: Arguments<typeof clampMinFunctionSignature>): Tensor {
  const { input, min } = clampMinFunctionSignature.parse(args);
  return clampOps.clampNamed(input, { min }, "ClampMin");
}

/** `torch.clamp_max(input, max)`: each element at most max. */
export function clamp_max(...args: Arguments<typeof clampMaxFunctionSignature>): Tensor {
  const { input, max } = clampMaxFunctionSignature.parse(args);
  return clampOps.clampNamed(input, { max }, "ClampMax");
}

/** `Tensor.pow(exponent)`. */
export const powMethodSignature = methodSignature("pow", [required("exponent", operandKind)]);
/** `torch.pow(input, exponent)`. */
export const powSignature = functionSignature("pow", [inputParameter, required("exponent", operandKind)]);

/** `x.pow(2)`, `x.pow(y)`, `x.pow({ exponent: 2 })`. */
export function powMethod(self: Tensor, ...args: Arguments<typeof powMethodSignature>): Tensor {
  return powOp(self, plainOperand(args) ?? powMethodSignature.parse(args).exponent);
}

/** `torch.pow(input, exponent)`. */
export function pow(...args: Arguments<typeof powSignature>): Tensor {
  const { input, exponent } = powSignature.parse(args);
  return powOp(input, exponent);
}

type Binary = (a: Tensor, b: Operand) => Tensor;
const otherParameters = [required("other", operandKind)] as const;

/**
 * A comparison (or maximum / minimum) as a method and a torch function, each with its
 * declared signature: `x.eq(y)`, `x.eq(2)`, `x.eq({ other: y })`, `eq(x, y)`.
 */
function binaryCalls(name: string, op: Binary) {
  const ofMethod = methodSignature(name, otherParameters);
  const ofFunction = functionSignature(name, [inputParameter, ...otherParameters]);
  return {
    method: (self: Tensor, ...args: Arguments<typeof ofMethod>): Tensor => op(self, plainOperand(args) ?? ofMethod.parse(args).other),
    function: (...args: Arguments<typeof ofFunction>): Tensor => {
      const { input, other } = ofFunction.parse(args);
      return op(input, other);
    },
    methodSignature: ofMethod,
    functionSignature: ofFunction,
  };
}

/** The comparisons, maximum and minimum: each one's method, torch function and signatures. */
export const binaryOps = {
  eq: binaryCalls("eq", compareOps.eq),
  ne: binaryCalls("ne", compareOps.ne),
  lt: binaryCalls("lt", compareOps.lt),
  le: binaryCalls("le", compareOps.le),
  gt: binaryCalls("gt", compareOps.gt),
  ge: binaryCalls("ge", compareOps.ge),
  maximum: binaryCalls("maximum", compareOps.maximum),
  minimum: binaryCalls("minimum", compareOps.minimum),
};
/** `torch.eq(input, other)` … `torch.minimum(input, other)`. */
export const { eq, ne, lt, le, gt, ge, maximum, minimum } = Object.fromEntries(Object.entries(binaryOps).map(([name, calls]) => [name, calls.function])) as {
  [K in keyof typeof binaryOps]: (typeof binaryOps)[K]["function"];
};

/** `Tensor.where(condition, other)`. */
export const whereMethodSignature = methodSignature("where", [required("condition", tensorKind), required("other", operandKind)]);
/** `torch.where(condition, input, other)` (input may be a number, as in current PyTorch). */
export const whereSignature = functionSignature("where", [required("condition", tensorKind), required("input", operandKind), required("other", operandKind)]);

/** `x.where(condition, other)`: x where the condition holds, other elsewhere. */
export function whereMethod(self: Tensor, ...args: Arguments<typeof whereMethodSignature>): Tensor {
  const { condition, other } = whereMethodSignature.parse(args);
  return compareOps.where(condition, self, other);
}

/** `torch.where(condition, input, other)`. */
export function where(...args: Arguments<typeof whereSignature>): Tensor {
  const { condition, input, other } = whereSignature.parse(args);
  return compareOps.where(condition, input, other);
}

const lerpParameters = [required("end", tensorKind), required("weight", operandKind)] as const;
/** `Tensor.lerp(end, weight)`, `Tensor.lerp_(end, weight)`, `torch.lerp(input, end, weight)`. */
export const lerpMethodSignature = methodSignature("lerp", lerpParameters);
export const lerpInPlaceSignature = methodSignature("lerp_", lerpParameters);
export const lerpSignature = functionSignature("lerp", [inputParameter, ...lerpParameters]);

/** `x.lerp(end, 0.5)`: x + weight·(end − x). */
export function lerpMethod(self: Tensor, ...args: Arguments<typeof lerpMethodSignature>): Tensor {
  const { end, weight } = lerpMethodSignature.parse(args);
  return pointwiseOps.lerp(self, end, weight);
}

/** `x.lerp_(end, 0.5)`: in place. */
export function lerpInPlaceMethod(self: Tensor, ...args: Arguments<typeof lerpInPlaceSignature>): Tensor {
  const { end, weight } = lerpInPlaceSignature.parse(args);
  return pointwiseOps.lerp_(self, end, weight);
}

/** `torch.lerp(input, end, weight)`. */
export function lerp(...args: Arguments<typeof lerpSignature>): Tensor {
  const { input, end, weight } = lerpSignature.parse(args);
  return pointwiseOps.lerp(input, end, weight);
}

const valueParameters = [required("tensor1", tensorKind), required("tensor2", tensorKind), keyword("value", scalar, 1)] as const;
/** `Tensor.addcmul(tensor1, tensor2, *, value=1)` and its in-place and torch forms; likewise addcdiv. */
export const addcmulMethodSignature = methodSignature("addcmul", valueParameters);
export const addcmulInPlaceSignature = methodSignature("addcmul_", valueParameters);
export const addcmulSignature = functionSignature("addcmul", [inputParameter, ...valueParameters]);
export const addcdivMethodSignature = methodSignature("addcdiv", valueParameters);
export const addcdivInPlaceSignature = methodSignature("addcdiv_", valueParameters);
export const addcdivSignature = functionSignature("addcdiv", [inputParameter, ...valueParameters]);

type ValueArguments = Arguments<typeof addcmulMethodSignature>;

/** `x.addcmul(t1, t2, { value: 0.5 })`: x + value·t1·t2. */
export function addcmulMethod(self: Tensor, ...args: ValueArguments): Tensor {
  const { tensor1, tensor2, value } = addcmulMethodSignature.parse(args);
  return pointwiseOps.addcmul(self, tensor1, tensor2, { value });
}

/** `x.addcmul_(t1, t2, { value: 0.5 })`: in place. */
export function addcmulInPlaceMethod(self: Tensor, ...args: ValueArguments): Tensor {
  const { tensor1, tensor2, value } = addcmulInPlaceSignature.parse(args);
  return pointwiseOps.addcmul_(self, tensor1, tensor2, { value });
}

/** `torch.addcmul(input, tensor1, tensor2, *, value=1)`. */
export function addcmul(...args: Arguments<typeof addcmulSignature>): Tensor {
  const { input, tensor1, tensor2, value } = addcmulSignature.parse(args);
  return pointwiseOps.addcmul(input, tensor1, tensor2, { value });
}

/** `x.addcdiv(t1, t2, { value: 0.5 })`: x + value·t1/t2. */
export function addcdivMethod(self: Tensor, ...args: ValueArguments): Tensor {
  const { tensor1, tensor2, value } = addcdivMethodSignature.parse(args);
  return pointwiseOps.addcdiv(self, tensor1, tensor2, { value });
}

/** `x.addcdiv_(t1, t2, { value: 0.5 })`: in place. */
export function addcdivInPlaceMethod(self: Tensor, ...args: ValueArguments): Tensor {
  const { tensor1, tensor2, value } = addcdivInPlaceSignature.parse(args);
  return pointwiseOps.addcdiv_(self, tensor1, tensor2, { value });
}

/** `torch.addcdiv(input, tensor1, tensor2, *, value=1)`. */
export function addcdiv(...args: Arguments<typeof addcdivSignature>): Tensor {
  const { input, tensor1, tensor2, value } = addcdivSignature.parse(args);
  return pointwiseOps.addcdiv(input, tensor1, tensor2, { value });
}

/** `Tensor.fill_(value)`. */
export const fillInPlaceSignature = methodSignature("fill_", [required("value", scalar)]);

/** `x.fill_(2)`: every element set to value, in place. */
export function fillInPlaceMethod(self: Tensor, ...args: Arguments<typeof fillInPlaceSignature>): Tensor {
  const [value] = args;
  return pointwiseOps.fill_(self, args.length === 1 && typeof value === "number" ? value : fillInPlaceSignature.parse(args).value);
}
