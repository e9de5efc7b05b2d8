import { describe, expect, it } from "vitest";
import { cos, log, pow } from "../../src/math/libm.ts";
import { fixture } from "../helpers.ts";
import { type LibmTable, countSame, evaluate, sameBits } from "./bits.ts";

// expected values: tools/fixtures/libm.py. Inputs the schedulers pass (CosineAnnealingWarmRestarts'
// log arguments at every cycle boundary, PolynomialLR's and ExponentialLR's powers, the cosine
// schedules' π·t/T), random doubles over the whole range and hard cases; outputs from mpmath
// (450 bits, rounded once) and from CPython 3.11 with glibc 2.36, which differ where glibc is
// not correctly rounded (its cos and pow are accurate to about 0.52 ulp).
const tables = fixture<Record<"log" | "cos" | "pow", LibmTable> & { source: string }>("math/libm");

describe.each([
  { name: "log", table: tables.log, f: (x: number) => log(x) },
  { name: "cos", table: tables.cos, f: (x: number) => cos(x) },
  { name: "pow", table: tables.pow, f: (x: number, y: number) => pow(x, y) },
])("libm.$name", ({ name, table, f }) => {
  const r = evaluate(table, f);
  const n = r.x.length;

  it("is the correctly rounded result on every input of the table", () => {
    const wrong = [...r.actual.keys()].filter((i) => !sameBits(r.actual[i]!, r.correctlyRounded[i]!));
    expect(wrong.slice(0, 5).map((i) => [r.x[i], r.y[i], r.actual[i], r.correctlyRounded[i]])).toEqual([]);
  });

  it("is bit-identical to CPython with glibc wherever glibc is correctly rounded", () => {
    const same = countSame(r.actual, r.glibc);
    console.log(`libm.${name}: ${same} of ${n} bit-identical to CPython/glibc (glibc correctly rounded on ${n - table.glibc_differs.length})`);
    expect(same).toBe(n - table.glibc_differs.length);
  });
});

describe("libm, the cases that change PyTorch's schedules", () => {
  it("log(243) / log(3) is 4.999999999999999, as Python's math.log(243, 3)", () => {
    expect(log(243) / log(3)).toBe(4.999999999999999);
    expect(log(3)).toBe(1.0986122886681098);
  });

  it("pow rounds exact ties to even and keeps exact powers exact", () => {
    expect(pow(0.5, 1075)).toBe(0); // 2^-1075 is halfway between 0 and the smallest subnormal
    expect(pow(0.5, 1074)).toBe(5e-324);
    expect(pow(1.5, 34)).toBe(Number(3n ** 34n) / 2 ** 34); // a 54-bit odd numerator: an exact tie, to even
    expect(pow(2, -1074)).toBe(5e-324);
    expect(pow(-2, 3)).toBe(-8);
  });

  it("follows C99's special values", () => {
    expect(pow(Number.NaN, 0)).toBe(1);
    expect(pow(1, Number.NaN)).toBe(1);
    expect(pow(-1, Infinity)).toBe(1);
    expect(pow(-0, -3)).toBe(-Infinity);
    expect(pow(-8, 1 / 3)).toBeNaN();
    expect(log(0)).toBe(-Infinity);
    expect(log(-1)).toBeNaN();
    expect(cos(Infinity)).toBeNaN();
  });
});
