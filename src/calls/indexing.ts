/**
 * The calls of `narrow`, `index_select` and `gather` as tensor methods and torch functions,
 * declared once as PyTorch declares them.
 *
 * ```text
 * Tensor.narrow(dim, start, length)      torch.narrow(input, dim, start, length)
 * Tensor.index_select(dim, index)        torch.index_select(input, dim, index)
 * Tensor.gather(dim, index, *, sparse_grad=False)   torch.gather(input, dim, index, *, sparse_grad=False)
 * ```
 * `index` is an int64 Tensor or, as gradlab also accepts, a (nested) array of integers.
 * `sparse_grad` only chooses how PyTorch stores the gradient; gradlab's is dense either way.
 */
import * as indexingOps from "../ops/indexing.ts";
import { narrow as narrowOp } from "../ops/shape.ts";
import { Tensor } from "../tensor/tensor.ts";
import { type Arguments, boolean, integer, keyword, kind, required } from "../utils/signature.ts";
import { inputParameter, functionSignature, methodSignature } from "./kinds.ts";

/** An index: an int64 Tensor, or an array of integers. */
const indexKind = kind<indexingOps.IndexLike>("a Tensor or an array of integers", (v) => v instanceof Tensor || Array.isArray(v));

const narrowParameters = [required("dim", integer), required("start", integer), required("length", integer)] as const;
/** `Tensor.narrow(dim, start, length)`. */
export const narrowMethodSignature = methodSignature("narrow", narrowParameters);
/** `torch.narrow(input, dim, start, length)`. */
export const narrowSignature = functionSignature("narrow", [inputParameter, ...narrowParameters]);

/** `x.narrow(0, 1, 2)`: `length` entries of `dim` from `start`, a view. */
export function narrowMethod(self: Tensor, ...args: Arguments<typeof narrowMethodSignature>): Tensor {
  const { dim, start, length } = narrowMethodSignature.parse(args);
  return narrowOp(self, dim, start, length);
}

/** `torch.narrow(input, dim, start, length)`. */
export function narrow(...args: Arguments<typeof narrowSignature>): Tensor {
  const { input, dim, start, length } = narrowSignature.parse(args);
  return narrowOp(input, dim, start, length);
}

const selectParameters = [required("dim", integer), required("index", indexKind)] as const;
/** `Tensor.index_select(dim, index)`. */
export const indexSelectMethodSignature = methodSignature("index_select", selectParameters);
/** `torch.index_select(input, dim, index)`. */
export const indexSelectSignature = functionSignature("index_select", [inputParameter, ...selectParameters]);

/** `x.index_select(0, [2, 0])`: the entries of `dim` at `index`. */
export function indexSelectMethod(self: Tensor, ...args: Arguments<typeof indexSelectMethodSignature>): Tensor {
  const { dim, index } = indexSelectMethodSignature.parse(args);
  return indexingOps.index_select(self, dim, index);
}

/** `torch.index_select(input, dim, index)`. */
export function index_select(...args: Arguments<typeof indexSelectSignature>): Tensor {
  const { input, dim, index } = indexSelectSignature.parse(args);
  return indexingOps.index_select(input, dim, index);
}

const gatherParameters = [...selectParameters, keyword("sparse_grad", boolean, false)] as const;
/** `Tensor.gather(dim, index, *, sparse_grad=False)`. */
export const gatherMethodSignature = methodSignature("gather", gatherParameters);
/** `torch.gather(input, dim, index, *, sparse_grad=False)`. */
export const gatherSignature = functionSignature("gather", [inputParameter, ...gatherParameters]);

/** `x.gather(1, index)`: out[i][j] = x[i][index[i][j]] for dim 1. */
export function gatherMethod(self: Tensor, ...args: Arguments<typeof gatherMethodSignature>): Tensor {
  const { dim, index } = gatherMethodSignature.parse(args);
  return indexingOps.gather(self, dim, index);
}

/** `torch.gather(input, dim, index, *, sparse_grad=False)`. */
export function gather(...args: Arguments<typeof gatherSignature>): Tensor {
  const { input, dim, index } = gatherSignature.parse(args);
  return indexingOps.gather(input, dim, index);
}
