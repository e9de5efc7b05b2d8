/**
 * Scalar arithmetic rounded the way PyTorch's CPU kernels round it: the fused multiply-add
 * of `add_(x, alpha=…)`, `addcmul_` and `lerp_`, in float32 and float64, and the one
 * two-branch lerp that every optimizer loop and `torch.lerp` (src/ops/pointwise.ts) use.
 *
 * Why this is needed: PyTorch rounds to the tensor's dtype after every op and evaluates
 * `a + α·b` as one FMA (vfmadd in its AVX2 body; GCC contracts the scalar tail the same
 * way). JavaScript has no FMA. A float32 product of two float32 numbers is exact in
 * float64 (24 + 24 bits ≤ 53), so `Math.fround(a·b + c)` rounds once in float64 and once
 * to float32; that second rounding is wrong only when the float64 sum lands exactly on a
 * float32 midpoint and the float64 rounding had discarded a non-zero remainder, which
 * {@link fma32} detects and corrects. Plain float32 `+ − × ÷ √` done in float64 and
 * rounded once are always correctly rounded (53 ≥ 2·24 + 2), so they need only fround.
 *
 * What is checked, and against what (tools/fixtures/optim_float32.py):
 * - each op's rounding (add with alpha, addcmul, addcdiv, lerp in both forms, mul, div,
 *   sqrt, maximum, reciprocal) against torch 1.13 on this CPU (AVX2), at lengths 7, 16,
 *   33 and 100, so both the 8-wide vector body and the scalar tail run;
 * - SGD, Adagrad, Adadelta, Rprop, ASGD: float32 trajectories bit-identical to torch 1.13;
 * - Adam, AdamW, Adamax, NAdam, RAdam, RMSprop: bit-identical to a numpy model of current
 *   PyTorch's op sequence (lerp_, decoupled decay, NAdam's mu_product_next), a model that
 *   reproduces torch 1.13 bit for bit when given 1.13's op sequence.
 * Not checkable here (no current build): that current kernels round as 1.13's do. The
 *   sources say lerp's vector body is `fmadd` and add's is `fmadd`; that the scalar tail
 *   and addcmul (`self + value·t1·t2` in source) become FMAs is the compiler's doing
 *   (GCC's default contraction, as in Debian's 1.13 build) and may differ in other builds.
 * float64 loops follow the same op order but round a·b + c twice (mulAdd), except LBFGS,
 * whose line search amplifies the last bit and uses the exact {@link fma64}.
 */

import { productError, sumError } from "../math/double_double.ts";

/**
 * `a·b + c` rounded once to float32, as a float32 FMA computes it; a, b and c must be
 * float32 values.
 *
 * ```text
 * s = a·b + c in float64    a·b is exact, so s is the exact sum x rounded once to 53 bits
 * h = s·(2²⁸ + 1)           Veltkamp's split: h − (h − s) is s rounded to 25 bits
 * h − (h − s) ≠ s           s needs more than 25 bits: fl32(s) is right (below)
 * otherwise                 s is a float32 or a float32 midpoint: fma32Narrow settles it
 * ```
 * Why 25 bits decide it: fl32(s) differs from fl32(x) only when the float64 rounding moved
 * x onto a float32 midpoint (rounding is monotone, so x and s lie on the same side of every
 * midpoint s is not). A midpoint of two normal float32 has 25 significant bits, one of two
 * subnormals (a multiple of 2⁻¹⁵⁰ below 2⁻¹²⁶) at most 24, so every midpoint passes the
 * split unchanged and goes to the narrow path; an s of more than 25 bits is no midpoint.
 * The common path is then a multiply, two subtractions and one comparison, and returns s
 * unrounded inside one final fround, which a Float32Array store folds into its own
 * conversion. Infinities and NaN take it too: h − (h − s) is NaN, which is never equal,
 * and fround keeps them. h cannot overflow (float32 products and sums stay below 2²⁵⁷).
 */
export function fma32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const h = s * 268435457; // 2²⁸ + 1
  return Math.fround(h - (h - s) !== s ? s : fma32Narrow(p, c, s));
}

