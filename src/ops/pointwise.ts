import { Tensor, contiguousBuffer, emptyTensor } from "../tensor/tensor.ts";
import { record } from "../autograd/node.ts";
import { broadcastShapes, expandView } from "../kernels/broadcast.ts";
import { copyInto } from "../kernels/elementwise.ts";
import { addcdivInto, addcmulInto, lerpFloat64 } from "../kernels/fused.ts";
import { ROUNDING, roundingOf } from "../kernels/rounding.ts";
import type { DType, Float } from "../tensor/dtype.ts";
import { mul, add, div, neg, sub } from "./arithmetic.ts";
import { checkInPlaceShape, inPlace } from "./inplace.ts";
import { type Operand, asTensor, broadcastView, checkInPlaceResultType, floatResultType, integralResultType, scalarTensor } from "./operands.ts";
import { castTo, to } from "./copy.ts";
import { unbroadcast } from "./sum.ts";
import { sqrt } from "./unary.ts";

/** Options of addcmul/addcdiv: the multiplier of the product or quotient. */
export interface ValueOptions {
  value?: number;
}

/** The operands cast to `dtype` and broadcast to `shape`, as contiguous buffers in row-major order. */
const buffersOf = (dtype: DType, shape: readonly number[], operands: readonly Tensor[]): Float[] =>
  operands.map((t) => contiguousBuffer(expandView(castTo(t, dtype).data, shape), dtype));

/**
 * A fresh tensor of the three operands' promoted dtype and broadcast shape, and their buffers
 * (self, t1, t2); `resultType` says whether integers stay integers (addcmul) or not.
 */
function ternaryOperands(self: Tensor, t1: Tensor, t2: Tensor, resultType = floatResultType): { out: Tensor; buffers: Float[] } {
  const dtype = resultType(resultType(self.dtype, t1.dtype), t2.dtype);
  const shape = broadcastShapes(broadcastShapes(self.shape, t1.shape), t2.shape);
  return { out: emptyTensor(dtype, shape), buffers: buffersOf(dtype, shape, [self, t1, t2]) };
}

/**
 * self + (value·t1)·t2, as `torch.addcmul`, rounded as PyTorch's CPU kernel rounds it: value
 * in the dtype first, then v·t1 rounded, then one fused multiply-add (kernels/fused.ts).
 * int64 operands give int64, with value truncated to an integer first as the kernel's
 * `value.to<scalar_t>()` does (torch 1.13 and current PyTorch: value 0.5 adds nothing).
 *
 * ```text
 * out = fma(v·t1, t2, self)
 * ∂/∂self = g · ∂/∂t1 = g·(t2·v) · ∂/∂t2 = g·(t1·v)
 * ```
 */
export function addcmul(self: Tensor, t1: Tensor, t2: Tensor, options: ValueOptions = {}): Tensor {
  const value = options.value ?? 1;
  const { out, buffers } = ternaryOperands(self, t1, t2, integralResultType);
  const o = out.data.data;
  addcmulInto(o, out.dtype === "int64" ? Math.trunc(value) : roundingOf(o).round(value), buffers[1]!, buffers[2]!, buffers[0]!);
  return record(
    "AddcmulBackward0",
    out,
    [self, t1, t2],
    (g) => [
      self.requires_grad ? unbroadcast(g, self.shape) : null,
      t1.requires_grad ? unbroadcast(mul(g, mul(t2, value)), t1.shape) : null,
      t2.requires_grad ? unbroadcast(mul(g, mul(t1, value)), t2.shape) : null,
    ],
    [t1, t2],
  );
}

/** PyTorch's refusal of addcdiv when both tensor1 and tensor2 are integers (PointwiseOps.cpp, its spacing kept). */
const INTEGER_ADDCDIV =
  "Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: (input + value * tensor1 / tensor2), for all dtypes.";

/**
 * self + (value·t1)/t2, as `torch.addcdiv`: value in the dtype first, then v·t1, the quotient
 * and the sum each rounded (PyTorch's kernel has no FMA to form here).
 *
 * ```text
 * out = self + (v·t1)/t2
 * ∂/∂self = g · ∂/∂t1 = g·(v/t2) · ∂/∂t2 = −g·(v·t1/(t2·t2))
 * ```
 */
export function addcdiv(self: Tensor, t1: Tensor, t2: Tensor, options: ValueOptions = {}): Tensor {
  if (t1.dtype === "int64" && t2.dtype === "int64") throw new Error(INTEGER_ADDCDIV);
  const value = options.value ?? 1;
  const { out, buffers } = ternaryOperands(self, t1, t2);
  const o = out.data.data;
  addcdivInto(o, roundingOf(o).round(value), buffers[1]!, buffers[2]!, buffers[0]!);
  return record(
    "AddcdivBackward0",
    out,
    [self, t1, t2],
    (g) => [
      self.requires_grad ? unbroadcast(g, self.shape) : null,
      t1.requires_grad ? unbroadcast(mul(g, div(scalarTensor(value, t2.dtype), t2)), t1.shape) : null,
      t2.requires_grad ? unbroadcast(mul(neg(g), div(mul(t1, value), mul(t2, t2))), t2.shape) : null,
    ],
    [t1, t2],
  );
}

