import type { View } from "./view.ts";

/**
 * Reduction kernels: each folds the elements of `x` over the dims `dims` (sorted, distinct)
 * in one pass, accumulating in float64 (JavaScript numbers), and writes one result per
 * index of the kept dims, in row-major order, to the contiguous output(s).
 *
 * Every kernel walks the same plan: output k folds the elements at buffer positions
 * `first(k) + step(j)` for j < count, where first(k) is the position of the first element
 * reduced into output k and step(j) the offset from it of the j-th reduced element, in
 * row-major order of the reduced dims (so for one reduced dim, j is the index along it,
 * and for all dims, j is the flat index PyTorch's `argmax` reports).
 */
export interface ReductionPlan {
  /** How many outputs. */
  size: number;
  /** first(k) = outer[k]; null when the kept dims walk one stride: first(k) = start + k·outerStride. */
  outer: Int32Array | null;
  start: number;
  outerStride: number;
  /** step(j) = inner[j]; null when the reduced dims walk one stride: step(j) = j·innerStride. */
  inner: Int32Array | null;
  innerStride: number;
  /** How many elements fold into each output. */
  count: number;
}

/**
 * Merges dims that walk memory as one (stride[d] = stride[d+1]·shape[d+1]) and drops dims of
 * size 1, keeping row-major order: the stride of the single dim left, or null if more remain.
 */
function singleStride(shape: readonly number[], stride: readonly number[]): number | null {
  let single: number | null = 1;
  let span = -1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] === 1) continue;
    if (span === -1) single = stride[d]!;
    else if (stride[d] !== span) return null;
    span = stride[d]! * shape[d]!;
  }
  return single;
}

/** Buffer offsets of every index of `shape` under `stride`, in row-major order, from `start`. */
export function stridedOffsets(shape: readonly number[], stride: readonly number[], start: number): Int32Array {
  let size = 1;
  for (const s of shape) size *= s;
  const out = new Int32Array(size);
  if (size === 0) return out;
  const nd = shape.length;
  const index = new Array<number>(nd).fill(0);
  let p = start;
  for (let k = 0; k < size; k++) {
    out[k] = p;
    for (let d = nd - 1; d >= 0; d--) {
      p += stride[d]!;
      if (++index[d]! < shape[d]!) break;
      p -= stride[d]! * shape[d]!;
      index[d] = 0;
    }
  }
  return out;
}

/**
 * The plan of a reduction of `x` over `dims`. The common layouts (a contiguous tensor
 * reduced over leading, trailing or all dims, as a bias gradient sums a batch) need no
 * offset tables: the plan then allocates nothing.
 */
export function reductionPlan(x: View, dims: readonly number[]): ReductionPlan {
  const keptShape: number[] = [];
  const keptStride: number[] = [];
  const shape: number[] = [];
  const stride: number[] = [];
  for (let d = 0; d < x.shape.length; d++) {
    const reduced = dims.includes(d);
    (reduced ? shape : keptShape).push(x.shape[d]!);
    (reduced ? stride : keptStride).push(x.stride[d]!);
  }
  let size = 1;
  for (const s of keptShape) size *= s;
  let count = 1;
  for (const s of shape) count *= s;
  const outerStride = singleStride(keptShape, keptStride);
  const innerStride = singleStride(shape, stride);
  return {
    size,
    outer: outerStride === null ? stridedOffsets(keptShape, keptStride, x.offset) : null,
    start: x.offset,
    outerStride: outerStride ?? 0,
    inner: innerStride === null ? stridedOffsets(shape, stride, 0) : null,
    innerStride: innerStride ?? 0,
    count,
  };
}

/**
 * out[k] = Σ_j x[first(k) + step(j)], each sum in order of j. When both walks are single
 * strides (a bias gradient: a batch summed column by column), four outputs are summed side
 * by side, each in its own accumulator in the same order: the same bits, without every add
 * waiting on the one before it (a 128×256 batch sum is latency-bound otherwise).
 */
export function sumInto(out: View, x: View, dims: readonly number[]): View {
  const { size, outer, start, outerStride, inner, innerStride, count: n } = reductionPlan(x, dims);
  const o = out.data;
  const xd = x.data;
  let k = 0;
  if (outer === null && inner === null) {
    for (; k + 4 <= size; k += 4) {
      const b = start + k * outerStride;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let j = 0, p = b; j < n; j++, p += innerStride) {
        a0 += xd[p]!;
        a1 += xd[p + outerStride]!;
        a2 += xd[p + 2 * outerStride]!;
        a3 += xd[p + 3 * outerStride]!;
      }
      o[out.offset + k] = a0;
      o[out.offset + k + 1] = a1;
      o[out.offset + k + 2] = a2;
      o[out.offset + k + 3] = a3;
    }
  }
  for (; k < size; k++) {
    const base = outer === null ? start + k * outerStride : outer[k]!;
    let acc = 0;
    for (let j = 0; j < n; j++) acc += xd[base + (inner === null ? j * innerStride : inner[j]!)]!;
    o[out.offset + k] = acc;
  }
  return out;
}

/** out[k] = (Σ_j x_j) / n. */
export function meanInto(out: View, x: View, dims: readonly number[]): View {
  const { size, outer, start, outerStride, inner, innerStride, count: n } = reductionPlan(x, dims);
  const o = out.data;
  const xd = x.data;
  for (let k = 0; k < size; k++) {
    const base = outer === null ? start + k * outerStride : outer[k]!;
    let acc = 0;
    for (let j = 0; j < n; j++) acc += xd[base + (inner === null ? j * innerStride : inner[j]!)]!;
    o[out.offset + k] = acc / n;
  }
  return out;
}

