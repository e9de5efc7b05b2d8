/**
 * The calls of the shape ops, declared once each as PyTorch declares them: the methods
 * `view`, `reshape`, `expand`, `permute`, `repeat` (a list of integers, also as varargs),
 * `transpose`, `flatten`, `squeeze`, `unsqueeze`, and the torch functions of the same names.
 *
 * ```text
 * Tensor.view(*size)                 Tensor.reshape(*shape)        Tensor.expand(*size, implicit=False)
 * Tensor.permute(*dims)              Tensor.repeat(*repeats)       Tensor.transpose(dim0, dim1)
 * Tensor.flatten(start_dim=0, end_dim=-1)   Tensor.squeeze(dim=None)   Tensor.unsqueeze(dim)
 * torch.reshape(input, shape)        torch.permute(input, dims)    torch.transpose(input, dim0, dim1)
 * torch.flatten(input, start_dim=0, end_dim=-1)   torch.squeeze(input, dim=None)   torch.unsqueeze(input, dim)
 * ```
 * Each method first tries the plain call (integers where integers belong) and calls the op
 * directly; anything else goes through the declared signature, which binds names and
 * defaults or throws PyTorch's TypeError before the op runs.
 */
import * as reshapeOps from "../ops/reshape.ts";
import * as shapeOps from "../ops/shape.ts";
import { expand as expandOp } from "../ops/sum.ts";
import { repeat as repeatOp } from "../ops/repeat.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { type Arguments, boolean, integer, keyword, nullable, optional, required } from "../utils/signature.ts";
import {
  type IntListArguments,
  asList,
  dimsKind,
  foldVarargs,
  inputParameter,
  intListKind,
  plainIntList,
  functionSignature,
  methodSignature,
} from "./kinds.ts";

/** `Tensor.view(*size)`. */
export const viewSignature = methodSignature("view", [required("size", intListKind)]);
/** `Tensor.reshape(*shape)`. */
export const reshapeMethodSignature = methodSignature("reshape", [required("shape", intListKind)]);
/** `Tensor.expand(*size, implicit=False)` (`implicit` is accepted and changes nothing, as in eager PyTorch). */
export const expandSignature = methodSignature("expand", [required("size", intListKind), keyword("implicit", boolean, false)]);
/** `Tensor.permute(*dims)`. */
export const permuteMethodSignature = methodSignature("permute", [required("dims", intListKind)]);
/** `Tensor.repeat(*repeats)`. */
export const repeatSignature = methodSignature("repeat", [required("repeats", intListKind)]);
/** `torch.reshape(input, shape)`: no varargs. */
export const reshapeSignature = functionSignature("reshape", [inputParameter, required("shape", intListKind)]);
/** `torch.permute(input, dims)`: no varargs. */
export const permuteSignature = functionSignature("permute", [inputParameter, required("dims", intListKind)]);

/** `x.view(2, -1)`, `x.view([2, -1])`, `x.view({ size: [2, -1] })`: a view with a new shape. */
export function viewMethod(self: Tensor, ...args: IntListArguments<"size">): Tensor {
  return reshapeOps.view(self, plainIntList(args) ?? asList(viewSignature.parse(foldVarargs(args, true)).size));
}

/** `x.reshape(2, -1)`, `x.reshape([2, -1])`, `x.reshape({ shape: [2, -1] })`. */
export function reshapeMethod(self: Tensor, ...args: IntListArguments<"shape">): Tensor {
  return reshapeOps.reshape(self, plainIntList(args) ?? asList(reshapeMethodSignature.parse(foldVarargs(args, true)).shape));
}

/** `x.expand(3, -1)`, `x.expand([3, -1])`, `x.expand({ size: [3, -1] })`. */
export function expandMethod(self: Tensor, ...args: IntListArguments<"size", { implicit?: boolean }>): Tensor {
  return expandOp(self, plainIntList(args) ?? asList(expandSignature.parse(foldVarargs(args, false)).size));
}

/** `x.permute(1, 0)`, `x.permute([1, 0])`, `x.permute({ dims: [1, 0] })`. */
export function permuteMethod(self: Tensor, ...args: IntListArguments<"dims">): Tensor {
  return shapeOps.permute(self, plainIntList(args) ?? asList(permuteMethodSignature.parse(foldVarargs(args, true)).dims));
}

/** `x.repeat(2, 1)`, `x.repeat([2, 1])`, `x.repeat({ repeats: [2, 1] })`. */
export function repeatMethod(self: Tensor, ...args: IntListArguments<"repeats">): Tensor {
  return repeatOp(self, plainIntList(args) ?? asList(repeatSignature.parse(foldVarargs(args, true)).repeats));
}

/** `torch.reshape(input, shape)`. */
export function reshape(...args: Arguments<typeof reshapeSignature>): Tensor {
  const { input, shape } = reshapeSignature.parse(args);
  return reshapeOps.reshape(input, asList(shape));
}

