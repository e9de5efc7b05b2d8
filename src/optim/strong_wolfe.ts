/**
 * The strong-Wolfe line search L-BFGS uses, as PyTorch's lbfgs.py ports it from Torch7's
 * lswolfe.lua: bracket a step satisfying the strong Wolfe conditions, then zoom into the
 * bracket by safeguarded cubic interpolation.
 *
 * Vectors are flat typed arrays (the parameters' dtype) over every parameter (PyTorch's flat_grad and direction).
 */
import type { Float } from "../tensor/dtype.ts";

/** Evaluates the objective at x + t·d: the loss and the flat gradient there (x itself is left unchanged). */
export type DirectionalObjective = (t: number) => { loss: number; grad: Float };

/** Options of the line search, with PyTorch's defaults. */
export interface StrongWolfeOptions {
  /** Sufficient-decrease (Armijo) constant. */
  c1?: number;
  /** Curvature constant. */
  c2?: number;
  /** Stop zooming when the bracket, times max|d|, is shorter than this. */
  tolerance_change?: number;
  /** Most evaluations of the objective. */
  max_ls?: number;
}

/** What the line search found: the step t, the loss and gradient there, and how many evaluations it used. */
export interface LineSearchResult {
  loss: number;
  grad: Float;
  t: number;
  ls_func_evals: number;
}

/** Dot product of two flat vectors, summed in order. */
export function dot(a: Float, b: Float): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * The minimiser of the cubic through (x1, f1) and (x2, f2) with slopes g1 and g2, clamped
 * to `bounds` (the interval between x1 and x2 by default); the bounds' midpoint when the
 * cubic has no real minimiser.
 *
 * ```text
 * d1 = g1 + g2 − 3·(f1 − f2)/(x1 − x2)
 * d2 = √(d1² − g1·g2)                                  (midpoint of bounds if d1² − g1·g2 < 0)
 * x  = x2 − (x2 − x1)·((g2 + d2 − d1)/(g2 − g1 + 2·d2))  if x1 ≤ x2
 * x  = x1 − (x1 − x2)·((g1 + d2 − d1)/(g1 − g2 + 2·d2))  otherwise
 * return min(max(x, xmin), xmax)
 * ```
 */
export function cubic_interpolate(
  x1: number,
  f1: number,
  g1: number,
  x2: number,
  f2: number,
  g2: number,
  bounds: readonly [number, number] | null = null,
): number {
  const [xmin_bound, xmax_bound] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2_square = d1 ** 2 - g1 * g2;
  if (d2_square >= 0) {
    const d2 = Math.sqrt(d2_square);
    const min_pos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2)) : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return Math.min(Math.max(min_pos, xmin_bound), xmax_bound);
  }
  return (xmin_bound + xmax_bound) / 2;
}

/**
 * Searches along d from the current point (loss f, gradient g, slope gtd = gᵀd < 0) for a
 * step t meeting the strong Wolfe conditions, as PyTorch's `_strong_wolfe`:
 *
 * ```text
 * sufficient decrease   f(t) ≤ f + c1·t·gtd
 * curvature             |g(t)ᵀd| ≤ −c2·gtd
 * bracket phase: try t; stop with a bracket [t_prev, t] when f(t) breaks sufficient decrease
 *   (or, after two tries, stops decreasing) or the slope turns non-negative; stop with t
 *   when both conditions hold; otherwise extrapolate by cubic interpolation into
 *   [t + 0.01·(t − t_prev), 10·t].
 * zoom phase: interpolate inside the bracket, kept 10% of its length away from its ends
 *   when progress stalls, and shrink it until the conditions hold, the bracket·max|d| is
 *   below tolerance_change, or max_ls evaluations have been spent.
 * ```
 * Returns the bracket's low point.
 */
