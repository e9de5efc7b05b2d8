import { type View, contiguousStrides, isContiguous, makeView, shapeSize } from "../kernels/view.ts";
import { type DType, type Float, legacyTypeName } from "./dtype.ts";
import { Storage, allocate } from "./storage.ts";

export type { View } from "../kernels/view.ts";
export { contiguousStrides, isContiguous, shapeSize } from "../kernels/view.ts";

/**
 * What a tensor knows of the backward node that made it. The tape (`autograd/node.ts`,
 * a layer above) merges its `Node` class into this interface, so `t.grad_fn` is a `Node`
 * wherever the tape is loaded, without this file importing it.
 */
export interface GradFn {
  /** PyTorch's name for the node, e.g. `MulBackward0`. */
  readonly name: string;
  /** A non-leaf output that asked to keep its gradient (`retain_grad`). */
  retained: Tensor | null;
}

/** Nested arrays of numbers, as `tolist()` returns and `tensor()` accepts. */
export type NestedArray = number | NestedArray[];

/**
 * An n-dimensional array of float32, float64 or int64 numbers that can record the
 * operations applied to it, so that `backward()` can compute gradients.
 *
 * The numbers live in a {@link Storage} (a typed array shared by every view of it);
 * `data` is an `ndarray` view over it with its own shape, stride and offset, so
 * `transpose`, `narrow`, `expand` and reshaping contiguous data make views, not copies.
 *
 * Operations (`add`, `matmul`, `sum` …) are functions in `src/ops/`, attached to this
 * class as methods by `src/methods.ts`; this file holds only what every tensor is.
 *
 * @example
 * ```ts
 * import { tensor } from "gradlab";
 * const x = tensor([[1, 2], [3, 4]], { requires_grad: true });
 * const y = x.mul(x).sum();
 * y.backward();
 * console.log(x.grad!.tolist()); // [[2, 4], [6, 8]]
 * ```
 */
export class Tensor {
  /** The strided view over `storage.buffer`. */
  data: View;
  /** The memory (and version counter) shared with every other view of it. */
  storage: Storage;
  readonly dtype: DType;
  private _requires_grad = false;
  private _grad: Tensor | null = null;
  /** The backward node that made this tensor, or null for a leaf. */
  grad_fn: GradFn | null = null;
  /** True when a non-leaf tensor keeps its gradient in `.grad` (see `retain_grad`). */
  retains_grad = false;
  /** The tensor this one is a view of (PyTorch's `_base`), or null if it owns its layout. */
  _base: Tensor | null = null;
  /** The backward run that last met this tensor as a leaf, and its slot in that run (autograd/backward.ts). */
  _run = 0;
  _slot = 0;
  constructor(data: View, dtype: DType, storage?: Storage, requires_grad = false) {
    this.data = data;
    this.dtype = dtype;
    this.storage = storage ?? new Storage(data.data);
    this.requires_grad = requires_grad;
  }

  /** Whether autograd records operations on this tensor (only floating-point leaves may be set to true). */
  get requires_grad(): boolean {
    return this._requires_grad;
  }

  set requires_grad(requires_grad: boolean) {
    if (requires_grad && this.dtype === "int64" && this.grad_fn === null) {
      throw new Error("only Tensors of floating point and complex dtype can require gradients");
    }
    this._requires_grad = requires_grad;
  }

  /**
   * The gradient accumulated by `backward()` (leaves, and tensors that `retain_grad()`).
   * Assigning checks it as PyTorch does: a Tensor or null, of this tensor's dtype and size.
   */
  get grad(): Tensor | null {
    return this._grad;
  }

  set grad(grad: Tensor | null) {
    if (grad !== null) checkAssignedGrad(this, grad);
    this._grad = grad;
  }

  /** The size of each dimension. Treat it as read-only. */
  get shape(): readonly number[] {
    return this.data.shape;
  }

  /** The number of dimensions. */
  /** Whether the tensor is sparse (a `SparseTensor`, which overrides this); false for ordinary tensors. */
  get is_sparse(): boolean {
    return false;
  }

