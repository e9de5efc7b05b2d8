/**
 * The calls of the reductions `sum`, `mean`, `var`, `std`, `logsumexp` and `norm` as tensor
 * methods and torch functions, declared once as PyTorch declares them.
 *
 * ```text
 * Tensor.sum(dim=None, keepdim=False, *, dtype=None)         x.sum(1, true) ≡ x.sum({ dim: 1, keepdim: true })
 * torch.sum(input, dim=None, keepdim=False, *, dtype=None)   sum(x, [0, 1]) ≡ sum(x, { dim: [0, 1] })
 * Tensor.var(dim=None, unbiased=None, keepdim=False, *, correction=None)   x.var(1, false) is correction 0
 * Tensor.var(unbiased)                                       x.var(false): a boolean first is `unbiased`
 * Tensor.logsumexp(dim, keepdim=False)
 * Tensor.norm(p="fro", dim=None, keepdim=False, dtype=None)  x.norm(2, 1) ≡ x.norm({ p: 2, dim: 1 })
 * ```
 * (`mean` as `sum`, `std` as `var`, each also a torch function with `input` first). `dtype`
 * converts the input first, so the reduction runs in it. `unbiased` and `correction` are
 * PyTorch's two spellings of the divisor n − correction (unbiased true: 1, false: 0; neither
 * given: 1); giving both is an error, as in PyTorch.
 */
import { to } from "../ops/copy.ts";
import { logsumexp as logsumexpOp, mean as meanOp, std as stdOp, var_ as varOp } from "../ops/reduce.ts";
import { norm as normOp } from "../ops/norm.ts";
import { sum as sumOp } from "../ops/sum.ts";
import { Tensor } from "../tensor/tensor.ts";
import { type Arguments, boolean, isPlainObject, keyword, kind, nullable, number, optional, required, signature } from "../utils/signature.ts";
import { dimsKind, inputParameter, nullableDtype, functionSignature, methodSignature } from "./kinds.ts";

const reductionParameters = [optional("dim", nullable(dimsKind), null), optional("keepdim", boolean, false), keyword("dtype", nullableDtype, null)] as const;

/** `Tensor.sum(dim=None, keepdim=False, *, dtype=None)`. */
export const sumMethodSignature = methodSignature("sum", reductionParameters);
/** `torch.sum(input, dim=None, keepdim=False, *, dtype=None)`. */
export const sumSignature = functionSignature("sum", [inputParameter, ...reductionParameters]);
/** `Tensor.mean(dim=None, keepdim=False, *, dtype=None)`. */
export const meanMethodSignature = methodSignature("mean", reductionParameters);
/** `torch.mean(input, dim=None, keepdim=False, *, dtype=None)`. */
export const meanSignature = functionSignature("mean", [inputParameter, ...reductionParameters]);

type Reduction = (t: Tensor, options: { dim: number | readonly number[] | null; keepdim: boolean }) => Tensor;

const reduce = (op: Reduction, values: ReturnType<typeof sumSignature.parse>): Tensor =>
  op(values.dtype === null ? values.input : to(values.input, values.dtype), { dim: values.dim, keepdim: values.keepdim });

/**
 * The dim and keepdim of a plain call (`x.sum(1)`, `x.sum([0, 1], true)`: one integer or an
 * array, then at most a boolean), or undefined when the call needs parsing.
 */
function plainDims(args: readonly unknown[]): { dim: number | readonly number[] | null; keepdim: boolean } | undefined {
  if (args.length === 1 && isPlainObject(args[0])) return plainDimOptions(args[0]);
  const [dim, keepdim = false] = args;
  if (args.length > 2 || typeof keepdim !== "boolean") return undefined;
  return Number.isInteger(dim) || (Array.isArray(dim) && dim.every((d) => Number.isInteger(d))) ? { dim: dim as number | number[], keepdim } : undefined;
}

/** The same for the by-name form the library itself uses, `x.sum({ dim: 1, keepdim: true })`. */
function plainDimOptions(options: Record<string, unknown>): { dim: number | readonly number[] | null; keepdim: boolean } | undefined {
  for (const key in options) if (key !== "dim" && key !== "keepdim") return undefined;
  const { dim = null, keepdim = false } = options;
  if (typeof keepdim !== "boolean") return undefined;
  if (dim === null) return { dim, keepdim };
  return Number.isInteger(dim) || (Array.isArray(dim) && dim.every((d) => Number.isInteger(d))) ? { dim: dim as number | number[], keepdim } : undefined;
}

