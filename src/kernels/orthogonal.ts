/**
 * Orthonormal columns of an m×n matrix A (m ≥ n) by Gram–Schmidt, each column orthogonalised
 * against the ones before it twice (the second pass removes what rounding left), in float64.
 * A's element (i, j) is a[i·rowStride + j·colStride]; column j of the result is
 * out[j·m … j·m + m):
 *
 * ```text
 * for j = 0 … n−1:
 *   v = A[:, j]
 *   twice: for each earlier column u (in order):  d = Σ_i u_i·v_i,  v_i ← v_i − d·u_i
 *   v_i ← v_i / √(Σ_i v_i²)
 *   out column j = v
 * ```
 * This is the Q of A = QR with R's diagonal positive.
 */
export function orthonormalColumnsInto(out: Float64Array, a: ArrayLike<number>, m: number, n: number, rowStride: number, colStride: number): Float64Array {
  for (let j = 0; j < n; j++) {
    const v = j * m;
    for (let i = 0; i < m; i++) out[v + i] = a[i * rowStride + j * colStride]!;
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        const u = k * m;
        let dot = 0;
        for (let i = 0; i < m; i++) dot += out[u + i]! * out[v + i]!;
        for (let i = 0; i < m; i++) out[v + i]! -= dot * out[u + i]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += out[v + i]! * out[v + i]!;
    norm = Math.sqrt(norm);
    for (let i = 0; i < m; i++) out[v + i]! /= norm;
  }
  return out;
}
