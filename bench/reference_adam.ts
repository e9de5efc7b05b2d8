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
