/**
 * The arithmetic of the learning-rate range test, as plain functions of numbers: the ramp,
 * the smoothing, the divergence test and the three rules that read a suggestion off the
 * curve. `lr_finder.ts` runs the training; this file is what it computes from the losses.
 *
 * ```text
 * ramp, step k = 0 … N−1 (N = num_iter), r = k / (N − 1):
 *   exp     lr_k = start · (end / start)^r
 *   linear  lr_k = start + r · (end − start)
 *   group i: lr_k,i = lr_k · (lr_i / lr_0), lr_i the group's rate when the test began
 * smoothing, f = smooth_f ∈ [0, 1):
 *   s_0 = loss_0,   s_k = f · loss_k + (1 − f) · s_(k−1)
 * divergence: best_k = min(s_0 … s_k); stop after step k when s_k > diverge_th · best_k,
 *   or when loss_k is not finite
 * suggestions, on s over the window [skip_start, n − skip_end) (cut at the first non-finite s):
 *   minimum   m = the first index of the least s; lr at m, divided by 10
 *   steepest  the point of s_0 … s_m (the descent, up to the minimum) where np.gradient is
 *             least: g_j = (s_(j+1) − s_(j−1)) / 2 inside, s_1 − s_0 and s_m − s_(m−1) at the
 *             ends (per step of the ramp: per decade of lr in 'exp' mode and per unit of lr
 *             in 'linear' mode, up to a constant); none if m is the window's first point
 *   valley    L_j = 1 + max{L_i : i < j, s_j < s_i} (1 if none): the longest decreasing
 *             subsequence ending at j; e = the first j of greatest L_j, a = e − L_e,
 *             p = a + ⌊(e − a)/3⌋ + ⌊(e − a)/6⌋ (at least 0): lr at p
 * ```
 *
 * Whose definitions these are. The ramp, the smoothing, the divergence test and the
 * defaults (end_lr 10, num_iter 100, smooth_f 0.05, diverge_th 5, skip 10 and 5) are
 * pytorch-lr-finder's (`LRFinder.range_test`, its `ExponentialLR`/`LinearLR`, `plot`): its
 * ramp reaches `end_lr` on the last step, where fastai's `LRFinder` stops one step short
 * (position k / N) and smooths with a bias-corrected average (β = 0.98, divided by 1 − β^(k+1))
 * and stops at 4 × the best. The steepest rule is pytorch-lr-finder's (np.gradient over the
 * steps; fastai's `steep` takes forward differences over log lr instead); `minimum` and
 * `valley` are fastai's (`minimum`, `valley`). Where gradlab differs, and why:
 * - groups: pytorch-lr-finder ramps every group from its own rate to the same `end_lr` (so in
 *   'exp' mode the groups' ratios shrink to 1); here each group keeps its ratio to group 0,
 *   so a layer-wise plan (a head ten times faster than the body) is tested as it will train;
 * - a non-finite loss stops the test (in pytorch-lr-finder a NaN compares false and the test
 *   runs on), and the suggestions never read past the first non-finite point (fastai's rule);
 * - steepest reads only the descent, up to the minimum: past it the curve is the blow-up, where
 *   a falling stretch is a recovery from a diverged step, not a rate to train at (on two moons,
 *   np.gradient over the whole window picks such a stretch, at a rate that does not learn);
 * - valley takes a = e − L_e from the finished length L_e; fastai computes it inside its
 *   inner loop, from a length that may still grow, so on noisy curves its a can be later.
 */

/** The two ramps of the test: geometric ('exp') or arithmetic ('linear'). */
export type StepMode = "exp" | "linear";

/** Group 0's rate at step k of an N-step ramp from `start` to `end`. */
export function rampLr(mode: StepMode, start: number, end: number, k: number, N: number): number {
  const r = k / (N - 1);
  return mode === "exp" ? start * (end / start) ** r : start + r * (end - start);
}

/** s_k from s_(k−1) and loss_k (s_0 = loss_0, passed as `previous = null`). */
export const smoothLoss = (loss: number, previous: number | null, smooth_f: number): number =>
  previous === null || smooth_f === 0 ? loss : smooth_f * loss + (1 - smooth_f) * previous;

