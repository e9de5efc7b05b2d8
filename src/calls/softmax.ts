/**
 * The calls of `softmax` and `log_softmax` as tensor methods and torch functions, declared
 * once as PyTorch declares them (the `nn.functional` forms, with their implicit dim, are in
 * `nn/functional/activation.ts`).
 *
 * ```text
 * Tensor.softmax(dim, dtype=None)            x.softmax(1) ≡ x.softmax({ dim: 1 })
 * torch.softmax(input, dim, dtype=None)      softmax(x, 1, "float64")
 * ```
 * `dtype` converts the input first, so the softmax is computed in it.
 */
import { castTo } from "../ops/copy.ts";
import * as softmaxOps from "../ops/softmax.ts";
import type { DType } from "../tensor/dtype.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { type Arguments, integer, optional, required } from "../utils/signature.ts";
import { inputParameter, nullableDtype, functionSignature, methodSignature } from "./kinds.ts";

const softmaxParameters = [required("dim", integer), optional("dtype", nullableDtype, null)] as const;

/** `Tensor.softmax(dim, dtype=None)`. */
export const softmaxMethodSignature = methodSignature("softmax", softmaxParameters);
/** `torch.softmax(input, dim, dtype=None)`. */
export const softmaxSignature = functionSignature("softmax", [inputParameter, ...softmaxParameters]);
/** `Tensor.log_softmax(dim, dtype=None)`. */
export const logSoftmaxMethodSignature = methodSignature("log_softmax", softmaxParameters);
/** `torch.log_softmax(input, dim, dtype=None)`. */
export const logSoftmaxSignature = functionSignature("log_softmax", [inputParameter, ...softmaxParameters]);

const inDtype = (x: Tensor, dtype: DType | null): Tensor => (dtype === null ? x : castTo(x, dtype));

/** `x.softmax(1)`, `x.softmax(1, "float64")`, `x.softmax({ dim: 1 })`. */
export function softmaxMethod(self: Tensor, ...args: Arguments<typeof softmaxMethodSignature>): Tensor {
  const [dim] = args;
  if (args.length === 1 && Number.isInteger(dim)) return softmaxOps.softmax(self, dim as number);
  const values = softmaxMethodSignature.parse(args);
  return softmaxOps.softmax(inDtype(self, values.dtype), values.dim);
}

/** `torch.softmax(input, dim, dtype=None)`. */
export function softmax(...args: Arguments<typeof softmaxSignature>): Tensor {
  const { input, dim, dtype } = softmaxSignature.parse(args);
  return softmaxOps.softmax(inDtype(input, dtype), dim);
}

/** `x.log_softmax(1)`, `x.log_softmax(1, "float64")`, `x.log_softmax({ dim: 1 })`. */
export function logSoftmaxMethod(self: Tensor, ...args: Arguments<typeof logSoftmaxMethodSignature>): Tensor {
  const [dim] = args;
  if (args.length === 1 && Number.isInteger(dim)) return softmaxOps.log_softmax(self, dim as number);
  const values = logSoftmaxMethodSignature.parse(args);
  return softmaxOps.log_softmax(inDtype(self, values.dtype), values.dim);
}

/** `torch.log_softmax(input, dim, dtype=None)`. */
export function log_softmax(...args: Arguments<typeof logSoftmaxSignature>): Tensor {
  const { input, dim, dtype } = logSoftmaxSignature.parse(args);
  return softmaxOps.log_softmax(inDtype(input, dtype), dim);
}
