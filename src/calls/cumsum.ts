/**
 * The calls of `cumsum` as a tensor method and a torch function, declared as PyTorch declares them.
 *
 * ```text
 * Tensor.cumsum(dim, *, dtype=None)          x.cumsum(1), x.cumsum({ dim: 1, dtype: "float64" }), x.cumsum({ axis: 1 })
 * torch.cumsum(input, dim, *, dtype=None)    cumsum(x, 1), cumsum(x, 1, { dtype: "float64" })
 * ```
 * `dtype` converts the input first, so the sums run in it (as PyTorch's `integer_upcast`).
 * PyTorch also takes a Dimname for `dim` (named tensors, which gradlab has not).
 */
import { to } from "../ops/copy.ts";
import { cumsum as cumsumOp } from "../ops/cumsum.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { type Arguments, integer, keyword, required } from "../utils/signature.ts";
import { functionSignature, inputParameter, methodSignature, nullableDtype } from "./kinds.ts";

const cumsumParameters = [required("dim", integer), keyword("dtype", nullableDtype, null)] as const;
/** `Tensor.cumsum(dim, *, dtype=None)`. */
export const cumsumMethodSignature = methodSignature("cumsum", cumsumParameters);
/** `torch.cumsum(input, dim, *, dtype=None)`. */
export const cumsumSignature = functionSignature("cumsum", [inputParameter, ...cumsumParameters]);

const run = (input: Tensor, dim: number, dtype: ReturnType<typeof cumsumSignature.parse>["dtype"]): Tensor =>
  cumsumOp(dtype === null ? input : to(input, dtype), dim);

/** `x.cumsum(1)`, `x.cumsum(1, { dtype: "float64" })`, `x.cumsum({ dim: 1 })`. */
export function cumsumMethod(self: Tensor, ...args: Arguments<typeof cumsumMethodSignature>): Tensor {
  const [dim] = args;
  if (args.length === 1 && Number.isInteger(dim)) return cumsumOp(self, dim as number);
  const parsed = cumsumMethodSignature.parse(args);
  return run(self, parsed.dim, parsed.dtype);
}

/** `torch.cumsum(input, dim, *, dtype=None)`. */
export function cumsum(...args: Arguments<typeof cumsumSignature>): Tensor {
  const { input, dim, dtype } = cumsumSignature.parse(args);
  return run(input, dim, dtype);
}
