/**
 * The declared signatures of `Module`'s methods, in PyTorch's order and with its defaults:
 * `named_parameters(prefix="", recurse=True, remove_duplicate=True)`, `zero_grad(set_to_none=True)`,
 * `load_state_dict(state_dict, strict=True, assign=False)` … so each takes its arguments
 * positionally or in a trailing options object, and a wrong call throws Python's TypeError
 * (`Module.named_parameters() got an unexpected keyword argument 'recursive'. Did you mean 'recurse'?`).
 */
import type { DType } from "../tensor/dtype.ts";
import { Tensor } from "../tensor/tensor.ts";
import { anything, boolean, describeValue, func, isPlainObject, keyword, kind, nullable, optional, required, signature, string } from "../utils/signature.ts";
import { dtypeKind } from "./signatures.ts";

/** `named_modules(memo=None, prefix="", remove_duplicate=True)`. */
export const namedModulesSignature = signature("Module.named_modules", [
  optional("memo", nullable(anything<Set<unknown>>()), null),
  optional("prefix", string, ""),
  optional("remove_duplicate", boolean, true),
]);

/** `named_parameters(prefix="", recurse=True, remove_duplicate=True)`. */
export const namedParametersSignature = signature("Module.named_parameters", [
  optional("prefix", string, ""),
  optional("recurse", boolean, true),
  optional("remove_duplicate", boolean, true),
]);

/** `named_buffers(prefix="", recurse=True, remove_duplicate=True)`. */
export const namedBuffersSignature = signature("Module.named_buffers", [
  optional("prefix", string, ""),
  optional("recurse", boolean, true),
  optional("remove_duplicate", boolean, true),
]);

/** `parameters(recurse=True)`. */
export const parametersSignature = signature("Module.parameters", [optional("recurse", boolean, true)]);

/** `buffers(recurse=True)`. */
export const buffersSignature = signature("Module.buffers", [optional("recurse", boolean, true)]);

/** `train(mode=True)`; the method itself refuses a mode that is not a boolean, with PyTorch's ValueError. */
export const trainSignature = signature("Module.train", [optional("mode", anything<boolean>(), true)]);

/** `requires_grad_(requires_grad=True)`. */
export const requiresGradSignature = signature("Module.requires_grad_", [optional("requires_grad", boolean, true)]);

/** `zero_grad(set_to_none=True)`. */
export const zeroGradSignature = signature("Module.zero_grad", [optional("set_to_none", boolean, true)]);

/** `state_dict(*, destination=None, prefix="", keep_vars=False)`. */
export const stateDictSignature = signature("Module.state_dict", [
  keyword("destination", nullable(kind<Record<string, Tensor>>("an object", isPlainObject, true)), null),
  keyword("prefix", string, ""),
  keyword("keep_vars", boolean, false),
]);

/** `load_state_dict(state_dict, strict=True, assign=False)`; the state dict is a plain object, never taken for the options. */
export const loadStateDictSignature = signature("Module.load_state_dict", [
  required(
    "state_dict",
    kind<Record<string, Tensor>>("a dict of tensors", () => true, true),
  ),
  optional("strict", boolean, true),
  optional("assign", boolean, false),
]);

/** `apply(fn)`. */
export const applySignature = signature("Module.apply", [required("fn", func<(module: never) => void>())]);

/** `get_submodule(target)`. */
export const getSubmoduleSignature = signature("Module.get_submodule", [required("target", string)]);

/** `register_buffer(name, tensor, persistent=True)`; name and tensor are checked with PyTorch's own messages. */
export const registerBufferSignature = signature("Module.register_buffer", [
  required("name", anything<string>()),
  required("tensor", anything<Tensor | null>()),
  optional("persistent", boolean, true),
]);

/** `to(dtype)`, `to(device)`, `to(device, dtype)`, `to(tensor)` and their keyword forms; devices are accepted and ignored. */
export const toSignature = signature("Module.to", [
  optional("device", anything<unknown>(), null),
  optional("dtype", nullable(dtypeKind), null),
  optional("non_blocking", boolean, false),
  keyword("memory_format", anything<unknown>(), null),
]);

const isDevice = (x: unknown): boolean => typeof x === "string" && /^(cpu|cuda|mps|meta|xpu)(:[0-9]+)?$/.test(x);

/**
 * The dtype a `Module.to(...)` call asks for (null for none), from PyTorch's overloads: a
 * dtype or a tensor first stands for `dtype` (its dtype), otherwise the first argument is
 * the device. Throws PyTorch's TypeError for an integer dtype.
 */
export function toArguments(args: readonly unknown[]): DType | null {
  const values = [...args];
  const first = values[0];
  if (first instanceof Tensor) values.splice(0, 1, null, first.dtype);
  else if (typeof first === "string" && dtypeKind.test(first)) values.splice(0, 1, null, first);
  const { device, dtype } = toSignature.parse(values);
  if (device !== null && !isDevice(device)) {
    throw new TypeError(`Module.to(): expected a dtype ("float32" or "float64"), a tensor or a device ("cpu"), but got ${describeValue(device)}`);
  }
  if (dtype === "int64") throw new TypeError("nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=torch.int64");
  return dtype;
}
