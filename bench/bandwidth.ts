import { secondsPerCall } from "./timing.ts";

/**
 * Memory bandwidth in GB/s measured by a fused triad, a[i] = b[i] + s·c[i], over float32
 * arrays far larger than the caches: 12 bytes move per element (two reads, one write).
 * The optimizer section reports its steps as a fraction of this number.
 */
export function triadBandwidth(n = 8_000_000): number {
  const a = new Float32Array(n);
  const b = new Float32Array(n).fill(1);
  const c = new Float32Array(n).fill(2);
  const s = 0.5;
  const seconds = secondsPerCall(
    () => {
      for (let i = 0; i < n; i++) a[i] = b[i]! + s * c[i]!;
    },
    { trialSeconds: 0.2, trials: 4 },
  );
  return (12 * n) / seconds / 1e9;
}
