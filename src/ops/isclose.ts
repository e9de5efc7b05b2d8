/**
 * `isclose` and `allclose`, as `torch.isclose` and `torch.allclose`: elementwise closeness of
 * two tensors broadcast together.
 *
 * ```text
 * close(a, e)  ⇔  a = e  (the same infinity, or NaN = NaN with equal_nan)
 *              or  |a − e| ≤ atol + rtol·|e|  (both finite)
 * defaults     rtol 1e-05 · atol 1e-08 · equal_nan false
 * ```
 * As PyTorch, both inputs must have the same dtype, the comparison runs in that dtype (each
 * operation rounded to float32 for float32 inputs) and the tolerances must not be negative.
 * The verdict is an int64 tensor of 0s and 1s, gradlab's stand-in for a bool tensor.
 */
import { broadcastShapes, expandView } from "../kernels/broadcast.ts";
import { type Tensor, contiguousBuffer, emptyTensor } from "../tensor/tensor.ts";
import { scalarTensor } from "./operands.ts";

const same = (x: number): number => x;

/**
 * The verdict for one pair of values, each operation rounded by `round` (Math.fround for
 * float32 tensors, which torch.isclose computes in float32; the identity for float64).
 */
export const closeValue = (a: number, e: number, rtol: number, atol: number, equal_nan: boolean, round = same): boolean => {
  if (a === e || (equal_nan && Number.isNaN(a) && Number.isNaN(e))) return true;
  const error = Math.abs(round(a - e));
  return Number.isFinite(error) && error <= round(round(atol) + Math.abs(round(round(rtol) * e)));
};

/** 1 where `input` is close to `other` (a number takes input's dtype), 0 elsewhere, with PyTorch's checks. */
export function isclose(input: Tensor, other: Tensor | number, rtol: number, atol: number, equal_nan: boolean): Tensor {
  const o = typeof other === "number" ? scalarTensor(other, input.dtype) : other;
  if (input.dtype !== o.dtype) throw new Error(`${typeName(input)} did not match ${typeName(o)}`);
  if (rtol < 0) throw new Error(`rtol must be greater than or equal to zero, but got ${rtol}`);
  if (atol < 0) throw new Error(`atol must be greater than or equal to zero, but got ${atol}`);
  const shape = broadcastShapes(input.shape, o.shape);
  const a = contiguousBuffer(expandView(input.data, shape), "float64");
  const b = contiguousBuffer(expandView(o.data, shape), "float64");
  const round = input.dtype === "float32" ? Math.fround : same;
  const out = emptyTensor("int64", shape);
  const verdicts = out.data.data;
  for (let i = 0; i < verdicts.length; i++) verdicts[i] = closeValue(a[i]!, b[i]!, rtol, atol, equal_nan, round) ? 1 : 0;
  return out;
}

/** True when every element of `input` is close to `other` (see {@link isclose}). */
export function allclose(input: Tensor, other: Tensor | number, rtol: number, atol: number, equal_nan: boolean): boolean {
  return isclose(input, other, rtol, atol, equal_nan).data.data.every((v) => v === 1);
}

/** PyTorch's scalar-type name in messages: Float, Double, Long. */
const typeName = (t: Tensor): string => ({ float32: "Float", float64: "Double", int64: "Long" })[t.dtype];
