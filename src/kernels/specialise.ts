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
