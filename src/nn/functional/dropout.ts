import { dropoutMaskInto } from "../../kernels/dropout.ts";
import { Tensor } from "../../methods.ts";
import { emptyTensor } from "../../tensor/tensor.ts";
import { type Generator, default_generator } from "../../tensor/generator.ts";
import { type Arguments, boolean, number, optional, required, signature } from "../../utils/signature.ts";
import { generatorParameter, tensorKind } from "../signatures.ts";

/** Options of `dropout`, with PyTorch's defaults, and the generator to draw the mask from. */
export interface DropoutOptions {
  p?: number;
  training?: boolean;
  inplace?: boolean;
  generator?: Generator | null;
}

/** `dropout(input, p=0.5, training=True, inplace=False)`, as PyTorch declares it, and gradlab's `generator`. */
export const dropoutSignature = signature("dropout", [
  required("input", tensorKind),
  optional("p", number, 0.5),
  optional("training", boolean, true),
  optional("inplace", boolean, false),
  generatorParameter,
]);

/**
 * Zeroes each element with probability p and scales the rest by 1/(1 − p), in training;
 * returns `input` itself otherwise, as `torch.nn.functional.dropout`:
 *
 * ```text
 * mask[i] = 1/(1 − p) if u[i] ≥ p else 0,   u[i] ~ U(0, 1)
 * y = x · mask
 * ```
 */
export function dropout(...args: Arguments<typeof dropoutSignature>): Tensor {
  const { input, p, training, inplace, generator } = dropoutSignature.parse(args);
  if (p < 0 || p > 1) throw new Error(`dropout probability has to be between 0 and 1, but got ${p}`);
  if (p === 0 || !training || input.numel() === 0) return input;
  const g = generator ?? default_generator;
  const mask = emptyTensor(input.dtype, input.shape);
  dropoutMaskInto(mask.data.data, () => g.uniform(), p, p === 1 ? 0 : 1 / (1 - p));
  return inplace ? input.mul_(mask) : input.mul(mask);
}
