import type { Float, View } from "./view.ts";
import { microKernel } from "./matmul_microkernel.ts";

/**
 * One operand of {@link gemm}: a strided matrix inside a typed array. Element (i, j) is
 * `data[offset + i·rowStride + j·colStride]`, so a transposed view is the same array with
 * the two strides swapped, and a broadcast (expanded) matrix has a zero stride.
 */
export interface StridedMatrix {
  data: Float;
  offset: number;
  rowStride: number;
  colStride: number;
}

// Block sizes (in elements). A micro-tile is MR×NR = 4×4 outputs held in 16 locals; a packed
// panel of A is MC×KC (256 KiB as float64, sized for L2) and a sliver of B is KC×NR (8 KiB, L1).
const MR = 4;
const NR = 4;
const KC = 256;
const MC = 128;
const NC = 2048;

/**
 * Below this many multiply-adds the packing costs more than it saves: a plain loop runs instead.
 * Both paths sum over p = 0 … k−1 in order in float64, so they agree to the last bit when k ≤ KC.
 */
const SMALL = 4096;

// Packed panels are float64 for both dtypes: the micro-kernel then reads a single array type
// (one source, monomorphic loads) and accumulates float32 products in float64.
const packedA = new Float64Array(MC * KC);
let packedB = new Float64Array(KC * NR);

/**
 * C ← A·B, or C ← C + A·B when `accumulate` is set, for an m×k matrix A and a k×n matrix B,
 * all three strided (any strides, zero included for A and B), float32 or float64.
 *
 * ```text
 * for i < m, j < n:   C[i][j] ← (accumulate ? C[i][j] : 0) + Σ_{p<k} A[i][p]·B[p][j]
 * ```
 * The sum is computed in float64 over blocks of KC = 256 terms, each block added to C
 * (so a float32 C is rounded once per block of 256 terms; PyTorch's float32 BLAS
 * accumulates in float32, so float32 results agree to about √k float32 ulps).
 *
 * Blocking follows Goto and van de Geijn (BLIS): for each NC-wide column panel of B and
 * KC-deep slice of k, the slice of B is packed into 4-column slivers; for each MC-tall row
 * panel of A, that panel is packed into 4-row slivers; a 4×4 register-blocked micro-kernel
 * then walks the packed slivers, so every load in the inner loop is unit-stride. Packing
 * zero-pads ragged edges, and the write-back stores only the valid part of each tile.
 * C must not overlap A or B.
 */
export function gemm(
  m: number,
  n: number,
  k: number,
  a: StridedMatrix,
  b: StridedMatrix,
  c: StridedMatrix,
  accumulate: boolean,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    if (!accumulate) fillMatrix(c, m, n, 0);
    return;
  }
  if (m * n * k <= SMALL) {
    gemmSmall(m, n, k, a, b, c, accumulate);
    return;
  }
  const packedBLength = KC * roundUp(Math.min(NC, n), NR);
  if (packedB.length < packedBLength) packedB = new Float64Array(packedBLength);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packPanelB(packedB, b, pc, jc, kc, nc);
      const add = accumulate || pc > 0;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packPanelA(packedA, a, ic, pc, mc, kc);
        macroKernel(mc, nc, kc, packedA, packedB, c.data, c.offset + ic * c.rowStride + jc * c.colStride, c.rowStride, c.colStride, add);
      }
    }
  }
}

const roundUp = (x: number, to: number): number => Math.ceil(x / to) * to;

/** Sets every element of an m×n strided matrix to `value`. */
function fillMatrix(c: StridedMatrix, m: number, n: number, value: number): void {
  const { data, offset, rowStride, colStride } = c;
  for (let i = 0; i < m; i++) {
    const row = offset + i * rowStride;
    for (let j = 0; j < n; j++) data[row + j * colStride] = value;
  }
}

/** The unblocked loop for small products: one float64 sum per output, over p in order. */
function gemmSmall(m: number, n: number, k: number, a: StridedMatrix, b: StridedMatrix, c: StridedMatrix, accumulate: boolean): void {
  const A = a.data;
  const B = b.data;
  const C = c.data;
  const { rowStride: ars, colStride: acs } = a;
  const { rowStride: brs, colStride: bcs } = b;
  for (let i = 0; i < m; i++) {
    const arow = a.offset + i * ars;
    const crow = c.offset + i * c.rowStride;
    for (let j = 0; j < n; j++) {
      let pa = arow;
      let pb = b.offset + j * bcs;
      let sum = 0;
      for (let p = 0; p < k; p++) {
        sum += A[pa]! * B[pb]!;
        pa += acs;
        pb += brs;
      }
      const at = crow + j * c.colStride;
      C[at] = accumulate ? C[at]! + sum : sum;
    }
  }
}

