import { record } from "../autograd/node.ts";
import { broadcastShapes, broadcastsTo, expandView, sameShape } from "../kernels/broadcast.ts";
import { type BinaryFn, binaryKernel, copyInto, unaryKernel } from "../kernels/elementwise.ts";
import { addScaledInto } from "../kernels/fused.ts";
import { roundingOf } from "../kernels/rounding.ts";
import type { Float } from "../tensor/dtype.ts";
import { Tensor, contiguousBuffer, emptyTensor } from "../tensor/tensor.ts";
import { checkInPlaceShape, inPlace } from "./inplace.ts";
import { type Operand, asTensor, checkInPlaceResultType, floatResultType, integralResultType, mapUnary } from "./operands.ts";
import type { DType } from "../tensor/dtype.ts";
import { castTo } from "./copy.ts";
import { unbroadcast } from "./sum.ts";

/** Options of `add` and `sub`: the multiplier of `other`, as PyTorch's `alpha`. */
export interface AlphaOptions {
  alpha?: number;
}

const addInto = binaryKernel((a, b) => a + b);
const subInto = binaryKernel((a, b) => a - b);
const mulInto = binaryKernel((a, b) => a * b);
const divInto = binaryKernel((a, b) => a / b);

/**
 * Runs a broadcasting binary kernel into a fresh tensor of the promoted dtype: `dtype` gives
 * it from the operands' (floatResultType for true-float ops such as div, integralResultType
 * for ops that keep int64 integral).
 */
export function broadcastBinary(
  a: Tensor,
  b: Tensor,
  kernel: (o: Tensor["data"], x: Tensor["data"], y: Tensor["data"]) => unknown,
  resultType: (a: DType, b: DType) => DType = floatResultType,
): Tensor {
  const dtype = resultType(a.dtype, b.dtype);
  if (a.dtype === dtype && b.dtype === dtype && sameShape(a.shape, b.shape)) {
    // nothing to broadcast or convert: the operands' own views
    const same = emptyTensor(dtype, a.shape);
    kernel(same.data, a.data, b.data);
    return same;
  }
  const shape = broadcastShapes(a.shape, b.shape);
  const out = emptyTensor(dtype, shape);
  kernel(out.data, expandView(castTo(a, dtype).data, shape), expandView(castTo(b, dtype).data, shape));
  return out;
}

/** Writes kernel(self, other) into `self`, broadcasting `other` to self's shape. */
export function binaryInPlace(self: Tensor, other: Tensor, kernel: (o: Tensor["data"], x: Tensor["data"], y: Tensor["data"]) => unknown): void {
  checkInPlaceShape(self, broadcastShapes(self.shape, other.shape));
  kernel(self.data, self.data, expandView(other.data, self.shape));
}

/**
 * a + α·b with α ≠ 1, as PyTorch's add kernel: α in the dtype, then one fused multiply-add
 * fma(α, b, a) per element (kernels/fused.ts); `sub` is this with −α, as PyTorch's sub.
 */
function scaledAdd(name: string, a: Tensor, other: Tensor, alpha: number): Tensor {
  const shape = broadcastShapes(a.shape, other.shape);
  const dtype = integralResultType(a.dtype, other.dtype);
  if (dtype === "int64" && !Number.isInteger(alpha)) throw new Error("For integral input tensors, argument alpha must not be a floating point number.");
  const out = emptyTensor(dtype, shape);
  const o = out.data.data;
  const [x, y] = [a, other].map((t) => contiguousBuffer(expandView(castTo(t, dtype).data, shape), dtype)) as [Float, Float];
  addScaledInto(o, x, roundingOf(o).round(alpha), y);
  return record(name, out, [a, other], (g) => [unbroadcast(g, a.shape), other.requires_grad ? unbroadcast(mul(g, alpha), other.shape) : null]);
}

/**
 * Add's and sub's backward rule: g (−g for sub's b), summed back to each input's shape, for
 * the inputs that required a gradient when the op ran (an input that did not has no edge;
 * its sum would be dropped: no −g is made for a loss's target).
 */
function sumBackward(a: Tensor, b: Tensor, negateB: boolean): (g: Tensor) => (Tensor | null)[] {
  const [needA, needB] = [a.requires_grad, b.requires_grad];
  return (g) => [needA ? unbroadcast(g, a.shape) : null, needB ? unbroadcast(negateB ? neg(g) : g, b.shape) : null];
}

/** a + alpha·b, with broadcasting (one fused multiply-add per element when alpha ≠ 1). */
export function add(a: Tensor, b: Operand, options: AlphaOptions = {}): Tensor {
  const alpha = options.alpha ?? 1;
  const other = asTensor(b, a);
  if (alpha !== 1) return scaledAdd("AddBackward0", a, other, alpha);
  const out = broadcastBinary(a, other, addInto, integralResultType);
  return record("AddBackward0", out, [a, other], sumBackward(a, other, false));
}

