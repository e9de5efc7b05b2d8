/**
 * `log`, `pow` and `cos` as CPython computes `math.log`, `**` and `math.cos` with glibc: the
 * float64 nearest to the exact result. V8's `Math.log`, `**` and `Math.cos` (fdlibm) are
 * accurate to about one ulp but not correctly rounded, which changes PyTorch's schedules at
 * their boundaries: CosineAnnealingWarmRestarts finds its cycle from `log(243) / log(3)`, which
 * is 4.999999999999999 with glibc and 5 with `Math.log`.
 *
 * Method: each function is evaluated in double-double arithmetic (`double_double.ts`, about
 * 106 bits) and rounded once.
 * - `log(x)`: x = 2^e · m with m in [√½, √2); log m = 2·atanh(s), s = (m − 1)/(m + 1),
 *   |s| ≤ 0.1716, summed as 2s·Σ s^(2j)/(2j + 1) for j ≤ 22; plus e·ln 2 (ln 2 in three parts).
 * - `exp` (inside `pow`): z = k·ln 2 + r with |r| ≤ ½ ln 2, Taylor series of e^r to r^26/26!.
 * - `pow(x, y)`: exp(y · log|x|) with both in double-double, C99's special cases (Annex F),
 *   the sign for negative x and odd integer y; an integer y whose exact result has at most
 *   54 bits (exact values and exact ties) is computed exactly in BigInt.
 * - `cos(x)`: exact argument reduction r = x − k·π/2 in BigInt with π to enough bits for any
 *   float64 (computed once by Machin's formula, 1300 bits), then the Taylor series of cos r or
 *   sin r (|r| ≤ π/4) to the 30th power.
 * The double-double results carry a relative error below about 2⁻¹⁰⁰, so the rounding is
 * correct unless the exact value lies within that distance of a midpoint between two float64s
 * (log and cos have no exact midpoints; pow's with integer exponents are handled exactly).
 * Tested bit for bit (tools/fixtures/libm.py, test/math/libm.test.ts, tools/libm_check.ts) on
 * tables of scheduler inputs, random doubles and hard cases against mpmath's correctly rounded
 * values (all equal) and against CPython 3.11 with glibc 2.36: equal wherever glibc is
 * correctly rounded. glibc's log was correctly rounded on every input tried; its cos and pow
 * are accurate to about 0.52 ulp, and differ from the correctly rounded value on roughly 0.1%
 * (cos) and 1% (pow, integer powers and exact ties mostly: Python's 0.8 ** 356 is one ulp
 * above it) of the tables. Matching those too would mean reproducing glibc's table-driven
 * algorithms, whose x86-64 build also picks FMA variants by CPU at load time.
 *
 * `log` first tries a fast path (the same series with only its first three terms in
 * double-double, Ziv's rounding test within 2⁻⁶¹; the full series decides the ≈0.6% of
 * inputs it cannot settle), which gradlab's seeded normals call once per pair of draws;
 * `sinpi` and `cospi` (trig_pi.ts, re-exported here) work the same way.
 * Cost: well under a microsecond for log, sinpi and cospi, a few microseconds for pow and
 * cos; schedulers call these once per step. Tensor kernels keep `Math.*`.
 */
import {
  type DD,
  type MutableDD,
  dd,
  ddAdd,
  ddDiv,
  ddMul,
  ddMulAddInto,
  ddMulNumber,
  ddSub,
  ddToNumber,
  fastTwoSum,
  roundIfSure,
  twoProd,
  twoSum,
} from "./double_double.ts";
import { INV_FACTORIALS, cosSeries, sinSeries } from "./series.ts";

export { cospi, sinpi } from "./trig_pi.ts";

// ln 2 = LN2_HI + LN2_LO + LN2_LO2 to about 160 bits.
const LN2_HI = Math.LN2;
const LN2_LO = 2.3190468138462996e-17;
const LN2_LO2 = 5.707708438416212e-34;

const view = new DataView(new ArrayBuffer(8));

/** x = mantissa · 2^exponent with an integer mantissa in [2^52, 2^53) (x finite, positive). */
function decompose(x: number): { mantissa: number; exponent: number } {
  let shift = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984; // 2^54: subnormals become normal
    shift = 54;
  }
  view.setFloat64(0, x);
  const high = view.getUint32(0);
  const biased = high >>> 20;
  const mantissa = (high & 0xfffff) * 4294967296 + view.getUint32(4) + 4503599627370496;
  return { mantissa, exponent: biased - 1075 - shift };
}

