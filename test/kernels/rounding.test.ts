import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ROUNDING, fma32, fma64 } from "../../src/kernels/rounding.ts";

// The reference: a·b + c computed exactly with BigInt (every double is m·2^e), then rounded
// once to `bits` significant bits, ties to even. Independent of the float tricks under test.
const view = new DataView(new ArrayBuffer(8));

function exact(x: number): [bigint, number] {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased !== 0) m |= 1n << 52n;
  const e = (biased === 0 ? 1 : biased) - 1075;
  return [hi >>> 31 ? -m : m, e];
}

// Rounds m·2^e to `bits` significant bits, ties to even, on a grid no finer than 2^least
// (the least subnormal: 2⁻¹⁴⁹ in float32, 2⁻¹⁰⁷⁴ in float64), so subnormal results round
// as the hardware rounds them. An exact zero comes back as +0 (the caller signs it).
function roundExact(m: bigint, e: number, bits: number, least: number): number {
  if (m === 0n) return 0;
  const negative = m < 0n;
  let q = negative ? -m : m;
  const length = q.toString(2).length;
  let shift = Math.max(length - bits, least - e);
  if (shift > 0) {
    const rest = q & ((1n << BigInt(shift)) - 1n);
    q >>= BigInt(shift);
    const half = 1n << BigInt(shift - 1);
    if (rest > half || (rest === half && (q & 1n) === 1n)) q += 1n;
  } else {
    shift = 0;
  }
  const value = Number(q) * 2 ** (e + shift);
  return negative ? -value : value;
}

/** a·b + c exactly, as m·2^e. */
function exactSum(a: number, b: number, c: number): [bigint, number] {
  const [ma, ea] = exact(a);
  const [mb, eb] = exact(b);
  const [mc, ec] = exact(c);
  const ep = ea + eb;
  const e = Math.min(ep, ec);
  return [((ma * mb) << BigInt(ep - e)) + (mc << BigInt(ec - e)), e];
}

function exactFma(a: number, b: number, c: number, bits: number): number {
  const [m, e] = exactSum(a, b, c);
  return roundExact(m, e, bits, bits === 24 ? -149 : -1074);
}

/**
 * A float32 FMA on any float32 operands, by IEEE 754's rules: an infinite or NaN operand
 * gives what float64 gives (its products of float32 cannot overflow); an exact zero sum is
 * −0 only when a·b and c are both −0 (round to nearest), while a sum that underflows keeps
 * its sign; a result of 2^128 or more after rounding overflows to ∞; anything else is the
 * exact sum rounded once.
 */
function referenceFma32(a: number, b: number, c: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c)) return Math.fround(a * b + c);
  const [m, e] = exactSum(a, b, c);
  if (m === 0n) return Object.is(a * b, -0) && Object.is(c, -0) ? -0 : 0;
  const x = roundExact(m, e, 24, -149);
  return Math.abs(x) >= 2 ** 128 ? x * Infinity : x;
}

/** A float of moderate exponent: mantissa from the generator, scale 2^k. */
const float32 = fc
  .tuple(fc.float({ min: 1, max: 2, noNaN: true }), fc.integer({ min: -40, max: 40 }), fc.boolean())
  .map(([m, k, neg]) => Math.fround((neg ? -m : m) * 2 ** k));
const float64 = fc
  .tuple(fc.double({ min: 1, max: 2, noNaN: true }), fc.integer({ min: -60, max: 60 }), fc.boolean())
  .map(([m, k, neg]) => (neg ? -m : m) * 2 ** k);

