/**
 * The calls of the reductions `sum` and `mean`, declared once as PyTorch declares them:
 * `dim` and `keepdim` positionally or by name, `dtype` by name only.
 *
 * ```text
 * Tensor.sum(dim=None, keepdim=False, *, dtype=None)         x.sum(1, true) ≡ x.sum({ dim: 1, keepdim: true })
 * torch.sum(input, dim=None, keepdim=False, *, dtype=None)   sum(x, [0, 1]) ≡ sum(x, { dim: [0, 1] })
 * ```
 * (and `mean` likewise). `dtype` converts the input first, so the reduction runs in it.
 */
import { to } from "../ops/copy.ts";
import { mean as meanOp } from "../ops/reduce.ts";
import { sum as sumOp } from "../ops/sum.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { type Arguments, boolean, keyword, nullable, optional, signature } from "../utils/signature.ts";
import { dimsKind, inputParameter, nullableDtype } from "./kinds.ts";

const reductionParameters = [optional("dim", nullable(dimsKind), null), optional("keepdim", boolean, false), keyword("dtype", nullableDtype, null)] as const;

/** `Tensor.sum(dim=None, keepdim=False, *, dtype=None)`. */
export const sumMethodSignature = signature("sum", reductionParameters);
/** `torch.sum(input, dim=None, keepdim=False, *, dtype=None)`. */
export const sumSignature = signature("sum", [inputParameter, ...reductionParameters]);
/** `Tensor.mean(dim=None, keepdim=False, *, dtype=None)`. */
export const meanMethodSignature = signature("mean", reductionParameters);
/** `torch.mean(input, dim=None, keepdim=False, *, dtype=None)`. */
export const meanSignature = signature("mean", [inputParameter, ...reductionParameters]);

type Reduction = (t: Tensor, options: { dim: number | readonly number[] | null; keepdim: boolean }) => Tensor;

const reduce = (op: Reduction, values: ReturnType<typeof sumSignature.parse>): Tensor =>
  op(values.dtype === null ? values.input : to(values.input, values.dtype), { dim: values.dim, keepdim: values.keepdim });

/** `x.sum()`, `x.sum(1)`, `x.sum(1, true)`, `x.sum([0, 1])`, `x.sum({ dim: 1, dtype: "float64" })`. */
export function sumMethod(self: Tensor, ...args: Arguments<typeof sumMethodSignature>): Tensor {
  if (args.length === 0) return sumOp(self);
  return reduce(sumOp, { input: self, ...sumMethodSignature.parse(args) });
}

/** `torch.sum(input, dim=None, keepdim=False, *, dtype=None)`. */
export function sum(...args: Arguments<typeof sumSignature>): Tensor {
  return reduce(sumOp, sumSignature.parse(args));
}

/** `x.mean()`, `x.mean(1)`, `x.mean(1, true)`, `x.mean([0, 1])`, `x.mean({ dim: 1, keepdim: true })`. */
export function meanMethod(self: Tensor, ...args: Arguments<typeof meanMethodSignature>): Tensor {
  if (args.length === 0) return meanOp(self);
  return reduce(meanOp, { input: self, ...meanMethodSignature.parse(args) });
}

/** `torch.mean(input, dim=None, keepdim=False, *, dtype=None)`. */
export function mean(...args: Arguments<typeof meanSignature>): Tensor {
  return reduce(meanOp, meanSignature.parse(args));
}
