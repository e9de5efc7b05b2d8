/**
 * The careful scalar float32 matmul that the matmul target is measured against in the same
 * run: what a person who knows V8 writes by hand for C ← A·B over contiguous row-major
 * Float32Arrays, with no strides, no broadcasting and no autograd.
 *
 * As the issue's prototype: Goto-style blocking (KC = 256 deep, MC = 128 rows of A per
 * packed panel), the panels packed into float64 slivers held as constants of one closure
 * (V8 then compiles the inner loop with fixed addresses and lengths), and a register-sized
 * 4×2 micro-tile whose 8 sums stay in registers. Sums run in float64 over each block of
 * KC terms, as gradlab's kernel does, so the two do the same arithmetic.
 * The developers' target "≥ 6 GFLOPS where a careful scalar kernel does 6.5" is read as
 * gradlab ≥ this kernel × 6/6.5 (bench/targets.ts).
 */
export type ReferenceMatmul = (m: number, n: number, k: number, a: Float32Array, b: Float32Array, c: Float32Array) => void;

/** Makes the kernel (one per use, so its closure's buffers are its own constants). Needs m % 4 = 0, n % 2 = 0, n ≤ 1024. */
export function referenceMatmul(): ReferenceMatmul {
  const packedA = new Float64Array(128 * 256);
  const packedB = new Float64Array(256 * 1024);

  // biome-ignore format: the 4×2 tile reads as a grid
  function tile(kc: number, ai: number, bi: number, c: Float32Array, at: number, ldc: number): void {
    let c00 = 0, c01 = 0, c10 = 0, c11 = 0, c20 = 0, c21 = 0, c30 = 0, c31 = 0;
    for (const end = (bi + 2 * kc) | 0; bi < end; bi = (bi + 2) | 0) {
      const b0 = packedB[bi]!, b1 = packedB[(bi + 1) | 0]!;
      const a0 = packedA[ai]!, a1 = packedA[(ai + 1) | 0]!, a2 = packedA[(ai + 2) | 0]!, a3 = packedA[(ai + 3) | 0]!;
      c00 += a0 * b0; c01 += a0 * b1;
      c10 += a1 * b0; c11 += a1 * b1;
      c20 += a2 * b0; c21 += a2 * b1;
      c30 += a3 * b0; c31 += a3 * b1;
      ai = (ai + 4) | 0;
    }
    c[at] = c[at]! + c00; c[at + 1] = c[at + 1]! + c01; at += ldc;
    c[at] = c[at]! + c10; c[at + 1] = c[at + 1]! + c11; at += ldc;
    c[at] = c[at]! + c20; c[at + 1] = c[at + 1]! + c21; at += ldc;
    c[at] = c[at]! + c30; c[at + 1] = c[at + 1]! + c31;
  }

  /** Rows i0 … i0+mc−1, columns p0 … p0+kc−1 of A (m×k) as 4-row slivers: 4 numbers per p. */
  function packA(a: Float32Array, k: number, i0: number, p0: number, mc: number, kc: number): void {
    let q = 0;
    for (let i = i0; i < i0 + mc; i += 4) {
      let r = i * k + p0;
      for (let p = 0; p < kc; p++, r++, q += 4) {
        packedA[q] = a[r]!;
        packedA[q + 1] = a[r + k]!;
        packedA[q + 2] = a[r + 2 * k]!;
        packedA[q + 3] = a[r + 3 * k]!;
      }
    }
  }

  /** Rows p0 … p0+kc−1 of B (k×n) as 2-column slivers: 2 numbers per p. */
  function packB(b: Float32Array, n: number, p0: number, kc: number): void {
    let q = 0;
    for (let j = 0; j < n; j += 2) {
      let r = p0 * n + j;
      for (let p = 0; p < kc; p++, r += n, q += 2) {
        packedB[q] = b[r]!;
        packedB[q + 1] = b[r + 1]!;
      }
    }
  }

  return (m, n, k, a, b, c) => {
    if (m % 4 !== 0 || n % 2 !== 0 || n > 1024) throw new Error(`referenceMatmul needs m % 4 = 0, n % 2 = 0, n ≤ 1024 (got ${m}×${k}·${k}×${n})`);
    c.fill(0, 0, m * n);
    for (let p0 = 0; p0 < k; p0 += 256) {
      const kc = Math.min(256, k - p0);
      packB(b, n, p0, kc);
      for (let i0 = 0; i0 < m; i0 += 128) {
        const mc = Math.min(128, m - i0);
        packA(a, k, i0, p0, mc, kc);
        for (let j = 0; j < n; j += 2) for (let i = 0; i < mc; i += 4) tile(kc, i * kc, j * kc, c, (i0 + i) * n + j, n);
      }
    }
  };
}
