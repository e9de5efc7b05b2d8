import { record } from "../autograd/node.ts";
import { copyInto } from "../kernels/elementwise.ts";
import { makeView } from "../kernels/view.ts";
import { type Tensor, contiguousStrides, emptyTensor } from "../tensor/tensor.ts";
import { sum } from "./sum.ts";
import { reshape } from "./reshape.ts";

/**
 * `repeat`, as `torch.Tensor.repeat`: the tensor tiled `repeats[i]` times along each dim
 * (leading size-1 dims added when `repeats` is longer than the shape), as a fresh copy.
 *
 * ```text
 * s = shape padded with 1s on the left to len(repeats)
 * out[k0·s0 + j0, k1·s1 + j1, …] = x[j0, j1, …]        out.shape = [r0·s0, r1·s1, …]
 * read as the shape [r0, s0, r1, s1, …]: x broadcast along the r dims
 * ∂L/∂x = Σ over k0, k1, … of g[k0, j0, k1, j1, …]      (g read as that shape)
 * ```
 */
export function repeat(t: Tensor, repeats: readonly number[]): Tensor {
  if (repeats.length < t.ndim) {
    throw new Error("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
  }
  const lead = repeats.length - t.ndim;
  const padded = [...repeats.slice(0, lead).map(() => 1), ...t.shape];
  const outShape = repeats.map((r, i) => r * padded[i]!);
  const negative = repeats.findIndex((r) => r < 0);
  if (negative !== -1) throw new Error(`Trying to create tensor with negative dimension ${outShape[negative]}: [${outShape.join(", ")}]`);
  const tiled = repeats.flatMap((r, i) => [r, padded[i]!]);
  const stride = [...repeats.slice(0, lead).map(() => 0), ...t.data.stride].flatMap((s) => [0, s]);
  const out = emptyTensor(t.dtype, outShape);
  copyInto(makeView(out.data.data, tiled, contiguousStrides(tiled), 0), makeView(t.data.data, tiled, stride, t.data.offset));
  const tileDims = repeats.map((_, i) => 2 * i);
  return record("RepeatBackward0", out, [t], (g) => [reshape(sum(reshape(g, tiled), { dim: tileDims }), t.shape.slice())]);
}
