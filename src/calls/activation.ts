/**
 * The calls of the activations that take arguments, as tensor methods. PyTorch has no
 * `Tensor.leaky_relu`, `Tensor.gelu` or `Tensor.softplus`: gradlab's methods take what
 * `torch.nn.functional`'s functions take after `input`, in the same order and by the same
 * names, with the same TypeErrors.
 *
 * ```text
 * Tensor.leaky_relu(negative_slope=0.01)     F.leaky_relu(input, negative_slope=0.01, inplace=False)
 * Tensor.leaky_relu_(negative_slope=0.01)
 * Tensor.gelu(*, approximate="none")         F.gelu(input, *, approximate="none")
 * Tensor.softplus(beta=1, threshold=20)      F.softplus(input, beta=1, threshold=20)
 * ```
 */
import * as activationOps from "../ops/activation.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { type Arguments, choice, keyword, number, optional, signature } from "../utils/signature.ts";

const slopeParameters = [optional("negative_slope", number, 0.01)] as const;
/** `Tensor.leaky_relu(negative_slope=0.01)`. */
export const leakyReluMethodSignature = signature("leaky_relu", slopeParameters, false, "Tensor.leaky_relu");
/** `Tensor.leaky_relu_(negative_slope=0.01)`. */
export const leakyReluInPlaceSignature = signature("leaky_relu_", slopeParameters, false, "Tensor.leaky_relu_");
/** `Tensor.gelu(*, approximate="none")`: keyword-only, as `torch._C._nn.gelu` declares it (another string meets its RuntimeError). */
export const geluMethodSignature = signature("gelu", [keyword("approximate", choice("none", "tanh"), "none")], false, "Tensor.gelu");
/** `Tensor.softplus(beta=1, threshold=20)`. */
export const softplusMethodSignature = signature("softplus", [optional("beta", number, 1), optional("threshold", number, 20)], false, "Tensor.softplus");

/** The negative slope of a plain call (`x.leaky_relu()`, `x.leaky_relu(0.2)`), or undefined when it needs parsing. */
const plainSlope = (args: readonly unknown[]): number | undefined => {
  if (args.length === 0) return 0.01;
  const [slope] = args;
  return args.length === 1 && typeof slope === "number" && !Number.isNaN(slope) ? slope : undefined;
};

/** `x.leaky_relu(0.2)`, `x.leaky_relu({ negative_slope: 0.2 })`: x for x > 0, negative_slope·x otherwise. */
export function leakyReluMethod(self: Tensor, ...args: Arguments<typeof leakyReluMethodSignature>): Tensor {
  return activationOps.leaky_relu(self, plainSlope(args) ?? leakyReluMethodSignature.parse(args).negative_slope);
}

/** `x.leaky_relu_(0.2)`: in place. */
export function leakyReluInPlaceMethod(self: Tensor, ...args: Arguments<typeof leakyReluInPlaceSignature>): Tensor {
  return activationOps.leaky_relu_(self, plainSlope(args) ?? leakyReluInPlaceSignature.parse(args).negative_slope);
}

/** `x.gelu()`, `x.gelu({ approximate: "tanh" })`. */
export function geluMethod(self: Tensor, ...args: Arguments<typeof geluMethodSignature>): Tensor {
  return activationOps.gelu(self, args.length === 0 ? {} : geluMethodSignature.parse(args));
}

/** `x.softplus()`, `x.softplus(2)`, `x.softplus(2, 10)`, `x.softplus({ beta: 2, threshold: 10 })`. */
export function softplusMethod(self: Tensor, ...args: Arguments<typeof softplusMethodSignature>): Tensor {
  return activationOps.softplus(self, args.length === 0 ? {} : softplusMethodSignature.parse(args));
}
