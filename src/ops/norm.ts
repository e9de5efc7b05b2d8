import { record } from "../autograd/node.ts";
import { expandView } from "../kernels/broadcast.ts";
import { binaryKernel } from "../kernels/elementwise.ts";
import { normInto } from "../kernels/reduce.ts";
import { Tensor, emptyTensor } from "../tensor/tensor.ts";
import { reducedShape, scalarTensor } from "./operands.ts";
import { equalMask, signOf, zeroWhere } from "./masks.ts";
import { type ReduceOptions, expandReduced, foldedDims, sum } from "./sum.ts";
import { mul, div } from "./arithmetic.ts";

/** Options of `norm`: the order `p` (default `'fro'`, the 2-norm of the flattened dims), dims and keepdim. */
export interface NormOptions extends ReduceOptions {
  p?: number | "fro" | null;
}

const powAbsInto = binaryKernel((x, e) => Math.abs(x) ** e);

/** |x|^e elementwise, recorded with its own rule ∂|x|^e/∂x = e·sign(x)·|x|^(e−1), so it differentiates any number of times. */
function powAbs(x: Tensor, e: number): Tensor {
  const out = emptyTensor(x.dtype, x.shape);
  powAbsInto(out.data, x.data, expandView(scalarTensor(e, x.dtype).data, x.shape));
  return record("PowBackward0", out, [x], (g) => [mul(mul(mul(g, signOf(x)), powAbs(x, e - 1)), e)], [x]);
}

/**
 * The vector p-norm of `t` over `dim` (all elements by default), as `torch.norm` computes it
 * through `torch.linalg.vector_norm`; `'fro'` is the 2-norm.
 *
 * ```text
 * ‖x‖_p = (Σ |x|^p)^(1/p)     ‖x‖_∞ = max |x|     ‖x‖_−∞ = min |x|     ‖x‖_0 = #{x ≠ 0}
 * backward, g the incoming gradient broadcast over the reduced dims, as PyTorch's norm_backward:
 *   p = 0:      0
 *   p = 1:      sign(x)·g
 *   p = 2:      g·(x / ‖x‖)                                    (x / ‖x‖ := 0 where ‖x‖ = 0)
 *   p = ±∞:     sign(x)·((g / #ties)·[|x| = ‖x‖])
 *   p < 1:      sign(x)·|x|^(p−1)·g·‖x‖^(1−p)                  (|x|^(p−1) := 0 where x = 0)
 *   1 < p < 2:  sign(x)·|x|^(p−1)·(g / ‖x‖^(p−1))              (g / … := 0 where ‖x‖ = 0)
 *   p > 2:      x·|x|^(p−2)·(g / ‖x‖^(p−1))                    (likewise)
 * ```
 */
export function norm(t: Tensor, options: NormOptions = {}): Tensor {
  const p = options.p === undefined || options.p === null || options.p === "fro" ? 2 : options.p;
  if (options.p === "fro" && Array.isArray(options.dim) && options.dim.length > 2) {
    // Current torch.norm sends 'fro' over more than two dims to linalg.matrix_norm, which refuses.
    throw new Error(`linalg.matrix_norm: dim must be a 2-tuple. Got ${options.dim.join(" ")}`);
  }
  if (t.dtype === "int64") {
    throw new Error("linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long");
  }
  const dims = foldedDims(options.dim, t.ndim);
  const out = emptyTensor(t.dtype, reducedShape(t.shape, dims, options.keepdim ?? false));
  normInto(out.data, t.data, dims, p);
  return record("LinalgVectorNormBackward0", out, [t], (g) => [normBackward(g, t, out, dims, p)], [t, out]);
}

function normBackward(g: Tensor, x: Tensor, result: Tensor, dims: readonly number[], p: number): Tensor {
  const shape = x.shape;
  if (p === 0) return emptyTensor(x.dtype, shape);
  const gx = expandReduced(g, shape, dims);
  if (p === 1) return mul(signOf(x), gx);
  const normOut = expandReduced(result, shape, dims);
  if (p === Infinity || p === -Infinity) {
    // The entries where |x| attains the norm share the gradient equally; a NaN norm
    // comes from NaN entries, and those take it (NaN matches NaN here).
    const ties = equalMask(powAbs(x.detach(), 1), normOut.detach(), true);
    const count = expandReduced(sum(ties, { dim: dims, keepdim: true }), shape, dims);
    return mul(signOf(x), mul(div(gx, count), ties));
  }
  const normIsZero = equalMask(normOut.detach(), scalarTensor(0, x.dtype));
  if (p === 2) return mul(gx, zeroWhere(div(x, normOut), normIsZero));
  if (p < 1) {
    // |x|^(p−1) is infinite at x = 0; PyTorch zeroes those entries before scaling.
    const scaled = mul(signOf(x), zeroWhere(powAbs(x, p - 1), equalMask(x.detach(), scalarTensor(0, x.dtype))));
    return mul(mul(scaled, gx), powAbs(normOut, 1 - p));
  }
  const scaled = p < 2 ? mul(signOf(x), powAbs(x, p - 1)) : mul(x, powAbs(x, p - 2));
  return mul(scaled, zeroWhere(div(gx, powAbs(normOut, p - 1)), normIsZero));
}

/** `x.norm()`, `x.norm(1)`, `x.norm({ p: 1, dim: 0 })`: a bare number or 'fro' is `p`, as PyTorch's first argument. */
