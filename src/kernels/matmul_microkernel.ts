/**
 * The register-blocked inner loop of the blocked matrix product in matmul.ts.
 */

/**
 * The 4×4 micro-kernel: tile[4r + s] ← Σ_{p<kc} a[ai + 4p + r] · b[bi + 4p + s], the 16 sums
 * held in locals for the whole loop (V8 has 15 allocatable XMM registers, so a few of the
 * 16 sums spill to the stack; 4×4 still measured fastest of 4×4, 3×4, 3×3, 2×6 and 2×4).
 *
 * It lives alone in this module on purpose: on Node 20 the identical loop ran up to about 20%
 * faster here than as one function among the packing code in matmul.ts (512×512 float32
 * gemm 5.1–5.2 GFLOPS versus 4.1–4.4 in alternating runs on a shared machine). Why is V8's
 * business (code placement, most likely); the measurement is what keeps it here.
 */
export function microKernel(kc: number, a: Float64Array, ai: number, b: Float64Array, bi: number, tile: Float64Array): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  // `| 0` marks index sums as int32 arithmetic, so V8 drops its per-add overflow checks.
  for (let p = 0; p < kc; p++) {
    const a0 = a[ai]!, a1 = a[(ai + 1) | 0]!, a2 = a[(ai + 2) | 0]!, a3 = a[(ai + 3) | 0]!;
    let bs = b[bi]!;
    c00 += a0 * bs; c10 += a1 * bs; c20 += a2 * bs; c30 += a3 * bs;
    bs = b[(bi + 1) | 0]!;
    c01 += a0 * bs; c11 += a1 * bs; c21 += a2 * bs; c31 += a3 * bs;
    bs = b[(bi + 2) | 0]!;
    c02 += a0 * bs; c12 += a1 * bs; c22 += a2 * bs; c32 += a3 * bs;
    bs = b[(bi + 3) | 0]!;
    c03 += a0 * bs; c13 += a1 * bs; c23 += a2 * bs; c33 += a3 * bs;
    ai = (ai + 4) | 0;
    bi = (bi + 4) | 0;
  }
  tile[0] = c00; tile[1] = c01; tile[2] = c02; tile[3] = c03;
  tile[4] = c10; tile[5] = c11; tile[6] = c12; tile[7] = c13;
  tile[8] = c20; tile[9] = c21; tile[10] = c22; tile[11] = c23;
  tile[12] = c30; tile[13] = c31; tile[14] = c32; tile[15] = c33;
}
