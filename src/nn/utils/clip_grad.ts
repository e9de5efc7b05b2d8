import type { DType } from "../../tensor/dtype.ts";
import { promoteTypes } from "../../tensor/dtype.ts";
import { tensor } from "../../tensor/creation.ts";
import { Tensor, isContiguous, type View } from "../../tensor/tensor.ts";
import { SparseTensor } from "../../tensor/sparse.ts";
import { type Arguments, anything, describeValue, boolean, choice, nullable, number, optional, required, signature, union } from "../../utils/signature.ts";

/** Options of `clip_grad_norm_`, with PyTorch's defaults. `foreach` only picks a kernel and is ignored. */
export interface ClipGradNormOptions {
  norm_type?: number | "inf" | "-inf";
  error_if_nonfinite?: boolean;
  foreach?: boolean | null;
}

/** A tensor or any iterable of tensors, as PyTorch's `_tensor_or_tensors`. */
export type TensorOrTensors = Tensor | Iterable<Tensor>;

/**
 * The tensors of `parameters` (one tensor, or an iterable of them), or a TypeError naming
 * what else was given: a model instead of `model.parameters()` reads "a Linear" (a
 * Sequential, which iterates its modules, "an iterable holding a Linear").
 */
function asList(owner: string, parameters: TensorOrTensors): Tensor[] {
  const fail = (what: string): never => {
    throw new TypeError(`${owner}(): argument 'parameters' must be a Tensor or an iterable of Tensors, but got ${what} (pass model.parameters())`);
  };
  if (parameters instanceof Tensor) return [parameters];
  if (typeof parameters !== "object" || parameters === null || !(Symbol.iterator in parameters)) return fail(describeValue(parameters));
  const list: unknown[] = [...(parameters as Iterable<unknown>)];
  const other = list.find((p) => !(p instanceof Tensor));
  if (other !== undefined) fail(`an iterable holding ${describeValue(other)}`);
  return list as Tensor[];
}

/** Python's `str(float(x))`: 2 → "2.0", Infinity → "inf". */
const pythonFloat = (x: number): string =>
  Number.isNaN(x) ? "nan" : !Number.isFinite(x) ? (x > 0 ? "inf" : "-inf") : Number.isInteger(x) ? x.toFixed(1) : String(x);

/** Calls `visit(buffer, index)` for every element of a view: one flat loop when contiguous. */
function eachElement(view: View, visit: (buffer: View["data"], index: number) => void): void {
  const buffer = view.data;
  if (isContiguous(view)) {
    const end = view.offset + view.size;
    for (let i = view.offset; i < end; i++) visit(buffer, i);
    return;
  }
  const { shape, stride } = view;
  const walk = (dim: number, offset: number): void => {
    if (dim === shape.length) visit(buffer, offset);
    else for (let i = 0; i < shape[dim]!; i++) walk(dim + 1, offset + i * stride[dim]!);
  };
  walk(0, view.offset);
}

/**
 * The p-norm of a list of numbers, as `torch.linalg.vector_norm`:
 * max |x| for p = ∞, min |x| for p = −∞, the count of non-zeros for p = 0,
 * (Σ |x|^p)^(1/p) otherwise; rounded to float32 when `dtype` is float32.
 */
function vectorNorm(values: ArrayLike<number>, p: number, dtype: DType): number {
  let acc = p === -Infinity ? Infinity : 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]!);
    if (p === Infinity) acc = a > acc || Number.isNaN(a) ? a : acc;
    else if (p === -Infinity) acc = a < acc || Number.isNaN(a) ? a : acc;
    else if (p === 0) acc += a !== 0 ? 1 : 0;
    else if (p === 1) acc += a;
    else if (p === 2) acc += a * a;
    else acc += a ** p;
  }
  const norm = !Number.isFinite(p) || p === 0 || p === 1 ? acc : p === 2 ? Math.sqrt(acc) : acc ** (1 / p);
  return dtype === "float32" ? Math.fround(norm) : norm;
}

/** `clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None)`, as PyTorch declares it. */
export const clipGradNormSignature = signature("clip_grad_norm_", [
  required("parameters", anything<TensorOrTensors>()),
  required("max_norm", number),
  optional("norm_type", union(number, choice("inf", "-inf")), 2.0),
  optional("error_if_nonfinite", boolean, false),
  optional("foreach", nullable(boolean), null),
]);

