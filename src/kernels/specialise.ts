let copies = 0;

/**
 * A private copy of a loop function, compiled from the same source.
 *
 * Kernels take their per-element function `f` as an argument. When one loop serves many
 * kernels, V8 sees many different `f` at the call site and stops inlining it, which makes
 * every elementwise op several times slower. Giving each kernel its own copy of the loop
 * (made distinct by a trailing comment, or V8 would reuse the cached compilation) keeps
 * each call site monomorphic, so `f` is inlined as if the loop were written by hand.
 *
 * The loop must reference only its parameters and globals such as `Math`.
 */
export function specialise<F extends (...args: never[]) => unknown>(loop: F): F {
  return new Function(`return (${loop.toString()}); // copy ${copies++}`)() as F;
}

/**
 * The specialised loops of one optimizer, made from one source: `family.get(key)` is the
 * loop for an option set (the key packs dtype and options into a small integer), and
 * `family.make(key, settings)` builds it the first time, from a private copy of `factory`
 * called with those settings.
 *
 * The factory reads its settings into `const`s and returns the loop as a closure over
 * them. Because each copy makes exactly one closure, V8 compiles that closure with its
 * context as constants: the option tests fold away and the rounding functions inline, so
 * every (dtype, option set) runs its own monomorphic loop with no option branch inside.
 * A traced variant (one more setting, e.g. a recorder of the named terms) can be made
 * from the same source the same way.
 */
export class LoopFamily<S, L> {
  private readonly loops: (L | undefined)[] = [];
  private readonly factory: (settings: S) => L;

  constructor(factory: (settings: S) => L) {
    this.factory = factory;
  }

  /** The loop made for `key`, if any. */
  get(key: number): L | undefined {
    return this.loops[key];
  }

  /** Makes (once) and returns the loop for `key` from `settings`. */
  make(key: number, settings: S): L {
    const loop = specialise(this.factory)(settings);
    this.loops[key] = loop;
    return loop;
  }
}