describe("fma32", () => {
  it("rounds a·b + c once to float32 for random float32 operands", () => {
    fc.assert(
      fc.property(float32, float32, float32, (a, b, c) => {
        expect(fma32(a, b, c)).toBe(exactFma(a, b, c, 24));
      }),
      { numRuns: 20000 },
    );
  });

  // c = 1 + 2⁻²³ (odd last bit), a·b = −2⁻²⁴ + 2⁻⁷⁰: the exact sum 1 + 2⁻²⁴ + 2⁻⁷⁰ lies just
  // above the midpoint of 1 and 1 + 2⁻²³, so the FMA gives 1 + 2⁻²³; rounding through
  // float64 first lands on the midpoint (2⁻⁷⁰ is lost) and fround's tie to even gives 1.
  it("settles the double-rounding case that a float64 sum and fround get wrong", () => {
    const a = -(1 + 2 ** -23) * 2 ** -12;
    const b = (1 - 2 ** -23) * 2 ** -12;
    const c = 1 + 2 ** -23;
    expect(Math.fround(a * b + c)).toBe(1);
    expect(exactFma(a, b, c, 24)).toBe(1 + 2 ** -23);
    expect(fma32(a, b, c)).toBe(1 + 2 ** -23);
    // the mirror image, below the midpoint: the even neighbour is the right answer
    expect(fma32(-a, b, 1)).toBe(exactFma(-a, b, 1, 24));
  });

  // a·b close to half a float32 ulp of c, at scales where c + a·b needs more than 53 bits:
  // the float64 sum lands on or next to a float32 midpoint, the case fma32's one-comparison
  // test must send to its exact path (and only there).
  it("rounds a·b + c once when the float64 sum lands near a float32 midpoint", () => {
    const nearHalfUlp = fc
      .tuple(float32, fc.float({ min: 1, max: 2, noNaN: true }), fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 40 }))
      .map(([c, m, k, shift]) => {
        const halfUlp = 2 ** (Math.floor(Math.log2(Math.abs(c))) - 24);
        const a = Math.fround(m * 2 ** -shift);
        const b = Math.fround((halfUlp / a) * (1 + k * 2 ** -23));
        return [a, b, c] as const;
      });
    fc.assert(
      fc.property(nearHalfUlp, fc.boolean(), ([a, b, c], negate) => {
        const bb = negate ? -b : b;
        expect(fma32(a, bb, c)).toBe(exactFma(a, bb, c, 24));
      }),
      { numRuns: 20000 },
    );
  });

  // Every float32, subnormals, ±0, ±∞ and NaN included, against IEEE 754's rules.
  it("rounds a·b + c once for any float32 operands, zeros, subnormals and infinities too", () => {
    const any32 = fc.float();
    fc.assert(
      fc.property(any32, any32, any32, (a, b, c) => {
        expect(fma32(a, b, c)).toBe(referenceFma32(a, b, c));
      }),
      { numRuns: 20000 },
    );
  });

  // The float64 sum s is itself a float32 (fma32's early out): operands of few bits whose
  // sums are exact, and a product too small to move c in float64 (then the exact sum is
  // not s, yet rounds to it in float32 too).
  it("returns the float64 sum when it is a float32, exact or not", () => {
    // i·2^j · k·2^l + n·2^(j+l) with |i|, |k| < 2⁸ and |n| < 2²³: an integer below 2²⁴ times 2^(j+l)
    const exactSums = fc
      .tuple(fc.integer({ min: -255, max: 255 }), fc.integer({ min: -255, max: 255 }), fc.integer({ min: -(2 ** 23), max: 2 ** 23 }))
      .chain(([i, k, n]) =>
        fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 })).map(([j, l]) => [i * 2 ** j, k * 2 ** l, n * 2 ** (j + l)] as const),
      );
    const absorbed = fc
      .tuple(float32, float32, fc.integer({ min: 55, max: 90 }))
      .map(([c, m, k]) => [Math.fround(m * 2 ** -k), Math.fround(Math.abs(c) / Math.abs(m)), c] as const);
    fc.assert(
      fc.property(fc.oneof(exactSums, absorbed), ([a, b, c]) => {
        const s = a * b + c;
        expect(Math.fround(s)).toBe(s);
        expect(fma32(a, b, c)).toBe(referenceFma32(a, b, c));
      }),
      { numRuns: 20000 },
    );
  });

  it("signs an exact zero as a float32 FMA does", () => {
    expect(fma32(-0, 1, -0)).toBe(-0); // −0 + −0
    expect(fma32(0, -1, -0)).toBe(-0);
    expect(fma32(0, 1, -0)).toBe(0); // +0 + −0 = +0 in round to nearest
    expect(fma32(-0, 1, 0)).toBe(0);
    expect(fma32(-0, -1, -0)).toBe(0); // (−0)·(−1) = +0
    expect(fma32(3, 0.5, -1.5)).toBe(0); // y − y = +0
    expect(fma32(-3, 0.5, 1.5)).toBe(0);
    expect(fma32(2 ** -100, -(2 ** -100), 0)).toBe(-0); // −2⁻²⁰⁰ underflows, keeping its sign
  });

  it("keeps c when a product below half its float64 ulp is absorbed, at powers of two and subnormals", () => {
    const cases: [number, number, number, number][] = [
      [2 ** -30, 2 ** -30, 1, 1], // 1 + 2⁻⁶⁰ → 1
      [-(2 ** -30), 2 ** -30, 1, 1], // 1 − 2⁻⁶⁰: just below a power of two, still 1
      [-(2 ** -30), 2 ** -30, -1, -1],
      [2 ** -100, 2 ** -100, 2 ** -149, 2 ** -149], // the least subnormal, plus 2⁻²⁰⁰
      [-(2 ** -100), 2 ** -100, 2 ** -149, 2 ** -149],
      [-(2 ** -100), 2 ** -100, 2 ** -126, 2 ** -126], // the least normal, minus 2⁻²⁰⁰
      [0.5, 0.5, 0.5, 0.75], // warm-up data: exact
      [0.1, 0, Math.fround(0.3), Math.fround(0.3)], // Adam's m lerp on a constant gradient: g − m = 0
    ];
    for (const [a, b, c, expected] of cases) {
      const fa = Math.fround(a);
      expect(fma32(fa, b, c)).toBe(expected);
      expect(referenceFma32(fa, b, c)).toBe(expected);
    }
  });

  it("overflows and propagates NaN as a float32 FMA does", () => {
    const max = Math.fround(3.4028234663852886e38);
    expect(fma32(max, 2, 0)).toBe(Infinity);
    expect(fma32(max, -2, 0)).toBe(-Infinity);
    expect(fma32(Infinity, 1, -Infinity)).toBeNaN();
    expect(fma32(NaN, 1, 1)).toBeNaN();
    expect(fma32(2 ** -100, 2 ** -49, 0)).toBe(2 ** -149); // the least float32 subnormal
    expect(fma32(2 ** -100, 2 ** -50, 0)).toBe(0); // 2⁻¹⁵⁰: a tie between 0 and 2⁻¹⁴⁹, even is 0
    expect(fma32(2 ** -100, 2 ** -50 * (1 + 2 ** -23), 0)).toBe(2 ** -149); // just above the tie
    // max + ½ulp(max) = 2¹²⁸ − 2¹⁰³ exactly: a tie, and the even neighbour is 2¹²⁸, so ∞
    expect(fma32(2 ** -12, 2 ** 115, max)).toBe(Infinity);
    expect(fma32(2 ** -12, 2 ** 115 * (1 - 2 ** -24), max)).toBe(max);
    expect(fma32(Infinity, 2, 1)).toBe(Infinity); // s = ∞ is a float32: the early out
    expect(fma32(1, 1, -Infinity)).toBe(-Infinity);
    expect(fma32(Infinity, 0, 1)).toBeNaN();
  });

  it("keeps exact ties on the even neighbour, as the hardware does", () => {
    expect(fma32(2 ** -12, 2 ** -12, 1)).toBe(1); // 1 + 2⁻²⁴ exactly: tie, even is 1
    expect(fma32(2 ** -12, 2 ** -12, 1 + 2 ** -23)).toBe(1 + 2 ** -22);
  });
});