/** `torch.permute(input, dims)`. */
export function permute(...args: Arguments<typeof permuteSignature>): Tensor {
  const { input, dims } = permuteSignature.parse(args);
  return shapeOps.permute(input, asList(dims));
}

const transposeParameters = [required("dim0", integer), required("dim1", integer)] as const;
/** `Tensor.transpose(dim0, dim1)`. */
export const transposeMethodSignature = methodSignature("transpose", transposeParameters);
/** `torch.transpose(input, dim0, dim1)`. */
export const transposeSignature = functionSignature("transpose", [inputParameter, ...transposeParameters]);

/** `x.transpose(0, 1)`: a view with the two dims swapped. */
export function transposeMethod(self: Tensor, ...args: Arguments<typeof transposeMethodSignature>): Tensor {
  const [dim0, dim1] = args;
  if (args.length === 2 && Number.isInteger(dim0) && Number.isInteger(dim1)) return shapeOps.transpose(self, dim0 as number, dim1 as number);
  const values = transposeMethodSignature.parse(args);
  return shapeOps.transpose(self, values.dim0, values.dim1);
}

/** `torch.transpose(input, dim0, dim1)`. */
export function transpose(...args: Arguments<typeof transposeSignature>): Tensor {
  const { input, dim0, dim1 } = transposeSignature.parse(args);
  return shapeOps.transpose(input, dim0, dim1);
}

const flattenParameters = [optional("start_dim", integer, 0), optional("end_dim", integer, -1)] as const;
/** `Tensor.flatten(start_dim=0, end_dim=-1)`. */
export const flattenMethodSignature = methodSignature("flatten", flattenParameters);
/** `torch.flatten(input, start_dim=0, end_dim=-1)`. */
export const flattenSignature = functionSignature("flatten", [inputParameter, ...flattenParameters]);

/** `x.flatten()`, `x.flatten(1)`, `x.flatten(0, 1)`, `x.flatten({ start_dim: 1 })`. */
export function flattenMethod(self: Tensor, ...args: Arguments<typeof flattenMethodSignature>): Tensor {
  if (args.length === 0) return shapeOps.flatten(self);
  const { start_dim, end_dim } = flattenMethodSignature.parse(args);
  return shapeOps.flatten(self, { start_dim, end_dim });
}

/** `torch.flatten(input, start_dim=0, end_dim=-1)`. */
export function flatten(...args: Arguments<typeof flattenSignature>): Tensor {
  const { input, start_dim, end_dim } = flattenSignature.parse(args);
  return shapeOps.flatten(input, { start_dim, end_dim });
}

const squeezeParameters = [optional("dim", nullable(dimsKind), null)] as const;
/** `Tensor.squeeze(dim=None)` (one dim or, as current PyTorch, a list of dims). */
export const squeezeMethodSignature = methodSignature("squeeze", squeezeParameters);
/** `torch.squeeze(input, dim=None)`. */
export const squeezeSignature = functionSignature("squeeze", [inputParameter, ...squeezeParameters]);

/** `x.squeeze()`, `x.squeeze(1)`, `x.squeeze([0, 1])`, `x.squeeze({ dim: 1 })`. */
export function squeezeMethod(self: Tensor, ...args: Arguments<typeof squeezeMethodSignature>): Tensor {
  if (args.length === 0) return shapeOps.squeeze(self);
  return shapeOps.squeeze(self, squeezeMethodSignature.parse(args).dim);
}

/** `torch.squeeze(input, dim=None)`. */
export function squeeze(...args: Arguments<typeof squeezeSignature>): Tensor {
  const { input, dim } = squeezeSignature.parse(args);
  return shapeOps.squeeze(input, dim);
}

const unsqueezeParameters = [required("dim", integer)] as const;
/** `Tensor.unsqueeze(dim)`. */
export const unsqueezeMethodSignature = methodSignature("unsqueeze", unsqueezeParameters);
/** `torch.unsqueeze(input, dim)`. */
export const unsqueezeSignature = functionSignature("unsqueeze", [inputParameter, ...unsqueezeParameters]);

/** `x.unsqueeze(0)`, `x.unsqueeze({ dim: 0 })`: a size-1 dim inserted. */
export function unsqueezeMethod(self: Tensor, ...args: Arguments<typeof unsqueezeMethodSignature>): Tensor {
  const [dim] = args;
  if (args.length === 1 && Number.isInteger(dim)) return shapeOps.unsqueeze(self, dim as number);
  return shapeOps.unsqueeze(self, unsqueezeMethodSignature.parse(args).dim);
}

/** `torch.unsqueeze(input, dim)`. */
export function unsqueeze(...args: Arguments<typeof unsqueezeSignature>): Tensor {
  const { input, dim } = unsqueezeSignature.parse(args);
  return shapeOps.unsqueeze(input, dim);
}
