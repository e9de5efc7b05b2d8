import type { View } from "../tensor/tensor.ts";

/** How a reduction folds numbers: a start value, a step, and a final map (e.g. divide by n). */
export interface Reducer {
  init: number;
  step: (acc: number, x: number) => number;
  finish: (acc: number, count: number) => number;
}

/**
 * Makes `reduceInto(out, x, dims)`: for every index of the kept dimensions, folds the
 * elements of `x` over the reduced dimensions `dims` (sorted, distinct) in one pass, in
 * float64 (JavaScript numbers), then writes `finish(acc, count)` to the next element of
 * `out` (a contiguous view whose size is the product of the kept sizes).
 */
export function reduceKernel(r: Reducer): (out: View, x: View, dims: readonly number[]) => View {
  const { init, step, finish } = r;
  return (out, x, dims) => {
    const nd = x.shape.length;
    const kept: number[] = [];
    for (let d = 0; d < nd; d++) if (!dims.includes(d)) kept.push(d);
    const keptShape = kept.map((d) => x.shape[d]!);
    const keptStride = kept.map((d) => x.stride[d]!);
    const redShape = dims.map((d) => x.shape[d]!);
    const redStride = dims.map((d) => x.stride[d]!);
    let count = 1;
    for (const s of redShape) count *= s;
    const xd = x.data;
    const o = out.data;
    let po = out.offset;
    const outerIndex = new Array<number>(kept.length).fill(0);
    const innerIndex = new Array<number>(dims.length).fill(0);
    const nr = dims.length;
    // The last reduced dim is walked by a plain loop; the others by a counter.
    const innerSize = nr > 0 ? redShape[nr - 1]! : 1;
    const innerStride = nr > 0 ? redStride[nr - 1]! : 0;
    const outerCount = out.size;
    let base = x.offset;
    for (let k = 0; k < outerCount; k++) {
      let acc = init;
      if (count > 0) {
        let p = base;
        innerIndex.fill(0);
        for (let j = count / innerSize; j > 0; j--) {
          for (let i = 0; i < innerSize; i++) acc = step(acc, xd[p + i * innerStride]!);
          for (let d = nr - 2; d >= 0; d--) {
            p += redStride[d]!;
            if (++innerIndex[d]! < redShape[d]!) break;
            p -= redStride[d]! * redShape[d]!;
            innerIndex[d] = 0;
          }
        }
      }
      o[po++] = finish(acc, count);
      for (let d = kept.length - 1; d >= 0; d--) {
        base += keptStride[d]!;
        if (++outerIndex[d]! < keptShape[d]!) break;
        base -= keptStride[d]! * keptShape[d]!;
        outerIndex[d] = 0;
      }
    }
    return out;
  };
}

export const sumInto = reduceKernel({ init: 0, step: (acc, x) => acc + x, finish: (acc) => acc });
