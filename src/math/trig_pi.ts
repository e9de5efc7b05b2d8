/**
 * sin(πx) and cos(πx) correctly rounded (C23's `sinpi` and `cospi`): the float64 nearest
 * to the exact value for the exact πx, which no float64 angle could give. gradlab's
 * generator draws its Box–Muller angles with them (sin and cos of 2π·u as sinpi(2u) and
 * cospi(2u)), so that seeded normals are the same bits in every JavaScript engine.
 *
 * ```text
 * 2x = k + f, k an integer, |f| ≤ ½       exact in float64 (for |x| < 2^52; larger x are integers)
 * πx = k·π/2 + r, r = f·π/2, |r| ≤ π/4    r in double-double: f times π/2 to 107 bits
 * z = r²;  C = Σ (−z)^j/(2j)!,  S = Σ (−z)^j/(2j + 1)!,  cos r = C, sin r = r·S
 * sin πx, cos πx = (sin r, cos r), (cos r, −sin r), (−sin r, −cos r), (−cos r, sin r)   for k mod 4 = 0…3
 * ```
 * Fast path: the first four terms of C and S in double-double, the rest (z⁴ onward, at most
 * 2⁻¹⁸ of the sum) in float64, an absolute error below about 2⁻⁶⁶; the result is returned
 * when Ziv's test shows that every value within 2⁻⁶¹·|result| rounds the same (all but
 * about 0.5% of inputs). Otherwise the full double-double series (series.ts, about 2⁻¹⁰⁰)
 * decides. Exact zeros are +0 except sin(π·(±0)) = ±0 and sinpi of a negative integer, −0,
 * as C23 specifies.
 */
import { type DD, type MutableDD, ddMul, ddMulAddInto, ddToNumber, roundIfSure } from "./double_double.ts";
import { INV_FACTORIALS, cosSeries, sinSeries } from "./series.ts";

const PIO2_HI = 1.5707963267948966;
const PIO2_LO = 6.123233995736766e-17; // π/2 = PIO2_HI + PIO2_LO to about 2⁻¹⁰⁷
const PIO2_SQUARED: DD = ddMul({ hi: PIO2_HI, lo: PIO2_LO }, { hi: PIO2_HI, lo: PIO2_LO });

/** ±1/n! as [hi, lo]. */
const coefficient = (n: number, sign: number): [number, number] => [sign * INV_FACTORIALS[n]!.hi, sign * INV_FACTORIALS[n]!.lo];
/** The double-double terms z^j (j = 0…3) of C and S, signed, as [hi, lo]. */
const COS_HEAD = [0, 2, 4, 6].map((n, j) => coefficient(n, j % 2 === 0 ? 1 : -1));
const SIN_HEAD = [1, 3, 5, 7].map((n, j) => coefficient(n, j % 2 === 0 ? 1 : -1));
/** The float64 tails: terms z^j for j = 4…11, signed. */
const COS_TAIL = [8, 10, 12, 14, 16, 18, 20, 22].map((n, j) => (j % 2 === 0 ? 1 : -1) * INV_FACTORIALS[n]!.hi);
const SIN_TAIL = [9, 11, 13, 15, 17, 19, 21, 23].map((n, j) => (j % 2 === 0 ? 1 : -1) * INV_FACTORIALS[n]!.hi);

const BOUND = 2 ** -61;
const scratch: MutableDD = { hi: 0, lo: 0 };
const series: MutableDD = { hi: 0, lo: 0 };

/** series ← Σ head_j·z^j + z⁴·Σ tail_j·z^j, by Horner: the tail in float64, the head in double-double. */
function evaluate(head: [number, number][], tail: number[], zh: number, zl: number): MutableDD {
  let t = tail[7]!;
  for (let j = 6; j >= 0; j--) t = t * zh + tail[j]!;
  let h = t;
  let l = 0;
  for (let j = 3; j >= 0; j--) {
    ddMulAddInto(series, h, l, zh, zl, head[j]![0], head[j]![1]);
    h = series.hi;
    l = series.lo;
  }
  return series;
}

/** out[0] ← sin r, out[1] ← cos r for r = f·π/2, 0 < |f| ≤ ½, each correctly rounded. */
function sinCosOfHalfPi(f: number, out: Float64Array): void {
  // z = f²·(π/2)², with f² exact as a double-double (Dekker's square)
  const ff = f * f;
  const split = 134217729 * f;
  const f1 = split - (split - f);
  const f2 = f - f1;
  ddMulAddInto(scratch, ff, f1 * f1 - ff + 2 * f1 * f2 + f2 * f2, PIO2_SQUARED.hi, PIO2_SQUARED.lo, 0, 0);
  const { hi: zh, lo: zl } = scratch;
  const c = evaluate(COS_HEAD, COS_TAIL, zh, zl);
  const cos = roundIfSure(c.hi, c.lo, BOUND * Math.abs(c.hi));
  const { hi: sh, lo: sl } = evaluate(SIN_HEAD, SIN_TAIL, zh, zl);
  ddMulAddInto(scratch, f, 0, PIO2_HI, PIO2_LO, 0, 0); // r = f·π/2
  ddMulAddInto(scratch, scratch.hi, scratch.lo, sh, sl, 0, 0); // sin r = r·S
  const sin = roundIfSure(scratch.hi, scratch.lo, BOUND * Math.abs(scratch.hi));
  out[0] = sin === sin ? sin : ddToNumber(sinSeries(halfPiTimes(f)));
  out[1] = cos === cos ? cos : ddToNumber(cosSeries(halfPiTimes(f)));
}

