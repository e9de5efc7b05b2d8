import { record } from "../autograd/node.ts";
import { copyInto } from "../kernels/elementwise.ts";
import { type DType, assertDType } from "../tensor/dtype.ts";
import { Tensor, emptyTensor } from "../tensor/tensor.ts";
import { inPlace } from "./inplace.ts";
import { broadcastView } from "./operands.ts";

/** A copy with its own contiguous memory; gradients flow back unchanged. */
export function clone(t: Tensor): Tensor {
  const out = emptyTensor(t.dtype, t.shape, false);
  copyInto(out.data, t.data);
  return record("CloneBackward0", out, [t], (g) => [g]);
}

/** `t` itself when contiguous, otherwise a contiguous copy. */
export const contiguous = (t: Tensor): Tensor => (t.is_contiguous() ? t : clone(t));

/** `t` converted to `dtype` (itself when already of that dtype); gradients convert back. */
export function to(t: Tensor, dtype: DType): Tensor {
  assertDType(dtype);
  if (dtype === t.dtype) return t;
  const out = emptyTensor(dtype, t.shape, false);
  copyInto(out.data, t.data);
  if (dtype === "int64") for (let i = 0; i < out.data.data.length; i++) out.data.data[i] = Math.trunc(out.data.data[i]!);
  return record("ToCopyBackward0", out, [t], (g) => [g.to(t.dtype)]);
}

/** Copies `src` (broadcast to self's shape, any dtype) into `self`, in place. */
export function copy_(self: Tensor, src: Tensor): Tensor {
  return inPlace(
    self,
    [src],
    (current) => current.mul(0).add(src.to(self.dtype)),
    () => copyInto(self.data, broadcastView(src, self.shape)),
  );
}

declare module "../tensor/tensor.ts" {
  interface Tensor {
    clone(): Tensor;
    contiguous(): Tensor;
    to(dtype: DType): Tensor;
    double(): Tensor;
    float(): Tensor;
    copy_(src: Tensor): this;
  }
}

Tensor.prototype.clone = function () {
  return clone(this);
};
Tensor.prototype.contiguous = function () {
  return contiguous(this);
};
Tensor.prototype.to = function (dtype) {
  return to(this, dtype);
};
Tensor.prototype.double = function () {
  return to(this, "float64");
};
Tensor.prototype.float = function () {
  return to(this, "float32");
};
Tensor.prototype.copy_ = function (src) {
  return copy_(this, src) as typeof this;
};