/**
 * Packs rows ic … ic+mc−1, columns pc … pc+kc−1 of A into 4-row slivers: sliver s holds, for
 * each p, the 4 numbers A[ic+4s+r][pc+p] (r = 0 … 3) side by side, zero past the last row.
 */
function packPanelA(dst: Float64Array, a: StridedMatrix, ic: number, pc: number, mc: number, kc: number): void {
  const src = a.data;
  const rs = a.rowStride;
  const cs = a.colStride;
  let q = 0;
  for (let i = 0; i < mc; i += MR) {
    const rows = Math.min(MR, mc - i);
    const base = a.offset + (ic + i) * rs + pc * cs;
    if (rows === MR) {
      let p0 = base;
      let p1 = base + rs;
      let p2 = base + 2 * rs;
      let p3 = base + 3 * rs;
      for (let p = 0; p < kc; p++) {
        dst[q] = src[p0]!;
        dst[q + 1] = src[p1]!;
        dst[q + 2] = src[p2]!;
        dst[q + 3] = src[p3]!;
        q += 4;
        p0 += cs;
        p1 += cs;
        p2 += cs;
        p3 += cs;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) dst[q + r] = r < rows ? src[base + r * rs + p * cs]! : 0;
        q += 4;
      }
    }
  }
}

/**
 * Packs rows pc … pc+kc−1, columns jc … jc+nc−1 of B into 4-column slivers: sliver s holds,
 * for each p, the 4 numbers B[pc+p][jc+4s+c] (c = 0 … 3), zero past the last column.
 */
function packPanelB(dst: Float64Array, b: StridedMatrix, pc: number, jc: number, kc: number, nc: number): void {
  const src = b.data;
  const rs = b.rowStride;
  const cs = b.colStride;
  let q = 0;
  for (let j = 0; j < nc; j += NR) {
    const cols = Math.min(NR, nc - j);
    let row = b.offset + pc * rs + (jc + j) * cs;
    if (cols === NR) {
      if (cs === 1) {
        // Row-major B: each sliver row is 4 adjacent numbers.
        for (let p = 0; p < kc; p++) {
          dst[q] = src[row]!;
          dst[q + 1] = src[row + 1]!;
          dst[q + 2] = src[row + 2]!;
          dst[q + 3] = src[row + 3]!;
          q += 4;
          row += rs;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          dst[q] = src[row]!;
          dst[q + 1] = src[row + cs]!;
          dst[q + 2] = src[row + 2 * cs]!;
          dst[q + 3] = src[row + 3 * cs]!;
          q += 4;
          row += rs;
        }
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let c = 0; c < NR; c++) dst[q + c] = c < cols ? src[row + c * cs]! : 0;
        q += 4;
        row += rs;
      }
    }
  }
}

/**
 * Multiplies a packed mc×kc panel of A by a packed kc×nc panel of B into C, one 4×4 tile at a
 * time: {@link microKernel} leaves the tile's 16 sums in `tile`, which are then added to
 * (`add`) or stored into C, only where the tile lies inside C.
 */
function macroKernel(
  mc: number,
  nc: number,
  kc: number,
  pa: Float64Array,
  pb: Float64Array,
  C: Float,
  cBase: number,
  crs: number,
  ccs: number,
  add: boolean,
): void {
  const t = tile;
  for (let j = 0; j < nc; j += NR) {
    const cols = nc - j < NR ? nc - j : NR;
    for (let i = 0; i < mc; i += MR) {
      microKernel(kc, pa, i * kc, pb, j * kc, t);
      const rows = mc - i < MR ? mc - i : MR;
      const c0 = cBase + i * crs + j * ccs;
      if (rows === MR && cols === NR) {
        const r0 = c0, r1 = c0 + crs, r2 = c0 + 2 * crs, r3 = c0 + 3 * crs;
        const s1 = ccs, s2 = 2 * ccs, s3 = 3 * ccs;
        if (add) {
          C[r0] = C[r0]! + t[0]!; C[r0 + s1] = C[r0 + s1]! + t[1]!; C[r0 + s2] = C[r0 + s2]! + t[2]!; C[r0 + s3] = C[r0 + s3]! + t[3]!;
          C[r1] = C[r1]! + t[4]!; C[r1 + s1] = C[r1 + s1]! + t[5]!; C[r1 + s2] = C[r1 + s2]! + t[6]!; C[r1 + s3] = C[r1 + s3]! + t[7]!;
          C[r2] = C[r2]! + t[8]!; C[r2 + s1] = C[r2 + s1]! + t[9]!; C[r2 + s2] = C[r2 + s2]! + t[10]!; C[r2 + s3] = C[r2 + s3]! + t[11]!;
          C[r3] = C[r3]! + t[12]!; C[r3 + s1] = C[r3 + s1]! + t[13]!; C[r3 + s2] = C[r3 + s2]! + t[14]!; C[r3 + s3] = C[r3 + s3]! + t[15]!;
        } else {
          C[r0] = t[0]!; C[r0 + s1] = t[1]!; C[r0 + s2] = t[2]!; C[r0 + s3] = t[3]!;
          C[r1] = t[4]!; C[r1 + s1] = t[5]!; C[r1 + s2] = t[6]!; C[r1 + s3] = t[7]!;
          C[r2] = t[8]!; C[r2 + s1] = t[9]!; C[r2 + s2] = t[10]!; C[r2 + s3] = t[11]!;
          C[r3] = t[12]!; C[r3 + s1] = t[13]!; C[r3 + s2] = t[14]!; C[r3 + s3] = t[15]!;
        }
      } else {
        for (let r = 0; r < rows; r++) {
          for (let s = 0; s < cols; s++) {
            const at = c0 + r * crs + s * ccs;
            C[at] = add ? C[at]! + t[r * NR + s]! : t[r * NR + s]!;
          }
        }
      }
    }
  }
}

