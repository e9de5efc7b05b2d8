import { record } from "../autograd/node.ts";
import { copyInto } from "../kernels/elementwise.ts";
import { type DType, promoteTypes } from "../tensor/dtype.ts";
import { type Tensor, emptyTensor, normalizeDim } from "../tensor/tensor.ts";
import { castTo } from "./copy.ts";
import { narrow, unsqueeze, squeeze } from "./shape.ts";

/**
 * Joining tensors: `cat` along an existing dim, `stack` along a new one. The result is a
 * fresh tensor of the promoted dtype; each input's gradient is its slice of the incoming
 * gradient (a `narrow` view).
 */

/** Options of `cat` and `stack`: the dim to join along (default 0). */
export interface DimOptions {
  dim?: number;
}

const dimOf = (arg: number | DimOptions | undefined): number => (typeof arg === "number" ? arg : (arg?.dim ?? 0));

/** Copies `parts` one after another along `dim` into a new tensor of `shape`. */
function joinInto(parts: readonly Tensor[], dim: number, shape: readonly number[], dtype: DType): Tensor {
  const out = emptyTensor(dtype, shape);
  let offset = 0;
  for (const part of parts) {
    const size = part.shape[dim]!;
    const start = shape.map((_, i) => (i === dim ? offset : 0));
    copyInto(out.data.lo(...start).hi(...part.shape), part.data);
    offset += size;
  }
  return out;
}

/** The common dtype of a list (PyTorch's type promotion). */
const resultType = (tensors: readonly Tensor[]): DType => tensors.map((t) => t.dtype).reduce(promoteTypes);

/**
 * The tensors joined along `dim`; all sizes but `dim`'s must match. As in PyTorch, 1-D
 * empty tensors (shape [0]) are skipped, for legacy code that starts from `tensor([])`.
 *
 * ```text
 * out = [a₀ | a₁ | …] along dim        ∂L/∂aₖ = g narrowed to aₖ's rows
 * ```
 */
export function cat(tensors: readonly Tensor[], options: number | DimOptions = {}): Tensor {
  if (tensors.length === 0) throw new Error("torch.cat(): expected a non-empty list of Tensors");
  tensors.forEach((t, i) => {
    if (t.ndim === 0) throw new Error(`zero-dimensional tensor (at position ${i}) cannot be concatenated`);
  });
  const kept = tensors.filter((t) => !(t.ndim === 1 && t.shape[0] === 0));
  const reference = kept[0] ?? tensors[0]!;
  const d = normalizeDim(dimOf(options), reference.ndim);
  kept.forEach((t, i) => {
    if (t.ndim !== reference.ndim) {
      throw new Error(`Tensors must have same number of dimensions: got ${reference.ndim} and ${t.ndim}`);
    }
    for (let k = 0; k < t.ndim; k++) {
      if (k !== d && t.shape[k] !== reference.shape[k]) {
        throw new Error(
          `Sizes of tensors must match except in dimension ${d}. Expected size ${reference.shape[k]} but got size ${t.shape[k]} for tensor number ${tensors.indexOf(t) === -1 ? i : tensors.indexOf(t)} in the list.`,
        );
      }
    }
  });
  const dtype = resultType(tensors);
  const shape = reference.shape.slice();
  shape[d] = kept.reduce((n, t) => n + t.shape[d]!, 0);
  const out = joinInto(kept, d, shape, dtype);
  return record("CatBackward0", out, tensors, (g) => {
    let offset = 0;
    return tensors.map((t) => {
      if (t.ndim === 1 && t.shape[0] === 0) return null;
      const size = t.shape[d]!;
      const slice = castTo(narrow(g, d, offset, size), t.dtype);
      offset += size;
      return t.requires_grad ? slice : null;
    });
  });
}

/**
 * The tensors (all of one shape) stacked along a new dim `dim`, in [−ndim−1, ndim].
 *
 * ```text
 * out[…, k, …] = aₖ        (k along the new dim)       ∂L/∂aₖ = g[…, k, …]
 * ```
 */
export function stack(tensors: readonly Tensor[], options: number | DimOptions = {}): Tensor {
  if (tensors.length === 0) throw new Error("stack expects a non-empty TensorList");
  const first = tensors[0]!;
  const d = normalizeDim(dimOf(options), first.ndim + 1);
  tensors.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((s, k) => s !== first.shape[k])) {
      throw new Error(`stack expects each tensor to be equal size, but got [${first.shape.join(", ")}] at entry 0 and [${t.shape.join(", ")}] at entry ${i}`);
    }
  });
  const parts = tensors.map((t) => unsqueeze(t.detach(), d));
  const shape = parts[0]!.shape.slice();
  shape[d] = tensors.length;
  const out = joinInto(parts, d, shape, resultType(tensors));
  return record("StackBackward0", out, tensors, (g) => tensors.map((t, k) => (t.requires_grad ? castTo(squeeze(narrow(g, d, k, 1), d), t.dtype) : null)));
}
