import { describe, expect, it } from "vitest";
import { runUnderTsx } from "./run_under_tsx.ts";

// V8 keeps typed-array loops free of detached-buffer checks only while no ArrayBuffer of
// the thread has ever been detached; one detach (under tsx: a CommonJS file big enough to
// make tsx's WebAssembly lexer grow its memory) slows every later loop by 12-43%.
// protector_probe.ts says "intact" or "invalidated" for its main thread.
const runProbe = (...args: string[]): string => runUnderTsx("./protector_probe.ts", ...args);

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
