import { makeView } from "../kernels/view.ts";
import { record } from "../autograd/node.ts";
import { is_grad_enabled } from "../autograd/grad_mode.ts";
import { broadcastShapes } from "../kernels/broadcast.ts";
import { type StridedMatrix, gemm, matmulInto } from "../kernels/matmul.ts";
import type { DType } from "../tensor/dtype.ts";
import { allocate } from "../tensor/storage.ts";
import { Tensor, type View, emptyTensor, shapeSize } from "../tensor/tensor.ts";
import { unbroadcast } from "./sum.ts";
import { reshape } from "./reshape.ts";

/**
 * The matrix product of two tensors, as `torch.matmul`.
 *
 * ```text
 * 1-D · 1-D   a[k] · b[k]              → Σ_p a[p]·b[p]                   (a 0-d tensor)
 * 2-D · 1-D   a[n,k] · b[k]            → out[i] = Σ_p a[i,p]·b[p]
 * 1-D · 2-D   a[k] · b[k,m]            → out[j] = Σ_p a[p]·b[p,j]
 * 2-D · 2-D   a[n,k] · b[k,m]          → out[i,j] = Σ_p a[i,p]·b[p,j]
 * N-D         a[…,n,k] · b[…,k,m]      → the product for every batch index, with the batch
 *                                          dims (all but the last two) broadcast; a 1-D
 *                                          operand is a row (a) or column (b) whose size-1
 *                                          dim is dropped from the result
 * ```
 * Sums run in float64 (see `gemm` in src/kernels/matmul.ts). Gradients of a broadcast
 * operand are summed over the batch dims it was broadcast along.
 *
 * @example
 * ```ts
 * import { tensor } from "gradlab";
 * const a = tensor([[1, 2], [3, 4]]);
 * console.log(a.matmul(tensor([1, 1])).tolist()); // [3, 7]
 * ```
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  // checkMatmul's branch for two matrices is mm's, without describing the operands
  if (a.ndim === 2 && b.ndim === 2) return mm(a, b);
  return product(a, b, checkMatmul(describe(a), describe(b)));
}

/** The product of two matrices, as `torch.mm` (no broadcasting; both must be 2-D). */
export function mm(a: Tensor, b: Tensor): Tensor {
  checkMm(a.shape, b.shape, a.dtype, b.dtype);
  return product(a, b, "MmBackward0");
}

/** What PyTorch's checks in `matmul` look at: sizes, strides, dtype and requires_grad. */
interface MatmulOperand {
  shape: readonly number[];
  stride: readonly number[];
  dtype: DType;
  requires_grad: boolean;
}

const describe = (t: Tensor): MatmulOperand => ({ shape: t.shape, stride: t.data.stride, dtype: t.dtype, requires_grad: t.requires_grad });

/** c10's names, as PyTorch's messages print dtypes. */
const C10_NAME: Record<DType, string> = { float32: "float", float64: "double", int64: "long" };
const SCALAR_NAME: Record<DType, string> = { float32: "Float", float64: "Double", int64: "Long" };

function checkSameDtype(a: DType, b: DType): void {
  if (a !== b) throw new Error(`expected m1 and m2 to have the same dtype, but got: ${C10_NAME[a]} != ${C10_NAME[b]}`);
}

/** `torch.mm`'s checks, with its messages. */
function checkMm(a: readonly number[], b: readonly number[], da: DType, db: DType): void {
  if (a.length !== 2) throw new Error("self must be a matrix");
  if (b.length !== 2) throw new Error("mat2 must be a matrix");
  if (a[1] !== b[0]) throw new Error(`mat1 and mat2 shapes cannot be multiplied (${a[0]}x${a[1]} and ${b[0]}x${b[1]})`);
  checkSameDtype(da, db);
}

/** `torch.mv`'s checks (a matrix times a vector). */
function checkMv(a: readonly number[], b: readonly number[], da: DType, db: DType): void {
  if (a[1] !== b[0]) throw new Error(`size mismatch, got input (${a[0]}), mat (${a[0]}x${a[1]}), vec (${b[0]})`);
  checkSameDtype(da, db);
}

/**
 * Runs the checks PyTorch's `matmul` runs (LinearAlgebra.cpp, `_matmul_impl`), so a bad pair
 * of shapes fails with the message PyTorch gives: which message depends on the path PyTorch
 * takes (dot, mv, mm, a folded mm/mv, or bmm). Returns the `grad_fn` name of that path.
 */
