/**
 * One run of the benchmarks, under whatever runtime started it (bench/run.ts starts it
 * twice: as an esbuild bundle under plain node, and under tsx as tutorials run). Prints
 * numbers only (no assertions), each row beside its wall ÷ CPU time and the machine's
 * load, then the issue-14 targets as ratios with met / missed, then whether V8's
 * ArrayBuffer-detaching protector survived.
 *
 * Sections: memory bandwidth (a fused triad, the yardstick for the optimizer steps),
 * elementwise ops at 1M elements, matmul n = 64 … 1024, per-op overhead on tiny tensors,
 * optimizer steps at 1M and 10M parameters, Adam from 1e3 to 1e7 parameters, the other
 * optimizers against Adam, full training steps of two MLPs, and the 784-w-10 MLP for
 * w = 64 … 1024; each beside the hand-written references (bench/reference_*.ts), tfjs,
 * and torch when bench/run.ts could run it (bench/torch.ts). Then issue 14's table and
 * its targets. Each section's duration is printed after it. Every figure is CPU time
 * (bench/timing.ts); when GRADLAB_BENCH_FIGURES names a file, the run's figures are written
 * there as JSON for bench/run.ts's tsx ÷ bundle table.
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import { triadBandwidth } from "./bandwidth.ts";
import { benchElementwise, benchMatmul } from "./ops.ts";
import { benchInspect, benchOptimizers, benchOtherOptimizers } from "./optimizers.ts";
import { benchOverhead } from "./overhead.ts";
import { protectorIntact } from "./protector.ts";
import { benchAdamScaling, benchMlpWidths } from "./scaling.ts";
import { printSummary } from "./summary.ts";
import { printTargets } from "./targets.ts";
import type { loadTfjs as LoadTfjs } from "./tfjs.ts";
import { cpuClock, figures, num, row, section } from "./timing.ts";
import { torchNote } from "./torch.ts";
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
console.log(torchNote());
console.log(`Figures are ${cpuClock} per call, the median of interleaved rounds.`);
console.log("Each row ends with wall ÷ CPU time of its timed rounds (above 1: the thread waited for a core) and the 1-minute load.");

section("Memory bandwidth                        GB/s");
const bandwidth = triadBandwidth();
row("triad a = b + s·c, float32, 8M", num(bandwidth, 7));
figures.set("triad bandwidth GB/s", bandwidth);

/** Sections to run, when GRADLAB_BENCH_ONLY names some (comma-separated, e.g. "matmul,training"); all otherwise. */
const only = process.env.GRADLAB_BENCH_ONLY?.split(",").filter((name) => name !== "");

/**
 * Runs a section (unless GRADLAB_BENCH_ONLY leaves it out), then prints how long it took;
 * a section whose parts are still missing reports that and the run goes on.
 */
async function guarded(name: string, run: () => void | Promise<void>): Promise<void> {
  if (only !== undefined && !only.includes(name)) return;
  const start = performance.now();
  try {
    await run();
  } catch (error) {
    row("n/a", `  (${(error as Error).message.split("\n")[0]})`);
  }
  console.log(`  (${((performance.now() - start) / 1000).toFixed(0)} s)`);
}

await guarded("elementwise", () => benchElementwise(tf));
await guarded("matmul", () => benchMatmul(tf));
await guarded("overhead", () => benchOverhead(tf));
await guarded("optimizers", () => benchOptimizers(tf, bandwidth));
await guarded("adam-scaling", () => benchAdamScaling());
await guarded("other-optimizers", () => benchOtherOptimizers());
await guarded("inspect", () => benchInspect());
await guarded("training", () => benchTraining(tf));
await guarded("mlp-widths", () => benchMlpWidths());
printSummary();
printTargets();

console.log(
  `\nArrayBuffer-detaching protector of this thread after the run: ${protectorIntact() ? "intact" : "INVALIDATED (typed-array loops ran with detached-buffer checks)"}`,
);
const figuresFile = process.env.GRADLAB_BENCH_FIGURES;
if (figuresFile !== undefined) writeFileSync(figuresFile, JSON.stringify({ runtime, figures: Object.fromEntries(figures) }));
console.log(`(${runtime}: ${((performance.now() - started) / 1000).toFixed(0)} s)`);
