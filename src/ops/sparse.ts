/**
 * Sparse COO tensors, as PyTorch's `torch.sparse_coo` layout, for the gradients that
 * `nn.Embedding(..., { sparse: true })` and `F.embedding(..., { sparse: true })` produce:
 * `indices()` is an int64 tensor of shape [sparse_dim, nnz], `values()` has shape
 * [nnz, ...dense dims], and the tensor stands for the dense tensor of shape `size` that is
 * zero except at the listed positions, where repeated positions add up.
 *
 * ```text
 * uncoalesced   entries in the order they were made, positions may repeat (what backward gives)
 * coalesce()    positions sorted and distinct, repeated ones summed in the order they came
 * to_dense()    zeros, then every entry added in order
 * ```
 * The methods a SparseTensor overrides are attached to its prototype in the class's static
 * block (as properties, the way `methods.ts` attaches Tensor's), and declared with their
 * sparse result types. Only the operations below (and the optimizers, clipping and `zero_grad` that accept
 * sparse gradients) understand the layout; other tensor methods see a zero tensor, so call
 * `to_dense()` first, as PyTorch asks for most ops.
 */
import { addRowsInto, coalescePlan, sparseRounding } from "../kernels/sparse_rows.ts";
import { makeView } from "../kernels/view.ts";
import type { DType } from "../tensor/dtype.ts";
import { tensorRepr } from "../tensor/print.ts";
import { Tensor, emptyTensor } from "../tensor/tensor.ts";
import { add, mul, mul_, neg } from "./arithmetic.ts";
import { clone, contiguous } from "./copy.ts";
import { copy_ } from "./pointwise.ts";

/** The arguments of `Tensor.add`, which a SparseTensor's `add` takes too. */
type AddArguments = Parameters<Tensor["add"]>;

/** A sparse COO tensor (PyTorch's `layout=torch.sparse_coo`). */
export class SparseTensor extends Tensor {
  private idx: Tensor;
  private vals: Tensor;
  private coalesced: boolean;
  private readonly sizes: readonly number[];
  /** Whether PyTorch would hold the values contiguously (decides how two sparse tensors add). */
  contiguousValues = true;

  /**
   * `indices`: int64 of shape `[sparse_dim, nnz]`; `values`: of shape `[nnz, ...rest of size]`;
   * as `torch.sparse_coo_tensor(indices, values, size)` (unchecked, as `_sparse_coo_tensor_unsafe`).
   */
  constructor(indices: Tensor, values: Tensor, size: readonly number[], coalesced = false) {
    const zero = values.dtype === "float32" ? new Float32Array(1) : new Float64Array(1);
    super(
      makeView(
        zero,
        [...size],
        size.map(() => 0),
        0,
      ),
      values.dtype,
    );
    this.idx = indices;
    this.vals = values;
    this.coalesced = coalesced;
    this.sizes = [...size];
  }

  /** True: this tensor is sparse. */
  override get is_sparse(): boolean {
    return true;
  }

  /** `clone` of a sparse tensor: its own indices and values ({@link cloneSparse}). */
  override _cloneLayout(): SparseTensor {
    return cloneSparse(this);
  }

  /** PyTorch's layout name. */
  get layout(): string {
    return "torch.sparse_coo";
  }

  /** The number of indexed dimensions (the rows of `indices()`). */
  sparse_dim(): number {
    return this.idx.shape[0]!;
  }

  /** The number of dimensions each entry of `values()` carries. */
  dense_dim(): number {
    return this.vals.ndim - 1;
  }

  /** The number of stored entries (repeats counted). */
  _nnz(): number {
    return this.idx.shape[1]!;
  }

  /** Whether positions are sorted and distinct. */
  is_coalesced(): boolean {
    return this.coalesced;
  }

  /** The stored positions, coalesced or not. */
  _indices(): Tensor {
    return this.idx;
  }

  /** The stored values, coalesced or not. */
  _values(): Tensor {
    return this.vals;
  }

