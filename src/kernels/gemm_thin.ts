import type { Blocks, StridedMatrix } from "./gemm_operands.ts";
import type { Float } from "./view.ts";

/**
 * The products of `gemm` (src/kernels/matmul.ts) that copy nothing, for thin shapes: a
 * vector or two times a matrix, a matrix times a vector, and every product small enough
 * that packing would cost more than it saves. Each output is one float64 sum over p in
 * order, in blocks of KC terms each added to C, as the packed kernel sums: so every shape
 * gets the same bits whichever kernel runs it.
 *
 * Products with k ≤ 2 run {@link shallow} whatever their size.
 *
 * `thinKernels` makes the two axpy products (a vector times a matrix, a matrix times a
 * vector), with their sums buffer as a constant of the closure: each row (column) of C is
 * summed as the unit-stride rows of B (columns of A) scaled by A[i][p] (B[p][j]), p in
 * order within each KC-block, four k-steps per pass over the sums (`src` is a parameter,
 * so each pass re-checks it once per element, not once per product). `gemm` makes one
 * private copy of it (see `specialise`) and of {@link dots} per dtype, so each loop reads
 * one array type.
 */
export function thinKernels(blocks: Blocks) {
  const { KC, AXPY } = blocks;
  // sums of one KC-block for a row of C (rowsByAxpy) or a column (colsByAxpy), float64
  const sums = new Float64Array(AXPY);

  /** sums[t] += x0·src[q + t] + x1·src[q + rs + t] + x2·… + x3·…, left to right, for t < count. */
  function axpyRight4(count: number, x0: number, x1: number, x2: number, x3: number, src: Float, q: number, rs: number): void {
    const q1 = q + rs;
    const q2 = q1 + rs;
    const q3 = q2 + rs;
    for (let t = 0; t < count; t++) sums[t] = sums[t]! + x0 * src[q + t]! + x1 * src[q1 + t]! + x2 * src[q2 + t]! + x3 * src[q3 + t]!;
  }

  /** sums[t] += x · src[q + t] for t < count. */
  function axpyRight(count: number, x: number, src: Float, q: number): void {
    for (let t = 0; t < count; t++) sums[t] = sums[t]! + x * src[q + t]!;
  }

  /** The same as {@link axpyRight4} with the factors swapped (A's factor first, as every kernel multiplies). */
  function axpyLeft4(count: number, x0: number, x1: number, x2: number, x3: number, src: Float, q: number, cs: number): void {
    const q1 = q + cs;
    const q2 = q1 + cs;
    const q3 = q2 + cs;
    for (let t = 0; t < count; t++) sums[t] = sums[t]! + src[q + t]! * x0 + src[q1 + t]! * x1 + src[q2 + t]! * x2 + src[q3 + t]! * x3;
  }

  /** sums[t] += src[q + t] · x for t < count. */
  function axpyLeft(count: number, x: number, src: Float, q: number): void {
    for (let t = 0; t < count; t++) sums[t] = sums[t]! + src[q + t]! * x;
  }

  /** The product for fewer rows than a tile (a vector times a matrix) with B's rows unit-stride. */
  function rowsByAxpy(m: number, n: number, k: number, a: StridedMatrix, b: StridedMatrix, c: StridedMatrix, accumulate: boolean): void {
    const A = a.data;
    for (let jc = 0; jc < n; jc += AXPY) {
      const nc = Math.min(AXPY, n - jc);
      for (let i = 0; i < m; i++) {
        for (let pc = 0; pc < k; pc += KC) {
          const kc = Math.min(KC, k - pc);
          sums.fill(0, 0, nc);
          const at = a.offset + i * a.rowStride;
          const acs = a.colStride;
          const brs = b.rowStride;
          let p = pc;
          for (; p + 4 <= pc + kc; p += 4) {
            const x = at + p * acs;
            axpyRight4(nc, A[x]!, A[x + acs]!, A[x + 2 * acs]!, A[x + 3 * acs]!, b.data, b.offset + p * brs + jc, brs);
          }
          for (; p < pc + kc; p++) axpyRight(nc, A[at + p * acs]!, b.data, b.offset + p * brs + jc);
          const [C, add] = [c.data, accumulate || pc > 0];
          for (let t = 0, at = c.offset + i * c.rowStride + jc * c.colStride; t < nc; t++, at += c.colStride) C[at] = (add ? C[at]! : 0) + sums[t]!;
        }
      }
    }
  }

  /** The same for a single column of C (a matrix times a vector) with A's columns unit-stride. */
  function colsByAxpy(m: number, k: number, a: StridedMatrix, b: StridedMatrix, c: StridedMatrix, accumulate: boolean): void {
    const B = b.data;
    for (let ic = 0; ic < m; ic += AXPY) {
      const mc = Math.min(AXPY, m - ic);
      for (let pc = 0; pc < k; pc += KC) {
        const kc = Math.min(KC, k - pc);
        sums.fill(0, 0, mc);
        const brs = b.rowStride;
        const acs = a.colStride;
        let p = pc;
        for (; p + 4 <= pc + kc; p += 4) {
          const y = b.offset + p * brs;
          axpyLeft4(mc, B[y]!, B[y + brs]!, B[y + 2 * brs]!, B[y + 3 * brs]!, a.data, a.offset + ic + p * acs, acs);
        }
        for (; p < pc + kc; p++) axpyLeft(mc, B[b.offset + p * brs]!, a.data, a.offset + ic + p * acs);
        const [C, add] = [c.data, accumulate || pc > 0];
        for (let t = 0, at = c.offset + ic * c.rowStride; t < mc; t++, at += c.rowStride) C[at] = (add ? C[at]! : 0) + sums[t]!;
      }
    }
  }

  return { rowsByAxpy, colsByAxpy };
}