/**
 * fma32's narrow path, s of at most 25 bits: a float32 (the answer) or a float32 midpoint.
 *
 * ```text
 * r = fl32(s)               correct unless s is a midpoint that s's own rounding made
 * o = r + 2·(s − r)         the float32 neighbour on s's side when s is a midpoint
 * ```
 * o is a float32 unless r overflowed (o is then NaN, and r = ±∞ is kept). s = r needs no
 * remainder: let x = a·b + c exactly, and s be a float32. x is within half a float64 gap
 * of s on x's side, and on either side the float64 gap is at most 2⁻²⁹ of the float32 gap
 * (exactly, for a normal s: below a power of two both gaps halve; a float32 subnormal is a
 * float64 normal, whose gap is finer), so x is strictly inside the interval that rounds to
 * s in float32: fl32(x) = s whatever the remainder. s = ±0 only when x = 0 exactly (x is a
 * multiple of 2⁻²⁹⁸, far above float64's least subnormal), and float64's sum then signs
 * the zero as an FMA does (−0 + −0 = −0; +0 + −0 = +0; y − y = +0). A midpoint s ≠ r is
 * settled by the exact remainder of the float64 sum (Knuth's two-sum): a true tie keeps
 * fround's even choice, as an FMA would; otherwise the exact sum lies on the side of the
 * remainder's sign. No Dekker split is needed, because the product of two float32 is exact
 * in float64.
 */
function fma32Narrow(p: number, c: number, s: number): number {
  const r = Math.fround(s);
  const o = r + 2 * (s - r);
  if (Math.fround(o) !== o || s === r) return r;
  const remainder = sumError(p, c, s); // p + c = s + remainder exactly
  return remainder !== 0 && remainder > 0 === o > r ? o : r;
}

// The narrow path runs here, so that V8 has seen it before it compiles the loops that
// inline fma32 (a call never made before optimisation becomes a deoptimisation point, and
// a 10M-element loop would fall back to the interpreter the first time it is taken).
// Twenty times, not two: V8 gives a function its feedback vector only after some calls
// (about 8 of fma32's size), and calls before that record nothing; float32 and midpoint
// sums can be rare enough that the loops' data never record the call either, and then
// Adam and SGD measured 1.4× and 1.6× slower. Both of its returns run: an exact float32
// sum (1·1 + 0) and the midpoint 1 + 2⁻²⁴, to which 1 + 2⁻²³ + (−2⁻²⁴ + 2⁻⁷⁰) rounds.
for (let i = 0; i < 20; i++) {
  fma32(1, 1, 0);
  fma32(-(1 + 2 ** -23) * 2 ** -12, (1 - 2 ** -23) * 2 ** -12, 1 + 2 ** -23);
}

/**
 * `a·b + c` rounded once, in float64: the FMA that PyTorch's float64 `add_(x, alpha=…)`
 * computes. Dekker's error-free product and Knuth's two-sum (math/double_double.ts) give
 * a·b + c = s + e1 + e2 exactly; the sum of the small terms is added last, and the one
 * case where that can round the wrong way (s + (e1 + e2) exactly halfway between two
 * doubles while e1 + e2 itself was inexact) is settled by the remainder's sign.
 * About 30 flops: used where PyTorch's op is an FMA and the last bit is amplified
 * (LBFGS's line search), not in the float64 loops of the elementwise optimizers.
 * Valid while |a·b| and |c| stay below 2^995 (the split would overflow beyond).
 */
export function fma64(a: number, b: number, c: number): number {
  const p = a * b;
  const pe = productError(a, b, p); // a·b = p + pe exactly
  const s = p + c;
  const se = sumError(p, c, s); // p + c = s + se exactly
  const z = se + pe;
  const r = s + z;
  const ze = sumError(se, pe, z); // se + pe = z + ze exactly
  if (ze === 0) return r;
  const re = sumError(s, z, r); // s + z = r + re exactly
  if (re === 0 || r + 2 * re - r !== 2 * re) return r; // s + z was not a tie: r is right
  return ze > 0 === re > 0 ? r + 2 * re : r;
}

/** `a·b + c` with the product and the sum rounded separately (float64 loops' FMA stand-in). */
export const mulAdd = (a: number, b: number, c: number): number => a * b + c;

/** No rounding: float64 values are already what a float64 tensor holds. */
export const keep = (x: number): number => x;

/** The three scalar operations a dtype's loop needs, chosen once per loop. */
export interface Rounding {
  /** Rounds a computed value to what the dtype stores (Math.fround, or nothing). */
  round: (x: number) => number;
  /** `a·b + c` as PyTorch's fused multiply-add gives it in this dtype. */
  fma: (a: number, b: number, c: number) => number;
  /** PyTorch's two-branch lerp in this dtype, see {@link lerpWith}. */
  lerp: (self: number, end: number, w: number) => number;
  /**
   * A divisor c that stays fixed over a loop, in the form {@link Rounding.quotient} takes:
   * 1/c in float32 ({@link quotient32}), c itself in float64.
   */
  divisor: (c: number) => number;
  /** x / c rounded to the dtype, given d = divisor(c): fl32(x·d) in float32 (the same bits), x / d in float64. */
  quotient: (x: number, d: number) => number;
}