/** The rules that read a suggestion off the curve, in the order they are shown. */
export const RULES = ["steepest", "minimum", "valley"] as const satisfies readonly RuleName[];
/** The names of the three rules: `steepest`, `minimum` (÷ 10) and `valley`. */
export type RuleName = "steepest" | "minimum" | "valley";

/** What each rule computes and why one might trust it. */
export const RULE_TEXT: Record<RuleName, { rule: string; rationale: string }> = {
  steepest: {
    rule: "the rate where the smoothed loss falls fastest on its way down to the minimum (least np.gradient over the ramp's steps)",
    rationale:
      "there the loss responds most to the rate: large enough to learn fast, and well before the turn-up (pytorch-lr-finder's suggestion, read on the descent only; fastai's steep)",
  },
  minimum: {
    rule: "one tenth of the rate at the lowest smoothed loss",
    rationale: "at the minimum the loss is about to turn up, already at the edge of stability; ten times less leaves a margin (fastai's minimum)",
  },
  valley: {
    rule: "about halfway along the longest stretch over which the smoothed loss keeps falling (its longest decreasing subsequence)",
    rationale: "one noisy dip cannot move it: the middle of the long descent is past the flat start and short of the unstable end (fastai's default, valley)",
  },
};

/** The point of the curve a rule reads, by its index in the whole curve, or why there is none. */
export type RulePoint = { index: number; divisor: number } | { index: null; reason: string };

/** The window the rules read: [skip_start, n − skip_end), cut at the first non-finite value. */
export function ruleWindow(smoothed: readonly number[], skip_start: number, skip_end: number): [number, number] {
  const firstBad = smoothed.findIndex((s) => !Number.isFinite(s));
  const end = Math.min(smoothed.length - skip_end, firstBad === -1 ? smoothed.length : firstBad);
  return [skip_start, end];
}

/** np.gradient of `s` (unit spacing, first-order ends). */
export function gradient(s: readonly number[]): number[] {
  const m = s.length;
  return s.map((_, j) => (j === 0 ? s[1]! - s[0]! : j === m - 1 ? s[m - 1]! - s[m - 2]! : (s[j + 1]! - s[j - 1]!) / 2));
}

/** The first index of the least value (numpy's argmin). */
const argmin = (v: readonly number[]): number => v.reduce((best, x, j) => (x < v[best]! ? j : best), 0);

/** fastai's valley point of `s`: see the box above. */
export function valleyIndex(s: readonly number[]): number {
  const L = s.map(() => 1);
  let e = 0;
  for (let j = 1; j < s.length; j++) {
    for (let i = 0; i < j; i++) if (s[j]! < s[i]! && L[j]! < L[i]! + 1) L[j] = L[i]! + 1;
    if (L[j]! > L[e]!) e = j;
  }
  const a = e - L[e]!;
  return Math.max(0, a + Math.floor((e - a) / 3) + Math.floor((e - a) / 6));
}

/** Each rule's point on the whole curve `smoothed` (and the number its rate is divided by). */
export function rulePoints(smoothed: readonly number[], skip_start: number, skip_end: number): Record<RuleName, RulePoint> {
  const [from, to] = ruleWindow(smoothed, skip_start, skip_end);
  const s = smoothed.slice(from, Math.max(from, to));
  if (s.length < 2) {
    const reason = `the curve has ${smoothed.length} points, and only ${s.length} of them lie in the window the rules read (skip_start ${skip_start}, skip_end ${skip_end}, finite values only): run more steps or skip fewer`;
    return { steepest: { index: null, reason }, minimum: { index: null, reason }, valley: { index: null, reason } };
  }
  const lowest = argmin(s);
  return {
    steepest:
      lowest === 0
        ? { index: null, reason: "the smoothed loss never falls below its value at skip_start" }
        : { index: from + argmin(gradient(s.slice(0, lowest + 1))), divisor: 1 },
    minimum: { index: from + lowest, divisor: 10 },
    valley: { index: from + valleyIndex(s), divisor: 1 },
  };
}
