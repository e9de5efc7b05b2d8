import { type Tensor, normalizeDim } from "../../tensor/tensor.ts";
import { type Arguments, integer, optional, required, signature } from "../../utils/signature.ts";
import { tensorKind } from "../signatures.ts";

/** `torch.flatten(input, start_dim=0, end_dim=-1)`, as PyTorch declares it. */
export const flattenSignature = signature("flatten", [required("input", tensorKind), optional("start_dim", integer, 0), optional("end_dim", integer, -1)]);

/**
 * `input` with dims `start_dim` … `end_dim` merged into one, as `torch.flatten`
 * (a view when the data is contiguous). A 0-d tensor becomes 1-d.
 */
export function flatten(...args: Arguments<typeof flattenSignature>): Tensor {
  const { input, start_dim, end_dim } = flattenSignature.parse(args);
  if (input.ndim === 0) return input.reshape([1]);
  const start = normalizeDim(start_dim, input.ndim);
  const end = normalizeDim(end_dim, input.ndim);
  if (start > end) throw new Error("flatten() has invalid args: start_dim cannot come after end_dim");
  const shape = input.shape;
  const merged = shape.slice(start, end + 1).reduce((a, b) => a * b, 1);
  return input.reshape([...shape.slice(0, start), merged, ...shape.slice(end + 1)]);
}