  /**
   * A copy made by the tensor's own layout, for `clone` to dispatch on (a `SparseTensor`
   * overrides this to copy its indices and values); null for an ordinary tensor, whose
   * elements `clone` copies itself.
   */
  _cloneLayout(): Tensor | null {
    return null;
  }

  get ndim(): number {
    return this.data.shape.length;
  }

  dim(): number {
    return this.data.shape.length;
  }

  /** The size of dimension `dim` (negative counts from the end), or the whole shape. */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number | number[] {
    if (dim === undefined) return this.data.shape.slice();
    return this.data.shape[normalizeDim(dim, this.ndim)]!;
  }

  stride(): number[] {
    return this.data.stride.slice();
  }

  /** The number of elements. */
  numel(): number {
    return this.data.size;
  }

  /** A leaf is a tensor not made by a recorded operation (so `grad_fn` is null). */
  get is_leaf(): boolean {
    return this.grad_fn === null;
  }

  /** The version counter autograd checks: every in-place change increments it. */
  get _version(): number {
    return this.storage.version;
  }

  /** Marks an in-place change of this tensor's memory. */
  _bumpVersion(): void {
    this.storage.version++;
  }

  /** True when the elements are laid out in row-major order with no gaps. */
  is_contiguous(): boolean {
    return isContiguous(this.data);
  }

  /** The value of a one-element tensor as a number. */
  item(): number {
    if (this.data.size !== 1) {
      throw new Error(`a Tensor with ${this.data.size} elements cannot be converted to Scalar`);
    }
    return this.data.data[firstIndex(this.data)]!;
  }

  /** The elements as (nested) arrays of numbers; a 0-d tensor gives a number. */
  tolist(): NestedArray {
    return nestedFrom(this.data, 0, this.data.offset);
  }

  /** The elements in row-major order as a new typed array of this dtype. */
  toTypedArray(): Float {
    return contiguousBuffer(this.data, this.dtype);
  }

  /** Sets `requires_grad` in place (leaves only) and returns this tensor. */
  requires_grad_(requires_grad = true): this {
    if (requires_grad && this.dtype === "int64") throw new Error("only Tensors of floating point dtype can require gradients");
    if (!requires_grad && !this.is_leaf) {
      throw new Error(
        "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().",
      );
    }
    this.requires_grad = requires_grad;
    return this;
  }

  /** Makes a non-leaf tensor keep its gradient in `.grad` after `backward()`. */
  retain_grad(): void {
    if (!this.requires_grad) throw new Error("can't retain_grad on Tensor that has requires_grad=False");
    if (this.is_leaf) return;
    this.retains_grad = true;
    this.grad_fn!.retained = this;
  }

  /** Marks this tensor as a view of `base` (its ultimate base, as PyTorch records it) and returns it. */
  _viewOf(base: Tensor): this {
    this._base = base._base ?? base;
    return this;
  }

  /** A view of the same memory that autograd does not track. */
  detach(): Tensor {
    return new Tensor(this.data, this.dtype, this.storage);
  }

  /** Detaches this tensor from the graph that made it, in place. */
  detach_(): this {
    this.grad_fn = null;
    this.requires_grad = false;
    return this;
  }

  /** PyTorch's name for this tensor's type in autograd messages, e.g. `torch.FloatTensor [3, 4]`. */
  _typeAndShape(): string {
    return `${legacyTypeName(this.dtype)} [${this.data.shape.join(", ")}]`;
  }
}

/** Normalises a possibly negative dim into [0, ndim), with PyTorch's message when out of range. */
export function normalizeDim(dim: number, ndim: number): number {
  const rank = Math.max(ndim, 1);
  if (!Number.isInteger(dim) || dim < -rank || dim >= rank) {
    throw new Error(`Dimension out of range (expected to be in range of [${-rank}, ${rank - 1}], but got ${dim})`);
  }
  return dim < 0 ? dim + rank : dim;
}