/**
 * The variance (or, with `sqrt`, the standard deviation) by Welford's single pass:
 *
 * ```text
 * for j = 1 … n:   δ = x_j − μ;  μ ← μ + δ / j;  M2 ← M2 + δ·(x_j − μ)
 * var = M2 / max(0, n − correction)                (0/0 = NaN, M2/0 = ∞, as PyTorch)
 * ```
 */
export function varInto(out: View, x: View, dims: readonly number[], correction: number, sqrt: boolean): View {
  const { size, outer, start, outerStride, inner, innerStride, count: n } = reductionPlan(x, dims);
  const o = out.data;
  const xd = x.data;
  const divisor = Math.max(0, n - correction);
  for (let k = 0; k < size; k++) {
    const base = outer === null ? start + k * outerStride : outer[k]!;
    let mean = 0;
    let m2 = 0;
    for (let j = 0; j < n; j++) {
      const v = xd[base + (inner === null ? j * innerStride : inner[j]!)]!;
      const delta = v - mean;
      mean += delta / (j + 1);
      m2 += delta * (v - mean);
    }
    const variance = m2 / divisor;
    o[out.offset + k] = sqrt ? Math.sqrt(variance) : variance;
  }
  return out;
}

/**
 * The largest (or, with `smallest`, the smallest) element and the position j of its first
 * occurrence; a NaN wins over numbers (the first NaN), as PyTorch propagates NaN.
 * `indices` may be null when only the values are wanted (`amax`).
 */
export function extremumInto(values: View | null, indices: View | null, x: View, dims: readonly number[], smallest: boolean): void {
  const { size, outer, start, outerStride, inner, innerStride, count: n } = reductionPlan(x, dims);
  const xd = x.data;
  const sign = smallest ? -1 : 1;
  for (let k = 0; k < size; k++) {
    const base = outer === null ? start + k * outerStride : outer[k]!;
    let best = xd[base + (inner === null ? 0 : inner[0]!)]!;
    let at = 0;
    if (best === best) {
      for (let j = 1; j < n; j++) {
        const v = xd[base + (inner === null ? j * innerStride : inner[j]!)]!;
        if (v !== v) {
          best = v;
          at = j;
          break;
        }
        if (sign * v > sign * best) {
          best = v;
          at = j;
        }
      }
    }
    if (values !== null) values.data[values.offset + k] = best;
    if (indices !== null) indices.data[indices.offset + k] = at;
  }
}

/**
 * log Σ_j exp(x_j) in one pass, rescaling the running sum whenever the maximum grows:
 *
 * ```text
 * m ← −∞, s ← 0
 * for each x:  if x > m:  s ← s·exp(m − x) + 1;  m ← x      else  s ← s + exp(x − m)
 * out = m + log s
 * ```
 * (terms where x and m are the same infinity add nothing: an all −∞ row gives −∞, a +∞ gives +∞).
 */
export function logsumexpInto(out: View, x: View, dims: readonly number[]): View {
  const { size, outer, start, outerStride, inner, innerStride, count: n } = reductionPlan(x, dims);
  const o = out.data;
  const xd = x.data;
  for (let k = 0; k < size; k++) {
    const base = outer === null ? start + k * outerStride : outer[k]!;
    let m = -Infinity;
    let s = 0;
    for (let j = 0; j < n; j++) {
      const v = xd[base + (inner === null ? j * innerStride : inner[j]!)]!;
      if (v > m) {
        s = s * Math.exp(m - v) + 1;
        m = v;
      } else if (v !== m) {
        s += Math.exp(v - m);
      } else if (m !== Infinity && m !== -Infinity) {
        s += 1;
      }
    }
    o[out.offset + k] = m === Infinity ? (s === s ? Infinity : NaN) : m + Math.log(s);
  }
  return out;
}

/**
 * The vector p-norm over the reduced elements, as `torch.linalg.vector_norm` defines it:
 *
 * ```text
 * p = 2:    √(Σ x²)          p = 1:   Σ |x|          p = 0: #{x ≠ 0}
 * p = ∞:    max |x|          p = −∞:  min |x|
 * other p:  (Σ |x|^p)^(1/p)
 * ```
 */
export function normInto(out: View, x: View, dims: readonly number[], p: number): View {
  const { size, outer, start, outerStride, inner, innerStride, count: n } = reductionPlan(x, dims);
  const o = out.data;
  const xd = x.data;
  for (let k = 0; k < size; k++) {
    const base = outer === null ? start + k * outerStride : outer[k]!;
    let acc = p === -Infinity ? Infinity : 0;
    if (p === 2) {
      for (let j = 0; j < n; j++) {
        const v = xd[base + (inner === null ? j * innerStride : inner[j]!)]!;
        acc += v * v;
      }
      acc = Math.sqrt(acc);
    } else if (p === 1) {
      for (let j = 0; j < n; j++) acc += Math.abs(xd[base + (inner === null ? j * innerStride : inner[j]!)]!);
    } else if (p === 0) {
      for (let j = 0; j < n; j++) if (xd[base + (inner === null ? j * innerStride : inner[j]!)] !== 0) acc += 1;
    } else if (p === Infinity || p === -Infinity) {
      for (let j = 0; j < n; j++) {
        const a = Math.abs(xd[base + (inner === null ? j * innerStride : inner[j]!)]!);
        if (a !== a || (p === Infinity ? a > acc : a < acc)) acc = a;
        if (a !== a) break;
      }
    } else {
      for (let j = 0; j < n; j++) acc += Math.abs(xd[base + (inner === null ? j * innerStride : inner[j]!)]!) ** p;
      acc = acc ** (1 / p);
    }
    o[out.offset + k] = acc;
  }
  return out;
}