describe("fma64", () => {
  it("rounds a·b + c once for random doubles", () => {
    fc.assert(
      fc.property(float64, float64, float64, (a, b, c) => {
        expect(fma64(a, b, c)).toBe(exactFma(a, b, c, 53));
      }),
      { numRuns: 20000 },
    );
  });

  it("rounds a·b + c once under cancellation (c close to −a·b)", () => {
    fc.assert(
      fc.property(float64, float64, fc.integer({ min: -8, max: 8 }), (a, b, k) => {
        const c = -(a * b) * (1 + k * 2 ** -40);
        expect(fma64(a, b, c)).toBe(exactFma(a, b, c, 53));
      }),
      { numRuns: 20000 },
    );
  });

  // The float64 twin of the float32 case: a·b = −2⁻⁵³ + 2⁻¹⁵⁷, c = 1 + 2⁻⁵² (odd).
  it("settles the tie that s + (e1 + e2) alone would break the wrong way", () => {
    const a = -(1 + 2 ** -52) * 2 ** -27;
    const b = (1 - 2 ** -52) * 2 ** -26;
    const c = 1 + 2 ** -52;
    expect(a * b + c).toBe(1);
    expect(exactFma(a, b, c, 53)).toBe(1 + 2 ** -52);
    expect(fma64(a, b, c)).toBe(1 + 2 ** -52);
  });
});

