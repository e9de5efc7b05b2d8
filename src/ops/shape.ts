import { makeView } from "../kernels/view.ts";
import { record } from "../autograd/node.ts";
import { copyInto } from "../kernels/elementwise.ts";
import { Tensor, emptyTensor, normalizeDim } from "../tensor/tensor.ts";
import { reductionDims } from "./operands.ts";
import { reshape } from "./reshape.ts";

/**
 * Views that rearrange dimensions without copying: `transpose`, `t`, `permute`,
 * `squeeze`, `unsqueeze`, `narrow`, and `flatten` (a view when the data allows).
 * Each returns a tensor sharing the input's storage, with new shape, strides and offset;
 * its backward rule applies the inverse rearrangement to the gradient.
 */

/** A tensor over `t`'s storage with the given layout (a view, as PyTorch's `as_strided`). */
export function viewOf(t: Tensor, shape: number[], stride: number[], offset: number): Tensor {
  return new Tensor(makeView(t.data.data, shape, stride, offset), t.dtype, t.storage)._viewOf(t);
}

/** A view with dimensions `dim0` and `dim1` swapped. */
export function transpose(t: Tensor, dim0: number, dim1: number): Tensor {
  const a = normalizeDim(dim0, t.ndim);
  const b = normalizeDim(dim1, t.ndim);
  const shape = t.data.shape.slice();
  const stride = t.data.stride.slice();
  if (t.ndim > 0) {
    [shape[a], shape[b]] = [shape[b]!, shape[a]!];
    [stride[a], stride[b]] = [stride[b]!, stride[a]!];
  }
  const out = viewOf(t, shape, stride, t.data.offset);
  return record("TransposeBackward0", out, [t], (g) => [transpose(g, a, b)]);
}

/** The transpose of a matrix; a 0-d or 1-d tensor is returned as a view of itself. */
export function t(x: Tensor): Tensor {
  if (x.ndim > 2) throw new Error(`t() expects a tensor with <= 2 dimensions, but self is ${x.ndim}D`);
  const shape = x.data.shape.slice().reverse();
  const stride = x.data.stride.slice().reverse();
  const out = viewOf(x, shape, stride, x.data.offset);
  return record("TBackward0", out, [x], (g) => [t(g)]);
}

/** A view whose dimension i is the input's dimension `dims[i]`. */
export function permute(t: Tensor, dims: readonly number[]): Tensor {
  if (dims.length !== t.ndim) {
    throw new Error(
      `permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${t.ndim} is not equal to len(dims) = ${dims.length}`,
    );
  }
  const order = dims.map((d) => normalizeDim(d, t.ndim));
  if (new Set(order).size !== order.length) throw new Error("permute(): duplicate dims are not allowed.");
  const shape = order.map((d) => t.data.shape[d]!);
  const stride = order.map((d) => t.data.stride[d]!);
  const inverse = new Array<number>(order.length);
  order.forEach((d, i) => (inverse[d] = i));
  const out = viewOf(t, shape, stride, t.data.offset);
  return record("PermuteBackward0", out, [t], (g) => [permute(g, inverse)]);
}

/**
 * A view without size-1 dimensions: all of them, or only those among `dim` (a number
 * or an array; listed dims whose size is not 1 are left alone, as in PyTorch).
 */
export function squeeze(t: Tensor, dim?: number | readonly number[] | null): Tensor {
  // A list goes through PyTorch's dim_list_to_bitset checks (range, no repeats).
  const listed = dim === undefined || dim === null ? null : typeof dim === "number" ? [normalizeDim(dim, t.ndim)] : reductionDims(dim, t.ndim);
  const shape: number[] = [];
  const stride: number[] = [];
  t.data.shape.forEach((s, d) => {
    if (s === 1 && (listed === null || listed.includes(d))) return;
    shape.push(s);
    stride.push(t.data.stride[d]!);
  });
  const out = viewOf(t, shape, stride, t.data.offset);
  const name = listed === null ? "SqueezeBackward0" : typeof dim === "number" ? "SqueezeBackward1" : "SqueezeBackward2";
  return record(name, out, [t], (g) => [reshape(g, t.shape.slice())]);
}

/** A view with a size-1 dimension inserted at position `dim` (in [−ndim−1, ndim]). */
export function unsqueeze(t: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, t.ndim + 1);
  const shape = t.data.shape.slice();
  const stride = t.data.stride.slice();
  // The new dim's stride does not matter (its size is 1); PyTorch uses size·stride of the next dim.
  const next = d < t.ndim ? shape[d]! * stride[d]! : 1;
  shape.splice(d, 0, 1);
  stride.splice(d, 0, next);
  const out = viewOf(t, shape, stride, t.data.offset);
  return record("UnsqueezeBackward0", out, [t], (g) => [squeeze(g, d)]);
}

/** Options of `flatten`: the first and last dims merged into one (default: all). */
export interface FlattenOptions {
  start_dim?: number;
  end_dim?: number;
}

/** Merges dims `start_dim` … `end_dim` into one, as `reshape` would (a view when contiguous). */
export function flatten(t: Tensor, options: number | FlattenOptions = {}): Tensor {
  if (typeof options === "number") options = { start_dim: options };
  const start = normalizeDim(options.start_dim ?? 0, t.ndim);
  const end = normalizeDim(options.end_dim ?? -1, t.ndim);
  if (start > end) throw new Error("flatten() has invalid args: start_dim cannot come after end_dim");
  if (t.ndim === 0) return reshape(t, [1]);
  if (start === end) return t;
  const shape = t.shape.slice(0, start);
  shape.push(t.shape.slice(start, end + 1).reduce((a, b) => a * b, 1));
  shape.push(...t.shape.slice(end + 1));
  return reshape(t, shape);
}

/** A view of `length` consecutive entries of dimension `dim`, from `start` (negative counts from the end). */
export function narrow(t: Tensor, dim: number, start: number, length: number): Tensor {
  if (t.ndim === 0) throw new Error("narrow() cannot be applied to a 0-dim tensor.");
  if (length < 0) throw new Error("narrow(): length must be non-negative.");
  const d = normalizeDim(dim, t.ndim);
  const size = t.shape[d]!;
  if (start < -size || start > size) {
    throw new Error(`start out of range (expected to be in range of [${-size}, ${size}], but got ${start})`);
  }
  const begin = start < 0 ? start + size : start;
  if (begin + length > size) {
    throw new Error(`start (${begin}) + length (${length}) exceeds dimension size (${size}).`);
  }
  const shape = t.data.shape.slice();
  shape[d] = length;
  const out = viewOf(t, shape, t.data.stride.slice(), t.data.offset + begin * t.data.stride[d]!);
  return record("SliceBackward0", out, [t], (g) => [embedSlice(g, t.shape, d, begin)]);
}

/**
 * The gradient of `narrow`: zeros of `shape` with `g` written at entries begin … begin+len
 * of dimension `dim` (PyTorch's `slice_backward`). Its own backward narrows again, so
 * gradients of gradients work.
 */
export function embedSlice(g: Tensor, shape: readonly number[], dim: number, begin: number): Tensor {
  const out = emptyTensor(g.dtype, shape);
  const target = out.data.lo(...shape.map((_, i) => (i === dim ? begin : 0))).hi(...g.shape);
  copyInto(target, g.data);
  return record("SliceBackwardBackward0", out, [g], (gg) => [narrow(gg, dim, begin, g.shape[dim]!)]);
}
