import type { Float } from "./view.ts";

/**
 * The first position k of `index` (in order) whose value lies outside [0, size), skipping
 * values equal to `skip` (PyTorch's `ignore_index`; null skips none), or −1 when every value
 * is in range. Callers check indices with it before a kernel that trusts them, and throw
 * PyTorch's message for the value found.
 */
export function firstOutOfRange(index: Float, size: number, skip: number | null): number {
  for (let k = 0; k < index.length; k++) {
    const i = index[k]!;
    if (i !== skip && (i < 0 || i >= size)) return k;
  }
  return -1;
}
