import { type ThinKernels, dots, shallow, thinKernels } from "./gemm_thin.ts";
import { specialise } from "./specialise.ts";
import { BLOCKS, type Blocks, type StridedMatrix } from "./gemm_operands.ts";
import type { Float, View } from "./view.ts";

export type { StridedMatrix };

/**
 * Below this many multiply-adds the packing costs more than it saves: a plain loop runs instead.
 * Both paths sum over p = 0 … k−1 in order in float64, so they agree to the last bit when k ≤ KC.
 */
const SMALL = 4096;

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
 * KC-deep slice of k, the slice of B is packed into 2-column slivers; for each MC-tall row
 * panel of A, that panel is packed into 3-row slivers; a 3×2 register-blocked micro-kernel
 * then walks the packed slivers, so every load in the inner loop is unit-stride. Packing
 * zero-pads ragged edges, and the write-back stores only the valid part of each tile.
 * Thin shapes (fewer rows than a tile, or one column), shallow ones (k ≤ 2) and small
 * products (m·n·k ≤ 4096) copy nothing and run the loops of src/kernels/gemm_thin.ts, which
 * sum each output in the same order (whole k at once for the small ones, as before).
 * C must not overlap A or B.
 */
export function gemm(m: number, n: number, k: number, a: StridedMatrix, b: StridedMatrix, c: StridedMatrix, accumulate: boolean): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    if (!accumulate) fillMatrix(c, m, n, 0);
    return;
  }
  const { MR, NR, KC } = BLOCKS;
  if (k <= 2) thinFor(c.data).shallow(m, n, k, a, b, c, accumulate);
  else if (m * n * k <= SMALL) {
    // copies pay for themselves when each output is used by many and sums more than a few terms
    if (2 * (m + n) < m * n && k > 4) packedFor(c.data).small(m, n, k, a, b, c, accumulate);
    else thinFor(c.data).dots(m, n, k, a, b, c, accumulate, k);
  } else if (m < MR && b.colStride === 1) thinFor(c.data).rowsByAxpy(m, n, k, a, b, c, accumulate);
  else if (n < NR && a.rowStride === 1) thinFor(c.data).colsByAxpy(m, k, a, b, c, accumulate);
  else if ((m < MR && b.rowStride === 1) || (n < NR && a.colStride === 1)) thinFor(c.data).dots(m, n, k, a, b, c, accumulate, KC);
  else packedFor(c.data).blocked(m, n, k, a, b, c, accumulate);
}

type PackedKernels = ReturnType<typeof packedKernels>;

/**
 * The kernels for C's dtype, each made on first use from a private copy of its factory
 * (see `specialise`), so that every loop in them sees one array type: one copy for float32
 * outputs, one for float64, with packing buffers of their own.
 */
const made: { packed: (PackedKernels | null)[]; thin: (ThinKernels | null)[] } = { packed: [null, null], thin: [null, null] };

function packedFor(c: Float): PackedKernels {
  const at = c instanceof Float32Array ? 0 : 1;
  return (made.packed[at] ??= specialise(packedKernels)(BLOCKS));
}

function thinFor(c: Float): ThinKernels {
  const at = c instanceof Float32Array ? 0 : 1;
  return (made.thin[at] ??= { ...specialise(thinKernels)(BLOCKS), dots: specialise(dots), shallow: specialise(shallow) });
}

/** Sets every element of an m×n strided matrix to `value`. */
function fillMatrix(c: StridedMatrix, m: number, n: number, value: number): void {
  const { data, offset, rowStride, colStride } = c;
  for (let i = 0; i < m; i++) {
    const row = offset + i * rowStride;
    for (let j = 0; j < n; j++) data[row + j * colStride] = value;
  }
}

/**
 * Makes the two products, with their packing buffers as constants of this closure.
 *
 * Why a closure, made once: V8 compiles a function whose closure is the only one of its
 * kind specialised to that closure's context, so the `const` buffers below become
 * constants in the machine code, and a loop over them loads from a fixed address with a
 * fixed length. With the buffers as parameters (or module-level variables, which V8 does
 * not fold) every iteration re-checks each buffer's map and reloads its base and length.
 * The loops over packed data live in small leaf functions (`microKernel`, `dot`): written
 * inline in a longer function, the same loop kept its per-element map checks (25
 * instructions per multiply-add against 13, in `node --print-opt-code`).
 * Packed panels are float64 for both dtypes: the loops read a single array type and
 * accumulate float32 products in float64.
 *
 * Each row of a packed A sliver and each column of a packed B sliver has its own buffer
 * (`packedA0` … `packedA2`, `packedB0`, `packedB1`), all indexed alike: the micro-kernel
 * reads its 5 numbers per k-step at two indices, so it pays two bounds checks, not five.
 */
