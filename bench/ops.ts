import { type Tensor, randn } from "gradlab";
import { referenceMatmul } from "./reference_matmul.ts";
import type { Tf } from "./tfjs.ts";
import { torchFigure } from "./torch.ts";
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
    figures.set(`${name} ${n} float32 GB/s`, gl);
    figures.set(`tfjs ${name} ${n} float32 GB/s`, tj);
    row(name + (available ? "" : " (not in gradlab yet)"), num(gl, 12), num(tj, 12), num(gl / tj, 8, 2));
  }
  ta.dispose();
  tb.dispose();
}

/**
 * Square matmul in GFLOPS (2n³ flops) at n = 64 … 1024, float32 and float64: gradlab
 * beside the careful hand-written scalar kernel (bench/reference_matmul.ts, float32 only)
 * and tfjs's matMul (float32 only: tfjs has no float64), all in interleaved rounds, and
 * torch's torch.mm from its one run before this one. tfjs is left out at 1024, where one
 * of its calls takes seconds. The ratios are gradlab ÷ reference and tfjs time ÷ gradlab's.
 */
export function benchMatmul(tf: Tf): void {
  section("Matmul n×n · n×n               GFLOPS: gradlab  reference   tfjs     torch   ÷ref  ×tfjs");
  const reference = referenceMatmul();
  for (const dtype of ["float32", "float64"] as const) {
    for (const n of [64, 128, 256, 512, 1024]) {
      const a = randn([n, n], { dtype });
      const b = randn([n, n], { dtype });
      const ra = a.toTypedArray() as Float32Array;
      const rb = b.toTypedArray() as Float32Array;
      const rc = new Float32Array(n * n);
      const ta = tf.randomNormal([n, n]);
      const tb = tf.randomNormal([n, n]);
      const flops = 2 * n * n * n;
      const options = { trialSeconds: 0.2, trials: n >= 512 ? 3 : 5 };
      const fns: (() => unknown)[] = [() => a.matmul(b)];
      if (dtype === "float32") fns.push(() => reference(n, n, n, ra, rb, rc));
      if (n < 1024) fns.push(() => tf.matMul(ta, tb).dispose());
      const [s, ...rest] = interleaved(fns, options);
      const r = dtype === "float32" ? rest.shift()! : NaN;
      const t = n < 1024 ? rest.shift()! : NaN;
      const gflops = (seconds: number) => flops / seconds / 1e9;
      figures.set(`matmul ${dtype} ${n} GFLOPS`, gflops(s!));
      figures.set(`matmul ${dtype} ${n} reference GFLOPS`, gflops(r));
      figures.set(`matmul ${dtype} ${n} vs tfjs`, t / s!);
      figures.set(`tfjs matmul ${dtype} ${n} GFLOPS`, gflops(t));
      const torch = torchFigure(`matmul ${dtype} ${n} GFLOPS`);
      row(`${dtype}, n = ${n}`, num(gflops(s!), 8), num(gflops(r), 10), num(gflops(t), 8), num(torch, 10), num(r / s!, 7, 2), num(t / s!, 7, 2));
      ta.dispose();
      tb.dispose();
    }
  }
}