function checkMatmul(a: MatmulOperand, b: MatmulOperand): string {
  const da = a.shape.length;
  const db = b.shape.length;
  if (da === 0 || db === 0) {
    throw new Error(`both arguments to matmul need to be at least 1D, but they are ${da}D and ${db}D`);
  }
  if (da === 1 && db === 1) {
    if (a.dtype !== b.dtype) {
      throw new Error(`dot : expected both vectors to have same dtype, but found ${SCALAR_NAME[a.dtype]} and ${SCALAR_NAME[b.dtype]}`);
    }
    if (a.shape[0] !== b.shape[0]) {
      throw new Error(
        `inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`,
      );
    }
    return "DotBackward0";
  }
  if (da === 2 && db === 1) {
    checkMv(a.shape, b.shape, a.dtype, b.dtype);
    return "MvBackward0";
  }
  if (da === 1 && db === 2) {
    checkMm([1, a.shape[0]!], b.shape, a.dtype, b.dtype);
    return "SqueezeBackward3";
  }
  if (da === 2 && db === 2) {
    checkMm(a.shape, b.shape, a.dtype, b.dtype);
    return "MmBackward0";
  }
  if (shouldFold(a, b)) {
    // The larger operand's batch dims fold into its rows: one mm (or mv) on the folded shapes.
    const transpose = db > da;
    const t1 = transpose ? swapLast(b.shape) : a.shape;
    const t2 = !transpose ? b.shape : da === 2 ? swapLast(a.shape) : a.shape;
    const folded = [shapeSize(t1.slice(0, -1)), t1[t1.length - 1]!];
    if (t2.length === 2) checkMm(folded, t2, a.dtype, b.dtype);
    else checkMv(folded, t2, a.dtype, b.dtype);
    return transpose && t2.length === 2 ? "CloneBackward0" : "UnsafeViewBackward0";
  }
  if (da === 3 && db === 3 && a.shape[0] !== b.shape[0]) {
    if (a.shape[0] === 1 && a.requires_grad) return checkMatmul(squeezeFirst(a), b);
    if (b.shape[0] === 1 && b.requires_grad) return checkMatmul(a, squeezeFirst(b));
  }
  const batch = broadcastShapes(a.shape.slice(0, Math.max(da - 2, 0)), b.shape.slice(0, Math.max(db - 2, 0)));
  const m1 = a.shape[da - 1]!;
  const m2 = db > 1 ? b.shape[db - 2]! : b.shape[0]!;
  checkSameDtype(a.dtype, b.dtype);
  if (m1 !== m2) {
    const count = shapeSize(batch);
    throw new Error(`Expected size for first two dimensions of batch2 tensor to be: [${count}, ${m1}] but got: [${count}, ${m2}].`);
  }
  return "UnsafeViewBackward0";
}

/**
 * PyTorch's `should_fold`: whether a ≥3-D operand times a 1- or 2-D one runs as a single mm
 * or mv on the larger operand with its batch dims folded into its rows.
 */
function shouldFold(a: MatmulOperand, b: MatmulOperand): boolean {
  const aLarger = a.shape.length >= b.shape.length;
  const t1 = aLarger ? a : { ...b, shape: swapLast(b.shape), stride: swapLast(b.stride) };
  const dimT2 = aLarger ? b.shape.length : a.shape.length;
  if (!(t1.shape.length >= 3 && dimT2 <= 2)) return false;
  if (aLarger ? b.requires_grad : a.requires_grad) return true;
  if (a.shape.length === 2) return false;
  if (shapeSize(t1.shape) === 0) return true;
  for (let i = 0; i < t1.shape.length - 2; i++) {
    if (t1.stride[i] !== t1.stride[i + 1]! * t1.shape[i + 1]!) return false;
  }
  return true;
}

const swapLast = (s: readonly number[]): number[] => [...s.slice(0, -2), s[s.length - 1]!, s[s.length - 2]!];

const squeezeFirst = (t: MatmulOperand): MatmulOperand => ({ ...t, shape: t.shape.slice(1), stride: t.stride.slice(1) });

/**
 * How an operand takes part in the batched product: its view as a stack of matrices
 * `[...batch, rows, cols]` broadcast to the common batch shape (a 1-D `a` is one row, a
 * 1-D `b` one column), without copying.
 */
function asStack(t: Tensor, batch: readonly number[], isLeft: boolean): View {
  const { shape, stride } = t.data;
  const nd = shape.length;
  let rows: number, cols: number, rs: number, cs: number;
  if (nd === 1) {
    [rows, cols, rs, cs] = isLeft ? [1, shape[0]!, 0, stride[0]!] : [shape[0]!, 1, stride[0]!, 0];
  } else {
    [rows, cols, rs, cs] = [shape[nd - 2]!, shape[nd - 1]!, stride[nd - 2]!, stride[nd - 1]!];
  }
  const own = Math.max(nd - 2, 0);
  const lead = batch.length - own;
  const bstride = batch.map((size, d) => (d < lead || shape[d - lead] !== size ? 0 : stride[d - lead]!));
  return makeView(t.data.data, [...batch, rows, cols], [...bstride, rs, cs], t.data.offset);
}

