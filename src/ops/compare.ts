import { record } from "../autograd/node.ts";
import { broadcastShapes, expandView } from "../kernels/broadcast.ts";
import { type BinaryFn, binaryKernel } from "../kernels/elementwise.ts";
import type { DType } from "../tensor/dtype.ts";
import { Tensor, contiguousBuffer, emptyTensor } from "../tensor/tensor.ts";
import { broadcastBinary, mul } from "./arithmetic.ts";
import { type Operand, asTensor, floatResultType, integralResultType, scalarTensor } from "./operands.ts";
import { castTo } from "./copy.ts";
import { unbroadcast } from "./sum.ts";

/**
 * Runs a broadcasting binary kernel with both operands in `computeType`, writing a tensor
 * of `outType`.
 */
function broadcastTo(
  a: Tensor,
  b: Tensor,
  computeType: DType,
  outType: DType,
  kernel: (o: Tensor["data"], x: Tensor["data"], y: Tensor["data"]) => unknown,
): Tensor {
  const shape = broadcastShapes(a.shape, b.shape);
  const out = emptyTensor(outType, shape);
  kernel(out.data, expandView(castTo(a, computeType).data, shape), expandView(castTo(b, computeType).data, shape));
  return out;
}

/**
 * Makes a comparison. gradlab has no bool dtype: comparisons give int64 tensors of 0 and
 * 1 (PyTorch gives torch.bool), which `where` and `mul` accept as masks. No gradient.
 */
function comparison(f: BinaryFn): (a: Tensor, b: Operand) => Tensor {
  const kernel = binaryKernel(f);
  return (a, b) => {
    const other = asTensor(b, a);
    const computeType = a.dtype === other.dtype ? a.dtype : floatResultType(a.dtype, other.dtype);
    return broadcastTo(a, other, computeType, "int64", kernel);
  };
}

export const eq = comparison((a, b) => (a === b ? 1 : 0));
export const ne = comparison((a, b) => (a !== b ? 1 : 0));
export const lt = comparison((a, b) => (a < b ? 1 : 0));
export const le = comparison((a, b) => (a <= b ? 1 : 0));
export const gt = comparison((a, b) => (a > b ? 1 : 0));
export const ge = comparison((a, b) => (a >= b ? 1 : 0));

/**
 * Elementwise `condition ? a : b` with broadcasting of all three, as `torch.where`;
 * the gradient goes to `a` where the condition holds and to `b` elsewhere.
 */
export function where(condition: Tensor, a: Operand, b: Operand): Tensor {
  const like = typeof a !== "number" ? a : typeof b !== "number" ? b : scalarTensor(0, "float32");
  const x = asTensor(a, like);
  const y = asTensor(b, like);
  const resultType = x.dtype === y.dtype ? x.dtype : floatResultType(x.dtype, y.dtype);
  const shape = broadcastShapes(broadcastShapes(condition.shape, x.shape), y.shape);
  const c = contiguousBuffer(expandView(condition.data, shape), "float64");
  const xs = contiguousBuffer(expandView(castTo(x, resultType).data, shape), resultType);
  const ys = contiguousBuffer(expandView(castTo(y, resultType).data, shape), resultType);
  const out = emptyTensor(resultType, shape);
  const o = out.data.data;
  for (let i = 0; i < o.length; i++) o[i] = c[i] !== 0 ? xs[i]! : ys[i]!;
  return record("WhereBackward0", out, [x, y], (g) => [
    x.requires_grad ? unbroadcast(where(condition, g, 0), x.shape) : null,
    y.requires_grad ? unbroadcast(where(condition, 0, g), y.shape) : null,
  ]);
}

/** Makes a test of each element (0 or 1, int64), such as `isnan`; no gradient. */
function elementTest(f: (x: number) => boolean): (a: Tensor) => Tensor {
  const kernel = binaryKernel((x) => (f(x) ? 1 : 0));
  return (a) => broadcastTo(a, a, a.dtype, "int64", kernel);
}

/** 1 where the element is NaN, as `torch.isnan` (int64, gradlab's stand-in for bool). */
export const isnan = elementTest(Number.isNaN);
/** 1 where the element is +∞ or −∞, as `torch.isinf`. */
export const isinf = elementTest((x) => x === Infinity || x === -Infinity);
/** 1 where the element is finite, as `torch.isfinite`. */
export const isfinite = elementTest(Number.isFinite);

const maximumInto = binaryKernel((a, b) => (a !== a || b !== b ? NaN : a > b ? a : b));
const minimumInto = binaryKernel((a, b) => (a !== a || b !== b ? NaN : a < b ? a : b));
/** The share of the gradient the first operand gets: all where it wins, half on a tie. */
const winShare = binaryKernel((a, b) => (a > b ? 1 : a === b ? 0.5 : 0));
const loseShare = binaryKernel((a, b) => (a < b ? 1 : a === b ? 0.5 : 0));

/** Makes maximum/minimum: ties split the gradient equally, as PyTorch. */
function extremum(name: string, kernel: typeof maximumInto, share: typeof winShare): (a: Tensor, b: Operand) => Tensor {
  return (a, b) => {
    const other = asTensor(b, a);
    const out = broadcastBinary(a, other, kernel, integralResultType);
    return record(
      name,
      out,
      [a, other],
      (g) => {
        const dtype = out.dtype;
        const toA = broadcastTo(a, other, dtype, dtype, share);
        const toB = broadcastTo(other, a, dtype, dtype, share);
        return [a.requires_grad ? unbroadcast(mul(g, toA), a.shape) : null, other.requires_grad ? unbroadcast(mul(g, toB), other.shape) : null];
      },
      [a, other],
    );
  };
}

/** The elementwise larger value (NaN propagates), as `torch.maximum`. */
export const maximum = extremum("MaximumBackward0", maximumInto, winShare);
/** The elementwise smaller value (NaN propagates), as `torch.minimum`. */
export const minimum = extremum("MinimumBackward0", minimumInto, loseShare);
