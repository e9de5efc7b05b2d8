import type { Float } from "./view.ts";

/**
 * Running sums along one dim of a contiguous buffer of `shape`: out[…, k, …] = Σ_{j≤k} x[…, j, …],
 * or with `reverse` the sums from the end, Σ_{j≥k} (the gradient of a running sum). Each sum
 * accumulates in float64 (a JavaScript number) and is rounded once as it is stored, as
 * PyTorch's CPU kernel accumulates float32 in double (`cpu_cum_base_kernel`, `acc_type`).
 */
export function cumsumInto(out: Float, x: Float, shape: readonly number[], dim: number, reverse = false): Float {
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < dim; d++) outer *= shape[d]!;
  for (let d = dim + 1; d < shape.length; d++) inner *= shape[d]!;
  const n = shape.length === 0 ? 1 : shape[dim]!;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let sum = 0;
      for (let j = 0; j < n; j++) {
        const at = base + (reverse ? n - 1 - j : j) * inner;
        sum += x[at]!;
        out[at] = sum;
      }
    }
  }
  return out;
}