function packedKernels(blocks: Blocks) {
  const { MR, NR, KC, MC, NC } = blocks;
  const packedA0 = new Float64Array((MC / MR) * KC);
  const packedA1 = new Float64Array((MC / MR) * KC);
  const packedA2 = new Float64Array((MC / MR) * KC);
  const packedB0 = new Float64Array((NC / NR) * KC);
  const packedB1 = new Float64Array((NC / NR) * KC);
  /** The 6 sums of the current tile, row-major. */
  const tile = new Float64Array(MR * NR);

  /**
   * The 3×2 micro-kernel: tile[2r + s] ← Σ_{p<kc} packedAr[ai + p] · packedBs[bi + p].
   * Each k-step is 27 machine instructions for 12 flops (`node --print-opt-code`, Node 20):
   * 5 loads behind 2 bounds checks, 6 multiplies, 6 adds, all in registers. V8 computes
   * all of a step's products before its adds, so a tile needs twice its size in registers
   * plus its loads: the 4×2 tile this replaces (16 + 6 of the 15 usable) kept 2 of its 8
   * sums on the stack, and each k-step waited on their store-to-load round trip (~1.2×
   * slower per flop).
   */
  // biome-ignore format: the 3×2 tile of accumulators reads as a grid, one row per line
  function microKernel(kc: number, ai: number, bi: number): void {
    let c00 = 0, c01 = 0, c10 = 0, c11 = 0, c20 = 0, c21 = 0;
    // `| 0` marks index sums as int32 arithmetic, so V8 drops its per-add overflow checks;
    // stepping ai to its end (no separate counter) saves the counter's add and check.
    for (const end = (ai + kc) | 0; ai < end; ai = (ai + 1) | 0, bi = (bi + 1) | 0) {
      const b0 = packedB0[bi]!, b1 = packedB1[bi]!;
      const a0 = packedA0[ai]!, a1 = packedA1[ai]!, a2 = packedA2[ai]!;
      c00 += a0 * b0; c01 += a0 * b1;
      c10 += a1 * b0; c11 += a1 * b1;
      c20 += a2 * b0; c21 += a2 * b1;
    }
    tile[0] = c00; tile[1] = c01;
    tile[2] = c10; tile[3] = c11;
    tile[4] = c20; tile[5] = c21;
  }

  /**
   * Packs rows ic … ic+mc−1, columns pc … pc+kc−1 of A into 3-row slivers: sliver s holds, for
   * each p, A[ic+3s+r][pc+p] at packedAr[s·kc + p] (r = 0, 1, 2), zero past the last row.
   */
  function packPanelA(a: StridedMatrix, ic: number, pc: number, mc: number, kc: number): void {
    const src = a.data;
    const rs = a.rowStride;
    const cs = a.colStride;
    let q = 0;
    for (let i = 0; i < mc; i += MR) {
      const rows = mc - i;
      let p0 = a.offset + (ic + i) * rs + pc * cs;
      if (rows >= MR) {
        for (let p = 0; p < kc; p++, q++, p0 += cs) {
          packedA0[q] = src[p0]!;
          packedA1[q] = src[p0 + rs]!;
          packedA2[q] = src[p0 + 2 * rs]!;
        }
      } else {
        for (let p = 0; p < kc; p++, q++, p0 += cs) {
          packedA0[q] = src[p0]!;
          packedA1[q] = rows > 1 ? src[p0 + rs]! : 0;
          packedA2[q] = 0;
        }
      }
    }
  }

  /**
   * Packs rows pc … pc+kc−1, columns jc … jc+nc−1 of B into 2-column slivers: sliver s holds,
   * for each p, B[pc+p][jc+2s+c] at packedBc[s·kc + p] (c = 0, 1), zero past the last column.
   */
  function packPanelB(b: StridedMatrix, pc: number, jc: number, kc: number, nc: number): void {
    const src = b.data;
    const rs = b.rowStride;
    const cs = b.colStride;
    let q = 0;
    for (let j = 0; j < nc; j += NR) {
      let row = b.offset + pc * rs + (jc + j) * cs;
      if (nc - j >= NR) {
        for (let p = 0; p < kc; p++, q++, row += rs) {
          packedB0[q] = src[row]!;
          packedB1[q] = src[row + cs]!;
        }
      } else {
        for (let p = 0; p < kc; p++, q++, row += rs) {
          packedB0[q] = src[row]!;
          packedB1[q] = 0;
        }
      }
    }
  }

  /**
   * Multiplies the packed mc×kc panel of A by the packed kc×nc panel of B into C, one 3×2
   * tile at a time: the micro-kernel leaves the tile's 6 sums in `tile`, which are then
   * added to (`add`) or stored into C, only where the tile lies inside C.
   */
  function macroKernel(mc: number, nc: number, kc: number, C: Float, cBase: number, crs: number, ccs: number, add: boolean): void {
    const t = tile;
    for (let j = 0, bi = 0; j < nc; j += NR, bi += kc) {
      const cols = nc - j < NR ? nc - j : NR;
      for (let i = 0, ai = 0; i < mc; i += MR, ai += kc) {
        microKernel(kc, ai, bi);
        const rows = mc - i < MR ? mc - i : MR;
        const c0 = cBase + i * crs + j * ccs;
        // biome-ignore format: the tile's stores read as a grid, one row per line
        if (rows === MR && cols === NR) {
          // C ← (add ? C : 0) + t: the same as storing t, since a tile's sums start at +0 and are never −0.
          const r0 = c0, r1 = c0 + crs, r2 = c0 + 2 * crs;
          C[r0] = (add ? C[r0]! : 0) + t[0]!; C[r0 + ccs] = (add ? C[r0 + ccs]! : 0) + t[1]!;
          C[r1] = (add ? C[r1]! : 0) + t[2]!; C[r1 + ccs] = (add ? C[r1 + ccs]! : 0) + t[3]!;
          C[r2] = (add ? C[r2]! : 0) + t[4]!; C[r2 + ccs] = (add ? C[r2 + ccs]! : 0) + t[5]!;
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

  /**
   * The unblocked product for small sizes: one float64 sum per output over p in order,
   * with A copied row by row and B column by column into the packing buffers, so that the
   * dot products read constant buffers one element after another.
   */
  function small(m: number, n: number, k: number, a: StridedMatrix, b: StridedMatrix, c: StridedMatrix, accumulate: boolean): void {
    copyRows(packedA0, a, m, k, a.rowStride, a.colStride);
    copyRows(packedB0, b, n, k, b.colStride, b.rowStride);
    const C = c.data;
    for (let i = 0; i < m; i++) {
      const ai = i * k;
      const crow = c.offset + i * c.rowStride;
      for (let j = 0; j < n; j++) {
        const sum = dot(k, ai, j * k);
        const at = crow + j * c.colStride;
        C[at] = accumulate ? C[at]! + sum : sum;
      }
    }
  }

  /** Σ_{p<k} packedA0[ai + p] · packedB0[bi + p], in order. */
  function dot(k: number, ai: number, bi: number): number {
    let sum = 0;
    for (const end = (ai + k) | 0; ai < end; ai = (ai + 1) | 0, bi = (bi + 1) | 0) sum += packedA0[ai]! * packedB0[bi]!;
    return sum;
  }

  /** dst[r·cols + s] = x.data[x.offset + r·rs + s·ss] for r < rows, s < cols. */
  function copyRows(dst: Float64Array, x: StridedMatrix, rows: number, cols: number, rs: number, ss: number): void {
    const src = x.data;
    let q = 0;
    for (let r = 0; r < rows; r++) {
      let at = x.offset + r * rs;
      for (let s = 0; s < cols; s++, at += ss) dst[q++] = src[at]!;
    }
  }

  const blocked = (m: number, n: number, k: number, a: StridedMatrix, b: StridedMatrix, c: StridedMatrix, accumulate: boolean): void => {
    for (let jc = 0; jc < n; jc += NC) {
      const nc = Math.min(NC, n - jc);
      for (let pc = 0; pc < k; pc += KC) {
        const kc = Math.min(KC, k - pc);
        packPanelB(b, pc, jc, kc, nc);
        const add = accumulate || pc > 0;
        for (let ic = 0; ic < m; ic += MC) {
          const mc = Math.min(MC, m - ic);
          packPanelA(a, ic, pc, mc, kc);
          macroKernel(mc, nc, kc, c.data, c.offset + ic * c.rowStride + jc * c.colStride, c.rowStride, c.colStride, add);
        }
      }
    }
  };
  return { small, blocked };
}

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
