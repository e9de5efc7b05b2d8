import ndarray from "ndarray";
import type { Float } from "./dtype.ts";
import type { View } from "./tensor.ts";

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
  factories[key] = new Function("ViewClass", `return (data, shape, stride, offset) => new ViewClass(data, ${args});`)(
    first.constructor,
  ) as MakeView;
  return first;
}
