import { Tensor } from "../../methods.ts";
import { type Arguments, boolean, choice, integer, keyword, nullable, number, optional, required, signature } from "../../utils/signature.ts";
import { dtypeKind, tensorKind } from "../signatures.ts";
import { warn } from "../../utils/warn.ts";

/** Options of the activations that can work in place. */
export interface InplaceOptions {
  inplace?: boolean;
}

/** `relu(input, inplace=False)`, as PyTorch declares it. */
export const reluSignature = signature("relu", [required("input", tensorKind), optional("inplace", boolean, false)]);

/** max(0, x), as `torch.nn.functional.relu`. */
export function relu(...args: Arguments<typeof reluSignature>): Tensor {
  const { input, inplace } = reluSignature.parse(args);
  return inplace ? input.relu_() : input.relu();
}

/** `leaky_relu(input, negative_slope=0.01, inplace=False)`, as PyTorch declares it. */
export const leakyReluSignature = signature("leaky_relu", [
  required("input", tensorKind),
  optional("negative_slope", number, 0.01),
  optional("inplace", boolean, false),
]);

/** x for x ≥ 0, negative_slope·x otherwise, as `torch.nn.functional.leaky_relu`. */
export function leaky_relu(...args: Arguments<typeof leakyReluSignature>): Tensor {
  const { input, negative_slope, inplace } = leakyReluSignature.parse(args);
  return inplace ? input.leaky_relu_(negative_slope) : input.leaky_relu(negative_slope);
}

/** 1 / (1 + e^(−x)), as `torch.sigmoid`. */
export const sigmoid = (input: Tensor): Tensor => input.sigmoid();

/** tanh(x), as `torch.tanh`. */
export const tanh = (input: Tensor): Tensor => input.tanh();

/** `gelu(input, *, approximate="none")`, as PyTorch declares it (approximate is keyword-only: `F.gelu(x, "tanh")` is refused). */
export const geluSignature = signature("gelu", [required("input", tensorKind), keyword("approximate", choice("none", "tanh"), "none")]);

/**
 * GELU, as `torch.nn.functional.gelu`: x·Φ(x) = x·(1 + erf(x/√2))/2, or with
 * `approximate: "tanh"`, x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))/2.
 */
export function gelu(...args: Arguments<typeof geluSignature>): Tensor {
  const { input, approximate } = geluSignature.parse(args);
  if (approximate !== "none" && approximate !== "tanh") throw new Error("approximate argument must be either none or tanh.");
  return input.gelu({ approximate });
}

/** `silu(input, inplace=False)`, as PyTorch declares it. */
export const siluSignature = signature("silu", [required("input", tensorKind), optional("inplace", boolean, false)]);

/** x·σ(x), as `torch.nn.functional.silu`. */
export function silu(...args: Arguments<typeof siluSignature>): Tensor {
  const { input, inplace } = siluSignature.parse(args);
  return inplace ? input.mul_(input.sigmoid()) : input.silu();
}

/** `softplus(input, beta=1.0, threshold=20.0)`, as PyTorch declares it. */
export const softplusSignature = signature("softplus", [required("input", tensorKind), optional("beta", number, 1.0), optional("threshold", number, 20.0)]);

/**
 * log(1 + e^(β·x)) / β, reverting to x where β·x > threshold (for stability), as
 * `torch.nn.functional.softplus`.
 */
export function softplus(...args: Arguments<typeof softplusSignature>): Tensor {
  const { input, beta, threshold } = softplusSignature.parse(args);
  return input.softplus({ beta, threshold });
}

/** PyTorch's implicit softmax dim (deprecated): 0 for 0-, 1- and 3-d inputs, else 1. */
function softmaxDim(input: Tensor, dim: number | null | undefined, name: string): number {
  if (dim !== null && dim !== undefined) return dim;
  warn(`Implicit dimension choice for ${name} has been deprecated. Change the call to include dim=X as an argument.`);
  return input.ndim === 0 || input.ndim === 1 || input.ndim === 3 ? 0 : 1;
}

/** The dim argument of softmax and log_softmax: a number, or PyTorch's keyword form. */
export type SoftmaxDim = number | { dim?: number | null };

/** `softmax(input, dim=None, _stacklevel=3, dtype=None)`, as PyTorch declares it. */
export const softmaxSignature = signature("softmax", [
  required("input", tensorKind),
  optional("dim", nullable(integer), null),
  optional("_stacklevel", integer, 3),
  optional("dtype", nullable(dtypeKind), null),
]);

/** e^x / Σe^x along `dim`, as `torch.nn.functional.softmax(input, dim)`. */
export function softmax(...args: Arguments<typeof softmaxSignature>): Tensor {
  const { input, dim, dtype } = softmaxSignature.parse(args);
  const x = dtype === null ? input : input.to(dtype);
  return x.softmax(softmaxDim(input, dim, "softmax"));
}

/** `log_softmax(input, dim=None, _stacklevel=3, dtype=None)`, as PyTorch declares it. */
export const logSoftmaxSignature = signature("log_softmax", [
  required("input", tensorKind),
  optional("dim", nullable(integer), null),
  optional("_stacklevel", integer, 3),
  optional("dtype", nullable(dtypeKind), null),
]);

/** x − log Σe^x along `dim`, as `torch.nn.functional.log_softmax(input, dim)`. */
export function log_softmax(...args: Arguments<typeof logSoftmaxSignature>): Tensor {
  const { input, dim, dtype } = logSoftmaxSignature.parse(args);
  const x = dtype === null ? input : input.to(dtype);
  return x.log_softmax(softmaxDim(input, dim, "log_softmax"));
}
