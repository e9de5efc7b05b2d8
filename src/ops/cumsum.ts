import { record } from "../autograd/node.ts";
import { cumsumInto } from "../kernels/cumsum.ts";
import { Tensor, contiguousBuffer, emptyTensor, normalizeDim } from "../tensor/tensor.ts";
import { castTo } from "./copy.ts";

/**
 * The running sum along `dim`, as `torch.cumsum(input, dim)`: int64 stays int64 (gradlab has no
 * bool), floats keep their dtype.
 *
 * ```text
 * out[…, k, …] = Σ_{j≤k} x[…, j, …]
 * ∂L/∂x[…, j, …] = Σ_{k≥j} g[…, k, …]      the running sum of g from the end (PyTorch's cumsum_backward)
 * ```
 */
export function cumsum(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x.ndim);
  const out = emptyTensor(x.dtype, x.shape);
  cumsumInto(out.data.data, contiguousBuffer(x.data, x.dtype), x.shape, d);
  return record("CumsumBackward0", out, [x], (g) => [reversedCumsum(castTo(g, x.dtype), d)]);
}

/** The running sum from the end along dim `d` (normalised): cumsum's gradient, itself differentiable. */
function reversedCumsum(g: Tensor, d: number): Tensor {
  const out = emptyTensor(g.dtype, g.shape);
  cumsumInto(out.data.data, contiguousBuffer(g.data, g.dtype), g.shape, d, true);
  // PyTorch writes this as g.flip(d).cumsum(d).flip(d), whose last node is FlipBackward0.
  return record("FlipBackward0", out, [g], (gg) => [cumsum(gg, d)]);
}
