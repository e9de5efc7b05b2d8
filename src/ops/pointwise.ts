import { Tensor, contiguousBuffer, emptyTensor } from "../tensor/tensor.ts";
import { record } from "../autograd/node.ts";
import { broadcastShapes, expandView } from "../kernels/broadcast.ts";
import { binaryKernel, copyInto } from "../kernels/elementwise.ts";
import { ROUNDING } from "../kernels/rounding.ts";
import { binaryInPlace } from "./arithmetic.ts";
import { checkInPlaceShape, inPlace } from "./inplace.ts";
import { type Operand, asTensor, broadcastView, castTo, floatResultType, scalarTensor, unbroadcast } from "./operands.ts";
import { sqrt } from "./unary.ts";

/** Options of addcmul/addcdiv: the multiplier of the product or quotient. */
export interface ValueOptions {
  value?: number;
}

/**
 * self + (value·t1)·t2, as `torch.addcmul`, grouped as PyTorch's CPU kernel evaluates it
 * (composed from differentiable ops, each rounding as PyTorch's does).
 */
export const addcmul = (self: Tensor, t1: Tensor, t2: Tensor, options: ValueOptions = {}): Tensor =>
  self.add(t1.mul(options.value ?? 1).mul(t2));

/** self + (value·t1)/t2, as `torch.addcdiv`, grouped as PyTorch's CPU kernel evaluates it. */
export const addcdiv = (self: Tensor, t1: Tensor, t2: Tensor, options: ValueOptions = {}): Tensor =>
  self.add(t1.mul(options.value ?? 1).div(t2));

/**
 * Linear interpolation from self to end, as `torch.lerp`, with PyTorch's two forms:
 *
 * ```text
 * out = self + w·(end − self)          if |w| < 0.5
 * out = end − (end − self)·(1 − w)     otherwise (exact at w = 1)
 * ∂/∂self = g·(1 − w) · ∂/∂end = g·w · ∂/∂w = g·(end − self)
 * ```
 * PyTorch's kernel evaluates each line with one fused multiply-add. This is the lerp every
 * optimizer loop uses (src/kernels/rounding.ts): float32 results round exactly as that FMA
 * does, float64 results round the product separately (a last-bit difference).
 */
export function lerp(self: Tensor, end: Tensor, weight: Operand): Tensor {
  const w = asTensor(weight, self);
  const dtype = floatResultType(floatResultType(self.dtype, end.dtype), w.dtype);
  const shape = broadcastShapes(broadcastShapes(self.shape, end.shape), w.shape);
  const a = contiguousBuffer(expandView(castTo(self, dtype).data, shape), dtype);
  const b = contiguousBuffer(expandView(castTo(end, dtype).data, shape), dtype);
  const ws = contiguousBuffer(expandView(castTo(w, dtype).data, shape), dtype);
  const out = emptyTensor(dtype, shape, false);
  const o = out.data.data;
  const lerpOne = dtype === "float32" ? ROUNDING.float32.lerp : ROUNDING.float64.lerp;
  for (let i = 0; i < o.length; i++) o[i] = lerpOne(a[i]!, b[i]!, ws[i]!);
  return record(typeof weight === "number" ? "LerpBackward0" : "LerpBackward1", out, [self, end, w], (g) => [
    self.requires_grad ? unbroadcast(g.mul(w.neg().add(1)), self.shape) : null,
    end.requires_grad ? unbroadcast(g.mul(w), end.shape) : null,
    w.requires_grad ? unbroadcast(g.mul(end.sub(self)), w.shape) : null,
  ], [self, end, w]);
}

const addInto = binaryKernel((a, b) => a + b);

/** Fills a view with one number (any strides). */
const fillView = (t: Tensor, value: number): void => {
  copyInto(t.data, broadcastView(scalarTensor(value, t.dtype), t.shape));
};

declare module "../tensor/tensor.ts" {
  interface Tensor {
    addcmul(t1: Tensor, t2: Tensor, options?: ValueOptions): Tensor;
    addcdiv(t1: Tensor, t2: Tensor, options?: ValueOptions): Tensor;
    lerp(end: Tensor, weight: Operand): Tensor;
    addcmul_(t1: Tensor, t2: Tensor, options?: ValueOptions): this;
    addcdiv_(t1: Tensor, t2: Tensor, options?: ValueOptions): this;
    lerp_(end: Tensor, weight: Operand): this;
    sqrt_(): this;
    zero_(): this;
    fill_(value: number): this;
  }
}

Tensor.prototype.addcmul = function (t1, t2, options) {
  return addcmul(this, t1, t2, options);
};
Tensor.prototype.addcdiv = function (t1, t2, options) {
  return addcdiv(this, t1, t2, options);
};
Tensor.prototype.lerp = function (end, weight) {
  return lerp(this, end, weight);
};
Tensor.prototype.addcmul_ = function (t1, t2, options) {
  // value·t1·t2 is computed first, then added in place (broadcast to self's shape).
  return inPlace(this, [t1, t2], (s) => addcmul(s, t1, t2, options), () => binaryInPlace(this, castTo(t1.mul(options?.value ?? 1).mul(t2), this.dtype), addInto)) as typeof this;
};
Tensor.prototype.addcdiv_ = function (t1, t2, options) {
  return inPlace(this, [t1, t2], (s) => addcdiv(s, t1, t2, options), () => binaryInPlace(this, castTo(t1.mul(options?.value ?? 1).div(t2), this.dtype), addInto)) as typeof this;
};
Tensor.prototype.lerp_ = function (end, weight) {
  const w = asTensor(weight, this);
  return inPlace(this, [end, w], (s) => lerp(s, end, w), () => {
    const result = lerp(this, end, w);
    checkInPlaceShape(this, result.shape);
    copyInto(this.data, result.data);
  }) as typeof this;
};
Tensor.prototype.sqrt_ = function () {
  return inPlace(this, [], sqrt, () => copyInto(this.data, sqrt(this).data)) as typeof this;
};
Tensor.prototype.zero_ = function () {
  return inPlace(this, [], (s) => s.mul(0), () => fillView(this, 0)) as typeof this;
};
Tensor.prototype.fill_ = function (value) {
  return inPlace(this, [], (s) => s.mul(0).add(value), () => fillView(this, value)) as typeof this;
};
