import { tensor } from "../../tensor/creation.ts";
import { legacyTypeName } from "../../tensor/dtype.ts";
import type { IndexLike } from "../../ops/indexing.ts";
import { Tensor } from "../../tensor/tensor.ts";

/** Class indices or embedding indices: an int64 tensor, or (nested) arrays of integers (the ops' own type). */
export type { IndexLike };

/** PyTorch's capitalised scalar type name in "expected scalar type" messages. */
const scalarTypeName = (t: Tensor): string => ({ float32: "Float", float64: "Double", int64: "Long" })[t.dtype];

/**
 * `x` as an int64 tensor. A plain array becomes one; a floating-point tensor is refused
 * with `message(t)` (the wording differs between the ops that read indices).
 */
export function asIndexTensor(x: IndexLike, message: (t: Tensor) => string): Tensor {
  if (!(x instanceof Tensor)) return tensor(x, { dtype: "int64" });
  if (x.dtype !== "int64") throw new Error(message(x));
  return x;
}

/** The message of nll_loss and cross_entropy for a floating-point class-index target. */
export const longExpected = (t: Tensor): string => `expected scalar type Long but found ${scalarTypeName(t)}`;

/** The message of embedding for floating-point indices. */
export const embeddingIndexExpected = (t: Tensor): string =>
  `Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got ${legacyTypeName(t.dtype)} instead (while checking arguments for embedding)`;
