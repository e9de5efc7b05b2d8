import { Tensor, contiguousBuffer, emptyTensor } from "../tensor/tensor.ts";
import { record } from "../autograd/node.ts";
import { broadcastShapes, expandView } from "../kernels/broadcast.ts";
import { binaryKernel, copyInto } from "../kernels/elementwise.ts";
import { ROUNDING } from "../kernels/rounding.ts";
import { binaryInPlace, mul, add, div, neg, sub } from "./arithmetic.ts";
import { checkInPlaceShape, inPlace } from "./inplace.ts";
import { type Operand, asTensor, broadcastView, floatResultType, scalarTensor } from "./operands.ts";
import { castTo, to } from "./copy.ts";
import { unbroadcast } from "./sum.ts";
import { sqrt } from "./unary.ts";

/** Options of addcmul/addcdiv: the multiplier of the product or quotient. */
export interface ValueOptions {
  value?: number;
}

/**
 * self + (value·t1)·t2, as `torch.addcmul`, grouped as PyTorch's CPU kernel evaluates it
 * (composed from differentiable ops, each rounding as PyTorch's does).
 */
export const addcmul = (self: Tensor, t1: Tensor, t2: Tensor, options: ValueOptions = {}): Tensor => add(self, mul(mul(t1, options.value ?? 1), t2));

/** self + (value·t1)/t2, as `torch.addcdiv`, grouped as PyTorch's CPU kernel evaluates it. */
export const addcdiv = (self: Tensor, t1: Tensor, t2: Tensor, options: ValueOptions = {}): Tensor => add(self, div(mul(t1, options.value ?? 1), t2));

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
  const out = emptyTensor(dtype, shape);
  const o = out.data.data;
  const lerpOne = dtype === "float32" ? ROUNDING.float32.lerp : ROUNDING.float64.lerp;
  for (let i = 0; i < o.length; i++) o[i] = lerpOne(a[i]!, b[i]!, ws[i]!);
  return record(
    typeof weight === "number" ? "LerpBackward0" : "LerpBackward1",
    out,
    [self, end, w],
    (g) => [
      self.requires_grad ? unbroadcast(mul(g, add(neg(w), 1)), self.shape) : null,
      end.requires_grad ? unbroadcast(mul(g, w), end.shape) : null,
      w.requires_grad ? unbroadcast(mul(g, sub(end, self)), w.shape) : null,
    ],
    [self, end, w],
  );
}

const addInto = binaryKernel((a, b) => a + b);

/** Fills a view with one number (any strides). */
const fillView = (t: Tensor, value: number): void => {
  copyInto(t.data, broadcastView(scalarTensor(value, t.dtype), t.shape));
};

/** self += value·t1·t2, in place (value·t1·t2 is computed first, then broadcast to self's shape). */
export const addcmul_ = (self: Tensor, t1: Tensor, t2: Tensor, options: ValueOptions = {}): Tensor =>
  inPlace(
    self,
    [t1, t2],
    (s) => addcmul(s, t1, t2, options),
    () => binaryInPlace(self, castTo(mul(mul(t1, options.value ?? 1), t2), self.dtype), addInto),
  );

/** self += value·t1/t2, in place. */
export const addcdiv_ = (self: Tensor, t1: Tensor, t2: Tensor, options: ValueOptions = {}): Tensor =>
  inPlace(
    self,
    [t1, t2],
    (s) => addcdiv(s, t1, t2, options),
    () => binaryInPlace(self, castTo(div(mul(t1, options.value ?? 1), t2), self.dtype), addInto),
  );

/** self ← lerp(self, end, weight), in place. */
export function lerp_(self: Tensor, end: Tensor, weight: Operand): Tensor {
  const w = asTensor(weight, self);
  return inPlace(
    self,
    [end, w],
    (s) => lerp(s, end, w),
    () => {
      const result = lerp(self, end, w);
      checkInPlaceShape(self, result.shape);
      copyInto(self.data, result.data);
    },
  );
}

/** self ← √self, in place. */
export const sqrt_ = (self: Tensor): Tensor => inPlace(self, [], sqrt, () => copyInto(self.data, sqrt(self).data));

/** Fills self with zeros, in place. */
export const zero_ = (self: Tensor): Tensor =>
  inPlace(
    self,
    [],
    (s) => mul(s, 0),
    () => fillView(self, 0),
  );

/** Fills self with `value`, in place. */
export const fill_ = (self: Tensor, value: number): Tensor =>
  inPlace(
    self,
    [],
    (s) => add(mul(s, 0), value),
    () => fillView(self, value),
  );

/** Copies `src` (broadcast to self's shape, any dtype) into `self`, in place. */
export function copy_(self: Tensor, src: Tensor): Tensor {
  return inPlace(
    self,
    [src],
    (current) => add(mul(current, 0), to(src, self.dtype)),
    () => copyInto(self.data, broadcastView(src, self.shape)),
  );
}
