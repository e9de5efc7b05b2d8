import type { Float } from "./view.ts";

/**
 * The weighted negative log-likelihood at each position of x laid out [N, C, S] (class dim
 * in the middle), with class indices `target` laid out [N, S], every one of them in [0, C)
 * or equal to `ignoreIndex` (checked by the caller):
 *
 * ```text
 * out[n, s] = −w[c]·x[n, c, s]      c = target[n, s], w = 1 without a weight
 * out[n, s] = 0                     where c = ignoreIndex
 * returns Σ w[c] over the positions not ignored, in float64 (the denominator of the mean)
 * ```
 */
export function nllInto(out: Float, x: Float, target: Float, weight: Float | null, N: number, C: number, S: number, ignoreIndex: number): number {
  let weightSum = 0;
  for (let n = 0; n < N; n++) {
    for (let s = 0; s < S; s++) {
      const c = target[n * S + s]!;
      if (c === ignoreIndex) {
        out[n * S + s] = 0;
        continue;
      }
      const wc = weight === null ? 1 : weight[c]!;
      weightSum += wc;
      out[n * S + s] = -wc * x[(n * C + c) * S + s]!;
    }
  }
  return weightSum;
}

/**
 * The derivative of {@link nllInto}'s out[n, s] by x[n, c, s], laid out [N, C, S]:
 *
 * ```text
 * out[n, c, s] = −w[c]     at c = target[n, s] ≠ ignoreIndex
 * ```
 * Only those positions are written: pass zeros (a fresh array) for the rest.
 */
export function nllGradMaskInto(out: Float, target: Float, weight: Float | null, N: number, C: number, S: number, ignoreIndex: number): Float {
  for (let n = 0; n < N; n++) {
    for (let s = 0; s < S; s++) {
      const c = target[n * S + s]!;
      if (c !== ignoreIndex) out[(n * C + c) * S + s] = -(weight === null ? 1 : weight[c]!);
    }
  }
  return out;
}

/** out_k = 0 where target_k = ignoreIndex, 1 elsewhere: which positions count in a mean. */
export function notIgnoredInto(out: Float, target: Float, ignoreIndex: number): Float {
  for (let k = 0; k < target.length; k++) out[k] = target[k] === ignoreIndex ? 0 : 1;
  return out;
}
