import type { Blocks, StridedMatrix } from "./gemm_operands.ts";
import type { Float } from "./view.ts";

/**
 * The products of `gemm` (src/kernels/matmul.ts) that copy nothing, for thin shapes: a
 * vector or two times a matrix, a matrix times a vector, and every product small enough
 * that packing would cost more than it saves. Each output is one float64 sum over p in
 * order, in blocks of KC terms each added to C, as the packed kernel sums: so every shape
 * gets the same bits whichever kernel runs it.
 *
 * `thinKernels` makes the two axpy products (a vector times a matrix, a matrix times a
 * vector, streaming the unit-stride operand), with their sums buffer as a constant of the
 * closure; `gemm` makes one private copy of it (see `specialise`) and of {@link dots} per
 * dtype, so each loop reads one array type.
 */
export function thinKernels(blocks: Blocks) {
  const { KC, AXPY } = blocks;
  /** Sums of one KC-block for a row of C (rowsByAxpy) or a column (colsByAxpy), float64. */
  const sums = new Float64Array(AXPY);

  /** sums[t] += x · src[q + t·step] for t < count. */
  function axpyRight(count: number, x: number, src: Float, q: number, step: number): void {
    for (let t = 0; t < count; t++, q += step) sums[t] = sums[t]! + x * src[q]!;
  }

  /** sums[t] += src[q + t·step] · x for t < count (the same products with A's factor first). */
  function axpyLeft(count: number, x: number, src: Float, q: number, step: number): void {
    for (let t = 0; t < count; t++, q += step) sums[t] = sums[t]! + src[q]! * x;
  }

  /** C[at + t·step] ← (add ? C : 0) + sums[t] for t < count. */
  function storeSums(count: number, C: Float, at: number, step: number, add: boolean): void {
    for (let t = 0; t < count; t++, at += step) C[at] = (add ? C[at]! : 0) + sums[t]!;
  }

  /**
   * The product for fewer rows than a tile (a vector times a matrix) with B's rows
   * unit-stride: each row of C is summed as B's rows scaled by A[i][p], p in order within
   * each KC-block, so every output gets the blocked kernel's sums in the same order.
   */
  function rowsByAxpy(m: number, n: number, k: number, a: StridedMatrix, b: StridedMatrix, c: StridedMatrix, accumulate: boolean): void {
    const A = a.data;
    for (let jc = 0; jc < n; jc += AXPY) {
      const nc = Math.min(AXPY, n - jc);
      for (let i = 0; i < m; i++) {
        for (let pc = 0; pc < k; pc += KC) {
          const kc = Math.min(KC, k - pc);
          sums.fill(0, 0, nc);
          for (let p = pc; p < pc + kc; p++) axpyRight(nc, A[a.offset + i * a.rowStride + p * a.colStride]!, b.data, b.offset + p * b.rowStride + jc, 1);
          storeSums(nc, c.data, c.offset + i * c.rowStride + jc * c.colStride, c.colStride, accumulate || pc > 0);
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
        for (let p = pc; p < pc + kc; p++) axpyLeft(mc, B[b.offset + p * b.rowStride]!, a.data, a.offset + ic + p * a.colStride, 1);
        storeSums(mc, c.data, c.offset + ic * c.rowStride, c.rowStride, accumulate || pc > 0);
      }
    }
  }

  return { rowsByAxpy, colsByAxpy };
}

/**
 * One float64 sum per output over p in order, in blocks of `block` terms (each block
 * added to C, as the packed kernel adds its KC-blocks; `block` ≥ k for the small sizes,
 * which sum in one go). Reads A's rows and B's columns in place.
 */
export function dots(m: number, n: number, k: number, a: StridedMatrix, b: StridedMatrix, c: StridedMatrix, accumulate: boolean, block: number): void {
  const A = a.data;
  const B = b.data;
  const C = c.data;
  const { rowStride: ars, colStride: acs } = a;
  const { rowStride: brs, colStride: bcs } = b;
  for (let pc = 0; pc < k; pc += block) {
    const kc = Math.min(block, k - pc);
    const add = accumulate || pc > 0;
    for (let i = 0; i < m; i++) {
      const arow = a.offset + i * ars + pc * acs;
      const crow = c.offset + i * c.rowStride;
      for (let j = 0; j < n; j++) {
        let pa = arow;
        let pb = b.offset + pc * brs + j * bcs;
        let sum = 0;
        for (let p = 0; p < kc; p++) {
          sum += A[pa]! * B[pb]!;
          pa += acs;
          pb += brs;
        }
        const at = crow + j * c.colStride;
        C[at] = add ? C[at]! + sum : sum;
      }
    }
  }
}

/** The thin products of one dtype: the axpy pair and a private copy of {@link dots}. */
export type ThinKernels = ReturnType<typeof thinKernels> & { dots: typeof dots };
