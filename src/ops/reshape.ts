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

/** A view with a new shape; the data must be contiguous, as `torch.Tensor.view` requires. */
export function view(t: Tensor, shape: number | readonly number[]): Tensor {
  const target = inferShape(toShapeArg(shape), t.numel());
  if (!t.is_contiguous()) {
    throw new Error(
      "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
    );
  }
  const out = new Tensor(makeView(t.data.data, target, contiguousStrides(target), t.data.offset), t.dtype, t.storage)._viewOf(t);
  return record("ViewBackward0", out, [t], (g) => [g.reshape(t.shape.slice())]);
}

/** A tensor with a new shape: a view when the data is contiguous, otherwise a copy. */
export function reshape(t: Tensor, shape: number | readonly number[]): Tensor {
  const target = inferShape(toShapeArg(shape), t.numel());
  const copied = !t.is_contiguous();
  const source = copied ? t.contiguous() : t;
  const out = new Tensor(makeView(source.data.data, target, contiguousStrides(target), source.data.offset), t.dtype, source.storage);
  if (!copied) out._viewOf(t);
  // Current PyTorch names the node of a reshaping view ViewBackward0, and of a reshape
  // that had to copy first UnsafeViewBackward0 (above the copy's CloneBackward0).
  return record(copied ? "UnsafeViewBackward0" : "ViewBackward0", out, [source], (g) => [g.reshape(t.shape.slice())]);
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
