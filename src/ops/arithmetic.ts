import { record } from "../autograd/node.ts";
import { broadcastShapes, expandView } from "../kernels/broadcast.ts";
import { type BinaryFn, binaryKernel, unaryKernel } from "../kernels/elementwise.ts";
import { Tensor, emptyTensor } from "../tensor/tensor.ts";
import { checkInPlaceShape, inPlace } from "./inplace.ts";
import { type Operand, asTensor, floatResultType, mapUnary } from "./operands.ts";
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

/** Runs a broadcasting binary kernel into a fresh tensor of the promoted dtype. */
export function broadcastBinary(a: Tensor, b: Tensor, kernel: (o: Tensor["data"], x: Tensor["data"], y: Tensor["data"]) => unknown): Tensor {
  const shape = broadcastShapes(a.shape, b.shape);
  const dtype = floatResultType(a.dtype, b.dtype);
  const out = emptyTensor(dtype, shape);
  kernel(out.data, expandView(castTo(a, dtype).data, shape), expandView(castTo(b, dtype).data, shape));
  return out;
}

/** Writes kernel(self, other) into `self`, broadcasting `other` to self's shape. */
export function binaryInPlace(self: Tensor, other: Tensor, kernel: (o: Tensor["data"], x: Tensor["data"], y: Tensor["data"]) => unknown): void {
  checkInPlaceShape(self, broadcastShapes(self.shape, other.shape));
  kernel(self.data, self.data, expandView(other.data, self.shape));
}

/** a + alpha·b, with broadcasting. */
export function add(a: Tensor, b: Operand, options: AlphaOptions = {}): Tensor {
  const alpha = options.alpha ?? 1;
  const other = alpha === 1 ? asTensor(b, a) : mul(asTensor(b, a), alpha);
  const out = broadcastBinary(a, other, addInto);
  return record("AddBackward0", out, [a, other], (g) => [unbroadcast(g, a.shape), unbroadcast(g, other.shape)]);
}

/** a − alpha·b, with broadcasting. */
export function sub(a: Tensor, b: Operand, options: AlphaOptions = {}): Tensor {
  const alpha = options.alpha ?? 1;
  const other = alpha === 1 ? asTensor(b, a) : mul(asTensor(b, a), alpha);
  const out = broadcastBinary(a, other, subInto);
  return record("SubBackward0", out, [a, other], (g) => [unbroadcast(g, a.shape), unbroadcast(neg(g), other.shape)]);
}

/** a · b, elementwise with broadcasting. */
export function mul(a: Tensor, b: Operand): Tensor {
  const other = asTensor(b, a);
  const out = broadcastBinary(a, other, mulInto);
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

/** Makes `self.op_(other)`: an in-place binary op sharing the out-of-place op's gradient. */
function inPlaceBinary(kernelFn: BinaryFn, outOfPlace: (a: Tensor, b: Tensor) => Tensor): (self: Tensor, other: Operand) => Tensor {
  const kernel = binaryKernel(kernelFn);
  return (self, other) => {
    const b = asTensor(other, self);
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
);
const subInPlace = inPlaceBinary(
  (a, b) => a - b,
  (a, b) => sub(a, b),
);
export const mul_ = inPlaceBinary(
  (a, b) => a * b,
  (a, b) => mul(a, b),
);
export const div_ = inPlaceBinary(
  (a, b) => a / b,
  (a, b) => div(a, b),
);

/** self += alpha·other, in place. */
export const add_ = (self: Tensor, other: Operand, options: AlphaOptions = {}): Tensor =>
  addInPlace(self, options.alpha === undefined || options.alpha === 1 ? other : mul(asTensor(other, self), options.alpha));

/** self −= alpha·other, in place. */
export const sub_ = (self: Tensor, other: Operand, options: AlphaOptions = {}): Tensor =>
  subInPlace(self, options.alpha === undefined || options.alpha === 1 ? other : mul(asTensor(other, self), options.alpha));

const negInto = unaryKernel((x) => -x);

/** −x. */
export function neg(x: Tensor): Tensor {
  return record("NegBackward0", mapUnary(x, negInto), [x], (g) => [neg(g)]);
}