  /** The positions of a coalesced tensor, as `Tensor.indices()`. */
  indices(): Tensor {
    if (!this.coalesced) throw new Error("Cannot get indices on an uncoalesced tensor, please call .coalesce() first");
    return this.idx;
  }

  /** The values of a coalesced tensor, as `Tensor.values()`. */
  values(): Tensor {
    if (!this.coalesced) throw new Error("Cannot get values on an uncoalesced tensor, please call .coalesce() first");
    return this.vals;
  }

  /** The entry width (elements per position) and each entry's flat position among the leading dims. */
  private positions(): { width: number; flat: number[] } {
    const sd = this.sparse_dim();
    const nnz = this._nnz();
    const width = this.sizes.slice(sd).reduce((a, b) => a * b, 1);
    const ind = contiguous(this.idx).data.data;
    const flat: number[] = new Array(nnz).fill(0);
    for (let d = 0; d < sd; d++) for (let k = 0; k < nnz; k++) flat[k] = flat[k]! * this.sizes[d]! + ind[d * nnz + k]!;
    return { width, flat };
  }

  /** The same tensor with sorted, distinct positions (repeats summed), as `Tensor.coalesce()`. */
  coalesce(): SparseTensor {
    if (this.coalesced) return this;
    const { width, flat } = this.positions();
    const { unique, slot } = coalescePlan(flat);
    const sd = this.sparse_dim();
    const values = emptyTensor(this.dtype, [unique.length, ...this.sizes.slice(sd)]);
    const v = values.data.data;
    const src = contiguous(this.vals).data.data;
    const { round } = sparseRounding(this.dtype);
    for (let k = 0; k < slot.length; k++) {
      const to = slot[k]! * width;
      for (let j = 0; j < width; j++) v[to + j] = round(v[to + j]! + src[k * width + j]!);
    }
    const indices = emptyTensor("int64", [sd, unique.length]);
    const ind = indices.data.data;
    unique.forEach((p, u) => {
      for (let d = sd - 1; d >= 0; d--) {
        ind[d * unique.length + u] = p % this.sizes[d]!;
        p = Math.floor(p / this.sizes[d]!);
      }
    });
    return new SparseTensor(indices, values, this.sizes, true);
  }

  declare clone: () => SparseTensor;
  declare detach: () => SparseTensor;
  declare neg: () => SparseTensor;
  declare add: (...args: AddArguments) => SparseTensor;

  static {
    const methods: Record<string, (this: SparseTensor, ...args: never[]) => unknown> = {
      /** A copy with its own indices and values. */
      clone(this: SparseTensor): SparseTensor {
        return cloneSparse(this);
      },
      /** The same indices and values, out of the graph (as `detach()`, which shares memory). */
      detach(this: SparseTensor): SparseTensor {
        return new SparseTensor(this.idx, this.vals, this.sizes, this.coalesced);
      },
      /** No entries left, as PyTorch's `zero_()` on a sparse tensor (every dimension becomes sparse). */
      zero_(this: SparseTensor): SparseTensor {
        this.idx = emptyTensor("int64", [this.sizes.length, 0]);
        this.vals = emptyTensor(this.dtype, [0]);
        this.coalesced = true;
        return this;
      },
      /** Every value times a number, in place. */
      mul_(this: SparseTensor, other: number | Tensor): SparseTensor {
        if (typeof other !== "number") throw new Error("mul_ of a sparse tensor takes a number here");
        mul_(this.vals, other);
        return this;
      },
      /** −x, as a new sparse tensor. */
      neg(this: SparseTensor): SparseTensor {
        return new SparseTensor(this.idx, neg(this.vals), this.sizes, this.coalesced);
      },
      /** this + α·other for a sparse `other` ({@link addSparse}). */
      add(this: SparseTensor, other: Tensor | number, options: { alpha?: number } = {}): SparseTensor {
        return addSparse(this, other, options.alpha ?? 1);
      },
      /** this ← this + α·other (sparse), as `add_`. */
      add_(this: SparseTensor, other: Tensor | number, options: { alpha?: number } = {}): SparseTensor {
        const sum = addSparse(this, other, options.alpha ?? 1);
        this.idx = sum.idx;
        this.vals = sum.vals;
        this.coalesced = false;
        return this;
      },
      /** PyTorch's repr: `tensor(indices=…, values=…, size=(…), nnz=…, layout=torch.sparse_coo)`. */
      toString(this: SparseTensor): string {
        const pad = (s: string, n: number) => s.split("\n").join(`\n${" ".repeat(n)}`);
        const dtype = this.dtype === "float64" ? ", dtype=torch.float64" : "";
        const values = tensorRepr(this.vals).replace(", dtype=torch.float64", "");
        return (
          `tensor(indices=${pad(tensorRepr(this.idx), 15)},\n       values=${pad(values, 14)},\n` +
          `       size=(${this.sizes.join(", ")}${this.sizes.length === 1 ? "," : ""}), nnz=${this._nnz()}${dtype}, layout=torch.sparse_coo)`
        );
      },
    };
    for (const [name, value] of Object.entries(methods)) {
      Object.defineProperty(SparseTensor.prototype, name, { value, writable: true, configurable: true });
    }
  }
}

