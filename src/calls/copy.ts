/**
 * The calls of `to` and `copy_` as tensor methods, declared as PyTorch declares them.
 *
 * ```text
 * Tensor.to(dtype, non_blocking=False, copy=False, *, memory_format=None)   x.to("float64"), x.to({ dtype: "float64", copy: true })
 * Tensor.to(other, non_blocking=False, copy=False)                         x.to(y): y's dtype
 * Tensor.to(device=None, dtype=None, …)                                    x.to("cpu"), x.to({ device: "cpu", dtype: "float64" })
 * Tensor.copy_(other, non_blocking=False)                                  the name PyTorch's parser binds (its docs say src);
 *                                                                          a number is copied as a scalar (x.copy_(2) fills x)
 * ```
 * PyTorch's three `to` overloads are one declaration here: the first positional argument is
 * a dtype, a Tensor (whose dtype is taken) or the device `"cpu"` (the only device). `copy: true`
 * returns a new tensor even when the dtype already matches; `non_blocking` and
 * `memory_format` choose nothing on the CPU and are accepted and ignored.
 */
import * as copyOps from "../ops/copy.ts";
import { copy_, fill_ } from "../ops/pointwise.ts";
import type { DType } from "../tensor/dtype.ts";
import { Tensor } from "../tensor/tensor.ts";
import { type Arguments, anything, boolean, keyword, kind, nullable, oneOf, optional, required, union } from "../utils/signature.ts";
import { dtypeKind, operandKind, tensorKind, methodSignature } from "./kinds.ts";

/** What `to` converts to: a dtype, a Tensor whose dtype is taken, or the device. */
const targetKind = union(
  union(dtypeKind, tensorKind),
  kind<"cpu">('"cpu"', (v) => v === "cpu"),
);

/** `Tensor.to(dtype, non_blocking=False, copy=False, *, device=None, memory_format=None)`. */
export const toSignature = methodSignature("to", [
  optional("dtype", nullable(targetKind), null),
  optional("non_blocking", boolean, false),
  optional("copy", boolean, false),
  keyword("device", nullable(oneOf("cpu")), null),
  keyword("memory_format", anything<unknown>(), null),
]);

/** `x.to("float64")`, `x.to(y)`, `x.to("cpu")`, `x.to({ dtype: "float64", copy: true })`. */
export function toMethod(self: Tensor, ...args: Arguments<typeof toSignature>): Tensor {
  const [first] = args;
  if (args.length === 1 && dtypeKind.test(first)) return copyOps.to(self, first as DType);
  const { dtype, copy } = toSignature.parse(args);
  const target = dtype instanceof Tensor ? dtype.dtype : dtype === null || dtype === "cpu" ? self.dtype : dtype;
  const out = copyOps.to(self, target);
  return copy && out === self ? copyOps.clone(self) : out;
}

/** `Tensor.copy_(other, non_blocking=False)`. */
export const copyInPlaceSignature = methodSignature("copy_", [required("other", operandKind), optional("non_blocking", boolean, false)]);

/** `x.copy_(y)`: y's values (broadcast, converted to x's dtype) written into x; `x.copy_(2)` fills x with 2. */
export function copyInPlaceMethod(self: Tensor, ...args: Arguments<typeof copyInPlaceSignature>): Tensor {
  const [first] = args;
  const other = args.length === 1 && first instanceof Tensor ? first : copyInPlaceSignature.parse(args).other;
  return typeof other === "number" ? fill_(self, other) : copy_(self, other);
}