/**
 * One float64 sum per output over p in order, in blocks of `block` terms (each block
 * added to C, as the packed kernel adds its KC-blocks; `block` ≥ k for the small sizes,
 * which sum in one go). Reads A's rows and B's columns in place, four outputs of a row of C
 * at a time (or of a column, when C has fewer than 4 columns), one sum each.
 */
export function dots(m: number, n: number, k: number, a: StridedMatrix, b: StridedMatrix, c: StridedMatrix, accumulate: boolean, block: number): void {
  const A = a.data;
  const B = b.data;
  const C = c.data;
  const { rowStride: ars, colStride: acs } = a;
  const { rowStride: brs, colStride: bcs } = b;
  const alongJ = n >= 4;
  const outer = alongJ ? m : n;
  const inner = alongJ ? n : m;
  // the steps from one output of a group of 4 to the next, in A, B and C
  const da = alongJ ? 0 : ars;
  const db = alongJ ? bcs : 0;
  const dc = alongJ ? c.colStride : c.rowStride;
  for (let pc = 0; pc < k; pc += block) {
    const kc = Math.min(block, k - pc);
    const add = accumulate || pc > 0;
    for (let u = 0; u < outer; u++) {
      for (let v = 0; v < inner; ) {
        const i = alongJ ? u : v;
        const j = alongJ ? v : u;
        let pa = a.offset + i * ars + pc * acs;
        let pb = b.offset + pc * brs + j * bcs;
        const at = c.offset + i * c.rowStride + j * c.colStride;
        if (v + 4 <= inner) {
          let s0 = 0;
          let s1 = 0;
          let s2 = 0;
          let s3 = 0;
          // the factor the four outputs share is read once per step
          if (alongJ) {
            for (let p = 0; p < kc; p++, pa += acs, pb += brs) {
              const x = A[pa]!;
              s0 += x * B[pb]!;
              s1 += x * B[pb + db]!;
              s2 += x * B[pb + 2 * db]!;
              s3 += x * B[pb + 3 * db]!;
            }
          } else {
            for (let p = 0; p < kc; p++, pa += acs, pb += brs) {
              const y = B[pb]!;
              s0 += A[pa]! * y;
              s1 += A[pa + da]! * y;
              s2 += A[pa + 2 * da]! * y;
              s3 += A[pa + 3 * da]! * y;
            }
          }
          C[at] = add ? C[at]! + s0 : s0;
          C[at + dc] = add ? C[at + dc]! + s1 : s1;
          C[at + 2 * dc] = add ? C[at + 2 * dc]! + s2 : s2;
          C[at + 3 * dc] = add ? C[at + 3 * dc]! + s3 : s3;
          v += 4;
        } else {
          let sum = 0;
          for (let p = 0; p < kc; p++, pa += acs, pb += brs) sum += A[pa]! * B[pb]!;
          C[at] = add ? C[at]! + sum : sum;
          v += 1;
        }
      }
    }
  }
}

/**
 * The product for k = 1 or 2 (an outer product, or a first layer with two inputs): each
 * output's sum written out, row by row of C, with A[i][0] (and A[i][1]) read once per row:
 *
 * ```text
 * C[i][j] ← (accumulate ? C[i][j] : 0) + (0 + A[i][0]·B[0][j] + A[i][1]·B[1][j])   the second term when k = 2
 * ```
 * the same float64 sum, left to right from 0, that every other kernel makes, so the same
 * bits; a product this shallow does nothing but write C, and {@link dots} spent more on its
 * groups of four than on their two multiply-adds.
 */
export function shallow(m: number, n: number, k: number, a: StridedMatrix, b: StridedMatrix, c: StridedMatrix, accumulate: boolean): void {
  const A = a.data;
  const B = b.data;
  const C = c.data;
  const { rowStride: brs, colStride: bcs } = b;
  const ccs = c.colStride;
  for (let i = 0; i < m; i++) {
    const ai = a.offset + i * a.rowStride;
    const x0 = A[ai]!;
    const x1 = k === 2 ? A[ai + a.colStride]! : 0;
    let q = b.offset;
    let at = c.offset + i * c.rowStride;
    if (k === 1) {
      if (accumulate) for (let j = 0; j < n; j++, q += bcs, at += ccs) C[at] = C[at]! + (0 + x0 * B[q]!);
      else for (let j = 0; j < n; j++, q += bcs, at += ccs) C[at] = 0 + x0 * B[q]!;
    } else if (accumulate) {
      for (let j = 0; j < n; j++, q += bcs, at += ccs) C[at] = C[at]! + (0 + x0 * B[q]! + x1 * B[q + brs]!);
    } else {
      for (let j = 0; j < n; j++, q += bcs, at += ccs) C[at] = 0 + x0 * B[q]! + x1 * B[q + brs]!;
    }
  }
}

/** The thin products of one dtype: the axpy pair and private copies of {@link dots} and {@link shallow}. */
export type ThinKernels = ReturnType<typeof thinKernels> & { dots: typeof dots; shallow: typeof shallow };
