/**
 * `torch.testing.assert_close`: what a unit test comparing gradlab with numbers recorded from
 * PyTorch asserts, with PyTorch's verdicts and failure messages (TypeScript spellings for shapes, dtypes and options).
 *
 * ```text
 * close(a, e)  ⇔  a = e  (same infinity, or NaN = NaN with equal_nan)
 *              or  |a − e| ≤ atol + rtol·|e|  (both finite)
 * defaults     float32 rtol 1.3e-6, atol 1e-5 · float64 rtol 1e-7, atol 1e-7 · int64 exact
 *              (the larger of the two inputs' defaults when their dtypes differ)
 * ```
 */
import { pythonFloat, pythonTuple } from "../nn/python_repr.ts";
import { tensor } from "../tensor/creation.ts";
import type { DType } from "../tensor/dtype.ts";
import { Tensor } from "../methods.ts";
import type { NestedArray } from "../tensor/tensor.ts";
import { closeValue } from "../ops/isclose.ts";
import { type Arguments, anything, boolean, keyword, nullable, number, required, signature, string } from "../utils/signature.ts";

/** The error `assert_close` throws when the inputs are not close (Python's AssertionError). */
export class AssertionError extends Error {
  override name = "AssertionError";
}

/** PyTorch's default (rtol, atol) per dtype (`_DTYPE_PRECISIONS`; integers compare exactly). */
const PRECISION: Record<DType, [number, number]> = { float32: [1.3e-6, 1e-5], float64: [1e-7, 1e-7], int64: [0, 0] };

/** What `assert_close` compares: a Tensor, a number, or nested arrays of numbers. */
export type TensorLike = Tensor | number | NestedArray;

/**
 * `assert_close(actual, expected, *, allow_subclasses=True, rtol=None, atol=None,
 * equal_nan=False, check_device=True, check_dtype=True, check_layout=True,
 * check_stride=False, msg=None)`, as PyTorch declares it.
 */
export const assertCloseSignature = signature("assert_close", [
  required("actual", anything<TensorLike>()),
  required("expected", anything<TensorLike>()),
  keyword("allow_subclasses", boolean, true),
  keyword("rtol", nullable(number), null),
  keyword("atol", nullable(number), null),
  keyword("equal_nan", boolean, false),
  keyword("check_device", boolean, true),
  keyword("check_dtype", boolean, true),
  keyword("check_layout", boolean, true),
  keyword("check_stride", boolean, false),
  keyword("msg", nullable(string), null),
]);

/** The options of {@link assert_close}. */
export type AssertCloseOptions = Partial<Omit<ReturnType<typeof assertCloseSignature.parse>, "actual" | "expected">>;

/** A tensor of the inputs: numbers and arrays take the other input's dtype when it is a Tensor, float64 otherwise. */
function asTensor(x: TensorLike, other: TensorLike): Tensor {
  if (x instanceof Tensor) return x;
  const dtype = other instanceof Tensor ? other.dtype : "float64";
  return tensor(x, { dtype });
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((s, i) => s === b[i]);

/** A value as Python prints a float (or an int for integer tensors) in the message. */
const show = (x: number, integral: boolean): string => (integral && Number.isFinite(x) ? String(x) : pythonFloat(x));

/** The flat index of the largest value, NaN winning as `torch.max` propagates it (first occurrence). */
function argmax(values: Float64Array): number {
  let best = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i]!)) return i;
    if (values[i]! > values[best]!) best = i;
  }
  return best;
}

/** The multi-index of a flat row-major index. */
function unravel(flat: number, shape: readonly number[]): number[] {
  const out: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    out.unshift(flat % shape[d]!);
    flat = Math.floor(flat / shape[d]!);
  }
  return out;
}

