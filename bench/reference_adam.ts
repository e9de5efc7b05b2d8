/**
 * The hand-fused Adam step that the Adam-family targets are measured against in the same
 * run: what a careful person writes in plain JavaScript over Float32Arrays, without
 * PyTorch's exact float32 rounding. One pass, one division per element (the bias
 * corrections folded into two scalars before the loop), arrays held in a closure.
 *
 * ```text
 * m ← β1·m + (1 − β1)·g;   v ← β2·v + (1 − β2)·g²;   θ ← θ − a · m / (√v · c + ε)
 * with a = γ / (1 − β1^t) and c = 1 / √(1 − β2^t)
 * ```
 * The developers' target "Adam ≤ 4 ns/param where a fused one-division loop does 4.1" is
 * read as gradlab ≤ this loop × 4/4.1 (bench/targets.ts).
 */
export function referenceAdam(n: number, lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8): () => void {
  const theta = new Float32Array(n).fill(0.5);
  const g = new Float32Array(n);
  for (let i = 0; i < n; i++) g[i] = ((i * 7919) % 1000) / 1000 - 0.5; // any spread of values in [−0.5, 0.5)
  const m = new Float32Array(n);
  const v = new Float32Array(n);
  let t = 0;
  return () => {
    t++;
    const a = lr / (1 - beta1 ** t);
    const c = 1 / Math.sqrt(1 - beta2 ** t);
    for (let i = 0; i < n; i++) {
      const gi = g[i]!;
      const mi = beta1 * m[i]! + (1 - beta1) * gi;
      const vi = beta2 * v[i]! + (1 - beta2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      theta[i] = theta[i]! - (a * mi) / (Math.sqrt(vi) * c + eps);
    }
  };
}

/**
 * Adam's float32 step with PyTorch's rounding, written by hand as one plain loop: the op
 * sequence and roundings of gradlab's Adam loop (src/optim/adam.ts, at lr 1e-3, default
 * betas and eps, no weight decay, amsgrad or maximize), one element per iteration, no
 * specialised copies, no second lane. Beside {@link referenceAdam} it shows what exact
 * rounding itself costs; beside gradlab, what gradlab's two lanes gain over it.
 *
 * ```text
 * m ← fma(1 − β1, g − m, m)                 lerp's first form (1 − β1 = 0.1 < 0.5)
 * v ← fma((1 − β2)·g, g, v·β2)
 * θ ← θ + ((−γ/(1 − β1^t))·m) / (√v / √(1 − β2^t) + ε)
 * ```
 * each op rounded to float32 (Math.fround), each fma exact ({@link fma32}). `arrays`, when
 * given, are the θ, g, m and v it steps (the bench uses fresh ones, a test its own).
 */
export function referenceAdamExact(n: number, lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, arrays = freshArrays(n)): () => void {
  const { theta, g, m, v } = arrays;
  const f = Math.fround;
  const { k, b2, omb2, e } = roundedConstants(beta1, beta2, eps);
  if (!(k < 0.5)) throw new Error("referenceAdamExact takes lerp's first form only: 1 − β1 < 0.5");
  let t = 0;
  return () => {
    const { nss, bc2 } = stepScalars(lr, beta1, beta2, ++t);
    for (let i = 0; i < n; i++) {
      const gi = g[i]!;
      const mi = fma32(k, f(gi - m[i]!), m[i]!);
      const vi = fma32(f(omb2 * gi), gi, f(v[i]! * b2));
      const denom = f(f(f(Math.sqrt(vi)) / bc2) + e);
      m[i] = mi;
      v[i] = vi;
      theta[i] = f(theta[i]! + f(f(nss * mi) / denom));
    }
  };
}

/** The hyperparameters as float32 scalars, as PyTorch's float32 kernels receive them: 1 − β1 (lerp's weight), β2, 1 − β2 and ε. */
function roundedConstants(beta1: number, beta2: number, eps: number): { k: number; b2: number; omb2: number; e: number } {
  const f = Math.fround;
  return { k: f(1 - beta1), b2: f(beta2), omb2: f(1 - beta2), e: f(eps) };
}

/** Step t's scalars, computed in float64 and rounded once: −γ/(1 − β1^t) and √(1 − β2^t). */
const stepScalars = (lr: number, beta1: number, beta2: number, t: number): { nss: number; bc2: number } => ({
  nss: Math.fround(-(lr / (1 - beta1 ** t))),
  bc2: Math.fround(Math.sqrt(1 - beta2 ** t)),
});

/** The arrays {@link referenceAdamExact} steps by default: θ = 0.5, g spread over [−0.5, 0.5), m = v = 0. */
function freshArrays(n: number): { theta: Float32Array; g: Float32Array; m: Float32Array; v: Float32Array } {
  const g = new Float32Array(n);
  for (let i = 0; i < n; i++) g[i] = ((i * 7919) % 1000) / 1000 - 0.5;
  return { theta: new Float32Array(n).fill(0.5), g, m: new Float32Array(n), v: new Float32Array(n) };
}

/**
 * `a·b + c` rounded once to float32, for float32 a, b, c: the same function as gradlab's
 * src/kernels/rounding.ts fma32 (its comment derives it), copied so that this reference
 * imports nothing of gradlab's. The product is exact in float64; the float64 sum's rounding
 * to float32 can be wrong only when the sum is a float32 midpoint, and only sums of at
 * most 25 bits (Veltkamp's split leaves them unchanged) can be one: {@link fma32Narrow}
 * settles those by the exact remainder.
 */
function fma32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const h = s * 268435457; // 2²⁸ + 1
  return Math.fround(h - (h - s) !== s ? s : fma32Narrow(p, c, s));
}

/** fma32's narrow path: s a float32 (kept) or a midpoint, settled by the two-sum remainder; a true tie keeps fround's even choice. */
function fma32Narrow(p: number, c: number, s: number): number {
  const r = Math.fround(s);
  const o = r + 2 * (s - r);
  if (Math.fround(o) !== o || s === r) return r;
  const z = s - p; // Knuth's two-sum: p + c = s + remainder exactly
  const remainder = p - (s - z) + (c - z);
  return remainder !== 0 && remainder > 0 === o > r ? o : r;
}

// As gradlab does (rounding.ts): both returns of the narrow path run before any loop that
// inlines fma32 is compiled, twenty times so that V8 has given fma32 its feedback vector.
for (let i = 0; i < 20; i++) {
  fma32(1, 1, 0);
  fma32(-(1 + 2 ** -23) * 2 ** -12, (1 - 2 ** -23) * 2 ** -12, 1 + 2 ** -23);
}