export function strong_wolfe(
  obj_func: DirectionalObjective,
  t: number,
  d: Float,
  f: number,
  g: Float,
  gtd: number,
  options: StrongWolfeOptions = {},
): LineSearchResult {
  const { c1 = 1e-4, c2 = 0.9, tolerance_change = 1e-9, max_ls = 25 } = options;
  let d_norm = 0;
  for (let i = 0; i < d.length; i++) d_norm = Math.max(d_norm, Math.abs(d[i]!));
  g = g.slice();
  let { loss: f_new, grad: g_new } = obj_func(t);
  let ls_func_evals = 1;
  let gtd_new = dot(g_new, d);

  let t_prev = 0;
  let f_prev = f;
  let g_prev = g;
  let gtd_prev = gtd;
  let done = false;
  let ls_iter = 0;
  let bracket: number[] = [];
  let bracket_f: number[] = [];
  let bracket_g: Float[] = [];
  let bracket_gtd: number[] = [];
  while (ls_iter < max_ls) {
    if (f_new > f + c1 * t * gtd || (ls_iter > 1 && f_new >= f_prev)) {
      [bracket, bracket_f, bracket_g, bracket_gtd] = [
        [t_prev, t],
        [f_prev, f_new],
        [g_prev, g_new.slice()],
        [gtd_prev, gtd_new],
      ];
      break;
    }
    if (Math.abs(gtd_new) <= -c2 * gtd) {
      [bracket, bracket_f, bracket_g] = [[t], [f_new], [g_new]];
      done = true;
      break;
    }
    if (gtd_new >= 0) {
      [bracket, bracket_f, bracket_g, bracket_gtd] = [
        [t_prev, t],
        [f_prev, f_new],
        [g_prev, g_new.slice()],
        [gtd_prev, gtd_new],
      ];
      break;
    }
    // Extrapolate: the cubic's minimiser, at least 1% beyond t and at most 10·t.
    const min_step = t + 0.01 * (t - t_prev);
    const max_step = t * 10;
    const tmp = t;
    t = cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, [min_step, max_step]);
    t_prev = tmp;
    f_prev = f_new;
    g_prev = g_new.slice();
    gtd_prev = gtd_new;
    ({ loss: f_new, grad: g_new } = obj_func(t));
    ls_func_evals += 1;
    gtd_new = dot(g_new, d);
    ls_iter += 1;
  }
  if (ls_iter === max_ls) {
    [bracket, bracket_f, bracket_g] = [
      [0, t],
      [f, f_new],
      [g, g_new],
    ];
  }

  // Zoom: shrink the bracket around a point meeting both conditions.
  let insuf_progress = false;
  let [low_pos, high_pos] = bracket_f[0]! <= bracket_f[bracket_f.length - 1]! ? [0, 1] : [1, 0];
  while (!done && ls_iter < max_ls) {
    if (Math.abs(bracket[1]! - bracket[0]!) * d_norm < tolerance_change) break;
    t = cubic_interpolate(bracket[0]!, bracket_f[0]!, bracket_gtd[0]!, bracket[1]!, bracket_f[1]!, bracket_gtd[1]!);
    // Keep t at least 10% of the bracket away from its ends when progress stalls.
    const hi = Math.max(bracket[0]!, bracket[1]!);
    const lo = Math.min(bracket[0]!, bracket[1]!);
    const eps = 0.1 * (hi - lo);
    if (Math.min(hi - t, t - lo) < eps) {
      if (insuf_progress || t >= hi || t <= lo) {
        t = Math.abs(t - hi) < Math.abs(t - lo) ? hi - eps : lo + eps;
        insuf_progress = false;
      } else {
        insuf_progress = true;
      }
    } else {
      insuf_progress = false;
    }
    ({ loss: f_new, grad: g_new } = obj_func(t));
    ls_func_evals += 1;
    gtd_new = dot(g_new, d);
    ls_iter += 1;

    if (f_new > f + c1 * t * gtd || f_new >= bracket_f[low_pos]!) {
      // Sufficient decrease fails, or no lower than the low end: t becomes the high end.
      bracket[high_pos] = t;
      bracket_f[high_pos] = f_new;
      bracket_g[high_pos] = g_new.slice();
      bracket_gtd[high_pos] = gtd_new;
      [low_pos, high_pos] = bracket_f[0]! <= bracket_f[1]! ? [0, 1] : [1, 0];
    } else {
      if (Math.abs(gtd_new) <= -c2 * gtd) {
        done = true;
      } else if (gtd_new * (bracket[high_pos]! - bracket[low_pos]!) >= 0) {
        // The old low end becomes the high end.
        bracket[high_pos] = bracket[low_pos]!;
        bracket_f[high_pos] = bracket_f[low_pos]!;
        bracket_g[high_pos] = bracket_g[low_pos]!;
        bracket_gtd[high_pos] = bracket_gtd[low_pos]!;
      }
      bracket[low_pos] = t;
      bracket_f[low_pos] = f_new;
      bracket_g[low_pos] = g_new.slice();
      bracket_gtd[low_pos] = gtd_new;
    }
  }
  return { loss: bracket_f[low_pos]!, grad: bracket_g[low_pos]!, t: bracket[low_pos]!, ls_func_evals };
}
