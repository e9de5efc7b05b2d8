import type { DType, Float } from "./dtype.ts";

/**
 * A pool of typed arrays by dtype and length, as PyTorch's caching allocator keeps
 * freed blocks: touching freshly allocated pages is far slower than reusing warm ones.
 *
 * Buffers come back to the pool only when nothing can see them any more: a
 * `FinalizationRegistry` watches each `Storage`, and every Tensor view holds its Storage,
 * so a buffer returns after its last view is garbage-collected. Memory is never detached.
 */
const pools = { float32: new Map<number, Float32Array[]>(), float64: new Map<number, Float64Array[]>() };
const MAX_POOLED_PER_SIZE = 8;
const MIN_POOLED_LENGTH = 1024;

const registry = new FinalizationRegistry<Float>((buffer) => {
  const pool = (buffer instanceof Float32Array ? pools.float32 : pools.float64) as Map<number, Float[]>;
  const list = pool.get(buffer.length);
  if (list === undefined) pool.set(buffer.length, [buffer]);
  else if (list.length < MAX_POOLED_PER_SIZE) list.push(buffer);
});

/** A buffer of `length` elements for `dtype`, zero-filled when `zero` is set. */
export function allocate(dtype: DType, length: number, zero = true): Float {
  if (length >= MIN_POOLED_LENGTH) {
    const list = (dtype === "float32" ? pools.float32 : pools.float64).get(length) as Float[] | undefined;
    const reused = list?.pop();
    if (reused !== undefined) return zero ? reused.fill(0) : reused;
  }
  return dtype === "float32" ? new Float32Array(length) : new Float64Array(length);
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
    if (buffer.length >= MIN_POOLED_LENGTH) registry.register(this, buffer);
  }
}