/** `x.sum()`, `x.sum(1)`, `x.sum(1, true)`, `x.sum([0, 1])`, `x.sum({ dim: 1, dtype: "float64" })`. */
export function sumMethod(self: Tensor, ...args: Arguments<typeof sumMethodSignature>): Tensor {
  if (args.length === 0) return sumOp(self);
  const plain = plainDims(args);
  if (plain !== undefined) return sumOp(self, plain);
  return reduce(sumOp, { input: self, ...sumMethodSignature.parse(args) });
}

/** `torch.sum(input, dim=None, keepdim=False, *, dtype=None)`. */
export function sum(...args: Arguments<typeof sumSignature>): Tensor {
  return reduce(sumOp, sumSignature.parse(args));
}

/** `x.mean()`, `x.mean(1)`, `x.mean(1, true)`, `x.mean([0, 1])`, `x.mean({ dim: 1, keepdim: true })`. */
export function meanMethod(self: Tensor, ...args: Arguments<typeof meanMethodSignature>): Tensor {
  if (args.length === 0) return meanOp(self);
  const plain = plainDims(args);
  if (plain !== undefined) return meanOp(self, plain);
  return reduce(meanOp, { input: self, ...meanMethodSignature.parse(args) });
}

/** `torch.mean(input, dim=None, keepdim=False, *, dtype=None)`. */
export function mean(...args: Arguments<typeof meanSignature>): Tensor {
  return reduce(meanOp, meanSignature.parse(args));
}

const varianceParameters = [
  optional("dim", nullable(dimsKind), null),
  optional("unbiased", nullable(boolean), null),
  optional("keepdim", boolean, false),
  keyword("correction", nullable(number), null),
] as const;

/** `Tensor.var(dim=None, unbiased=None, keepdim=False, *, correction=None)`. */
export const varMethodSignature = methodSignature("var", varianceParameters);
/** `Tensor.std(dim=None, unbiased=None, keepdim=False, *, correction=None)`. */
export const stdMethodSignature = methodSignature("std", varianceParameters);
/** `torch.var(input, dim=None, unbiased=None, keepdim=False, *, correction=None)`. */
export const varSignature = functionSignature("var", [inputParameter, ...varianceParameters]);
/** `torch.std(input, dim=None, unbiased=None, keepdim=False, *, correction=None)`. */
export const stdSignature = functionSignature("std", [inputParameter, ...varianceParameters]);

type Variance = typeof varOp;
type VarianceValues = ReturnType<typeof varSignature.parse>;
/**
 * `x.var(false)`: PyTorch's `var(bool unbiased)` overload, a boolean where the dim would be.
 * That overload takes nothing else: `x.var(false, true)` is torch's TypeError (torch 1.13:
 * "var() received an invalid combination of arguments - got (bool, bool)").
 */
function unbiasedFirst(args: readonly unknown[], at: number, name: string): readonly unknown[] {
  if (typeof args[at] !== "boolean") return args;
  if (args.length > at + 1) {
    const got = args.map((a) => (a instanceof Tensor ? "Tensor" : isPlainObject(a) ? `{${Object.keys(a).join(", ")}}` : typeof a)).join(", ");
    throw new TypeError(
      `${name}() received an invalid combination of arguments - got (${got}), but expected one of: (dim = null, unbiased = null, keepdim = false, { correction = null }) or (unbiased)`,
    );
  }
  return [...args.slice(0, at), null, ...args.slice(at)];
}
function variance(op: Variance, v: VarianceValues, name: string): Tensor {
  if (v.unbiased !== null && v.correction !== null) {
    throw new TypeError(
      `${name}() received an invalid combination of arguments - got both unbiased and correction: give one (unbiased: true is correction: 1, unbiased: false is correction: 0)`,
    );
  }
  return op(v.input, { dim: v.dim, keepdim: v.keepdim, correction: v.correction, ...(v.unbiased === null ? {} : { unbiased: v.unbiased }) });
}

