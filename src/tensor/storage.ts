import type { DType, Float } from "./dtype.ts";

/**
 * Where tensors get their memory.
 *
 * Small buffers (up to `SMALL_LENGTH` elements) are cut from shared slabs: creating a
 * typed array of its own costs about 3 µs (an external backing store), a view into a
 * slab about 0.3 µs, and tiny models make thousands of small tensors per step. A slab is
 * never reused: it is simply dropped when full, and the garbage collector frees it once
 * its last view is gone, so no bookkeeping can hand out memory that is still in use.
 *
 * Large buffers are typed arrays of their own. (A pool refilled by a
 * `FinalizationRegistry` was tried and removed: its callbacks run only between tasks, so
 * in a synchronous training loop it held every buffer alive until the loop ended.)
 * Memory is never detached: detaching any ArrayBuffer slows every typed-array loop.
 */
const SMALL_LENGTH = 4096;
const SLAB_LENGTH = 1 << 16;

interface Slab {
  array: Float;
  used: number;
}

const slabs: Record<"float32" | "float64", Slab> = {
  float32: { array: new Float32Array(SLAB_LENGTH), used: 0 },
  float64: { array: new Float64Array(SLAB_LENGTH), used: 0 },
};

/** A buffer of `length` elements for `dtype` (int64 is stored in a Float64Array), zero-filled. */
export function allocate(dtype: DType, length: number): Float {
  const kind = dtype === "float32" ? "float32" : "float64";
  if (length > SMALL_LENGTH) return kind === "float32" ? new Float32Array(length) : new Float64Array(length);
  let slab = slabs[kind];
  if (slab.used + length > SLAB_LENGTH) {
    slab = slabs[kind] = { array: kind === "float32" ? new Float32Array(SLAB_LENGTH) : new Float64Array(SLAB_LENGTH), used: 0 };
  }
  const start = slab.used;
  slab.used += length;
  // the constructor rather than subarray(): subarray looks up the array's species
  // constructor on every call and costs about three times as much
  return kind === "float32" ? new Float32Array(slab.array.buffer, 4 * start, length) : new Float64Array(slab.array.buffer, 8 * start, length);
}

/**
 * The memory one or more tensor views share, with the version counter autograd uses to
 * notice in-place changes to a tensor it saved for backward.
 */
export class Storage {
  readonly buffer: Float;
  version = 0;
  constructor(buffer: Float) {
    this.buffer = buffer;
  }
}
