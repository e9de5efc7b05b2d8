import { record } from "../autograd/node.ts";
import { type UnaryFn, unaryKernel } from "../kernels/elementwise.ts";
import { zeros_like } from "../tensor/creation.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { mapUnary } from "./operands.ts";
import { mul, div, add } from "./arithmetic.ts";

/**
 * Makes a differentiable unary op: forward through a kernel of `f`, backward from
 * `grad(g, x, y)`; `keepIntegers` for the ops that keep int64 integral (abs, sign).
 */
function unaryOp(name: string, f: UnaryFn, grad: (g: Tensor, x: Tensor, y: Tensor) => Tensor, saves: "x" | "y" | "none", keepIntegers = false) {
  const kernel = unaryKernel(f);
  return (x: Tensor): Tensor => {
    const y = mapUnary(x, kernel, keepIntegers);
    const saved = saves === "x" ? [x] : saves === "y" ? [y] : [];
    return record(name, y, [x], (g) => [grad(g, x, y)], saved);
  };
}

/** eˣ; backward g·eˣ (the saved output). */
export const exp = unaryOp("ExpBackward0", Math.exp, (g, _x, y) => mul(g, y), "y");
/** ln x; backward g / x. */
export const log = unaryOp("LogBackward0", Math.log, (g, x) => div(g, x), "x");
/** ln(1 + x), accurate near 0; backward g / (1 + x). */
export const log1p = unaryOp("Log1PBackward0", Math.log1p, (g, x) => div(g, add(x, 1)), "x");
/** √x; backward g / (2√x). */
export const sqrt = unaryOp("SqrtBackward0", Math.sqrt, (g, _x, y) => div(g, mul(y, 2)), "y");
/** 1/√x; backward −g·y³/2 with y = 1/√x. */
export const rsqrt = unaryOp(
  "RsqrtBackward0",
  (x) => 1 / Math.sqrt(x),
  (g, _x, y) => mul(mul(g, mul(mul(y, y), y)), -0.5),
  "y",
);
/** |x|; backward g·sign(x) (0 at 0, as PyTorch). */
export const abs = unaryOp("AbsBackward0", Math.abs, (g, x) => mul(g, sign(x)), "x", true);
/**
 * The sign of x: −1, 0 or 1, and 0 for NaN and for −0 (+0), as PyTorch's CPU kernel computes
 * (0 < x) − (x < 0); its gradient is zero.
 */
export const sign = unaryOp(
  "SignBackward0",
  (x) => (x > 0 ? 1 : x < 0 ? -1 : 0),
  (g) => zeros_like(g),
  "none",
  true,
);
