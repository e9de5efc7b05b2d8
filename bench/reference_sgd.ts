/**
 * The hand-fused SGD-with-momentum step that gradlab's SGD target is measured against in
 * the same run: one pass over Float32Arrays in plain JavaScript, arrays held in a closure.
 *
 * ```text
 * b ← μ·b + g;   θ ← θ − γ·b
 * ```
 * The developers' target "SGD-momentum ≤ 2.5 ns/param where the hand loop does 2.56" is
 * read as gradlab ≤ this loop × 2.5/2.56 (bench/targets.ts).
 */
export function referenceSgd(n: number, lr = 1e-3, momentum = 0.9): () => void {
  const theta = new Float32Array(n).fill(0.5);
  const g = new Float32Array(n);
  for (let i = 0; i < n; i++) g[i] = ((i * 7919) % 1000) / 1000 - 0.5; // any spread of values in [−0.5, 0.5)
  const b = new Float32Array(n);
  return () => {
    for (let i = 0; i < n; i++) {
      const bi = momentum * b[i]! + g[i]!;
      b[i] = bi;
      theta[i] = theta[i]! - lr * bi;
    }
  };
}