/** 2^n as a float64 for −1074 ≤ n ≤ 1023. */
function pow2(n: number): number {
  if (n >= -1022) {
    view.setUint32(0, (n + 1023) << 20);
    view.setUint32(4, 0);
    return view.getFloat64(0);
  }
  return pow2(n + 60) * 8.673617379884035e-19; // 2^-60
}

/** v · 2^n, exactly, for a v and n whose product is a normal float64. */
function scaleExact(v: number, n: number): number {
  const half = Math.trunc(n / 2);
  return v * pow2(half) * pow2(n - half);
}

/** 1/(2j + 1) for j = 0…22, in double-double. */
const ATANH_COEFFS: DD[] = Array.from({ length: 23 }, (_, j) => ddDiv(dd(1), dd(2 * j + 1)));

/** x = 2^e · m with m in [√½, √2), both exact (x finite, positive). */
function splitForLog(x: number): { m: number; e: number } {
  const { mantissa, exponent } = decompose(x);
  const m = mantissa / 4503599627370496; // [1, 2)
  return m >= Math.SQRT2 ? { m: m / 2, e: exponent + 53 } : { m, e: exponent + 52 };
}

/** ln x for a finite positive x, in double-double. */
function logDD(x: number): DD {
  const { m, e } = splitForLog(x);
  const eLn2 = ddAdd(twoProd(e, LN2_HI), ddAdd(twoProd(e, LN2_LO), dd(e * LN2_LO2)));
  if (m === 1) return eLn2;
  const s = ddDiv(dd(m - 1), twoSum(m, 1)); // m − 1 is exact (Sterbenz)
  const s2 = ddMul(s, s);
  let sum = ATANH_COEFFS[ATANH_COEFFS.length - 1]!;
  for (let j = ATANH_COEFFS.length - 2; j >= 0; j--) sum = ddAdd(ddMul(sum, s2), ATANH_COEFFS[j]!);
  const logM = ddMulNumber(ddMul(s, sum), 2);
  return e === 0 ? logM : ddAdd(eLn2, logM);
}

/** The float64 tail of the fast log: 1/(2j + 1) for j = 3…14, the terms from z³ on. */
const LOG_TAIL = Array.from({ length: 12 }, (_, j) => 1 / (2 * j + 7));
const fastLog: MutableDD = { hi: 0, lo: 0 };

/**
 * ln x by the same series with only its first three terms in double-double (z = s²,
 * ln m = 2s·(1 + z/3 + z²/5 + z³·T(z)), T in float64: a relative error below about 2⁻⁶⁸),
 * returned when Ziv's test within 2⁻⁶¹·|ln x| is sure of the rounding, else NaN.
 */
function logFast(x: number): number {
  const { m, e } = splitForLog(x);
  // s = (m − 1)/(m + 1) as a double-double: m − 1 exact, m + 1 = dh + dl exactly, one correction step
  const num = m - 1;
  const dh = m + 1;
  const dl = m - (dh - 1);
  const sh = num / dh;
  ddMulAddInto(fastLog, -sh, 0, dh, dl, num, 0); // num − sh·(dh + dl)
  const sl = (fastLog.hi + fastLog.lo) / dh;
  ddMulAddInto(fastLog, sh, sl, sh, sl, 0, 0);
  const { hi: zh, lo: zl } = fastLog;
  let t = LOG_TAIL[11]!;
  for (let j = 10; j >= 0; j--) t = t * zh + LOG_TAIL[j]!;
  ddMulAddInto(fastLog, t, 0, zh, zl, ATANH_COEFFS[2]!.hi, ATANH_COEFFS[2]!.lo);
  ddMulAddInto(fastLog, fastLog.hi, fastLog.lo, zh, zl, ATANH_COEFFS[1]!.hi, ATANH_COEFFS[1]!.lo);
  ddMulAddInto(fastLog, fastLog.hi, fastLog.lo, zh, zl, 1, 0);
  ddMulAddInto(fastLog, fastLog.hi, fastLog.lo, 2 * sh, 2 * sl, 0, 0); // ln m
  const { hi: lh, lo: ll } = fastLog;
  ddMulAddInto(fastLog, e, 0, LN2_HI, LN2_LO, lh, ll + e * LN2_LO2); // e·ln 2 + ln m
  return roundIfSure(fastLog.hi, fastLog.lo, 2 ** -61 * Math.abs(fastLog.hi));
}

/**
 * The natural logarithm of x, correctly rounded (as glibc's `log`, which CPython's `math.log`
 * calls). `log(0)` is −Infinity and a negative x gives NaN, as C's `log` (CPython raises
 * `ValueError: math domain error` there instead).
 *
 * @example
 * ```ts
 * import { libm } from "gradlab";
 * console.log(libm.log(243) / libm.log(3)); // 4.999999999999999
 * console.log(Math.log(243) / Math.log(3)); // 5
 * ```
 */
