import { describe, expect, it } from "vitest";
import { cospi, log, sinpi } from "../../src/math/libm.ts";
import { sincospiInto } from "../../src/math/trig_pi.ts";
import { fixture } from "../helpers.ts";
import { decodeFloat64, sameBits } from "./bits.ts";

// expected values: tools/fixtures/libm_pi.py, mpmath's sinpi and cospi at 450 bits rounded
// once to float64 (the Box–Muller angles 2u of the generator, random doubles, values next
// to integers, half- and quarter-integers, tiny and subnormal inputs).
const table = fixture<{ x: string; sinpi: string; cospi: string }>("math/libm_pi");
const x = decodeFloat64(table.x);

/** Indices where f(x) differs from the correctly rounded value (a zero of either sign matches a zero). */
const wrong = (f: (v: number) => number, expected: Float64Array): number[] =>
  [...x.keys()].filter((i) => {
    const v = f(x[i]!);
    return expected[i] === 0 ? v !== 0 : !sameBits(v, expected[i]!);
  });

describe.each([
  { name: "sinpi", f: sinpi, expected: decodeFloat64(table.sinpi) },
  { name: "cospi", f: cospi, expected: decodeFloat64(table.cospi) },
])("libm.$name", ({ name, f, expected }) => {
  it("is the correctly rounded value on every input of the table", () => {
    const bad = wrong(f, expected);
    console.log(`libm.${name}: ${x.length - bad.length} of ${x.length} correctly rounded`);
    expect(bad.slice(0, 5).map((i) => [x[i], f(x[i]!), expected[i]])).toEqual([]);
  });
});

describe("sinpi and cospi, special values (C23)", () => {
  it("are exact at integers and half-integers, with C23's signed zeros", () => {
    expect([sinpi(0), sinpi(-0), sinpi(1), sinpi(-2), sinpi(2 ** 60), sinpi(-(2 ** 60))]).toEqual([0, -0, 0, -0, 0, -0]);
    expect([cospi(0.5), cospi(-1.5), cospi(2 ** 52 + 1), cospi(2 ** 60), cospi(1), sinpi(0.5), sinpi(-0.5)]).toEqual([0, 0, -1, 1, -1, 1, -1]);
  });

  it("give NaN for NaN and the infinities", () => {
    expect([sinpi(Number.NaN), cospi(Infinity), sinpi(-Infinity)]).toEqual([Number.NaN, Number.NaN, Number.NaN]);
  });

  it("sincospiInto gives both at once, as sinpi and cospi", () => {
    const out = new Float64Array(2);
    for (const v of [0.1, -0.7, 1.25, 3.000001]) expect(Array.from(sincospiInto(v, out))).toEqual([sinpi(v), cospi(v)]);
  });

  it("log is CPython's math.log at the generator's extremes (u = 0.25, 0.5, 1 − 2⁻⁵³, 2⁻⁵³)", () => {
    // values printed by /usr/bin/python3 (CPython with glibc 2.36, correctly rounded here)
    expect([log(0.75), log(0.5), log(2 ** -53), log(1 - 2 ** -53)]).toEqual([-0.2876820724517809, -Math.LN2, -36.7368005696771, -1.1102230246251565e-16]);
  });
});
