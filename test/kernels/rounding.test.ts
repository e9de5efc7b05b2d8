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

function roundExact(m: bigint, e: number, bits: number): number {
  if (m === 0n) return 0;
  const negative = m < 0n;
  let q = negative ? -m : m;
  const length = q.toString(2).length;
  let shift = length - bits;
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

function exactFma(a: number, b: number, c: number, bits: number): number {
  const [ma, ea] = exact(a);
  const [mb, eb] = exact(b);
  const [mc, ec] = exact(c);
  const ep = ea + eb;
  const e = Math.min(ep, ec);
  return roundExact(((ma * mb) << BigInt(ep - e)) + (mc << BigInt(ec - e)), e, bits);
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

  it("overflows and propagates NaN as a float32 FMA does", () => {
    const max = Math.fround(3.4028234663852886e38);
    expect(fma32(max, 2, 0)).toBe(Infinity);
    expect(fma32(max, -2, 0)).toBe(-Infinity);
    expect(fma32(Infinity, 1, -Infinity)).toBeNaN();
    expect(fma32(NaN, 1, 1)).toBeNaN();
    expect(fma32(2 ** -100, 2 ** -49, 0)).toBe(2 ** -149); // the least float32 subnormal
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
