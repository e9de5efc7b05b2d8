/**
 * `npm run bench`: gradlab's throughput beside TensorFlow.js's CPU backend on this machine,
 * measured twice: from an esbuild bundle under plain node (how a packaged app runs) and
 * under tsx (how the tutorials run). Both runs print their own tables (bench/cases.ts).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

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
  const runs: [string, string[]][] = [
    ["esbuild bundle, plain node", [bundle]],
    ["tsx", ["--import", "tsx", here("./cases.ts")]],
  ];
  for (const [runtime, args] of runs) {
    const result = spawnSync(process.execPath, args, {
      stdio: "inherit",
      env: { ...process.env, GRADLAB_BENCH_RUNTIME: runtime, GRADLAB_BENCH_TFJS: pathToFileURL(tfjs).href },
    });
    if (result.status !== 0) process.exitCode = result.status ?? 1;
    console.log("");
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
