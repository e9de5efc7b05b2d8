import { type Tensor, randn } from "gradlab";
import type { Tf } from "./tfjs.ts";
import { figures, interleaved, num, row, secondsPerCall, section } from "./timing.ts";

/** A gradlab tensor method by name, or undefined while that op is not written yet. */
export function method(t: Tensor, name: string): ((...args: unknown[]) => Tensor) | undefined {
  const f = (t as unknown as Record<string, unknown>)[name];
  return typeof f === "function" ? (f as (...args: unknown[]) => Tensor).bind(t) : undefined;
}

/**
 * Elementwise throughput at 1M float32 elements, in GB/s of memory touched (12 bytes per
 * element for add and mul: two reads and a write; 8 for exp), beside the same op in tfjs.
 * Both allocate their result, as a user's `a.add(b)` does.
 */
export function benchElementwise(tf: Tf): void {
  const n = 1 << 20;
  section(`Elementwise, ${n} float32 elements          gradlab GB/s   tfjs GB/s   ratio`);
  const a = randn([n]);
  const b = randn([n]);
  const ta = tf.randomNormal([n]);
  const tb = tf.randomNormal([n]);
  const ops: [string, number, () => unknown, () => { dispose(): void }][] = [
    ["add", 12, () => a.add(b), () => tf.add(ta, tb)],
    ["mul", 12, () => a.mul(b), () => tf.mul(ta, tb)],
    ["exp", 8, () => method(a, "exp")?.(), () => tf.exp(ta)],
  ];
  for (const [name, bytes, ours, theirs] of ops) {
    const available = name !== "exp" || method(a, "exp") !== undefined;
    const s = available ? secondsPerCall(ours) : NaN;
    const t = secondsPerCall(() => theirs().dispose());
    const gl = (bytes * n) / s / 1e9;
    const tj = (bytes * n) / t / 1e9;
    row(name + (available ? "" : " (not in gradlab yet)"), num(gl, 12), num(tj, 12), num(gl / tj, 8, 2));
  }
  ta.dispose();
  tb.dispose();
}

/**
 * Square matmul in GFLOPS (2n³ flops) at n = 64 … 1024, float32 and float64, beside
 * tfjs's matMul (float32 only: tfjs has no float64), both timed in interleaved rounds.
 * tfjs is left out at 1024, where one of its calls takes seconds.
 */
export function benchMatmul(tf: Tf): void {
  section("Matmul n×n · n×n                       gradlab GFLOPS  tfjs GFLOPS  ratio");
  for (const dtype of ["float32", "float64"] as const) {
    for (const n of [64, 128, 256, 512, 1024]) {
      const a = randn([n, n], { dtype });
      const b = randn([n, n], { dtype });
      const ta = tf.randomNormal([n, n]);
      const tb = tf.randomNormal([n, n]);
      const flops = 2 * n * n * n;
      const options = { trialSeconds: 0.2, trials: n >= 512 ? 3 : 5 };
      const [s, t] =
        n < 1024 ? interleaved([() => a.matmul(b), () => tf.matMul(ta, tb).dispose()], options) : [secondsPerCall(() => a.matmul(b), options), NaN];
      figures.set(`matmul ${dtype} ${n} GFLOPS`, flops / s! / 1e9);
      figures.set(`matmul ${dtype} ${n} vs tfjs`, t! / s!);
      row(`${dtype}, n = ${n}`, num(flops / s! / 1e9, 12), num(flops / t! / 1e9, 12), num(t! / s!, 8, 2));
      ta.dispose();
      tb.dispose();
    }
  }
}