/**
 * Asserts that `actual` and `expected` are close, as `torch.testing.assert_close`: equal
 * shapes (no broadcasting), equal dtypes unless `check_dtype: false`, and every element
 * close by the formula above. Throws PyTorch's messages ("Tensor-likes are not close!",
 * "Mismatched elements: 2 / 4 (50.0%)", the greatest differences and their indices).
 *
 * @example
 * ```ts
 * import { tensor, testing } from "gradlab";
 * testing.assert_close(tensor([1, 2], { dtype: "float64" }), [1, 2 + 1e-9]); // passes
 * try {
 *   testing.assert_close(tensor([1, 2.5]), tensor([1, 2]));
 * } catch (e) {
 *   console.log((e as Error).message.split("\n")[2]); // Mismatched elements: 1 / 2 (50.0%)
 * }
 * ```
 */
export function assert_close(...args: Arguments<typeof assertCloseSignature>): void {
  const options = assertCloseSignature.parse(args);
  const { actual, expected, equal_nan, check_dtype, msg } = options;
  if ((options.rtol === null) !== (options.atol === null)) {
    throw new Error(`Both 'rtol' and 'atol' must be either specified or omitted, but got no ${options.rtol === null ? "rtol" : "atol"}.`);
  }
  const fail = (message: string): never => {
    throw new AssertionError(msg ?? message);
  };
  const scalars = typeof actual === "number" && typeof expected === "number";
  const a = asTensor(actual, expected);
  const e = asTensor(expected, actual);
  if (!sameShape(a.shape, e.shape)) {
    fail(`The values for attribute 'shape' do not match: [${a.shape.join(", ")}] != [${e.shape.join(", ")}].`);
  }
  if (check_dtype && a.dtype !== e.dtype) fail(`The values for attribute 'dtype' do not match: ${a.dtype} != ${e.dtype}.`);
  const [defaultRtol, defaultAtol] = [Math.max(PRECISION[a.dtype][0], PRECISION[e.dtype][0]), Math.max(PRECISION[a.dtype][1], PRECISION[e.dtype][1])];
  const rtol = options.rtol ?? defaultRtol;
  const atol = options.atol ?? defaultAtol;
  const integral = a.dtype === "int64" && e.dtype === "int64";
  // PyTorch compares in the widest dtype of the inputs' kind: float64 for floats, int64 for integers.
  const av = Float64Array.from(a.contiguous().toTypedArray());
  const ev = Float64Array.from(e.contiguous().toTypedArray());
  const n = av.length;
  let mismatches = 0;
  const absDiff = new Float64Array(n);
  const relDiff = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (closeValue(av[i]!, ev[i]!, rtol, atol, equal_nan)) continue;
    mismatches++;
    absDiff[i] = Math.abs(av[i]! - ev[i]!);
    // Integer tensors divide in float32 (PyTorch's default dtype for true division of integers).
    relDiff[i] = integral ? Math.fround(absDiff[i]! / Math.abs(ev[i]!)) : absDiff[i]! / Math.abs(ev[i]!);
  }
  if (mismatches === 0) return;
  const equality = rtol === 0 && atol === 0;
  const allowed = (tol: number): string => (equality ? "" : ` (up to ${pythonFloat(tol)} allowed)`);
  const what = scalars || a.ndim === 0 ? "Scalars" : "Tensor-likes";
  const lines = [`${what} are not ${equality ? "equal" : "close"}!`, ""];
  if (what === "Scalars") {
    lines.push(`Absolute difference: ${show(absDiff[0]!, integral)}${allowed(atol)}`);
    lines.push(`Relative difference: ${pythonFloat(relDiff[0]!)}${allowed(rtol)}`);
  } else {
    lines.push(`Mismatched elements: ${mismatches} / ${n} (${((100 * mismatches) / n).toFixed(1)}%)`);
    const ia = argmax(absDiff);
    const ir = argmax(relDiff);
    lines.push(`Greatest absolute difference: ${show(absDiff[ia]!, integral)} at index ${pythonTuple(unravel(ia, a.shape))}${allowed(atol)}`);
    lines.push(`Greatest relative difference: ${pythonFloat(relDiff[ir]!)} at index ${pythonTuple(unravel(ir, a.shape))}${allowed(rtol)}`);
  }
  fail(lines.join("\n"));
}