/**
 * Rescales the gradients of `parameters` so that their total norm is at most `max_norm`,
 * and returns that total norm (before clipping), as `torch.nn.utils.clip_grad_norm_`:
 *
 * ```text
 * total_norm = ‖(‖g₁‖_p, ‖g₂‖_p, …)‖_p                the p-norm of the per-gradient p-norms
 * clip_coef  = min(max_norm / (total_norm + 1e-6), 1)
 * gᵢ ← gᵢ · clip_coef                                  for every gradient, in its dtype
 * ```
 * Parameters without a gradient are skipped; with none at all the result is 0.
 *
 * @example
 * ```ts
 * import { nn, tensor } from "gradlab";
 * const w = tensor([0, 0], { dtype: "float64", requires_grad: true });
 * w.grad = tensor([3, 4], { dtype: "float64" });
 * console.log(nn.utils.clip_grad_norm_([w], 1).item()); // 5
 * // w.grad is now [3, 4] · 1/(5 + 1e-6) ≈ [0.6, 0.8]
 * ```
 */
export function clip_grad_norm_(...args: Arguments<typeof clipGradNormSignature>): Tensor {
  const { parameters, max_norm, norm_type: given, error_if_nonfinite } = clipGradNormSignature.parse(args);
  const norm_type = given === "inf" ? Infinity : given === "-inf" ? -Infinity : Number(given);
  const grads = asList("clip_grad_norm_", parameters)
    .map((p) => p.grad)
    .filter((g): g is Tensor => g !== null);
  if (grads.length === 0) return tensor(0);
  const dtype = grads.map((g) => g.dtype).reduce(promoteTypes);
  // A sparse gradient's norm is its coalesced values' norm (repeated rows summed first).
  const norms = grads.map((g) => vectorNorm((g instanceof SparseTensor ? g.coalesce()._values() : g).toTypedArray(), norm_type, g.dtype));
  const total_norm = vectorNorm(norms, norm_type, dtype);
  if (error_if_nonfinite && !Number.isFinite(total_norm)) {
    throw new Error(
      `The total norm of order ${pythonFloat(norm_type)} for gradients from \`parameters\` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set \`error_if_nonfinite: false\``,
    );
  }
  const round = dtype === "float32" ? Math.fround : (x: number) => x;
  const clip_coef = round(max_norm / round(total_norm + 1e-6));
  const clip_coef_clamped = clip_coef > 1 ? 1 : clip_coef;
  for (const g of grads) {
    if (g instanceof SparseTensor) {
      g.mul_(clip_coef_clamped); // its values, in place, as current PyTorch's g.mul_(clip_coef)
      continue;
    }
    eachElement(g.data, (buffer, i) => {
      buffer[i] = buffer[i]! * clip_coef_clamped;
    });
    g._bumpVersion();
  }
  return tensor(total_norm, { dtype });
}

/** `clip_grad_value_(parameters, clip_value, foreach=None)`, as PyTorch declares it. */
export const clipGradValueSignature = signature("clip_grad_value_", [
  required("parameters", anything<TensorOrTensors>()),
  required("clip_value", number),
  optional("foreach", nullable(boolean), null),
]);

/**
 * Clamps every gradient of `parameters` elementwise into [−clip_value, clip_value], in
 * place, as `torch.nn.utils.clip_grad_value_`.
 */
export function clip_grad_value_(...args: Arguments<typeof clipGradValueSignature>): void {
  const { parameters, clip_value } = clipGradValueSignature.parse(args);
  const list = asList("clip_grad_value_", parameters);
  if (list.some((p) => p.grad?.is_sparse)) {
    // PyTorch's clamp_ has no sparse kernel; refused before any gradient changes.
    throw new Error("Could not run 'aten::clamp_' with arguments from the 'SparseCPU' backend.");
  }
  for (const p of list) {
    const g = p.grad;
    if (g === null) continue;
    eachElement(g.data, (buffer, i) => {
      const x = buffer[i]!;
      buffer[i] = x < -clip_value ? -clip_value : x > clip_value ? clip_value : x;
    });
    g._bumpVersion();
  }
}