/**
 * `x / c` rounded to float32, for float32 x and c with |c| ≤ 1, computed as `fl32(x · d)`
 * with the float64 reciprocal d = fl64(1/c): the same bits as the division, with the
 * division done once per loop instead of once per element (a loop's divisions share one
 * divider with its square roots; the Adam family's bias corrections are such divisors).
 *
 * ```text
 * y = fl64(x · fl64(1/c)) = (x/c)·(1 + ε),  |ε| < 2⁻⁵²       two float64 roundings
 * a float32 midpoint M = m·2^q, m odd, m < 2²⁵ (q = −150 below 2⁻¹²⁶)
 * x = X·2^a, c = C·2^b, X and C odd integers below 2²⁴
 * x ≠ M·c         M·c = m·C·2^(q+b), m·C odd: for a normal M, m > 2²⁴ and X would need
 *                 more than 24 bits; for a subnormal one, a ≥ −149 needs q + b ≥ −149,
 *                 so c = C·2^b ≥ 2, which |c| ≤ 1 excludes
 * x − M·c         a non-zero multiple of 2^min(a, q+b), so
 *  |x/c − M| / M ≥ 2^min(a, q+b) / (M·c) ≥ min(1/(m·C), ~1/X) > 2⁻⁴⁹ > |ε|
 * ```
 * so y lies strictly on the same side of every float32 midpoint as x/c and rounds to the
 * same float32 (midpoints are the only places where rounding to nearest changes its
 * answer; the overflow threshold 2¹²⁸ − 2¹⁰³ is one of them). Zeros, infinities and NaN
 * agree too (c = ±0 makes d = ±∞, and x·±∞ is x/±0). Checked against the division
 * over random and edge operands in test/kernels/rounding.test.ts.
 */
export const quotient32 = (x: number, d: number): number => Math.fround(x * d);

/** The float32 divisor form: the float64 reciprocal, see {@link quotient32}. */
const reciprocal = (c: number): number => 1 / c;

/** The float64 quotient: a plain division (a reciprocal would change the last bit). */
const quotient64 = (x: number, c: number): number => x / c;

/**
 * PyTorch's lerp (ATen's Lerp.h), with one FMA per form:
 *
 * ```text
 * |w| < 0.5:  self + w·(end − self)          = fma(w, end − self, self)
 * otherwise:  end − (end − self)·(1 − w)      = fma(w − 1, end − self, end)   (exact at w = 1)
 * ```
 * `end − self` and `w − 1` are rounded to the dtype first, as the kernel's operands are.
 */
export const lerpWith =
  (fma: Rounding["fma"], round: Rounding["round"]): Rounding["lerp"] =>
  (self, end, w) =>
    Math.abs(w) < 0.5 ? fma(w, round(end - self), self) : fma(round(w - 1), round(end - self), end);

/** Whether lerp takes its first form, self + w·(end − self), at the (rounded) weight w. */
export const isLowLerpWeight = (w: number): boolean => Math.abs(w) < 0.5;

/**
 * The multiplier of lerp's FMA at the rounded weight w: w in the first form, w − 1 rounded
 * in the second. A loop that knows the form (a setting) computes lerp as
 * `fma(lerpFactor(w), round(end − self), low ? self : end)`, the same ops as {@link lerpWith}.
 */
export const lerpFactor = (w: number, round: Rounding["round"]): number => (isLowLerpWeight(w) ? w : round(w - 1));

/**
 * float32: every op rounded with Math.fround, FMAs exact ({@link fma32}).
 * float64: no rounding needed; FMAs as a·b + c (the product rounded too: a last-bit
 * difference the float64 fixtures accept at 1e-12), because {@link fma64} would cost
 * the elementwise loops several ns per element.
 */
export const ROUNDING = {
  float32: { round: Math.fround, fma: fma32, lerp: lerpWith(fma32, Math.fround), divisor: reciprocal, quotient: quotient32 },
  float64: { round: keep, fma: mulAdd, lerp: lerpWith(mulAdd, keep), divisor: keep, quotient: quotient64 },
} as const satisfies Record<"float32" | "float64", Rounding>;

/** The rounding of an array's dtype. */
export const roundingOf = (x: Float32Array | Float64Array): Rounding => (x instanceof Float32Array ? ROUNDING.float32 : ROUNDING.float64);