/**
 * Linear interpolation from self to end, as `torch.lerp`, with PyTorch's two forms:
 *
 * ```text
 * out = self + w·(end − self)          if |w| < 0.5
 * out = end − (end − self)·(1 − w)     otherwise (exact at w = 1)
 * ∂/∂self = g·(1 − w) · ∂/∂end = g·w · ∂/∂w = g·(end − self)
 * ```
 * PyTorch's kernel evaluates each line with one fused multiply-add, and so does this op, in
 * both dtypes (fma32, and fma64 in float64: kernels/fused.ts). The optimizer loops use the
 * same two-branch lerp (src/kernels/rounding.ts), exact in float32; their float64 loops
 * round the product separately (a last-bit difference, for speed).
 *
 * As PyTorch, end and a tensor weight must have self's dtype, and integers are refused
 * (lerp's meta function and kernel dispatch; the same messages in torch 1.13 and current
 * PyTorch). A 0-d weight of another dtype is converted to self's, as current PyTorch's
 * Lerp.cpp promotes it (`promote_weight = weight.dim() == 0`; torch 1.13 refused it).
 */
export function lerp(self: Tensor, end: Tensor, weight: Operand): Tensor {
  checkLerpTypes(self, end, weight);
  const w = asTensor(weight, self);
  const dtype = self.dtype;
  const shape = broadcastShapes(broadcastShapes(self.shape, end.shape), w.shape);
  const [a, b, ws] = buffersOf(dtype, shape, [self, end, w]) as [Float, Float, Float];
  const out = emptyTensor(dtype, shape);
  const o = out.data.data;
  const lerpOne = dtype === "float32" ? ROUNDING.float32.lerp : lerpFloat64;
  for (let i = 0; i < o.length; i++) o[i] = lerpOne(a[i]!, b[i]!, ws[i]!);
  return record(
    typeof weight === "number" ? "LerpBackward0" : "LerpBackward1",
    out,
    [self, end, w],
    (g) => [
      self.requires_grad ? unbroadcast(mul(g, add(neg(w), 1)), self.shape) : null,
      end.requires_grad ? unbroadcast(mul(g, w), end.shape) : null,
      w.requires_grad ? castTo(unbroadcast(mul(g, sub(end, self)), w.shape), w.dtype) : null,
    ],
    [self, end, w],
  );
}

/** How PyTorch's C++ names a dtype in lerp's messages (caffe2's TypeMeta names). */
const C_TYPE_NAMES: Record<DType, string> = { float32: "float", float64: "double", int64: "long int" };

/** PyTorch's checks of lerp's operands, in its order: end's dtype, weight's, then the kernel's dtypes. */
function checkLerpTypes(self: Tensor, end: Tensor, weight: Operand): void {
  const expected = C_TYPE_NAMES[self.dtype];
  if (end.dtype !== self.dtype) throw new Error(`expected dtype ${expected} for \`end\` but got dtype ${C_TYPE_NAMES[end.dtype]}`);
  if (typeof weight !== "number" && weight.ndim > 0 && weight.dtype !== self.dtype) {
    throw new Error(`expected dtype ${expected} for \`weight\` but got dtype ${C_TYPE_NAMES[weight.dtype]}`);
  }
  if (self.dtype === "int64") throw new Error(`"lerp_kernel_${typeof weight === "number" ? "scalar" : "tensor"}" not implemented for 'Long'`);
}

/** Fills a view with one number (any strides). */
const fillView = (t: Tensor, value: number): void => {
  copyInto(t.data, broadcastView(scalarTensor(value, t.dtype), t.shape));
};

/** self ← result, for an in-place op whose out-of-place form gives the new values (no autograd: see inPlace). */
function writeResult(self: Tensor, result: Tensor): void {
  checkInPlaceResultType(self.dtype, result.dtype);
  checkInPlaceShape(self, result.shape);
  copyInto(self.data, result.data);
}

/** self ← self + (value·t1)·t2, in place, rounded as {@link addcmul}. */
export const addcmul_ = (self: Tensor, t1: Tensor, t2: Tensor, options: ValueOptions = {}): Tensor =>
  inPlace(
    self,
    [t1, t2],
    (s) => addcmul(s, t1, t2, options),
    () => writeResult(self, addcmul(self, t1, t2, options)),
  );

/** self ← self + (value·t1)/t2, in place, rounded as {@link addcdiv}. */
export const addcdiv_ = (self: Tensor, t1: Tensor, t2: Tensor, options: ValueOptions = {}): Tensor =>
  inPlace(
    self,
    [t1, t2],
    (s) => addcdiv(s, t1, t2, options),
    () => writeResult(self, addcdiv(self, t1, t2, options)),
  );

/** self ← lerp(self, end, weight), in place. */
export function lerp_(self: Tensor, end: Tensor, weight: Operand): Tensor {
  const w = asTensor(weight, self);
  return inPlace(
    self,
    [end, w],
    (s) => lerp(s, end, weight),
    () => writeResult(self, lerp(self, end, weight)),
  );
}

/** self ← √self, in place. */
export const sqrt_ = (self: Tensor): Tensor => inPlace(self, [], sqrt, () => writeResult(self, sqrt(self)));

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
