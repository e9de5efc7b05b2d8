import type { Float } from "./view.ts";

/**
 * One operand of `gemm` (src/kernels/matmul.ts): a strided matrix inside a typed array. Element (i, j) is
 * `data[offset + i·rowStride + j·colStride]`, so a transposed view is the same array with
 * the two strides swapped, and a broadcast (expanded) matrix has a zero stride.
 */
export interface StridedMatrix {
  data: Float;
  offset: number;
  rowStride: number;
  colStride: number;
}

/**
 * Block sizes (in elements), handed to each compiled copy of the kernels (where they become
 * constants of its context). A micro-tile is MR×NR = 3×2 outputs held in 6 locals; a packed
 * panel of A is MC×KC (240 KiB as float64, sized for L2) and a sliver of B is KC×NR (4 KiB,
 * L1); the axpy products of a vector times a matrix sum AXPY outputs at a time (32 KiB).
 */
export const BLOCKS = { MR: 3, NR: 2, KC: 256, MC: 120, NC: 1024, AXPY: 4096 } as const;
export type Blocks = typeof BLOCKS;