/** The buffer index of the first element of a view. */
const firstIndex = (view: View): number => view.offset;

/** A new contiguous view of `shape` over fresh, zero-filled memory. */
export function emptyView(dtype: DType, shape: readonly number[]): View {
  const buffer = allocate(dtype, shapeSize(shape));
  return makeView(buffer, shape.slice(), contiguousStrides(shape), 0);
}

/** A tensor over fresh memory (see `emptyView`). */
export function emptyTensor(dtype: DType, shape: readonly number[]): Tensor {
  return new Tensor(emptyView(dtype, shape), dtype);
}

/** Copies a view's elements, in row-major order, into a new typed array of `dtype`. */
export function contiguousBuffer(view: View, dtype: DType): Float {
  const out = dtype === "float32" ? new Float32Array(view.size) : new Float64Array(view.size);
  const data = view.data;
  if (isContiguous(view)) {
    const start = view.offset;
    if (data instanceof Float64Array === out instanceof Float64Array) {
      out.set(data.subarray(start, start + view.size));
    } else {
      for (let i = 0; i < out.length; i++) out[i] = data[start + i]!;
    }
    return out;
  }
  copyStrided(out, view, 0, view.offset, 0);
  return out;
}

// The two walks below are module-level functions, not closures made on each call: under
// tsx (esbuild's keepNames) a named closure is renamed with an Object.defineProperty call
// every time it is made (test/speed/renames.test.ts).

/** Copies the elements of `view` below dimension `dim` at `offset` into `out` from index `k`; returns the index after them. */
function copyStrided(out: Float, view: View, dim: number, offset: number, k: number): number {
  if (dim === view.shape.length) {
    out[k] = view.data[offset]!;
    return k + 1;
  }
  let next = k;
  for (let i = 0; i < view.shape[dim]!; i++) next = copyStrided(out, view, dim + 1, offset + i * view.stride[dim]!, next);
  return next;
}

/** The elements of `view` below dimension `dim` at `offset` as nested arrays (a number at the last). */
function nestedFrom(view: View, dim: number, offset: number): NestedArray {
  if (dim === view.shape.length) return view.data[offset]!;
  const out: NestedArray[] = new Array(view.shape[dim]!);
  for (let i = 0; i < view.shape[dim]!; i++) out[i] = nestedFrom(view, dim + 1, offset + i * view.stride[dim]!);
  return out;
}

/** PyTorch's spelling of a dtype in the messages of the `grad` setter (C++ type names). */
const CPP_TYPE_NAMES: Record<DType, string> = { float32: "float", float64: "double", int64: "long int" };

/** The checks of `tensor.grad = grad`, with PyTorch's messages (python_variable.cpp, THPVariable_set_grad). */
function checkAssignedGrad(self: Tensor, grad: unknown): void {
  if (!(grad instanceof Tensor)) {
    const type =
      grad === undefined
        ? "NoneType"
        : Array.isArray(grad)
          ? "list"
          : typeof grad === "object"
            ? "dict"
            : typeof grad === "number"
              ? Number.isInteger(grad)
                ? "int"
                : "float"
              : typeof grad;
    throw new TypeError(`assigned grad expected to be a Tensor or None but got grad of type ${type}`);
  }
  if (grad === self) throw new Error("can't assign Variable as its own grad");
  if (grad.dtype !== self.dtype) {
    throw new Error(
      `attempting to assign a gradient with dtype '${CPP_TYPE_NAMES[grad.dtype]}' to a tensor with dtype '${CPP_TYPE_NAMES[self.dtype]}'. Please ensure that the gradient and the tensor have the same dtype`,
    );
  }
  const a = grad.shape;
  const b = self.shape;
  if (a.length !== b.length || a.some((n, i) => n !== b[i])) {
    throw new Error(
      `attempting to assign a gradient of size '[${a.join(", ")}]' to a tensor of size '[${b.join(", ")}]'. Please ensure that the gradient and the tensor are the same size`,
    );
  }
}
