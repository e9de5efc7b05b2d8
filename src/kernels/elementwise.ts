import type { View } from "../tensor/tensor.ts";
import { isContiguous } from "../tensor/tensor.ts";

/** An elementwise function of one number. */
export type UnaryFn = (x: number) => number;
/** An elementwise function of two numbers. */
export type BinaryFn = (a: number, b: number) => number;

/**
 * Makes `mapInto(out, x)`: out[i] = f(x[i]) for views of the same shape. Each call of
 * this factory makes its own closure, so V8 specialises and inlines `f` in each kernel.
 * Contiguous views take one flat loop; others walk the last dimension with strides.
 */
export function unaryKernel(f: UnaryFn): (out: View, x: View) => View {
  return (out, x) => {
    const o = out.data;
    const xd = x.data;
    if (isContiguous(out) && isContiguous(x)) {
      const n = out.size;
      const oo = out.offset;
      const xo = x.offset;
      for (let i = 0; i < n; i++) o[oo + i] = f(xd[xo + i]!);
      return out;
    }
    const shape = out.shape;
    const nd = shape.length;
    if (nd === 0) {
      o[out.offset] = f(xd[x.offset]!);
      return out;
    }
    const inner = shape[nd - 1]!;
    const so = out.stride[nd - 1]!;
    const sx = x.stride[nd - 1]!;
    const index = new Array<number>(nd).fill(0);
    let po = out.offset;
    let px = x.offset;
    for (let k = out.size / Math.max(inner, 1); k > 0 && inner > 0; k--) {
      for (let i = 0; i < inner; i++) o[po + i * so] = f(xd[px + i * sx]!);
      for (let d = nd - 2; d >= 0; d--) {
        po += out.stride[d]!;
        px += x.stride[d]!;
        if (++index[d]! < shape[d]!) break;
        po -= out.stride[d]! * shape[d]!;
        px -= x.stride[d]! * shape[d]!;
        index[d] = 0;
      }
    }
    return out;
  };
}

/**
 * Makes `zipInto(out, a, b)`: out[i] = f(a[i], b[i]) for views of out's shape (broadcast
 * inputs arrive as stride-0 views from `expandView`). Fast paths: all contiguous, and a
 * contiguous `a` with a single-number `b` (a scalar operand).
 */
export function binaryKernel(f: BinaryFn): (out: View, a: View, b: View) => View {
  return (out, a, b) => {
    const o = out.data;
    const ad = a.data;
    const bd = b.data;
    const n = out.size;
    if (isContiguous(out) && isContiguous(a)) {
      const oo = out.offset;
      const ao = a.offset;
      if (isContiguous(b)) {
        const bo = b.offset;
        for (let i = 0; i < n; i++) o[oo + i] = f(ad[ao + i]!, bd[bo + i]!);
        return out;
      }
      if (b.stride.every((s) => s === 0)) {
        const scalar = bd[b.offset]!;
        for (let i = 0; i < n; i++) o[oo + i] = f(ad[ao + i]!, scalar);
        return out;
      }
    }
    const shape = out.shape;
    const nd = shape.length;
    if (nd === 0) {
      o[out.offset] = f(ad[a.offset]!, bd[b.offset]!);
      return out;
    }
    const inner = shape[nd - 1]!;
    const so = out.stride[nd - 1]!;
    const sa = a.stride[nd - 1]!;
    const sb = b.stride[nd - 1]!;
    const index = new Array<number>(nd).fill(0);
    let po = out.offset;
    let pa = a.offset;
    let pb = b.offset;
    for (let k = n / Math.max(inner, 1); k > 0 && inner > 0; k--) {
      for (let i = 0; i < inner; i++) o[po + i * so] = f(ad[pa + i * sa]!, bd[pb + i * sb]!);
      for (let d = nd - 2; d >= 0; d--) {
        po += out.stride[d]!;
        pa += a.stride[d]!;
        pb += b.stride[d]!;
        if (++index[d]! < shape[d]!) break;
        po -= out.stride[d]! * shape[d]!;
        pa -= a.stride[d]! * shape[d]!;
        pb -= b.stride[d]! * shape[d]!;
        index[d] = 0;
      }
    }
    return out;
  };
}

/** Copies `x` into `out` (same shape, any strides), converting dtype as the arrays store. */
export const copyInto = unaryKernel((x) => x);
