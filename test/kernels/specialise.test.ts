/**
 * The two-lane loops of src/kernels/specialise.ts: a loop written once per element and
 * compiled two elements per iteration (`twoLanes`) computes exactly what the plain loop it
 * was written as computes, for even and odd lengths, including when a minifier has
 * rewritten it; and what it cannot copy soundly, it refuses.
 *
 * expected values: the plain loop itself (the factory called directly, no rewriting), element
 * for element, with Object.is, over lengths 0 to 9.
 */
import { transformSync } from "esbuild";
import { describe, expect, it } from "vitest";
import { ROUNDING, type Rounding } from "../../src/kernels/rounding.ts";
import { LoopFamily, twoLanes } from "../../src/kernels/specialise.ts";

interface Settings {
  rounding: Rounding;
  flip: boolean;
  records: Record<string, number>[] | null;
}

type Loop = (x: Float32Array, y: Float32Array, scale: number) => void;

/**
 * A small loop in the optimizers' style: a `let` reassigned under an option, an FMA, reads
 * and writes of two arrays, an if/else with a block of its own, and a record whose object has
 * keys named like the loop's locals, one of them shorthand.
 */
const factory = (settings: Settings): Loop => {
  const {
    rounding: { fma, round },
    flip,
    records,
  } = settings;
  return (x, y, scale) => {
    scale *= 1;
    for (let i = 0; i < x.length; i++) {
      const x0 = x[i]!;
      let xi = flip ? -x0 : x0;
      const y0 = y[i]!;
      const yi = fma(xi, scale, y0);
      if (yi > 0) {
        const half = round(yi / 3);
        xi = round(xi + half);
      } else xi = round(xi - yi);
      x[i] = xi;
      y[i] = yi;
      if (records !== null) records.push({ i, x0, xi: xi, y: yi, yi });
    }
  };
};

/** Random float32 inputs of length n, the same for a given n. */
function inputs(n: number): [Float32Array, Float32Array] {
  let seed = n + 1;
  const next = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  return [Float32Array.from({ length: n }, next), Float32Array.from({ length: n }, next)];
}

/** The loop made by `make` and the plain one, run on copies of the same inputs: their outputs and records. */
function both(make: (settings: Settings) => Loop, flip: boolean, n: number) {
  const run = (build: (settings: Settings) => Loop) => {
    const records: Record<string, number>[] = [];
    const [x, y] = inputs(n);
    build({ rounding: ROUNDING.float32, flip, records })(x, y, 0.75);
    return { x: [...x], y: [...y], records };
  };
  return [run(make), run(factory)] as const;
}

const compiled = (source: string): ((settings: Settings) => Loop) => new Function(`return (${twoLanes(source)});`)() as (settings: Settings) => Loop;

describe("twoLanes", () => {
  it.each([0, 1, 2, 3, 4, 5, 8, 9])("computes what the per-element loop computes, at length %i", (n) => {
    for (const flip of [false, true]) {
      const [laned, plain] = both(compiled(factory.toString()), flip, n);
      expect(laned.x.every((v, k) => Object.is(v, plain.x[k]))).toBe(true);
      expect(laned.y.every((v, k) => Object.is(v, plain.y[k]))).toBe(true);
      // lane a records element i before lane b records i + 1: the records come in index order
      expect(laned.records).toEqual(plain.records);
    }
  });

  it("runs lane b's copy of each statement right after lane a's, with lane b's names", () => {
    const source = twoLanes(factory.toString()).replace(/\s/g, "");
    expect(source).toContain("constx0=x[i];constx0$b=x[i$b];");
    expect(source).toContain("y[i]=yi;y[i$b]=yi$b;");
    // object keys keep their names; a shorthand key gets lane b's value
    expect(source).toContain("records.push({i:i$b,x0:x0$b,xi:xi$b,y:yi$b,yi:yi$b})");
  });

  it("reads a minifier's output of the same loop", () => {
    const code = transformSync(`globalThis.loop = (${factory.toString()});`, { minify: true, loader: "js" }).code;
    const minified = code.trim().replace("globalThis.loop=", "").replace(/;$/, "");
    expect(minified).not.toContain("x0="); // the locals have new names
    const [laned, plain] = both(compiled(minified), true, 7);
    expect(laned).toEqual(plain);
  });

  it.each([
    ["a nested loop", "for (let j = 0; j < 2; j++) x[i] += j;", "exactly one for loop, found 2"],
    ["a function", "const f = (v) => v; x[i] = f(x[i]);", 'no "=>"'],
    ["an early exit", "if (x[i] > 0) continue;", 'no "continue"'],
    ["a destructuring", "const [a] = [x[i]]; x[i] = a;", 'plain names, found "["'],
  ])("refuses a body with %s", (_, body, message) => {
    expect(() => twoLanes(`(x) => { for (let i = 0; i < x.length; i++) { ${body} } }`)).toThrow(message);
  });

  it("refuses a loop that does not count from 0 by 1", () => {
    expect(() => twoLanes("(x) => { for (let i = 1; i < x.length; i++) x[i] = 0; }")).toThrow("for (let i = 0; i < n; i++)");
    expect(() => twoLanes("(x) => { for (let i = 0; i < x.length; i += 2) { x[i] = 0; } }")).toThrow('counts i++, found "i += 2"');
  });
});

describe("LoopFamily with lanes", () => {
  it("makes two-lane loops that compute what the plain loop computes", () => {
    const family = new LoopFamily(2, factory, { name: "test" });
    for (const n of [6, 7]) {
      // the family's warm-up runs record too: compare the arrays
      const [laned, plain] = both((settings) => family.make(n, settings), false, n);
      expect([laned.x, laned.y]).toEqual([plain.x, plain.y]);
    }
  });
});