/** The broadcast batch shape of two operands (every dim but the last two). */
const batchShape = (a: Tensor, b: Tensor): number[] => broadcastShapes(a.shape.slice(0, Math.max(a.ndim - 2, 0)), b.shape.slice(0, Math.max(b.ndim - 2, 0)));

/** The result shape: the batch shape, then n unless `a` is 1-D, then m unless `b` is 1-D. */
function resultShape(a: Tensor, b: Tensor, batch: readonly number[]): number[] {
  const shape = batch.slice();
  if (a.ndim > 1) shape.push(a.shape[a.ndim - 2]!);
  if (b.ndim > 1) shape.push(b.shape[b.ndim - 1]!);
  return shape;
}

/** A 3-level view `[...batch, n, m]` of a result-shaped tensor (the dropped size-1 dims restored). */
function resultStack(g: Tensor, a: Tensor, b: Tensor, batch: readonly number[]): View {
  const { shape, stride } = g.data;
  const nb = batch.length;
  const rows = a.ndim > 1 ? shape[nb]! : 1;
  const rs = a.ndim > 1 ? stride[nb]! : 0;
  const cols = b.ndim > 1 ? shape[shape.length - 1]! : 1;
  const cs = b.ndim > 1 ? stride[shape.length - 1]! : 0;
  return makeView(g.data.data, [...batch, rows, cols], [...stride.slice(0, nb), rs, cs], g.data.offset);
}

/** Swaps the last two dims of a view: the transpose of every matrix in the stack. */
function transposed(v: View): View {
  const nd = v.shape.length;
  const shape = v.shape.slice();
  const stride = v.stride.slice();
  [shape[nd - 2], shape[nd - 1]] = [shape[nd - 1]!, shape[nd - 2]!];
  [stride[nd - 2], stride[nd - 1]] = [stride[nd - 1]!, stride[nd - 2]!];
  return makeView(v.data, shape, stride, v.offset);
}

/**
 * A tensor of `like`'s shape and dtype holding Σ over broadcast batches of x·y (views). A
 * column-major matrix operand (a transposed view, as `weight.t()` in nn.Linear) of a product
 * with a matrix (`mm`) gets its gradient column-major too, as PyTorch's mm backward makes
 * it (`mm_mat2_backward` computes `grad.t().mm(mat1).t()` for one): the transpose view's
 * backward then hands on a contiguous gradient that the weight's `.grad` takes as it is,
 * with no copy. Only the layout changes: `gemm` sums every output alike whatever C's strides.
 */
function productInto(like: Tensor, batch: readonly number[], isLeft: boolean, x: View, y: View, mm: boolean): Tensor {
  const out = gradientMemory(like, mm);
  const target = asStack(out, batch, isLeft);
  // Broadcast dims of the operand appear with stride 0 in `target`: its gradient is the sum
  // over them, so zero it first and let the kernel accumulate every batch into it.
  const reduced = shapeSize(batch) !== shapeSize(like.shape.slice(0, Math.max(like.ndim - 2, 0)));
  if (reduced) out.data.data.fill(0);
  matmulInto(target, x, y, reduced);
  return out;
}

/** PyTorch's test for a column-major matrix (`is_col_major`): strides [1, rows]. */
const isColumnMajor = (t: Tensor): boolean => t.ndim === 2 && t.data.stride[0] === 1 && t.data.stride[1] === t.shape[0];

/** A gradient's memory for operand `like`: column-major when `like` is a column-major operand of an mm (see {@link productInto}), else contiguous. */
const gradientMemory = (like: Tensor, mm: boolean): Tensor => (mm && isColumnMajor(like) ? transposedEmpty(like) : emptyTensor(like.dtype, like.shape));

/** A fresh matrix of `like`'s shape over column-major memory: the transpose of a contiguous one. */
function transposedEmpty(like: Tensor): Tensor {
  const [rows, cols] = like.shape as [number, number];
  return new Tensor(makeView(allocate(like.dtype, rows * cols), [rows, cols], [1, rows], 0), like.dtype);
}