export function log(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  const fast = logFast(x);
  return fast === fast ? fast : ddToNumber(logDD(x));
}

/** e^z for a double-double z with |z| < 1100, as a double-double e^r and a power of two: e^z = (hi + lo) · 2^k. */
function expDD(z: DD): { value: DD; k: number } {
  const k = Math.round(z.hi / LN2_HI);
  let r = ddSub(z, twoProd(k, LN2_HI));
  r = ddSub(r, ddAdd(twoProd(k, LN2_LO), dd(k * LN2_LO2)));
  let sum = INV_FACTORIALS[26]!;
  for (let n = 25; n >= 0; n--) sum = ddAdd(ddMul(sum, r), INV_FACTORIALS[n]!);
  return { value: sum, k };
}

/** The number of bits of a positive BigInt. */
const bitLength = (P: bigint): number => P.toString(2).length;

/** The float64 nearest to the exact rational P · 2^s (P a positive BigInt), ties to even, subnormals and overflow included. */
function bigTimesPow2ToNumber(P: bigint, s: number): number {
  const top = bitLength(P) + s; // P · 2^s lies in [2^(top−1), 2^top)
  if (top > 1025) return Infinity;
  if (top < -1075) return 0; // below half the smallest subnormal
  const lowest = Math.max(top - 53, -1074); // the weight of the last bit a float64 keeps there
  const drop = lowest - s;
  if (drop <= 0) return scaleOrInf(Number(P), s); // exact: P has at most 53 bits
  let q = P >> BigInt(drop);
  const rem = P - (q << BigInt(drop));
  const half = 1n << BigInt(drop - 1);
  if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  return scaleOrInf(Number(q), lowest);
}

/** v · 2^n for an integer v below 2^54 whose product is a float64 (exact), or Infinity past the range. */
function scaleOrInf(v: number, n: number): number {
  if (n > 0) {
    let out = v;
    let left = n;
    while (left > 0) {
      const step = Math.min(left, 1000);
      out *= pow2(step);
      left -= step;
    }
    return out;
  }
  let out = v;
  let left = -n;
  while (left > 0) {
    const step = Math.min(left, 1000);
    out *= pow2(-step);
    left -= step;
  }
  return out;
}

/** x = M · 2^E exactly as a BigInt M and integer E (x finite, nonzero, any sign taken as |x|). */
function toBig(x: number): { M: bigint; E: number } {
  const { mantissa, exponent } = decompose(Math.abs(x));
  return { M: BigInt(mantissa), E: exponent };
}

/** The float64 nearest to (hi + lo) · 2^k, for a double-double hi + lo > 0 near 1. */
function ddTimesPow2ToNumber(v: DD, k: number): number {
  const rounded = v.hi + v.lo;
  const top = decompose(rounded).exponent + 53 + k; // rounded · 2^k lies in [2^(top−1), 2^top)
  if (top >= -1021 && top < 1023) return scaleExact(rounded, k);
  if (top >= 1025) return Infinity;
  // near the ends of the range: add hi + lo exactly in BigInt and round once
  const a = toBig(v.hi);
  let P = a.M;
  let s = a.E;
  if (v.lo !== 0) {
    const b = toBig(v.lo);
    const common = Math.min(a.E, b.E);
    const signedLo = v.lo < 0 ? -b.M : b.M;
    P = (a.M << BigInt(a.E - common)) + (signedLo << BigInt(b.E - common));
    s = common;
  }
  return bigTimesPow2ToNumber(P, s + k);
}

/** True when y is an odd integer. */
const isOddInteger = (y: number): boolean => Number.isInteger(y) && Math.abs(y % 2) === 1;

/**
 * x raised to the power y, correctly rounded (as glibc's `pow`, which CPython's `x ** y` on
 * floats calls). Special values follow C99 (Annex F): `pow(x, 0)` and `pow(1, y)` are 1, a
 * negative x with a non-integer y gives NaN, `pow(0, y < 0)` is Infinity; overflow gives
 * Infinity (CPython raises ZeroDivisionError, returns a complex, or raises OverflowError there).
 *
 * @example
 * ```ts
 * import { libm } from "gradlab";
 * console.log(libm.pow(0.1, 3)); // 0.0010000000000000002
 * ```
 */
export function pow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  const ax = Math.abs(x);
  if (!Number.isFinite(y)) {
    if (ax === 1) return 1;
    return ax < 1 === y < 0 ? Infinity : 0;
  }
  const negative = (x < 0 || Object.is(x, -0)) && isOddInteger(y);
  if (ax === 0 || ax === Infinity) {
    const big = (ax === 0) === y < 0;
    const mag = big ? Infinity : 0;
    return negative ? -mag : mag;
  }
  if (x < 0 && !Number.isInteger(y)) return NaN;
  const mag = powPositive(ax, y);
  return negative ? -mag : mag;
}

