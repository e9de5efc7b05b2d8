/**
 * `npm run bench`: gradlab's throughput beside hand-written references, TensorFlow.js's CPU
 * backend and (when /usr/bin/python3 has it) PyTorch on one thread, on this machine,
 * measured twice: from an esbuild bundle under plain node (how a packaged app runs) and
 * under tsx (how the tutorials run). Both runs print their own tables (bench/cases.ts),
 * then this prints each figure's tsx ÷ bundle ratio (bench/runtimes.ts). PyTorch runs
 * once, first (bench/torch_cases.py), and both runs print its figures. Every figure is
 * CPU time of the measuring thread, so that load drifting between the runs (this machine
 * is shared) does not move the ratios across them (bench/timing.ts).
 *
 * Environment: GRADLAB_BENCH_NO_TORCH=1 leaves torch out; GRADLAB_BENCH_ONLY=matmul,training
 * runs only those sections (names in bench/cases.ts); GRADLAB_BENCH_RUNTIMES=node or tsx
 * runs only that one; GRADLAB_BENCH_TORCH=file.json reuses torch figures an earlier run wrote
 * (bench/torch_cases.py file.json) instead of measuring them again.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { printRuntimeRatios } from "./runtimes.ts";
import { runTorch } from "./torch.ts";

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "gradlab-bench-"));
try {
  const bundle = join(dir, "cases.mjs");
  const tfjs = join(dir, "tfjs.mjs");
  const common = { bundle: true, platform: "node", format: "esm", logLevel: "warning" } as const;
  // gradlab and the bench in one file; tfjs in another, so both runs load the same tfjs.
  await build({ ...common, entryPoints: [here("./cases.ts")], outfile: bundle, alias: { gradlab: here("../src/index.ts") } });
  // tfjs is CommonJS inside: give the ES module a `require`, and keep the backend's
  // side-effect import (its package.json marks it side-effect free).
  const banner = { js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);' };
  await build({ ...common, entryPoints: [here("./tfjs.ts")], outfile: tfjs, banner, ignoreAnnotations: true });
  // torch's figures: a JSON file given in GRADLAB_BENCH_TORCH (from an earlier run) is reused
  const given = process.env.GRADLAB_BENCH_TORCH;
  const torch = given !== undefined && existsSync(given) ? given : join(dir, "torch.json");
  if (torch === given) console.log(`PyTorch column: reusing ${given}`);
  else if (process.env.GRADLAB_BENCH_NO_TORCH) writeFileSync(torch, JSON.stringify({ unavailable: "left out (GRADLAB_BENCH_NO_TORCH is set)" }));
  else runTorch(torch);
  const runs: [string, string, string[]][] = [
    ["node", "esbuild bundle, plain node", [bundle]],
    ["tsx", "tsx", ["--import", "tsx", here("./cases.ts")]],
  ];
  const wanted = process.env.GRADLAB_BENCH_RUNTIMES?.split(",") ?? ["node", "tsx"];
  // each run writes its figures here, for the tsx ÷ bundle table
  const figuresOf = (key: string): string => join(dir, `figures-${key}.json`);
  for (const [key, runtime, args] of runs.filter(([key]) => wanted.includes(key))) {
    const result = spawnSync(process.execPath, args, {
      stdio: "inherit",
      env: {
        ...process.env,
        GRADLAB_BENCH_RUNTIME: runtime,
        GRADLAB_BENCH_TFJS: pathToFileURL(tfjs).href,
        GRADLAB_BENCH_TORCH: torch,
        GRADLAB_BENCH_FIGURES: figuresOf(key),
      },
    });
    if (result.status !== 0) process.exitCode = result.status ?? 1;
    console.log("");
  }
  printRuntimeRatios(figuresOf("node"), figuresOf("tsx"));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