/**
 * a + b written into a's own memory, for an `a` that nothing else reads: the product inside
 * nn.functional.linear, whose backward reads its operands, not its output. The same values
 * and graph as add(a, b), without a fresh result (whose first touch of new pages costs
 * about as much as the add). Runs add itself when b does not broadcast to a's shape and dtype.
 */
export function addToFresh(a: Tensor, b: Tensor): Tensor {
  if (a.dtype !== b.dtype || !a.is_contiguous() || !broadcastsTo(b.shape, a.shape)) return add(a, b);
  addInto(a.data, a.data, expandView(b.data, a.shape));
  const out = new Tensor(a.data, a.dtype, a.storage);
  return record("AddBackward0", out, [a, b], sumBackward(a, b, false));
}

/** a − alpha·b, with broadcasting (a + (−alpha)·b as one fused multiply-add when alpha ≠ 1). */
export function sub(a: Tensor, b: Operand, options: AlphaOptions = {}): Tensor {
  const alpha = options.alpha ?? 1;
  const other = asTensor(b, a);
  if (alpha !== 1) return scaledAdd("SubBackward0", a, other, -alpha);
  const out = broadcastBinary(a, other, subInto, integralResultType);
  return record("SubBackward0", out, [a, other], sumBackward(a, other, true));
}

/** a · b, elementwise with broadcasting. */
export function mul(a: Tensor, b: Operand): Tensor {
  const other = asTensor(b, a);
  const out = broadcastBinary(a, other, mulInto, integralResultType);
  return record(
    "MulBackward0",
    out,
    [a, other],
    (g) => [a.requires_grad ? unbroadcast(mul(g, other), a.shape) : null, other.requires_grad ? unbroadcast(mul(g, a), other.shape) : null],
    [a, other],
  );
}

/** a / b, elementwise with broadcasting (true division). */
export function div(a: Tensor, b: Operand): Tensor {
  const other = asTensor(b, a);
  const out = broadcastBinary(a, other, divInto);
  return record(
    "DivBackward0",
    out,
    [a, other],
    (g) => [
      a.requires_grad ? unbroadcast(div(g, other), a.shape) : null,
      other.requires_grad ? unbroadcast(div(mul(neg(g), a), mul(other, other)), other.shape) : null,
    ],
    [a, other],
  );
}

/**
 * Makes `self.op_(other)`: an in-place binary op sharing the out-of-place op's gradient.
 * A result type that `self` cannot hold (an int64 `self` and a floating result) is refused
 * with PyTorch's message before anything is written.
 */
function inPlaceBinary(
  kernelFn: BinaryFn,
  outOfPlace: (a: Tensor, b: Tensor) => Tensor,
  resultType: (a: DType, b: DType) => DType,
): (self: Tensor, other: Operand) => Tensor {
  const kernel = binaryKernel(kernelFn);
  return (self, other) => {
    const b = asTensor(other, self);
    checkInPlaceResultType(self.dtype, resultType(self.dtype, b.dtype));
    return inPlace(
      self,
      [b],
      (current) => outOfPlace(current, b),
      () => binaryInPlace(self, castTo(b, self.dtype), kernel),
    );
  };
}

const addInPlace = inPlaceBinary(
  (a, b) => a + b,
  (a, b) => add(a, b),
  integralResultType,
);
const subInPlace = inPlaceBinary(
  (a, b) => a - b,
  (a, b) => sub(a, b),
  integralResultType,
);
export const mul_ = inPlaceBinary(
  (a, b) => a * b,
  (a, b) => mul(a, b),
  integralResultType,
);
export const div_ = inPlaceBinary(
  (a, b) => a / b,
  (a, b) => div(a, b),
  floatResultType,
);

/** self ← op(self, other, alpha) for alpha ≠ 1, in place, rounded as the out-of-place op (one FMA). */
function scaledInPlace(op: typeof add, self: Tensor, other: Operand, alpha: number): Tensor {
  const b = asTensor(other, self);
  checkInPlaceResultType(self.dtype, integralResultType(self.dtype, b.dtype));
  return inPlace(
    self,
    [b],
    (current) => op(current, b, { alpha }),
    () => {
      const result = op(self, b, { alpha });
      checkInPlaceShape(self, result.shape);
      copyInto(self.data, result.data);
    },
  );
}

/** self += alpha·other, in place. */
export const add_ = (self: Tensor, other: Operand, options: AlphaOptions = {}): Tensor =>
  options.alpha === undefined || options.alpha === 1 ? addInPlace(self, other) : scaledInPlace(add, self, other, options.alpha);

/** self −= alpha·other, in place. */
export const sub_ = (self: Tensor, other: Operand, options: AlphaOptions = {}): Tensor =>
  options.alpha === undefined || options.alpha === 1 ? subInPlace(self, other) : scaledInPlace(sub, self, other, options.alpha);

const negInto = unaryKernel((x) => -x);

/** −x. */
export function neg(x: Tensor): Tensor {
  return record("NegBackward0", mapUnary(x, negInto, true), [x], (g) => [neg(g)]);
}