/** `x.var()`, `x.var(1)`, `x.var(1, false, true)`, `x.var(false)`, `x.var(1, { correction: 0 })`. */
export function varMethod(self: Tensor, ...args: Arguments<typeof varMethodSignature> | [unbiased: boolean]): Tensor {
  return variance(varOp, { input: self, ...varMethodSignature.parse(unbiasedFirst(args, 0, "var")) }, "var");
}

/** `x.std()`, `x.std(1)`, `x.std(1, false, true)`, `x.std(false)`, `x.std(1, { correction: 0 })`. */
export function stdMethod(self: Tensor, ...args: Arguments<typeof stdMethodSignature> | [unbiased: boolean]): Tensor {
  return variance(stdOp, { input: self, ...stdMethodSignature.parse(unbiasedFirst(args, 0, "std")) }, "std");
}

/** `torch.var(input, dim=None, unbiased=None, keepdim=False, *, correction=None)`. */
export function var_(...args: Arguments<typeof varSignature> | [input: Tensor, unbiased: boolean]): Tensor {
  return variance(varOp, varSignature.parse(unbiasedFirst(args, 1, "var")), "var");
}

/** `torch.std(input, dim=None, unbiased=None, keepdim=False, *, correction=None)`. */
export function std(...args: Arguments<typeof stdSignature> | [input: Tensor, unbiased: boolean]): Tensor {
  return variance(stdOp, stdSignature.parse(unbiasedFirst(args, 1, "std")), "std");
}

const logsumexpParameters = [required("dim", dimsKind), optional("keepdim", boolean, false)] as const;
/** `Tensor.logsumexp(dim, keepdim=False)`. */
export const logsumexpMethodSignature = methodSignature("logsumexp", logsumexpParameters);
/** `torch.logsumexp(input, dim, keepdim=False)`. */
export const logsumexpSignature = functionSignature("logsumexp", [inputParameter, ...logsumexpParameters]);

/** `x.logsumexp(1)`, `x.logsumexp(1, true)`, `x.logsumexp({ dim: [0, 1] })`. */
export function logsumexpMethod(self: Tensor, ...args: Arguments<typeof logsumexpMethodSignature>): Tensor {
  const { dim, keepdim } = logsumexpMethodSignature.parse(args);
  return logsumexpOp(self, dim, { keepdim });
}

/** `torch.logsumexp(input, dim, keepdim=False)`. */
export function logsumexp(...args: Arguments<typeof logsumexpSignature>): Tensor {
  const { input, dim, keepdim } = logsumexpSignature.parse(args);
  return logsumexpOp(input, dim, { keepdim });
}

/** The order of a vector norm: a number, or "fro" (the 2-norm). */
const orderKind = kind<number | "fro">('a number or "fro"', (v) => typeof v === "number" || v === "fro");
const normParameters = [
  optional("p", nullable(orderKind), "fro"),
  optional("dim", nullable(dimsKind), null),
  optional("keepdim", boolean, false),
  optional("dtype", nullableDtype, null),
] as const;
/** `Tensor.norm(p="fro", dim=None, keepdim=False, dtype=None)`. */
export const normMethodSignature = signature("norm", normParameters, false, "Tensor.norm");
/** `torch.norm(input, p="fro", dim=None, keepdim=False, dtype=None)` (no `out`). */
export const normSignature = signature("norm", [inputParameter, ...normParameters], false, "torch.norm");

const vectorNorm = (v: ReturnType<typeof normSignature.parse>): Tensor =>
  normOp(v.dtype === null ? v.input : to(v.input, v.dtype), { p: v.p, dim: v.dim, keepdim: v.keepdim });

/** `x.norm()`, `x.norm(1)`, `x.norm(2, 1)`, `x.norm(2, 1, true)`, `x.norm({ dim: 1 })`. */
export function normMethod(self: Tensor, ...args: Arguments<typeof normMethodSignature>): Tensor {
  return vectorNorm({ input: self, ...normMethodSignature.parse(args) });
}

/** `torch.norm(input, p="fro", dim=None, keepdim=False, dtype=None)`. */
export function norm(...args: Arguments<typeof normSignature>): Tensor {
  return vectorNorm(normSignature.parse(args));
}