/** A copy with its own indices and values (`SparseTensor.clone()`). */
export function cloneSparse(t: SparseTensor): SparseTensor {
  return new SparseTensor(clone(t._indices()), clone(t._values()), t.shape, t.is_coalesced());
}

/** The dense tensor a sparse one stands for: zeros, then every entry added in order. */
function densify(t: SparseTensor): Tensor {
  const out = emptyTensor(t.dtype, t.shape);
  addSparseInto(out, t, 1);
  return out;
}

/** The dense tensor: a sparse tensor's, or the tensor itself when it is dense (`Tensor.to_dense()`). */
export function to_dense(t: Tensor): Tensor {
  return t instanceof SparseTensor ? densify(t) : t;
}

/**
 * t + α·s for a sparse `s`, entry lists combined as PyTorch's `add_out_sparse_cpu` combines
 * them (a dense `s` is refused with PyTorch's message: write `dense.add(sparse)`):
 *
 * ```text
 * s empty / t empty          a copy of t / α·s
 * both values contiguous     one merge walk of the two lists as if sorted: the smaller
 *                            position first, equal positions summed (t + α·s, an FMA)
 *                            — on unsorted lists it merges only the neighbours it meets
 * otherwise                  the two lists concatenated, coalesced once nnz > numel
 * ```
 * Values made by gradlab are contiguous, except an embedding gradient whose incoming
 * gradient was a broadcast view, as PyTorch's reshape of it stays one.
 */
export function addSparse(t: SparseTensor, s: Tensor | number, alpha: number): SparseTensor {
  if (!(s instanceof SparseTensor)) throw new Error("add(sparse, dense) is not supported. Use add(dense, sparse) instead.");
  if (s._nnz() === 0) return cloneSparse(t);
  if (t._nnz() === 0) return new SparseTensor(clone(s._indices()), mul(s._values(), alpha), t.shape, s.is_coalesced());
  if (!t.contiguousValues || !s.contiguousValues) {
    const scaled = alpha === 1 ? s._values() : mul(s._values(), alpha);
    const joined = new SparseTensor(cat2(t._indices(), s._indices(), 1), cat2(t._values(), scaled, 0), t.shape);
    return joined._nnz() > joined.numel() ? joined.coalesce() : joined;
  }
  return mergeWalk(t, s, alpha);
}

