import type { Float } from "./view.ts";

/**
 * A dropout mask: out_i = scale if u_i ≥ p else 0, with u_i = uniform() drawn once per
 * element, in order (scale = 1/(1 − p), or 0 for p = 1, chosen by the caller).
 */
export function dropoutMaskInto(out: Float, uniform: () => number, p: number, scale: number): Float {
  for (let i = 0; i < out.length; i++) out[i] = uniform() >= p ? scale : 0;
  return out;
}
