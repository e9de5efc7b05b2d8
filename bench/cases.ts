/**
 * One run of the benchmarks, under whatever runtime started it (bench/run.ts starts it
 * twice: as an esbuild bundle under plain node, and under tsx as tutorials run). Prints
 * numbers only (no assertions), each beside the machine's load, then the issue-14 targets
 * as ratios with met / missed, then whether V8's ArrayBuffer-detaching protector survived.
 *
 * Sections: memory bandwidth (a fused triad, the yardstick for the optimizer steps),
 * elementwise ops at 1M elements, matmul n = 64 … 1024, per-op overhead on tiny tensors,
 * optimizer steps at 1M and 10M parameters, and full training steps of two MLPs.
 */
import os from "node:os";
import { triadBandwidth } from "./bandwidth.ts";
import { benchElementwise, benchMatmul } from "./ops.ts";
import { benchInspect, benchOptimizers } from "./optimizers.ts";
import { benchOverhead } from "./overhead.ts";
import { protectorIntact } from "./protector.ts";
import { printTargets } from "./targets.ts";
import type { loadTfjs as LoadTfjs } from "./tfjs.ts";
import { num, row, section } from "./timing.ts";
import { benchTraining } from "./training.ts";

const started = performance.now();
// tfjs comes pre-bundled as one ES module (bench/run.ts builds it): loaded from its
// CommonJS build under tsx, it would itself invalidate the protector (see svg_renderer.ts).
const tfjsModule = process.env.GRADLAB_BENCH_TFJS ?? "./tfjs.ts";
const { loadTfjs } = (await import(tfjsModule)) as { loadTfjs: typeof LoadTfjs };
const tf = await loadTfjs();
const runtime = process.env.GRADLAB_BENCH_RUNTIME ?? "tsx";
console.log(
  `gradlab bench (${runtime}): Node ${process.version}, ${os.cpus()[0]?.model ?? "unknown CPU"} (${os.cpus().length} cores), tfjs ${tf.version_core} (${tf.getBackend()})`,
);

section("Memory bandwidth                        GB/s");
const bandwidth = triadBandwidth();
row("triad a = b + s·c, float32, 8M", num(bandwidth, 7));

/** Runs a section; a section whose parts are still missing reports that and the run goes on. */
async function guarded(run: () => void | Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    row("n/a", `  (${(error as Error).message.split("\n")[0]})`);
  }
}

await guarded(() => benchElementwise(tf));
await guarded(() => benchMatmul(tf));
await guarded(() => benchOverhead(tf));
await guarded(() => benchOptimizers(tf, bandwidth));
await guarded(() => benchInspect());
await guarded(() => benchTraining(tf));
printTargets();

console.log(
  `\nArrayBuffer-detaching protector of this thread after the run: ${protectorIntact() ? "intact" : "INVALIDATED (typed-array loops ran with detached-buffer checks)"}`,
);
console.log(`(${runtime}: ${((performance.now() - started) / 1000).toFixed(0)} s)`);
