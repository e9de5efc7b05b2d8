/**
 * Double-double arithmetic: a value is the unevaluated sum `hi + lo` of two float64 numbers
 * with |lo| ≤ ½ ulp(hi), about 106 significant bits. The building blocks are the error-free
 * transformations (Knuth's two-sum, Dekker's product with Veltkamp's split); each operation
 * below has a relative error of a few units in 2⁻¹⁰⁶ (Joldes, Muller, Popescu, "Tight and
 * rigorous error bounds for basic building blocks of double-word arithmetic", 2017).
 *
 * Used by the correctly rounded `log`, `pow` and `cos` of `libm.ts`; the two error terms
 * ({@link sumError}, {@link productError}) also by the exact FMA of kernels/rounding.ts.
 */

/** A double-double number `hi + lo`. */
export interface DD {
  readonly hi: number;
  readonly lo: number;
}

/** The double-double holding exactly `x`. */
export const dd = (hi: number, lo = 0): DD => ({ hi, lo });

/** The error a + b − s of the rounded sum s = fl(a + b), exactly (Knuth's two-sum, any magnitudes). */
export function sumError(a: number, b: number, s: number): number {
  const bb = s - a;
  return a - (s - bb) + (b - bb);
}

/** a + b exactly, as the rounded sum and its error (Knuth's two-sum, any magnitudes). */
export function twoSum(a: number, b: number): DD {
  const s = a + b;
  return { hi: s, lo: sumError(a, b, s) };
}

/** a + b exactly when |a| ≥ |b| (Dekker's fast two-sum). */
export function fastTwoSum(a: number, b: number): DD {
  const s = a + b;
  return { hi: s, lo: b - (s - a) };
}

const SPLITTER = 134217729; // 2^27 + 1

/**
 * The error a·b − p of the rounded product p = fl(a·b), exactly (Dekker's product, each factor
 * split by Veltkamp into 26 + 26 bits; valid while |a·b| stays below 2^995). Returns a number,
 * so loops that call it (kernels/rounding.ts's fma64) allocate nothing.
 */
export function productError(a: number, b: number, p: number): number {
  const ca = SPLITTER * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = SPLITTER * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/** a · b exactly, as the rounded product and its error (see {@link productError}). */
export function twoProd(a: number, b: number): DD {
  const p = a * b;
  return { hi: p, lo: productError(a, b, p) };
}

/** x + y. */
export function ddAdd(x: DD, y: DD): DD {
  const s = twoSum(x.hi, y.hi);
  const t = twoSum(x.lo, y.lo);
  const u = fastTwoSum(s.hi, s.lo + t.hi);
  return fastTwoSum(u.hi, u.lo + t.lo);
}

/** x − y. */
export const ddSub = (x: DD, y: DD): DD => ddAdd(x, { hi: -y.hi, lo: -y.lo });

/** x · y. */
export function ddMul(x: DD, y: DD): DD {
  const p = twoProd(x.hi, y.hi);
  return fastTwoSum(p.hi, p.lo + (x.hi * y.lo + x.lo * y.hi));
}

/** x · b for a float64 b. */
export function ddMulNumber(x: DD, b: number): DD {
  const p = twoProd(x.hi, b);
  return fastTwoSum(p.hi, p.lo + x.lo * b);
}

/** x / y, by long division with three quotient digits. */
export function ddDiv(x: DD, y: DD): DD {
  const q1 = x.hi / y.hi;
  let r = ddSub(x, ddMulNumber(y, q1));
  const q2 = r.hi / y.hi;
  r = ddSub(r, ddMulNumber(y, q2));
  const q3 = r.hi / y.hi;
  return ddAdd(fastTwoSum(q1, q2), dd(q3));
}

/** The float64 nearest to x (hi + lo rounded once). */
export const ddToNumber = (x: DD): number => x.hi + x.lo;

/** A double-double that the fast paths overwrite in place (no allocation per operation). */
export interface MutableDD {
  hi: number;
  lo: number;
}

/**
 * out ← a·b + c for double-doubles a = ah + al, b = bh + bl, c = ch + cl, without allocating:
 * Dekker's exact product of the heads, the cross terms, and a two-sum with c (relative
 * error a few units in 2⁻¹⁰⁶ of the larger of |a·b| and |c|). |ah|, |bh| < 2^995.
 */
export function ddMulAddInto(out: MutableDD, ah: number, al: number, bh: number, bl: number, ch: number, cl: number): MutableDD {
  const p = ah * bh;
  const ta = SPLITTER * ah;
  const a1 = ta - (ta - ah);
  const a2 = ah - a1;
  const tb = SPLITTER * bh;
  const b1 = tb - (tb - bh);
  const b2 = bh - b1;
  const pe = a1 * b1 - p + a1 * b2 + a2 * b1 + a2 * b2 + (ah * bl + al * bh);
  const s = p + ch;
  const sb = s - p;
  const t = p - (s - sb) + (ch - sb) + pe + cl;
  const hi = s + t;
  out.lo = t - (hi - s);
  out.hi = hi;
  return out;
}

/**
 * Ziv's rounding test: the float64 nearest to a value known to lie within `bound` of
 * hi + lo, when every value of that interval rounds to the same float64; NaN otherwise
 * (the caller then takes its slow, more precise path). Rounding is monotone, so the ends
 * of the interval decide.
 */
export function roundIfSure(hi: number, lo: number, bound: number): number {
  const below = hi + (lo - bound);
  return below === hi + (lo + bound) ? below : Number.NaN;
}