/** pow for a finite x > 0, x ≠ 1, and a finite y ≠ 0. */
function powPositive(x: number, y: number): number {
  if (Number.isInteger(y)) {
    const exact = exactIntegerPower(x, y);
    if (exact !== null) return exact;
  }
  if (Math.abs(y) > 2 ** 64) return x < 1 === y < 0 ? Infinity : 0;
  const L = logDD(x);
  const z = ddMulNumber(L, y);
  if (z.hi > 710) return Infinity;
  if (z.hi < -746) return 0;
  const { value, k } = expDD(z);
  return ddTimesPow2ToNumber(value, k);
}

/**
 * x^y for an integer y, rounded once from the exact value, when that value has at most 54
 * significant bits (x a power of two, or y > 0 and the odd part of x's mantissa small); else null.
 */
function exactIntegerPower(x: number, y: number): number | null {
  const { M, E } = toBig(x);
  let odd = M;
  let e = E;
  while ((odd & 1n) === 0n) {
    odd >>= 1n;
    e += 1;
  }
  if (odd === 1n) return bigTimesPow2ToNumber(1n, e * y);
  if (y < 0 || (bitLength(odd) - 1) * y >= 54) return null;
  const P = odd ** BigInt(y);
  if (P >= 1n << 54n) return null;
  return bigTimesPow2ToNumber(P, e * y);
}

const PI_BITS = 1300;
let piFixed: bigint | null = null;

/** ⌊π · 2^PI_BITS⌋ (to within one unit), by Machin's formula π = 16·atan(1/5) − 4·atan(1/239). */
function piTimes2ToBits(): bigint {
  if (piFixed !== null) return piFixed;
  const guard = 32n;
  const one = 1n << BigInt(PI_BITS + 32);
  piFixed = (16n * atanInv(5n, one) - 4n * atanInv(239n, one)) >> guard;
  return piFixed;
}

/** atan(1/n) · `one`, by its series Σ (−1)^k / ((2k + 1)·n^(2k+1)). */
function atanInv(n: bigint, one: bigint): bigint {
  let term = one / n;
  const n2 = n * n;
  let sum = 0n;
  for (let k = 0n; term !== 0n; k++) {
    sum += (k % 2n === 0n ? term : -term) / (2n * k + 1n);
    term /= n2;
  }
  return sum;
}

/** x − k·π/2 as a double-double r with |r| ≤ π/4, and k mod 4, for a finite x ≥ 2^-27. */
function reduceHalfPi(x: number): { r: DD; quadrant: number } {
  const { M, E } = toBig(x);
  const F = Math.max(E, 0) + 240; // fraction bits: enough for |r| ≥ 2^-62 at any k
  const halfPi = piTimes2ToBits() >> BigInt(PI_BITS - F + 1); // π/2 · 2^F
  const X = M << BigInt(E + F);
  const k = (2n * X + halfPi) / (2n * halfPi);
  const R = X - k * halfPi; // r · 2^F
  const negative = R < 0n;
  const absR = negative ? -R : R;
  const bits = absR.toString(2).length;
  const drop = Math.max(0, bits - 110);
  const top = absR >> BigInt(drop);
  const hiInt = Number(top);
  const loInt = Number(top - BigInt(hiInt));
  const hi = scaleExact(hiInt, drop - F);
  const lo = loInt === 0 ? 0 : scaleExact(loInt, drop - F);
  const r = fastTwoSum(negative ? -hi : hi, negative ? -lo : lo);
  return { r, quadrant: Number(k & 3n) };
}

/**
 * The cosine of x (radians), correctly rounded (as glibc's `cos`, which CPython's `math.cos`
 * calls), with exact argument reduction for every finite x. NaN and ±Infinity give NaN.
 *
 * @example
 * ```ts
 * import { libm } from "gradlab";
 * console.log(libm.cos(Math.PI / 3)); // 0.5000000000000001
 * ```
 */
export function cos(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 7.450580596923828e-9) return 1; // 2^-27: 1 − x²/2 rounds to 1
  if (ax <= 0.7853981633974483) return ddToNumber(cosSeries(dd(ax)));
  const { r, quadrant } = reduceHalfPi(ax);
  switch (quadrant) {
    case 0:
      return ddToNumber(cosSeries(r));
    case 1:
      return -ddToNumber(sinSeries(r));
    case 2:
      return -ddToNumber(cosSeries(r));
    default:
      return ddToNumber(sinSeries(r));
  }
}
