let copies = 0;

/** What esbuild's `__name(fn, name)` does, minus the name: the function itself (see {@link specialise}). */
const keepName = <T>(fn: T): T => fn;

/**
 * A private copy of a loop function, compiled from the same source.
 *
 * Kernels take their per-element function `f` as an argument. When one loop serves many
 * kernels, V8 sees many different `f` at the call site and stops inlining it, which makes
 * every elementwise op several times slower. Giving each kernel its own copy of the loop
 * (made distinct by a trailing comment, or V8 would reuse the cached compilation) keeps
 * each call site monomorphic, so `f` is inlined as if the loop were written by hand.
 *
 * The loop must reference only its parameters and globals such as `Math`. One exception is
 * made for the loader: tsx (esbuild's keepNames) rewrites a named inner function as
 * `__name(f, "f")`, a helper of the module that the copy cannot see, so the copy gets a
 * `__name` of its own that returns the function as it is.
 */
export function specialise<F extends (...args: never[]) => unknown>(loop: F): F {
  return new Function("__name", `return (${loop.toString()}); // copy ${copies++}`)(keepName) as F;
}

import type { Rounding } from "./rounding.ts";

/**
 * How many times {@link LoopFamily.make} runs a new loop on small arrays before its first real
 * call. V8 allocates a function's feedback vector only after it has run a budget of bytecode;
 * a loop that does one iteration per warm call (two elements per iteration, as Adam's) may
 * not have reached it after a dozen calls, and its first real call then leaves the entry
 * code without feedback: the optimised code deoptimises there ("insufficient type feedback",
 * bytecode offset 2) and the loop keeps running its slower on-stack-replacement code.
 */
const WARM_CALLS = 40;

/**
 * The specialised loops of one optimizer, made from one source: `family.get(key)` is the
 * loop for an option set (the key packs dtype and options into a small integer), and
 * `family.make(key, settings)` builds it the first time, from a private copy of `factory`
 * called with those settings. A loop takes its arrays first (`arrays` of them, the
 * parameter's elements first), then its scalars.
 *
 * The factory reads its settings into `const`s and returns the loop as a closure over
 * them. Because each copy makes exactly one closure, V8 compiles that closure with its
 * context as constants: the option tests fold away and the rounding functions inline, so
 * every (dtype, option set) runs its own monomorphic loop with no option branch inside.
 * A variant with one more setting (`family.variant(key, bit, changes)`) is made from the
 * same source the same way: the traced loops of `lab.inspect`, which also record the named
 * terms of the elements they update (src/optim/step_trace.ts).
 *
 * Two habits keep the compiled loop that tight from the first step on:
 * - the loop starts by unboxing its scalar arguments once (`eps *= 1`): V8 otherwise checks
 *   and unboxes a number argument at every use, inside the loop;
 * - `make` runs the new loop a few times on fresh two-element arrays of the dtype (and
 *   scalars 0.5, so the feedback says "number", not "small integer") before the real
 *   call. A new function runs
 *   its first call without type feedback, so the first long loop would be compiled while
 *   the code before the loop has none: the optimised code then deoptimises at its first
 *   instruction on the next call, and the loop keeps running in the slower on-stack-
 *   replacement code (which is compiled without the constant context) for many steps.
 */
export class LoopFamily<S extends { rounding: Rounding }, L extends (...args: never[]) => void> {
  private readonly loops: (L | undefined)[] = [];
  private readonly settings: (S | undefined)[] = [];
  private readonly arrays: number;
  private readonly factory: (settings: S) => L;

  constructor(arrays: number, factory: (settings: S) => L) {
    this.arrays = arrays;
    this.factory = factory;
  }

  /** The loop made for `key`, if any. */
  get(key: number): L | undefined {
    return this.loops[key];
  }

  /** Makes (once), warms and returns the loop for `key` from `settings`. */
  make(key: number, settings: S): L {
    const loop = specialise(this.factory)(settings);
    const Elements = settings.rounding.round === Math.fround ? Float32Array : Float64Array;
    const args = Array.from({ length: loop.length }, (_, i) => (i < this.arrays ? new Elements(2).fill(0.5) : 0.5));
    const run = loop as unknown as (...a: unknown[]) => void;
    for (let i = 0; i < WARM_CALLS; i++) run(...args);
    this.loops[key] = loop;
    this.settings[key] = settings;
    return loop;
  }

  /**
   * The variant of the loop made for `key` whose settings differ by `changes`, kept under
   * `key | bit` (a bit no option uses): the traced loops of `lab.inspect`.
   */
  variant(key: number, bit: number, changes: Partial<S>): L {
    const base = this.settings[key];
    if (base === undefined) throw new Error(`no loop was made for key ${key}`);
    return this.get(key | bit) ?? this.make(key | bit, { ...base, ...changes });
  }
}
