/**
 * The calls of `to` and `copy_` as tensor methods, declared as PyTorch declares them.
 *
 * ```text
 * Tensor.to(device=None, dtype=None, non_blocking=False, copy=False, *, memory_format=None)   x.to("cpu"), x.to("cpu", "float64"), x.to({ dtype: "float64", copy: true })
 * Tensor.to(dtype, non_blocking=False, copy=False, *, memory_format=None)                    x.to("float64"), x.to("float64", false, true)
 * Tensor.to(tensor, non_blocking=False, copy=False, *, memory_format=None)                   x.to(y): y's dtype
 * Tensor.copy_(other, non_blocking=False)                                  the name PyTorch's parser binds (its docs say src);
 *                                                                          a number is copied as a scalar (x.copy_(2) fills x)
 * ```
 * `to`'s three overloads are tried in PyTorch's order, as its argument parser tries them
 * (python_arg_parser.cpp; the same three in torch 1.13 and current PyTorch), so a call that
 * matches none throws its "invalid combination of arguments" TypeError. A dtype name is never
 * a device (in Python they are different types). gradlab's one device is `"cpu"`. `copy: true`
 * returns a new tensor even when nothing changes; otherwise the tensor itself is returned when
 * its dtype already matches. `non_blocking` and `memory_format` choose nothing on the CPU and
 * are accepted and ignored.
 */
import * as copyOps from "../ops/copy.ts";
import { copy_, fill_ } from "../ops/pointwise.ts";
import type { DType } from "../tensor/dtype.ts";
import { Tensor } from "../tensor/tensor.ts";
import { type Arguments, anything, boolean, keyword, kind, nullable, optional, required } from "../utils/signature.ts";
import { dtypeKind, methodSignature, operandKind, parseOverloads, tensorKind } from "./kinds.ts";

/** A device: any string but a dtype name, at run time (`"cuda"` is refused below with gradlab's message); `"cpu"` in the types. */
const deviceKind = kind<"cpu">('a device ("cpu")', (v) => typeof v === "string" && !dtypeKind.test(v));

const flags = [optional("non_blocking", boolean, false), optional("copy", boolean, false), keyword("memory_format", anything<unknown>(), null)] as const;
/** `Tensor.to(device=None, dtype=None, non_blocking=False, copy=False, *, memory_format=None)`. */
export const toDeviceSignature = methodSignature(
  "to",
  [optional("device", nullable(deviceKind), null), optional("dtype", nullable(dtypeKind), null), ...flags],
  "device",
);
/** `Tensor.to(dtype, non_blocking=False, copy=False, *, memory_format=None)`. */
export const toSignature = methodSignature("to", [required("dtype", dtypeKind), ...flags]);
/** `Tensor.to(tensor, non_blocking=False, copy=False, *, memory_format=None)`. */
export const toTensorSignature = methodSignature("to", [required("tensor", tensorKind), ...flags], "tensor");
const TO_OVERLOADS = [toDeviceSignature, toSignature, toTensorSignature] as const;

/** Every call of `Tensor.to`, overload by overload. */
export type ToArguments = Arguments<typeof toDeviceSignature> | Arguments<typeof toSignature> | Arguments<typeof toTensorSignature>;

/** `x.to("float64")`, `x.to(y)`, `x.to("cpu")`, `x.to("cpu", "float64")`, `x.to({ dtype: "float64", copy: true })`. */
export function toMethod(self: Tensor, ...args: ToArguments): Tensor {
  const [first] = args;
  if (args.length === 1 && dtypeKind.test(first)) return copyOps.to(self, first as DType);
  const { index, values } = parseOverloads("to", TO_OVERLOADS, args);
  const device = index === 0 ? (values.device as string | null) : null;
  if (device !== null && device !== "cpu") throw new Error(`to(): gradlab computes on the CPU only ("cpu"), but got device ${JSON.stringify(device)}`);
  const target = index === 2 ? (values.tensor as Tensor).dtype : ((values.dtype as DType | null) ?? self.dtype);
  const out = copyOps.to(self, target);
  return values.copy === true && out === self ? copyOps.clone(self) : out;
}

/** `Tensor.copy_(other, non_blocking=False)`. */
export const copyInPlaceSignature = methodSignature("copy_", [required("other", operandKind), optional("non_blocking", boolean, false)]);

/** `x.copy_(y)`: y's values (broadcast, converted to x's dtype) written into x; `x.copy_(2)` fills x with 2. */
export function copyInPlaceMethod(self: Tensor, ...args: Arguments<typeof copyInPlaceSignature>): Tensor {
  const [first] = args;
  const other = args.length === 1 && first instanceof Tensor ? first : copyInPlaceSignature.parse(args).other;
  return typeof other === "number" ? fill_(self, other) : copy_(self, other);
}
