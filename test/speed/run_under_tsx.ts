import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");

/**
 * Runs a probe script of this folder under tsx, the way tutorials run (vitest compiles
 * differently, so what only tsx does is seen only this way), and returns what it printed;
 * it must print nothing to stderr.
 */
export function runUnderTsx(probe: string, ...args: string[]): string {
  const file = fileURLToPath(new URL(probe, import.meta.url));
  const run = spawnSync(process.execPath, [tsxCli, file, ...args], { encoding: "utf8", timeout: 50_000 });
  expect(run.stderr).toBe("");
  return run.stdout;
}
