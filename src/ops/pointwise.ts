import { Tensor } from "../tensor/tensor.ts";
import { binaryKernel, copyInto } from "../kernels/elementwise.ts";
import { binaryInPlace } from "./arithmetic.ts";
import { inPlace } from "./inplace.ts";
import { type Operand, asTensor, broadcastView, castTo, scalarTensor } from "./operands.ts";
import { sqrt } from "./unary.ts";

/** Options of addcmul/addcdiv: the multiplier of the product or quotient. */
export interface ValueOptions {
  value?: number;
}

/** self + value·t1·t2, as `torch.addcmul` (composed from differentiable ops). */
export const addcmul = (self: Tensor, t1: Tensor, t2: Tensor, options: ValueOptions = {}): Tensor =>
  self.add(t1.mul(t2).mul(options.value ?? 1));

/** self + value·t1/t2, as `torch.addcdiv`. */
export const addcdiv = (self: Tensor, t1: Tensor, t2: Tensor, options: ValueOptions = {}): Tensor =>
  self.add(t1.div(t2).mul(options.value ?? 1));

/** self + weight·(end − self), as `torch.lerp`. */
export const lerp = (self: Tensor, end: Tensor, weight: Operand): Tensor =>
  self.add(end.sub(self).mul(asTensor(weight, self)));

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
  return inPlace(this, [t1, t2], (s) => addcmul(s, t1, t2, options), () => binaryInPlace(this, castTo(t1.mul(t2).mul(options?.value ?? 1), this.dtype), addInto)) as typeof this;
};
Tensor.prototype.addcdiv_ = function (t1, t2, options) {
  return inPlace(this, [t1, t2], (s) => addcdiv(s, t1, t2, options), () => binaryInPlace(this, castTo(t1.div(t2).mul(options?.value ?? 1), this.dtype), addInto)) as typeof this;
};
Tensor.prototype.lerp_ = function (end, weight) {
  const w = asTensor(weight, this);
  return inPlace(this, [end, w], (s) => lerp(s, end, w), () => binaryInPlace(this, castTo(end.sub(this).mul(w), this.dtype), addInto)) as typeof this;
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
