/**
 * The typed arrays an optimizer's `update` loop runs on: a tensor's elements in row-major
 * order, as the tensor's own memory when it is contiguous (no copy, the usual case) or as a
 * contiguous copy of a strided view, and the writing back of a strided parameter's copy.
 */
import { Tensor } from "../methods.ts";
import { copyInto } from "../kernels/elementwise.ts";
import { contiguousBuffer, emptyTensor } from "../tensor/tensor.ts";
import type { Float } from "../tensor/dtype.ts";

/** The elements of `t` in row-major order: its own memory when contiguous (a subarray, no copy), else a copy. */
export function elementsOf(t: Tensor): Float {
  if (!t.is_contiguous()) return contiguousBuffer(t.data, t.dtype);
  const buffer = t.data.data;
  const n = t.numel();
  return t.data.offset === 0 && buffer.length === n ? buffer : buffer.subarray(t.data.offset, t.data.offset + n);
}

/**
 * Writes `elements` (what {@link elementsOf} gave for `param`, updated) back into `param`:
 * nothing to do for a contiguous parameter, whose elements are its own memory; a copy into
 * the strided view otherwise.
 */
export function storeElements(param: Tensor, elements: Float): void {
  if (param.is_contiguous()) return;
  const flat = emptyTensor(param.dtype, param.shape);
  flat.data.data.set(elements);
  copyInto(param.data, flat.data);
}
