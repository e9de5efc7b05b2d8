import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// V8 keeps typed-array loops free of detached-buffer checks only while no ArrayBuffer of
// the thread has ever been detached; one detach (under tsx: a CommonJS file big enough to
// make tsx's WebAssembly lexer grow its memory) slows every later loop by 12-43%.
// protector_probe.ts says "intact" or "invalidated" for its main thread.
const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");
const probe = fileURLToPath(new URL("./protector_probe.ts", import.meta.url));
const runProbe = (...args: string[]): string => {
  const run = spawnSync(process.execPath, [tsxCli, probe, ...args], { encoding: "utf8", timeout: 50_000 });
  expect(run.stderr).toBe("");
  return run.stdout;
};

describe("the ArrayBuffer-detaching protector under tsx", () => {
  it("survives loading gradlab, training with Adam and drawing both kinds of chart", () => {
    const out = runProbe();
    expect(out).toContain("trained: 30 steps, chart drawn");
    expect(out).toContain("protector: intact");
  });

  it("is seen to fall by the probe when the script detaches a buffer first", () => {
    const out = runProbe("--break-first");
    expect(out).toContain("protector: invalidated");
  });
});
