import type { View } from "./view.ts";
import { stridedOffsets } from "./reduce.ts";

/**
 * Gather and its adjoint, scatter-add, along one dim. For every position i of `index`
 * (row-major), with i_dim replaced by the index value:
 *
 * ```text
 * gather:       out[i] = x[i with i_dim ← index[i]]
 * scatter_add:  out[i with i_dim ← index[i]] += src[i]
 * ```
 * `index_select` is a gather whose index is a vector broadcast (stride 0) over the other dims.
 * Index values must already be checked to lie in [0, size of dim).
 */
export function gatherInto(out: View, x: View, index: View, dim: number): View {
  const xStride = x.stride.slice();
  const step = xStride[dim]!;
  xStride[dim] = 0;
  const base = stridedOffsets(index.shape, xStride, x.offset);
  const at = stridedOffsets(index.shape, index.stride, index.offset);
  const o = out.data;
  const xd = x.data;
  const id = index.data;
  for (let k = 0; k < base.length; k++) o[out.offset + k] = xd[base[k]! + id[at[k]!]! * step]!;
  return out;
}

/** Adds `src` (shaped like `index`) into `out` at the gathered positions; `out` is usually zeros. */
export function scatterAddInto(out: View, src: View, index: View, dim: number): View {
  const oStride = out.stride.slice();
  const step = oStride[dim]!;
  oStride[dim] = 0;
  const base = stridedOffsets(index.shape, oStride, out.offset);
  const at = stridedOffsets(index.shape, index.stride, index.offset);
  const from = stridedOffsets(src.shape, src.stride, src.offset);
  const o = out.data;
  const sd = src.data;
  const id = index.data;
  for (let k = 0; k < base.length; k++) {
    const i = base[k]! + id[at[k]!]! * step;
    o[i] = o[i]! + sd[from[k]!]!;
  }
  return out;
}