describe("lerp", () => {
  // PyTorch's two forms; at w = 1 the second is exactly `end`, which the first is not.
  it("takes self + w·(end − self) below |w| = 0.5 and end − (end − self)·(1 − w) from there", () => {
    const { lerp } = ROUNDING.float64;
    expect(lerp(1, 3, 0.25)).toBe(1 + 0.25 * 2);
    expect(lerp(1, 3, 0.75)).toBe(3 - 2 * 0.25);
    const self = 0.7;
    const end = 0.1;
    expect(lerp(self, end, 1)).toBe(end);
    expect(self + 1 * (end - self)).not.toBe(end);
  });

  it("rounds each float32 operand and the FMA as the kernel does", () => {
    const { lerp } = ROUNDING.float32;
    fc.assert(
      fc.property(float32, float32, fc.float({ min: 0, max: 1, noNaN: true }), (self, end, w) => {
        const d = Math.fround(end - self);
        const expected = Math.abs(w) < 0.5 ? exactFma(w, d, self, 24) : exactFma(Math.fround(w - 1), d, end, 24);
        expect(lerp(self, end, w)).toBe(expected);
      }),
      { numRuns: 5000 },
    );
  });
});

describe("quotient32", () => {
  // x / c computed in float64 and rounded once is the correctly rounded float32 quotient
  // (53 ≥ 2·24 + 2): the independent reference for the reciprocal form.
  const { divisor, quotient } = ROUNDING.float32;
  const viaReciprocal = (x: number, c: number) => quotient(x, divisor(c));
  const same = (x: number, c: number) => Object.is(viaReciprocal(x, c), Math.fround(x / c));

  it("gives fl32(x / c) for any float32 x and any float32 c with |c| ≤ 1: subnormals, zeros, infinities and NaN too", () => {
    fc.assert(fc.property(fc.float(), fc.float({ min: -1, max: 1 }), same), { numRuns: 100_000 });
  });

  it("gives fl32(x / c) where the quotient lies next to a float32 midpoint", () => {
    // x = fl32(M·c) for a midpoint M makes x/c as close to M as float32 x allows
    const midpointNeighbour = fc
      .tuple(fc.integer({ min: 2 ** 23, max: 2 ** 24 - 1 }), fc.integer({ min: -140, max: 100 }), fc.float({ min: 2 ** -30, max: 1, noNaN: true }))
      .map(([m, q, c]) => ({ x: Math.fround((m + 0.5) * 2 ** (q - 23) * c), c }));
    fc.assert(
      fc.property(midpointNeighbour, ({ x, c }) => same(x, c) && same(-x, c) && same(x, -c)),
      { numRuns: 100_000 },
    );
  });

  it("gives fl32(x / c) at the bias corrections the Adam family divides by", () => {
    const xs = fc.sample(fc.float({ noNaN: true, noDefaultInfinity: true }), 200);
    for (const beta of [0.9, 0.99, 0.999, 0.9999]) {
      for (let t = 1; t <= 2000; t++) {
        const c = Math.fround(1 - beta ** t);
        const root = Math.fround(Math.sqrt(1 - beta ** t));
        for (const x of xs) expect(same(x, c) && same(x, root)).toBe(true);
      }
    }
  });

  it("is the same function as the division at a hand-picked tie, at the edges and at the overflow threshold", () => {
    // 3·2⁻²⁵ ÷ 0.75 = 2⁻²³·… an exact result; 1 ÷ 1; a subnormal over a small divisor; 0 and ∞
    const cases: [number, number][] = [
      [1, 1],
      [Math.fround(3 * 2 ** -25), 0.75],
      [2 ** -149, 2 ** -10],
      [2 ** -149, 0.75],
      [-0, 0.5],
      [0, -0.5],
      [1, 0],
      [-1, -0],
      [0, 0],
      [Number.POSITIVE_INFINITY, 0.5],
      [Math.fround(3.4028234663852886e38), Math.fround(1 - 2 ** -24)],
      [Math.fround(3.4028234663852886e38), Math.fround(1 - 2 ** -23)],
    ];
    for (const [x, c] of cases) expect([x, c, viaReciprocal(x, c)]).toEqual([x, c, Math.fround(x / c)]);
  });

  it("is a plain division in float64", () => {
    const { divisor: d64, quotient: q64 } = ROUNDING.float64;
    expect(q64(1, d64(3))).toBe(1 / 3);
    expect(q64(0.3, d64(0.7))).toBe(0.3 / 0.7);
    expect(0.3 * (1 / 0.7)).not.toBe(0.3 / 0.7); // what a reciprocal would change in float64
  });
});
