import { type View, isContiguous } from "./view.ts";
import { specialise } from "./specialise.ts";

/** An elementwise function of one number. */
export type UnaryFn = (x: number) => number;
/** An elementwise function of two numbers. */
export type BinaryFn = (a: number, b: number) => number;

type Buffer = View["data"];

/** out[oo + i] = f(x[xo + i]) for i < n: the contiguous fast path. */
function unaryFlat(f: UnaryFn, o: Buffer, oo: number, x: Buffer, xo: number, n: number): void {
  for (let i = 0; i < n; i++) o[oo + i] = f(x[xo + i]!);
}

/**
 * The strided path: walks `shape` in row-major order, the last dimension in a plain loop
 * and the others with an index counter, stepping each operand by its own strides.
 */
function unaryStrided(f: UnaryFn, out: View, x: View, index: number[]): void {
  const o = out.data;
  const xd = x.data;
  const shape = out.shape;
  const nd = shape.length;
  if (nd === 0) {
    o[out.offset] = f(xd[x.offset]!);
    return;
  }
  const inner = shape[nd - 1]!;
  if (inner === 0 || out.size === 0) return;
  const so = out.stride[nd - 1]!;
  const sx = x.stride[nd - 1]!;
  let po = out.offset;
  let px = x.offset;
  for (let k = out.size / inner; k > 0; k--) {
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
}

/** out[oo + i] = f(a[ao + i], b[bo + i]) for i < n. */
function binaryFlat(f: BinaryFn, o: Buffer, oo: number, a: Buffer, ao: number, b: Buffer, bo: number, n: number): void {
  for (let i = 0; i < n; i++) o[oo + i] = f(a[ao + i]!, b[bo + i]!);
}

/** out[oo + i] = f(a[ao + i], s) for i < n: a tensor with a scalar operand. */
function binaryFlatScalar(f: BinaryFn, o: Buffer, oo: number, a: Buffer, ao: number, s: number, n: number): void {
  for (let i = 0; i < n; i++) o[oo + i] = f(a[ao + i]!, s);
}

/** out[oo + i] = f(s, b[bo + i]) for i < n: a single-number first operand (a gradient spread from a sum, times a tensor). */
function binaryScalarFlat(f: BinaryFn, o: Buffer, oo: number, s: number, b: Buffer, bo: number, n: number): void {
  for (let i = 0; i < n; i++) o[oo + i] = f(s, b[bo + i]!);
}

/**
 * out[r·n + j] = f(a[ao + r·n + j], b[bo + j]): a contiguous `a` with `b` repeated along
 * the leading dims (a bias added to every row), the commonest broadcast in a network.
 */
function binaryRows(f: BinaryFn, o: Buffer, oo: number, a: Buffer, ao: number, b: Buffer, bo: number, rows: number, n: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    for (let j = 0; j < n; j++) o[oo + base + j] = f(a[ao + base + j]!, b[bo + j]!);
  }
}

