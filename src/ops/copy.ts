import { record } from "../autograd/node.ts";
import { copyInto } from "../kernels/elementwise.ts";
import { type DType, assertDType } from "../tensor/dtype.ts";
import { Tensor, emptyTensor } from "../tensor/tensor.ts";

/**
 * A copy with its own contiguous memory; gradients flow back unchanged. A sparse tensor is
 * copied by its layout (`Tensor._cloneLayout`, which src/ops/sparse.ts overrides: its indices
 * and values), so callers such as the backward engine need not know the layout.
 */
export function clone(t: Tensor): Tensor {
  const own = t._cloneLayout();
  if (own !== null) return own;
  const out = emptyTensor(t.dtype, t.shape);
  copyInto(out.data, t.data);
  return record("CloneBackward0", out, [t], (g) => [g]);
}

/** `t` itself when contiguous, otherwise a contiguous copy. */
export const contiguous = (t: Tensor): Tensor => (t.is_contiguous() ? t : clone(t));

/** `t` converted to `dtype` (itself when already of that dtype); gradients convert back. */
export function to(t: Tensor, dtype: DType): Tensor {
  assertDType(dtype);
  if (dtype === t.dtype) return t;
  const out = emptyTensor(dtype, t.shape);
  copyInto(out.data, t.data);
  if (dtype === "int64") for (let i = 0; i < out.data.data.length; i++) out.data.data[i] = Math.trunc(out.data.data[i]!);
  return record("ToCopyBackward0", out, [t], (g) => [to(g, t.dtype)]);
}

/** `t` in `dtype` (itself when it already is). Differentiable. */
export const castTo = (t: Tensor, dtype: DType): Tensor => (t.dtype === dtype ? t : to(t, dtype));
