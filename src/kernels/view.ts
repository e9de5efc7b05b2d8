import ndarray, { type NdArray } from "ndarray";

/** The typed arrays tensors live in: float32 in a `Float32Array`, float64 and int64 in a `Float64Array`. */
export type Float = Float32Array | Float64Array;

/** A strided view (shape, stride, offset) over a typed array: what every kernel reads and writes. */
export type View = NdArray<Float>;

type MakeView = (data: Float, shape: number[], stride: number[], offset: number) => View;

/** One view factory per (array type, number of dimensions), made on first use. */
const factories: (MakeView | undefined)[] = [];

/**
 * An `ndarray` view (shape, stride, offset) over `data`, as `ndarray(data, shape, stride,
 * offset)` makes it, without its per-call work: `ndarray()` identifies the array type by
 * `Object.prototype.toString` on every call, which showed as 7% of a tiny training step.
 * Here the view class is taken once from a first `ndarray()` call and then called directly.
 */
export function makeView(data: Float, shape: number[], stride: number[], offset: number): View {
  const key = shape.length * 2 + (data instanceof Float32Array ? 1 : 0);
  const make = factories[key];
  if (make !== undefined) return make(data, shape, stride, offset);
  const first = ndarray(data, shape, stride, offset);
  const dims = Array.from({ length: shape.length }, (_, i) => i);
  const args = [...dims.map((i) => `shape[${i}]`), ...dims.map((i) => `stride[${i}]`), "offset"].join(", ");
  factories[key] = new Function("ViewClass", `return (data, shape, stride, offset) => new ViewClass(data, ${args});`)(first.constructor) as MakeView;
  return first;
}

/** Row-major strides of a shape. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const stride = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    stride[d] = s;
    s *= shape[d]!;
  }
  return stride;
}

/** The number of elements of a shape. */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** True when a view's elements are in row-major order with no gaps (size-1 dims ignored). */
export function isContiguous(view: View): boolean {
  const { shape, stride } = view;
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && stride[d] !== expected) return false;
    expected *= shape[d]!;
  }
  return true;
}

/** Buffer positions of a view's elements in row-major order. */
export function bufferIndices(view: View): number[] {
  const out: number[] = [];
  const { shape, stride } = view;
  const walk = (dim: number, offset: number): void => {
    if (dim === shape.length) {
      out.push(offset);
      return;
    }
    for (let i = 0; i < shape[dim]!; i++) walk(dim + 1, offset + i * stride[dim]!);
  };
  walk(0, view.offset);
  return out;
}

/** The elements of a contiguous view as a typed array of its own length, sharing the buffer (no copy). */
export function contiguousElements(view: View): Float {
  const { data, offset, size } = view;
  return offset === 0 && data.length === size ? data : data.subarray(offset, offset + size);
}
