import { binaryKernel } from "../../kernels/elementwise.ts";
import { normInto } from "../../kernels/reduce.ts";
import { type View, makeView } from "../../kernels/view.ts";
import { promoteTypes } from "../../tensor/dtype.ts";
import { tensor } from "../../tensor/creation.ts";
import { Tensor } from "../../methods.ts";
import { SparseTensor } from "../../ops/sparse.ts";
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
  if (parameters instanceof Tensor) return [parameters];
  if (typeof parameters !== "object" || parameters === null || !(Symbol.iterator in parameters)) return notTensors(owner, describeValue(parameters));
  const list: unknown[] = [...(parameters as Iterable<unknown>)];
  const other = list.find((p) => !(p instanceof Tensor));
  if (other !== undefined) notTensors(owner, `an iterable holding ${describeValue(other)}`);
  return list as Tensor[];
}

/** The TypeError of {@link asList} (a module-level function: see test/speed/renames.test.ts). */
function notTensors(owner: string, what: string): never {
  throw new TypeError(`${owner}(): argument 'parameters' must be a Tensor or an iterable of Tensors, but got ${what} (pass model.parameters())`);
}

/** Python's `str(float(x))`: 2 → "2.0", Infinity → "inf". */
const pythonFloat = (x: number): string =>
  Number.isNaN(x) ? "nan" : !Number.isFinite(x) ? (x > 0 ? "inf" : "-inf") : Number.isInteger(x) ? x.toFixed(1) : String(x);

/**
 * The p-norm of all of a view's elements, as `torch.linalg.vector_norm` (see `normInto`):
 * max |x| for p = ∞, min |x| for p = −∞, the count of non-zeros for p = 0,
 * (Σ |x|^p)^(1/p) otherwise; rounded to float32 (by the store) when `float32`.
 */
function vectorNorm(x: View, p: number, float32: boolean): number {
  const out = makeView(float32 ? new Float32Array(1) : new Float64Array(1), [], [], 0);
  normInto(
    out,
    x,
    x.shape.map((_, d) => d),
    p,
  );
  return out.data[0]!;
}

/** `value` viewed with `shape` (stride 0 everywhere): the scalar operand of an elementwise kernel. */
const constant = (value: number, shape: readonly number[]): View =>
  makeView(
    Float64Array.of(value),
    shape.slice(),
    shape.map(() => 0),
    0,
  );

/** out = x·s elementwise (s a constant view). */
const scaleInto = binaryKernel((x, s) => x * s);

/** out = x clamped into [−c, c] elementwise (c a constant view). */
const clampInto = binaryKernel((x, c) => (x < -c ? -c : x > c ? c : x));

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
  const norms = grads.map((g) => vectorNorm((g instanceof SparseTensor ? g.coalesce()._values() : g).data, norm_type, g.dtype === "float32"));
  const total_norm = vectorNorm(makeView(Float64Array.from(norms), [norms.length], [1], 0), norm_type, dtype === "float32");
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
    scaleInto(g.data, g.data, constant(clip_coef_clamped, g.shape));
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
    clampInto(g.data, g.data, constant(clip_value, g.shape));
    g._bumpVersion();
  }
}