/** f·π/2 as a double-double (f·PIO2_HI exact by Dekker's product, plus f·PIO2_LO), for the slow path. */
function halfPiTimes(f: number): DD {
  const r = ddMulAddInto({ hi: 0, lo: 0 }, f, 0, PIO2_HI, PIO2_LO, 0, 0);
  return { hi: r.hi, lo: r.lo };
}

const pair = new Float64Array(2);

/**
 * sin(πx) for 0 < x < 2⁻⁹⁶⁰: πx correctly rounded (the cubic term, below 2⁻¹⁹⁰⁰ of it, cannot
 * move the rounding), computed on x·2¹¹⁰⁰ so that Dekker's product does not underflow, then
 * scaled back; a subnormal result is rounded on the grid of 2⁻¹⁰⁷⁴ (ties to even).
 */
function tinySinPi(x: number): number {
  ddMulAddInto(scratch, x * 2 ** 600 * 2 ** 500, 0, 2 * PIO2_HI, 2 * PIO2_LO, 0, 0);
  const { hi, lo } = scratch;
  if (hi >= 2 ** 78) return (hi + lo) * 2 ** -600 * 2 ** -500; // a normal result: exact scalings
  const units = hi * 2 ** -26; // the result in units of 2^-1074 (exact: hi and lo are normal)
  const whole = Math.floor(units);
  const fraction = units - whole + lo * 2 ** -26;
  const n = fraction > 0.5 || (fraction === 0.5 && whole % 2 === 1) ? whole + 1 : whole;
  return n * 5e-324;
}

/**
 * out[0] ← sin(πx), out[1] ← cos(πx), both correctly rounded (NaN for NaN and ±Infinity),
 * from one reduction and one z; returns out.
 */
export function sincospiInto(x: number, out: Float64Array): Float64Array {
  if (!Number.isFinite(x)) {
    out[0] = out[1] = Number.NaN;
    return out;
  }
  const ax = Math.abs(x);
  if (ax < 2 ** -960 && x !== 0) {
    out[0] = x < 0 ? -tinySinPi(ax) : tinySinPi(ax);
    out[1] = 1;
    return out;
  }
  const small = ax < 4503599627370496; // 2^52: larger floats are integers, where πx is a multiple of π
  const v = small ? 2 * x : 0;
  const k = Math.round(v);
  const f = v - k;
  // sin(πx) = sin(kπ/2 + r): k mod 4 = 0 → sin r, 1 → cos r, 2 → −sin r, 3 → −cos r
  const quadrant = ((((small ? k : 2 * (x % 2)) % 4) + 4) % 4) as 0 | 1 | 2 | 3;
  if (f === 0) {
    out[0] = quadrant === 1 ? 1 : quadrant === 3 ? -1 : x < 0 || Object.is(x, -0) ? -0 : 0;
    out[1] = quadrant === 0 ? 1 : quadrant === 2 ? -1 : 0;
    return out;
  }
  sinCosOfHalfPi(f, out);
  const [sinR, cosR] = [out[0]!, out[1]!];
  out[0] = quadrant === 0 ? sinR : quadrant === 1 ? cosR : quadrant === 2 ? -sinR : -cosR;
  out[1] = quadrant === 0 ? cosR : quadrant === 1 ? -sinR : quadrant === 2 ? -cosR : sinR;
  return out;
}

/**
 * sin(πx), correctly rounded (C23's `sinpi`): exact argument reduction, so `sinpi(1)` is 0
 * and `sinpi(1e300)` is 0, where `Math.sin(Math.PI * x)` is off by the rounding of π·x.
 *
 * @example
 * ```ts
 * import { libm } from "gradlab";
 * console.log(libm.sinpi(1 / 6), Math.sin(Math.PI / 6)); // 0.5 0.49999999999999994
 * ```
 */
export const sinpi = (x: number): number => sincospiInto(x, pair)[0]!;

/** cos(πx), correctly rounded (C23's `cospi`); `cospi(0.5)` is +0. */
export const cospi = (x: number): number => sincospiInto(x, pair)[1]!;
