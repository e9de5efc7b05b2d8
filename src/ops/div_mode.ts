/**
 * Division with a rounding mode, as PyTorch's `div(input, other, *, rounding_mode)`:
 *
 * ```text
 * "trunc"   trunc(a / b)                 (the quotient rounded in the dtype first)
 * "floor"   Python's a // b: c10's div_floor_floating,
 *           mod = fmod(a, b); q = (a − mod)/b, less 1 when mod ≠ 0 and its sign differs from b's;
 *           ⌊q⌋, plus 1 when q − ⌊q⌋ > ½; −0 or +0 as a/b when q = 0; a/b when b = 0
 * ```
 * Two int64 inputs give int64, as in PyTorch; otherwise the float dtype of true division.
 * The gradient is zero for both inputs (derivatives.yaml: `div.Tensor_mode` with a rounding
 * mode), as torch 1.13 computes it.
 */
import { record } from "../autograd/node.ts";
import { broadcastShapes, expandView } from "../kernels/broadcast.ts";
import { copyInto } from "../kernels/elementwise.ts";
import type { DType } from "../tensor/dtype.ts";
import { type Tensor, contiguousBuffer, emptyTensor } from "../tensor/tensor.ts";
import { castTo } from "./copy.ts";
import { checkInPlaceShape, inPlace } from "./inplace.ts";
import { type Operand, asTensor, floatResultType } from "./operands.ts";

/** A rounding mode of `div`. */
export type RoundingMode = "trunc" | "floor";

/** c10's div_floor_floating, each step rounded by `r` (Math.fround for float32). */
function floorDivide(a: number, b: number, r: (x: number) => number): number {
  if (b === 0) return r(a / b);
  const mod = a % b;
  let q = r(r(a - mod) / b);
  if (mod !== 0 && b < 0 !== mod < 0) q = r(q - 1);
  if (q === 0) {
    const quotient = r(a / b);
    return quotient < 0 || Object.is(quotient, -0) ? -0 : 0;
  }
  let floored = Math.floor(q);
  if (r(q - floored) > 0.5) floored += 1;
  return floored;
}

const same = (x: number): number => x;

/** `div(a, b, { rounding_mode })` for "trunc" and "floor". */
export function divRounded(a: Tensor, b: Operand, mode: RoundingMode): Tensor {
  if (mode !== "trunc" && mode !== "floor") {
    throw new Error(`div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '${String(mode)}'`);
  }
  const other = asTensor(b, a);
  const shape = broadcastShapes(a.shape, other.shape);
  const integral = a.dtype === "int64" && other.dtype === "int64";
  const dtype: DType = integral ? "int64" : floatResultType(a.dtype, other.dtype);
  const compute = integral ? "float64" : dtype;
  const x = contiguousBuffer(expandView(castTo(a, compute).data, shape), compute === "float32" ? "float32" : "float64");
  const y = contiguousBuffer(expandView(castTo(other, compute).data, shape), compute === "float32" ? "float32" : "float64");
  const r = compute === "float32" ? Math.fround : same;
  const out = emptyTensor(dtype, shape);
  const data = out.data.data;
  for (let i = 0; i < x.length; i++) {
    if (integral && y[i] === 0) throw new Error("ZeroDivisionError");
    data[i] = mode === "trunc" ? Math.trunc(r(x[i]! / y[i]!)) : floorDivide(x[i]!, y[i]!, r);
  }
  const zeros = (t: Tensor): Tensor | null => (t.requires_grad ? emptyTensor(t.dtype, t.shape) : null);
  return record("DivBackward2", out, [a, other], () => [zeros(a), zeros(other)]);
}

/** `self.div_(other, { rounding_mode })`: in place. */
export function divRounded_(self: Tensor, other: Operand, mode: RoundingMode): Tensor {
  const b = asTensor(other, self);
  return inPlace(
    self,
    [b],
    (current) => divRounded(current, b, mode),
    () => {
      const result = divRounded(self, b, mode);
      checkInPlaceShape(self, result.shape);
      copyInto(self.data, castTo(result, self.dtype).data);
    },
  );
}
