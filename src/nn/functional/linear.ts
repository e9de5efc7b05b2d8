import { Tensor } from "../../methods.ts";
import { addToFresh } from "../../ops/arithmetic.ts";
import { type Arguments, nullable, optional, required, signature } from "../../utils/signature.ts";
import { tensorKind } from "../signatures.ts";

/** `linear(input, weight, bias=None)`, as PyTorch declares it. */
export const linearSignature = signature("linear", [
  required("input", tensorKind),
  required("weight", tensorKind),
  optional("bias", nullable(tensorKind), null),
]);

/**
 * The affine map y = x·Wᵀ + b over the last dimension of `input`, as
 * `torch.nn.functional.linear`; `weight` is [out_features, in_features].
 */
export function linear(...args: Arguments<typeof linearSignature>): Tensor {
  const { input, weight, bias } = linearSignature.parse(args);
  return affine(input, weight, bias);
}

/**
 * `linear` on arguments already known to be tensors (nn.Linear's forward, with its own
 * weight and bias): the same ops, without parsing a call on every forward.
 */
export function affine(input: Tensor, weight: Tensor, bias: Tensor | null): Tensor {
  const y = input.matmul(weight.t());
  // the bias goes into the product's memory: the same values and graph as y.add(bias)
  return bias === null ? y : addToFresh(y, bias);
}
