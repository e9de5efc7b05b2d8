import { Tensor } from "../../methods.ts";
import { normalizeDim } from "../../tensor/tensor.ts";

/**
 * `input` with dims `start_dim` … `end_dim` merged into one, as `torch.flatten`
 * (a view when the data is contiguous). A 0-d tensor becomes 1-d.
 */
export function flatten(input: Tensor, options: { start_dim?: number; end_dim?: number } = {}): Tensor {
  if (input.ndim === 0) return input.reshape([1]);
  const start = normalizeDim(options.start_dim ?? 0, input.ndim);
  const end = normalizeDim(options.end_dim ?? -1, input.ndim);
  if (start > end) throw new Error("flatten() has invalid args: start_dim cannot come after end_dim");
  const shape = input.shape;
  const merged = shape.slice(start, end + 1).reduce((a, b) => a * b, 1);
  return input.reshape([...shape.slice(0, start), merged, ...shape.slice(end + 1)]);
}
