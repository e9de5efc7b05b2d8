import { record } from "../autograd/node.ts";
import { expandView } from "../kernels/broadcast.ts";
import { binaryKernel, unaryKernel } from "../kernels/elementwise.ts";
import { type Tensor, emptyTensor } from "../tensor/tensor.ts";

/**
 * Constant masks and the masked fill the backward rules of reductions build on
 * (`max`, `amax`, `norm`, `std` …). A mask is piecewise constant in the input, so it is
 * created without a graph; `zeroWhere` is recorded, so gradients of gradients stay exact.
 */

const equalInto = binaryKernel((a, b) => (a === b ? 1 : 0));
const equalOrBothNaNInto = binaryKernel((a, b) => (a === b || (a !== a && b !== b) ? 1 : 0));
const zeroWhereInto = binaryKernel((x, m) => (m !== 0 ? 0 : x));
// As PyTorch's CPU sign: (0 < x) − (x < 0), so NaN and −0 give 0.
const signInto = unaryKernel((x) => (x > 0 ? 1 : x < 0 ? -1 : 0));

/**
 * A constant tensor of `a`'s shape and dtype: 1 where a = b (`b` broadcast to a's shape),
 * else 0. With `nanEqual`, NaN matches NaN (PyTorch's `evenly_distribute_backward`).
 */
export function equalMask(a: Tensor, b: Tensor, nanEqual = false): Tensor {
  const out = emptyTensor(a.dtype === "int64" ? "float32" : a.dtype, a.shape);
  (nanEqual ? equalOrBothNaNInto : equalInto)(out.data, a.data, expandView(b.data, a.shape));
  return out;
}

/** `x` with 0 wherever `mask` (broadcast to x's shape) is nonzero, as `x.masked_fill(mask, 0)`; the gradient is masked alike. */
export function zeroWhere(x: Tensor, mask: Tensor): Tensor {
  const out = emptyTensor(x.dtype, x.shape);
  zeroWhereInto(out.data, x.data, expandView(mask.data, x.shape));
  return record("MaskedFillBackward0", out, [x], (g) => [zeroWhere(g, mask)]);
}

/** sign(x) (−1, 0 or 1; 0 for NaN, as PyTorch) as a constant: its derivative is 0 almost everywhere. */
export function signOf(x: Tensor): Tensor {
  const out = emptyTensor(x.dtype, x.shape);
  signInto(out.data, x.data);
  return out;
}