/** PyTorch's `add_out_sparse_contiguous`: t + α·s by one walk over both entry lists (sparse_dim 1 or more). */
function mergeWalk(t: SparseTensor, s: SparseTensor, alpha: number): SparseTensor {
  const sd = t.sparse_dim();
  const [tn, sn] = [t._nnz(), s._nnz()];
  const ti = contiguous(t._indices()).data.data;
  const si = contiguous(s._indices()).data.data;
  const tv = contiguous(t._values()).data.data;
  const sv = contiguous(s._values()).data.data;
  const width = tn === 0 ? 0 : tv.length / tn;
  const { round, fma } = sparseRounding(t.dtype);
  const outIdx: number[][] = Array.from({ length: sd }, () => []);
  const outVals: number[] = [];
  let [i, j] = [0, 0];
  while (i < tn || j < sn) {
    let cmp = 0;
    if (i >= tn) cmp = -1;
    else if (j >= sn) cmp = 1;
    else {
      for (let d = 0; d < sd; d++) {
        const [a, b] = [ti[d * tn + i]!, si[d * sn + j]!];
        if (a < b) {
          cmp = 1;
          break;
        }
        if (a > b) {
          cmp = -1;
          break;
        }
      }
    }
    const row = new Array<number>(width).fill(0);
    const at = cmp >= 0 ? i : j;
    for (let d = 0; d < sd; d++) outIdx[d]!.push(cmp >= 0 ? ti[d * tn + i]! : si[d * sn + j]!);
    if (cmp >= 0) {
      for (let k = 0; k < width; k++) row[k] = tv[at * width + k]!;
      i++;
    }
    if (cmp <= 0) {
      for (let k = 0; k < width; k++) row[k] = fma(round(alpha), sv[j * width + k]!, row[k]!);
      j++;
    }
    outVals.push(...row);
  }
  const n = outIdx[0]!.length;
  const indices = emptyTensor("int64", [sd, n]);
  outIdx.forEach((r, d) => indices.data.data.set(r, d * n));
  const values = emptyTensor(t.dtype, [n, ...t._values().shape.slice(1)]);
  values.data.data.set(outVals);
  return new SparseTensor(indices, values, t.shape, t.is_coalesced() && s.is_coalesced());
}

/** Concatenation of two tensors of the same trailing shape along dim 0 or 1 (indices are 2-D). */
function cat2(a: Tensor, b: Tensor, dim: 0 | 1): Tensor {
  const A = contiguous(a).data.data;
  const B = contiguous(b).data.data;
  const dtype: DType = a.dtype;
  if (dim === 0) {
    const out = emptyTensor(dtype, [a.shape[0]! + b.shape[0]!, ...a.shape.slice(1)]);
    out.data.data.set(A, 0);
    out.data.data.set(B, A.length);
    return out;
  }
  const rows = a.shape[0]!;
  const [na, nb] = [a.shape[1]!, b.shape[1]!];
  const out = emptyTensor(dtype, [rows, na + nb]);
  const o = out.data.data;
  for (let r = 0; r < rows; r++) {
    o.set(A.subarray(r * na, (r + 1) * na), r * (na + nb));
    o.set(B.subarray(r * nb, (r + 1) * nb), r * (na + nb) + na);
  }
  return out;
}

/**
 * dense ← dense + α·sparse in place, one stored entry after the other, as PyTorch's
 * `dense.add_(sparse, alpha=α)`: each element is fma(α, value, dense) rounded once to the
 * dtype ({@link sparseRounding}).
 */
export function addSparseInto(dense: Tensor, sparse: SparseTensor, alpha: number): Tensor {
  const flat = contiguous(dense);
  const sd = sparse.sparse_dim();
  const nnz = sparse._nnz();
  const size = dense.shape;
  const width = size.slice(sd).reduce((a, b) => a * b, 1);
  const ind = contiguous(sparse._indices()).data.data;
  const rows: number[] = new Array(nnz).fill(0);
  for (let d = 0; d < sd; d++) for (let k = 0; k < nnz; k++) rows[k] = rows[k]! * size[d]! + ind[d * nnz + k]!;
  addRowsInto(flat.data.data, width, rows, contiguous(sparse._values()).data.data, alpha, sparseRounding(dense.dtype).fma);
  if (flat !== dense) copy_(dense, flat);
  dense._bumpVersion();
  return dense;
}

/** a + b for gradients of which one or both may be sparse, as autograd sums them. */
export function addGradients(a: Tensor, b: Tensor): Tensor {
  if (a instanceof SparseTensor && b instanceof SparseTensor) return addSparse(a, b, 1);
  if (a instanceof SparseTensor) return addSparseInto(clone(b), a, 1);
  if (b instanceof SparseTensor) return addSparseInto(clone(a), b, 1);
  return add(a, b);
}
