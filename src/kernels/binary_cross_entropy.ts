import type { Float } from "./view.ts";

/** PyTorch's floor on x·(1 − x) in the gradient: 1e-12 as a float32 constant (9.99999996e-13). */
const EPSILON = Math.fround(1e-12);

/** log v clamped below at −100, as PyTorch's kernel clamps it (so v = 0 stays finite). */
const clampedLog = (v: number): number => Math.max(Math.log(v), -100);

/**
 * BCE's checks of probabilities x and targets y, element by element as PyTorch's kernel
 * makes them (x_i, then y_i): which of the two first leaves [0, 1] (a NaN does), or null.
 */
export function outsideUnitInterval(x: Float, y: Float): "input" | "target" | null {
  for (let i = 0; i < x.length; i++) {
    if (!(x[i]! >= 0 && x[i]! <= 1)) return "input";
    if (!(y[i]! >= 0 && y[i]! <= 1)) return "target";
  }
  return null;
}

/**
 * Binary cross entropy per element of probabilities x, targets y and weights w (all of one
 * length; w = 1 when null):
 *
 * ```text
 * out_i = −w_i·(y_i·max(log x_i, −100) + (1 − y_i)·max(log(1 − x_i), −100))
 * ```
 */
export function binaryCrossEntropyInto(out: Float, x: Float, y: Float, w: Float | null): Float {
  for (let i = 0; i < x.length; i++) {
    out[i] = -(w === null ? 1 : w[i]!) * (y[i]! * clampedLog(x[i]!) + (1 - y[i]!) * clampedLog(1 - x[i]!));
  }
  return out;
}

/**
 * The backward of {@link binaryCrossEntropyInto} from the incoming gradient g:
 *
 * ```text
 * dx_i = (g_i·w_i·(x_i − y_i)) / max((1 − x_i)·x_i, ε)       ε = 1e-12 rounded to float32
 * dy_i = −g_i·w_i·(max(log x_i, −100) − max(log(1 − x_i), −100))
 * ```
 */
export function binaryCrossEntropyBackwardInto(dx: Float, dy: Float, g: Float, x: Float, y: Float, w: Float | null): Float {
  for (let i = 0; i < x.length; i++) {
    const wi = w === null ? 1 : w[i]!;
    dx[i] = (g[i]! * wi * (x[i]! - y[i]!)) / Math.max((1 - x[i]!) * x[i]!, EPSILON);
    dy[i] = -g[i]! * wi * (clampedLog(x[i]!) - clampedLog(1 - x[i]!));
  }
  return dx;
}
