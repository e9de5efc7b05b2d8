import { expandView } from "../kernels/broadcast.ts";
import { type DType, promoteTypes } from "../tensor/dtype.ts";
import { castTo } from "./copy.ts";
import { type Tensor, emptyTensor, normalizeDim } from "../tensor/tensor.ts";

/** A tensor, or a number used as a scalar operand (it takes the tensor's dtype, as in PyTorch). */
export type Operand = Tensor | number;

/** A 0-d tensor holding `value` in `dtype`. */
export function scalarTensor(value: number, dtype: DType): Tensor {
  const t = emptyTensor(dtype, []);
  t.data.data[0] = value;
  return t;
}

/** The operand as a tensor: a number becomes a 0-d tensor of `like`'s dtype. */
export const asTensor = (x: Operand, like: Tensor): Tensor =>
  typeof x === "number" ? scalarTensor(x, like.dtype === "int64" && !Number.isInteger(x) ? "float32" : like.dtype) : x;

/** The dtype of an elementwise result: PyTorch's promotion, with integers becoming float32 for float ops. */
export function floatResultType(a: DType, b: DType): DType {
  const t = promoteTypes(a, b);
  return t === "int64" ? "float32" : t;
}

/**
 * The dtype of an op that keeps integers integral (add, sub, mul, maximum, clamp, neg, abs,
 * …): PyTorch's promotion as it is, so int64 with int64 stays int64. gradlab holds int64 in
 * a Float64Array, so its integer results are exact while they stay within ±2^53 (PyTorch
 * wraps around at 2^63).
 */
export const integralResultType = (a: DType, b: DType): DType => promoteTypes(a, b);

/** PyTorch's name of a dtype in casting errors ("result type Float can't be cast …"). */
const SCALAR_TYPE_NAMES: Record<DType, string> = { float32: "Float", float64: "Double", int64: "Long" };

/**
 * PyTorch's refusal of an in-place op whose result type cannot be stored in `self` (an
 * int64 tensor receiving a floating result); thrown before anything is written. `selfName`
 * where PyTorch's kernel names the type in C++ (clamp_ says "long int").
 */
export function checkInPlaceResultType(self: DType, result: DType, selfName = SCALAR_TYPE_NAMES[self]): void {
  if (self === "int64" && result !== "int64") {
    throw new Error(`result type ${SCALAR_TYPE_NAMES[result]} can't be cast to the desired output type ${selfName}`);
  }
}

/** Normalised, sorted, distinct dims of a `dim` argument (null or omitted means every dim). */
export function reductionDims(dim: number | readonly number[] | null | undefined, ndim: number): number[] {
  if (dim === null || dim === undefined) {
    const all: number[] = [];
    for (let d = 0; d < ndim; d++) all.push(d);
    return all;
  }
  const list = typeof dim === "number" ? [dim] : dim;
  const dims = list.map((d) => normalizeDim(d, ndim));
  // the common case, dims already in increasing order, needs no sorting
  let increasing = true;
  for (let i = 1; i < dims.length; i++) if (dims[i]! <= dims[i - 1]!) increasing = false;
  if (increasing) return ndim === 0 ? [] : dims;
  const distinct = [...new Set(dims)].sort((a, b) => a - b);
  if (distinct.length !== dims.length) {
    const repeated = dims.find((d, i) => dims.indexOf(d) !== i);
    throw new Error(`dim ${repeated} appears multiple times in the list of dims`);
  }
  return ndim === 0 ? [] : distinct;
}

/** The shape after reducing `dims`, keeping them as size 1 or dropping them. */
export function reducedShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  const out: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (!dims.includes(d)) out.push(shape[d]!);
    else if (keepdim) out.push(1);
  }
  return out;
}

/** `t`'s view broadcast to `shape` (stride 0 where broadcast). */
export const broadcastView = (t: Tensor, shape: readonly number[]) => expandView(t.data, shape);

/**
 * Applies a unary kernel into a fresh tensor: integer inputs give float32, as PyTorch's float
 * ops (exp, sigmoid, …), unless `keepIntegers` (neg, abs, sign, relu: int64 stays int64).
 */
export function mapUnary(x: Tensor, kernel: (out: Tensor["data"], x: Tensor["data"]) => unknown, keepIntegers = false): Tensor {
  const source = x.dtype === "int64" && !keepIntegers ? castTo(x, "float32") : x;
  const out = emptyTensor(source.dtype, source.shape);
  kernel(out.data, source.data);
  return out;
}
