import { Tensor } from "../../methods.ts";
import { warn } from "../../utils/warn.ts";

/** Options of the activations that can work in place. */
export interface InplaceOptions {
  inplace?: boolean;
}

/** max(0, x), as `torch.nn.functional.relu`. */
export function relu(input: Tensor, options: InplaceOptions = {}): Tensor {
  return options.inplace ? input.relu_() : input.relu();
}

/** x for x ≥ 0, negative_slope·x otherwise, as `torch.nn.functional.leaky_relu`. */
export function leaky_relu(input: Tensor, options: { negative_slope?: number } & InplaceOptions = {}): Tensor {
  const negative_slope = options.negative_slope ?? 0.01;
  return options.inplace ? input.leaky_relu_(negative_slope) : input.leaky_relu(negative_slope);
}

/** 1 / (1 + e^(−x)), as `torch.sigmoid`. */
export const sigmoid = (input: Tensor): Tensor => input.sigmoid();

/** tanh(x), as `torch.tanh`. */
export const tanh = (input: Tensor): Tensor => input.tanh();

/**
 * GELU, as `torch.nn.functional.gelu`: x·Φ(x) = x·(1 + erf(x/√2))/2, or with
 * `approximate: "tanh"`, x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))/2.
 */
export function gelu(input: Tensor, options: { approximate?: "none" | "tanh" } = {}): Tensor {
  const approximate = options.approximate ?? "none";
  if (approximate !== "none" && approximate !== "tanh") throw new Error("approximate argument must be either none or tanh.");
  return input.gelu({ approximate });
}

/** x·σ(x), as `torch.nn.functional.silu`. */
export function silu(input: Tensor, options: InplaceOptions = {}): Tensor {
  return options.inplace ? input.mul_(input.sigmoid()) : input.silu();
}

/**
 * log(1 + e^(β·x)) / β, reverting to x where β·x > threshold (for stability), as
 * `torch.nn.functional.softplus`.
 */
export function softplus(input: Tensor, options: { beta?: number; threshold?: number } = {}): Tensor {
  return input.softplus({ beta: options.beta ?? 1, threshold: options.threshold ?? 20 });
}

/** PyTorch's implicit softmax dim (deprecated): 0 for 0-, 1- and 3-d inputs, else 1. */
function softmaxDim(input: Tensor, dim: number | null | undefined, name: string): number {
  if (dim !== null && dim !== undefined) return dim;
  warn(`Implicit dimension choice for ${name} has been deprecated. Change the call to include dim=X as an argument.`);
  return input.ndim === 0 || input.ndim === 1 || input.ndim === 3 ? 0 : 1;
}

/** The dim argument of softmax and log_softmax: a number, or PyTorch's keyword form. */
export type SoftmaxDim = number | { dim?: number | null };

const dimOf = (arg: SoftmaxDim | undefined): number | null | undefined => (typeof arg === "number" ? arg : arg?.dim);

/** e^x / Σe^x along `dim`, as `torch.nn.functional.softmax(input, dim)`. */
export function softmax(input: Tensor, dim?: SoftmaxDim): Tensor {
  return input.softmax(softmaxDim(input, dimOf(dim), "softmax"));
}

/** x − log Σe^x along `dim`, as `torch.nn.functional.log_softmax(input, dim)`. */
export function log_softmax(input: Tensor, dim?: SoftmaxDim): Tensor {
  return input.log_softmax(softmaxDim(input, dimOf(dim), "log_softmax"));
}