/** The 16 sums of the current tile. */
const tile = new Float64Array(MR * NR);

/**
 * Batched matrix product over ndarray views, output first: for every batch index β,
 *
 * ```text
 * out[β] ← (accumulate ? out[β] : 0) + a[β] · b[β]     a[β]: m×k, b[β]: k×n, out[β]: m×n
 * ```
 * The three views share their leading (batch) shape; a broadcast operand is a view with
 * stride 0 on the broadcast dims, so no copy is made. An output with stride 0 on a batch dim
 * receives the sum over that dim (how a broadcast input's gradient is reduced); pass
 * `accumulate` with such an output, zero-filled. Two batch patterns run as one large product:
 * a `b` shared by every batch (its batch strides 0) whose batches of `a` and `out` stack into
 * taller matrices, and an `out` shared by every batch whose batches of `a` and `b` stack
 * along k.
 */
export function matmulInto<V extends View>(out: V, a: View, b: View, accumulate = false): V {
  const nd = out.shape.length;
  const batchDims = nd - 2;
  const m = out.shape[nd - 2]!;
  const n = out.shape[nd - 1]!;
  const k = a.shape[nd - 1]!;
  const A = matrixAt(a, nd);
  const B = matrixAt(b, nd);
  const C = matrixAt(out, nd);
  let batches = 1;
  for (let d = 0; d < batchDims; d++) batches *= out.shape[d]!;
  if (batches === 1) {
    gemm(m, n, k, A, B, C, accumulate);
    return out;
  }
  if (allZero(b.stride, batchDims) && stacksOnto(a, batchDims, nd - 2) && stacksOnto(out, batchDims, nd - 2)) {
    gemm(batches * m, n, k, A, B, C, accumulate);
    return out;
  }
  if (allZero(out.stride, batchDims) && stacksOnto(a, batchDims, nd - 1) && stacksOnto(b, batchDims, nd - 2)) {
    gemm(m, n, batches * k, A, B, C, accumulate);
    return out;
  }
  const index = new Array<number>(batchDims).fill(0);
  for (let t = 0; t < batches; t++) {
    gemm(m, n, k, A, B, C, accumulate);
    for (let d = batchDims - 1; d >= 0; d--) {
      A.offset += a.stride[d]!;
      B.offset += b.stride[d]!;
      C.offset += out.stride[d]!;
      if (++index[d]! < out.shape[d]!) break;
      A.offset -= a.stride[d]! * out.shape[d]!;
      B.offset -= b.stride[d]! * out.shape[d]!;
      C.offset -= out.stride[d]! * out.shape[d]!;
      index[d] = 0;
    }
  }
  return out;
}

/** The last two dims of a view as a strided matrix starting at its first element. */
const matrixAt = (v: View, nd: number): StridedMatrix => ({
  data: v.data,
  offset: v.offset,
  rowStride: v.stride[nd - 2]!,
  colStride: v.stride[nd - 1]!,
});

const allZero = (stride: readonly number[], count: number): boolean => {
  for (let d = 0; d < count; d++) if (stride[d] !== 0) return false;
  return true;
};

/**
 * True when the batch dims of `v` continue dim `into` with no gap, so that together they
 * walk one longer dim with `into`'s stride: stride[d] = stride[d+1]·shape[d+1] down to `into`.
 */
function stacksOnto(v: View, batchDims: number, into: number): boolean {
  const { shape, stride } = v;
  let expected = stride[into]! * shape[into]!;
  for (let d = batchDims - 1; d >= 0; d--) {
    if (shape[d] !== 1 && stride[d] !== expected) return false;
    expected *= shape[d]!;
  }
  return true;
}
