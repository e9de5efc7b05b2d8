/**
 * `npm run bench`: gradlab's throughput beside TensorFlow.js's CPU backend on this machine.
 * Prints numbers only (no assertions); every time is the fastest of a few trials.
 *
 * Sections: memory bandwidth (a fused triad, the yardstick for the optimizer steps),
 * elementwise ops at 1M elements, matmul at 128/256/512, per-op overhead on tiny tensors,
 * optimizer steps at 1M and 10M parameters, and full training steps of two MLPs.
 */
import os from "node:os";
import { triadBandwidth } from "./bandwidth.ts";
import { benchElementwise, benchMatmul } from "./ops.ts";
import { benchOptimizers } from "./optimizers.ts";
import { benchOverhead } from "./overhead.ts";
import { loadTfjs } from "./tfjs.ts";
import { num, row, section } from "./timing.ts";
import { benchTraining } from "./training.ts";

const started = performance.now();
const tf = await loadTfjs();
console.log(`gradlab bench: Node ${process.version}, ${os.cpus()[0]?.model ?? "unknown CPU"} (${os.cpus().length} cores), tfjs ${tf.version_core} (${tf.getBackend()})`);

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
await guarded(() => benchTraining(tf));

console.log(`\n(total ${((performance.now() - started) / 1000).toFixed(0)} s)`);
