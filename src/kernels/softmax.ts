import type { Float } from "./view.ts";

/**
 * Softmax or log-softmax along the middle axis of a contiguous [outer, n, inner] layout,
 * three passes per row, stable for any input:
 *
 * ```text
 * m = max_i x_i                      (NaN if any x_i is NaN; −∞ rows stay −∞)
 * s = Σ_i e^(x_i − m)                accumulated in float64
 * softmax      y_i = e^(x_i − m) / s
 * log_softmax  y_i = x_i − m − ln s
 * ```
 */
export function softmaxInto(out: Float, x: Float, outer: number, n: number, inner: number, log: boolean): void {
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const base = o * n * inner + k;
      let m = -Infinity;
      for (let i = 0; i < n; i++) {
        const v = x[base + i * inner]!;
        if (v > m || v !== v) m = v;
        if (v !== v) break;
      }
      // A row of −∞ has no finite maximum; shifting by 0 keeps e^(−∞) = 0 and ln 0 = −∞.
      const shift = m === -Infinity ? 0 : m;
      let s = 0;
      for (let i = 0; i < n; i++) s += Math.exp(x[base + i * inner]! - shift);
      if (log) {
        const logS = Math.log(s);
        for (let i = 0; i < n; i++) out[base + i * inner] = x[base + i * inner]! - shift - logS;
      } else {
        for (let i = 0; i < n; i++) out[base + i * inner] = Math.exp(x[base + i * inner]! - shift) / s;
      }
    }
  }
}