/** The strided path of a binary op (broadcast operands have stride 0). */
function binaryStrided(f: BinaryFn, out: View, a: View, b: View, index: number[]): void {
  const o = out.data;
  const ad = a.data;
  const bd = b.data;
  const shape = out.shape;
  const nd = shape.length;
  if (nd === 0) {
    o[out.offset] = f(ad[a.offset]!, bd[b.offset]!);
    return;
  }
  const inner = shape[nd - 1]!;
  if (inner === 0 || out.size === 0) return;
  const so = out.stride[nd - 1]!;
  const sa = a.stride[nd - 1]!;
  const sb = b.stride[nd - 1]!;
  let po = out.offset;
  let pa = a.offset;
  let pb = b.offset;
  for (let k = out.size / inner; k > 0; k--) {
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
}

/** True when every element of a view is the same number: stride 0 along every dim longer than 1 (a size-1 dim's stride is never used). */
function isScalarView(v: View): boolean {
  const { shape, stride } = v;
  for (let d = 0; d < shape.length; d++) if (stride[d] !== 0 && shape[d] !== 1) return false;
  return true;
}

/**
 * When a view is one contiguous row repeated along its leading dims (stride 0 there, then
 * row-major strides), the row's length; otherwise 0.
 */
function repeatedRowLength(v: View): number {
  const { shape, stride } = v;
  let d = shape.length;
  let expected = 1;
  while (d > 0 && (stride[d - 1] === expected || shape[d - 1] === 1)) {
    expected *= shape[d - 1]!;
    d--;
  }
  if (d === shape.length || expected <= 1) return 0;
  for (let k = 0; k < d; k++) if (stride[k] !== 0 && shape[k] !== 1) return 0;
  return expected;
}

/**
 * One set of loop copies per combination of array types (Float32Array or Float64Array for
 * each operand), made on first use: a loop that sees both types at one access goes
 * polymorphic and runs several times slower. Fixed arity, no rest array: this runs on
 * every kernel call.
 */
function perDtype<T>(make: () => T): (o: Buffer, x: Buffer, y?: Buffer) => T {
  const cache: (T | undefined)[] = [];
  return (o, x, y) => {
    const key = (o instanceof Float64Array ? 1 : 0) | (x instanceof Float64Array ? 2 : 0) | (y instanceof Float64Array ? 4 : 0);
    return (cache[key] ??= make());
  };
}

/**
 * Makes `mapInto(out, x)`: out[i] = f(x[i]) for views of the same shape. Contiguous views
 * take one flat loop; others walk the last dimension with strides. Each kernel gets its
 * own copies of the loops (see `specialise`), so `f` is inlined.
 */
export function unaryKernel(f: UnaryFn): (out: View, x: View) => View {
  const loops = perDtype(() => ({ flat: specialise(unaryFlat), strided: specialise(unaryStrided) }));
  return (out, x) => {
    const { flat, strided } = loops(out.data, x.data);
    if (isContiguous(out) && isContiguous(x)) flat(f, out.data, out.offset, x.data, x.offset, out.size);
    else strided(f, out, x, new Array<number>(out.shape.length).fill(0));
    return out;
  };
}

/**
 * Makes `zipInto(out, a, b)`: out[i] = f(a[i], b[i]) for views of out's shape (broadcast
 * inputs arrive as stride-0 views from `expandView`). Fast paths: all contiguous, a
 * contiguous `a` with a single-number `b` (a scalar operand) or with a repeated row, and a
 * single-number `a` with a contiguous `b`; otherwise strided.
 */
export function binaryKernel(f: BinaryFn): (out: View, a: View, b: View) => View {
  const loops = perDtype(() => ({
    flat: specialise(binaryFlat),
    flatScalar: specialise(binaryFlatScalar),
    scalarFlat: specialise(binaryScalarFlat),
    rows: specialise(binaryRows),
    strided: specialise(binaryStrided),
  }));
  return (out, a, b) => {
    const { flat, flatScalar, scalarFlat, rows, strided } = loops(out.data, a.data, b.data);
    if (isContiguous(out) && isContiguous(a)) {
      if (isContiguous(b)) {
        flat(f, out.data, out.offset, a.data, a.offset, b.data, b.offset, out.size);
        return out;
      }
      if (isScalarView(b)) {
        flatScalar(f, out.data, out.offset, a.data, a.offset, b.data[b.offset]!, out.size);
        return out;
      }
      const n = repeatedRowLength(b);
      if (n > 0) {
        rows(f, out.data, out.offset, a.data, a.offset, b.data, b.offset, out.size / n, n);
        return out;
      }
    } else if (isContiguous(out) && isContiguous(b) && isScalarView(a)) {
      scalarFlat(f, out.data, out.offset, a.data[a.offset]!, b.data, b.offset, out.size);
      return out;
    }
    strided(f, out, a, b, new Array<number>(out.shape.length).fill(0));
    return out;
  };
}

/** Copies `x` into `out` (same shape, any strides), converting dtype as the arrays store. */
export const copyInto = unaryKernel((x) => x);

const fillStrided = specialise(unaryStrided);

/** Sets every element of `out` (any strides) to `value`. */
export function fillInto(out: View, value: number): View {
  if (isContiguous(out)) out.data.fill(value, out.offset, out.offset + out.size);
  else fillStrided(() => value, out, out, new Array<number>(out.shape.length).fill(0));
  return out;
}

/**
 * Sets out[k] = value(k) for k = 0, 1, … in row-major order of `out` (any strides): `value`
 * is called once per element, in that order, so a random draw inside it lands where a
 * contiguous fill would put it.
 */
export function fillIndexedInto(out: View, value: (k: number) => number): View {
  const buffer = out.data;
  if (isContiguous(out)) {
    for (let k = 0; k < out.size; k++) buffer[out.offset + k] = value(k);
    return out;
  }
  const { shape, stride } = out;
  let k = 0;
  const walk = (dim: number, offset: number): void => {
    if (dim === shape.length) {
      buffer[offset] = value(k++);
      return;
    }
    for (let i = 0; i < shape[dim]!; i++) walk(dim + 1, offset + i * stride[dim]!);
  };
  walk(0, out.offset);
  return out;
}
