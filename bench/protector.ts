import { setFlagsFromString } from "node:v8";

/**
 * Whether this thread's ArrayBuffer-detaching protector is still intact (V8 then compiles
 * typed-array loops without detached-buffer checks). The probe optimises a function that
 * reads a typed array: while the protector holds, V8 compiles it without the check and
 * registers a dependency on the protector, so detaching a buffer then throws that code
 * away; if the protector had already fallen, the code has no such dependency and stays.
 * The probe's own detach invalidates the protector: call this last.
 */
export function protectorIntact(): boolean {
  setFlagsFromString("--allow-natives-syntax");
  const natives = (body: string) => new Function("f", body) as (f: unknown) => number;
  const prepare = natives("%PrepareFunctionForOptimization(f)");
  const optimiseNext = natives("%OptimizeFunctionOnNextCall(f)");
  const status = natives("return %GetOptimizationStatus(f)");
  const OPTIMIZED = 1 << 4;
  const read = new Function("a", "return a[0] + a[1];") as (a: Float64Array) => number;
  const probe = new Float64Array(2);
  prepare(read);
  read(probe);
  read(probe);
  optimiseNext(read);
  read(probe);
  if ((status(read) & OPTIMIZED) === 0) throw new Error("the protector probe could not optimise its function");
  detachOne();
  return (status(read) & OPTIMIZED) === 0;
}

/** Detaches a fresh 8-byte buffer (by transferring it). */
export function detachOne(): void {
  const buffer = new ArrayBuffer(8);
  structuredClone(buffer, { transfer: [buffer] });
}
