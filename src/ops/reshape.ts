import { makeView } from "../tensor/view.ts";
import { record } from "../autograd/node.ts";
import { expandView } from "../kernels/broadcast.ts";
import { Tensor, contiguousStrides, shapeSize } from "../tensor/tensor.ts";
import { unbroadcast } from "./operands.ts";

/** Resolves one -1 in a requested shape, with PyTorch's messages. */
export function inferShape(shape: readonly number[], numel: number): number[] {
  const out = shape.slice();
  const inferred = out.indexOf(-1);
  if (out.lastIndexOf(-1) !== inferred) throw new Error("only one dimension can be inferred");
  for (const s of out) if (s < -1 || !Number.isInteger(s)) throw new Error(`invalid shape dimension ${s}`);
  if (inferred >= 0) {
    const known = shapeSize(out.filter((_, i) => i !== inferred));
    if (known === 0 || numel % known !== 0) {
      throw new Error(`shape '[${shape.join(", ")}]' is invalid for input of size ${numel}`);
    }
    out[inferred] = numel / known;
  }
  if (shapeSize(out) !== numel) throw new Error(`shape '[${shape.join(", ")}]' is invalid for input of size ${numel}`);
  return out;
}

const toShapeArg = (shape: number | readonly number[]): number[] => (typeof shape === "number" ? [shape] : shape.slice());

/**
 * The strides that show memory laid out as `shape`/`stride` in the shape `target` without
 * copying, or null when no strides can (the rule of PyTorch's `computeStride`).
 *
 * ```text
 * split the old dims, right to left, into chunks whose elements are evenly spaced:
 *   dims d−1 and d are in one chunk when size[d−1] = 1 or stride[d−1] = size[d]·stride[d]·…
 * the new dims, right to left, must multiply up to each chunk's element count exactly;
 * inside a chunk of innermost stride s, a new dim's stride is s·(product of the new sizes
 * to its right in that chunk); size-1 new dims at a chunk's boundary join the chunk to
 * their right
 * ```
 */
export function viewStrides(shape: readonly number[], stride: readonly number[], target: readonly number[]): number[] | null {
  if (shape.length === 0) return target.map(() => 1);
  const out = new Array<number>(target.length);
  if (shapeSize(shape) === 0) {
    if (shape.length === target.length && shape.every((s, i) => s === target[i])) return stride.slice();
    // No element to address: strides as for contiguous memory, with 0 sizes counted as 1.
    let s = 1;
    for (let d = target.length - 1; d >= 0; d--) {
      out[d] = s;
      s *= Math.max(target[d]!, 1);
    }
    return out;
  }
  let v = target.length - 1;
  let chunkStride = stride[shape.length - 1]!;
  let chunkSize = 1;
  let viewSize = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    chunkSize *= shape[d]!;
    const chunkEnds = d === 0 || (shape[d - 1] !== 1 && stride[d - 1] !== chunkSize * chunkStride);
    if (!chunkEnds) continue;
    while (v >= 0 && (viewSize < chunkSize || target[v] === 1)) {
      out[v] = viewSize * chunkStride;
      viewSize *= target[v]!;
      v--;
    }
    if (viewSize !== chunkSize) return null;
    if (d > 0) {
      chunkStride = stride[d - 1]!;
      chunkSize = 1;
      viewSize = 1;
    }
  }
  return v === -1 ? out : null;
}

/**
 * A view with a new shape, sharing memory, as `torch.Tensor.view`: possible when every new
 * dim lies within a run of evenly spaced elements (always, for contiguous data; see
 * {@link viewStrides}).
 */
export function view(t: Tensor, shape: number | readonly number[]): Tensor {
  const target = inferShape(toShapeArg(shape), t.numel());
  const stride = viewStrides(t.data.shape, t.data.stride, target);
  if (stride === null) {
    throw new Error(
      "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
    );
  }
  const out = new Tensor(makeView(t.data.data, target, stride, t.data.offset), t.dtype, t.storage)._viewOf(t);
  return record("ViewBackward0", out, [t], (g) => [g.reshape(t.shape.slice())]);
}

/** A tensor with a new shape: a view when `view` could make one, otherwise a contiguous copy. */
export function reshape(t: Tensor, shape: number | readonly number[]): Tensor {
  const target = inferShape(toShapeArg(shape), t.numel());
  const stride = viewStrides(t.data.shape, t.data.stride, target);
  if (stride !== null) {
    const out = new Tensor(makeView(t.data.data, target, stride, t.data.offset), t.dtype, t.storage)._viewOf(t);
    return record("ViewBackward0", out, [t], (g) => [g.reshape(t.shape.slice())]);
  }
  const source = t.contiguous();
  const out = new Tensor(makeView(source.data.data, target, contiguousStrides(target), source.data.offset), t.dtype, source.storage);
  // Current PyTorch names the node of a reshaping view ViewBackward0, and of a reshape
  // that had to copy first UnsafeViewBackward0 (above the copy's CloneBackward0).
  return record("UnsafeViewBackward0", out, [source], (g) => [g.reshape(t.shape.slice())]);
}

declare module "../tensor/tensor.ts" {
  interface Tensor {
    view(shape: number | readonly number[]): Tensor;
    reshape(shape: number | readonly number[]): Tensor;
  }
}

Tensor.prototype.view = function (shape) {
  return view(this, shape);
};
Tensor.prototype.reshape = function (shape) {
  return reshape(this, shape);
};

/** A view broadcast to `shape` (size-1 dims stretched with stride 0; -1 keeps a size). */
export function expand(t: Tensor, shape: readonly number[]): Tensor {
  const lead = shape.length - t.ndim;
  if (lead < 0) {
    throw new Error(
      `expand(${t._typeAndShape()}, size=[${shape.join(", ")}]): the number of sizes provided (${shape.length}) must be greater or equal to the number of dimensions in the tensor (${t.ndim})`,
    );
  }
  const target = shape.map((s, i) => (s === -1 && i >= lead ? t.shape[i - lead]! : s));
  const out = new Tensor(expandView(t.data, target), t.dtype, t.storage)._viewOf(t);
  return record("ExpandBackward0", out, [t], (g) => [unbroadcast(g, t.shape)]);
}

declare module "../tensor/tensor.ts" {
  interface Tensor {
    expand(shape: readonly number[]): Tensor;
  }
}

Tensor.prototype.expand = function (shape) {
  return expand(this, shape);
};
