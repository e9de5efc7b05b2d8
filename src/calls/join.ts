/**
 * The calls of `torch.cat` and `torch.stack`, declared as PyTorch declares them.
 *
 * ```text
 * torch.cat(tensors, dim=0)      cat([a, b]), cat([a, b], 1), cat([a, b], { dim: 1 }), cat([a, b], { axis: 1 })
 * torch.stack(tensors, dim=0)    stack([a, b]), stack([a, b], -1), stack({ tensors: [a, b], dim: 1 })
 * ```
 * Both are bound by PyTorch's C++ argument parser, so `axis` names `dim` there too. PyTorch
 * also takes a Dimname for cat's dim (named tensors, which gradlab has not) and a
 * keyword-only `out`; neither is declared. An element that is not a Tensor is refused with
 * PyTorch's message (torch 1.13: "expected Tensor as element 1 in argument 0, but got int").
 */
import * as joinOps from "../ops/join.ts";
import { Tensor } from "../tensor/tensor.ts";
import { type Arguments, describeValue, integer, kind, optional, required } from "../utils/signature.ts";
import { functionSignature } from "./kinds.ts";

/** A list of tensors (Python's tuple or list); its elements are checked by {@link tensorsOf}. */
const tensorListKind = kind<readonly Tensor[]>("an array of Tensors", (v) => Array.isArray(v));

/** `torch.cat(tensors, dim=0)`. */
export const catSignature = functionSignature("cat", [required("tensors", tensorListKind), optional("dim", integer, 0)]);
/** `torch.stack(tensors, dim=0)`. */
export const stackSignature = functionSignature("stack", [required("tensors", tensorListKind), optional("dim", integer, 0)]);

/** The list's elements, each checked to be a Tensor as PyTorch's parser checks them. */
function tensorsOf(name: string, tensors: readonly unknown[]): readonly Tensor[] {
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`${name}(): expected a Tensor as element ${i} of argument 'tensors', but got ${describeValue(t)}`);
  });
  return tensors as readonly Tensor[];
}

/** The plain call `f([a, b])` or `f([a, b], 1)`, or undefined when the call needs parsing. */
function plainCall(args: readonly unknown[]): { tensors: readonly unknown[]; dim: number } | undefined {
  const [tensors, dim = 0] = args;
  return args.length <= 2 && Array.isArray(tensors) && Number.isInteger(dim) ? { tensors, dim: dim as number } : undefined;
}

/** The tensors joined along an existing dim, as `torch.cat(tensors, dim=0)`. */
export function cat(...args: Arguments<typeof catSignature>): Tensor {
  const { tensors, dim } = plainCall(args) ?? catSignature.parse(args);
  return joinOps.cat(tensorsOf("cat", tensors), dim);
}

/** The tensors (all of one shape) stacked along a new dim, as `torch.stack(tensors, dim=0)`. */
export function stack(...args: Arguments<typeof stackSignature>): Tensor {
  const { tensors, dim } = plainCall(args) ?? stackSignature.parse(args);
  return joinOps.stack(tensorsOf("stack", tensors), dim);
}