/** The forward product and its backward rule, for operands already checked. */
function product(a: Tensor, b: Tensor, name: string): Tensor {
  if (a.ndim === 2 && b.ndim === 2) return matrixProduct(a, b, name);
  const batch = batchShape(a, b);
  const out = emptyTensor(a.dtype, resultShape(a, b, batch));
  const A = asStack(a, batch, true);
  const B = asStack(b, batch, false);
  matmulInto(resultStack(out, a, b, batch), A, B);
  return record(
    name,
    out,
    [a, b],
    (g) => {
      if (is_grad_enabled()) return differentiableGrads(g, a, b, batch);
      const G = resultStack(g, a, b, batch);
      // PyTorch's products of a matrix (mm, and matmul's folded and batched ones) lay out a
      // column-major operand's gradient column-major; its matrix times a vector (mv) does not
      const mm = b.ndim >= 2;
      return [
        // ∂L/∂a[β] = g[β] · b[β]ᵀ and ∂L/∂b[β] = a[β]ᵀ · g[β], summed over broadcast batches.
        a.requires_grad ? productInto(a, batch, true, G, transposed(asStack(b, batch, false)), mm) : null,
        b.requires_grad ? productInto(b, batch, false, transposed(asStack(a, batch, true)), G, mm) : null,
      ];
    },
    [a, b],
  );
}

/** A matrix (2-D tensor) as `gemm` reads it, or its transpose (the two strides swapped). */
function matrixOf(t: Tensor, transpose: boolean): StridedMatrix {
  const { data, offset, stride } = t.data;
  return { data, offset, rowStride: stride[transpose ? 1 : 0]!, colStride: stride[transpose ? 0 : 1]! };
}

/**
 * `product` for two matrices (mm, and matmul of two 2-D tensors): the same `gemm` calls on
 * the same strided operands, without the batch machinery (no stacks of views, no batch
 * shape). Backward: ∂L/∂a = g·bᵀ (m×n by n×k) and ∂L/∂b = aᵀ·g (k×m by m×n), laid out as
 * `productInto` lays out an mm gradient.
 */
function matrixProduct(a: Tensor, b: Tensor, name: string): Tensor {
  const [m, k] = a.shape as [number, number];
  const n = b.shape[1]!;
  const out = emptyTensor(a.dtype, [m, n]);
  gemm(m, n, k, matrixOf(a, false), matrixOf(b, false), matrixOf(out, false), false);
  return record(
    name,
    out,
    [a, b],
    (g) => {
      if (is_grad_enabled()) return differentiableGrads(g, a, b, []);
      const G = matrixOf(g, false);
      return [
        a.requires_grad ? matrixGradient(a, m, k, n, G, matrixOf(b, true)) : null,
        b.requires_grad ? matrixGradient(b, k, n, m, matrixOf(a, true), G) : null,
      ];
    },
    [a, b],
  );
}

/** A gradient of `like`'s shape (rows×cols, column-major when `like` is) holding x·y, x rows×inner, y inner×cols. */
function matrixGradient(like: Tensor, rows: number, cols: number, inner: number, x: StridedMatrix, y: StridedMatrix): Tensor {
  const out = gradientMemory(like, true);
  gemm(rows, cols, inner, x, y, matrixOf(out, false), false);
  return out;
}

/**
 * The same gradients built from recorded ops, for `create_graph=True` (double backward):
 * g·bᵀ and aᵀ·g as matmuls of transposed views, reduced over broadcast dims by `unbroadcast`.
 */
function differentiableGrads(g: Tensor, a: Tensor, b: Tensor, batch: readonly number[]): (Tensor | null)[] {
  const a2 = a.ndim === 1 ? reshape(a, [1, a.shape[0]!]) : a;
  const b2 = b.ndim === 1 ? reshape(b, [b.shape[0]!, 1]) : b;
  const g2 = reshape(g, [...batch, a.ndim > 1 ? a.shape[a.ndim - 2]! : 1, b.ndim > 1 ? b.shape[b.ndim - 1]! : 1]);
  const ga = a.requires_grad ? reshape(unbroadcast(product(g2, swapLastTwo(b2), "UnsafeViewBackward0"), a2.shape), a.shape.slice()) : null;
  const gb = b.requires_grad ? reshape(unbroadcast(product(swapLastTwo(a2), g2, "UnsafeViewBackward0"), b2.shape), b.shape.slice()) : null;
  return [ga, gb];
}

/** `t.mT`: the transpose of every matrix in the stack, as a recorded view. */
function swapLastTwo(t: Tensor): Tensor {
  const out = new Tensor(transposed(t.data), t.dtype, t.storage);
  return record("TransposeBackward0", out, [t], (g) => [swapLastTwo(g)]);
}
