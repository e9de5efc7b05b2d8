import { describe, expect, it } from "vitest";
import { Generator, manual_seed, rand, randn, randint } from "gradlab";
import { fixture } from "../helpers.ts";

interface RandomCase {
  seed: number;
  words: number[];
  uniforms: number[];
  normals: number[];
}

// expected values: tools/fixtures/generator_stream.py, an independent Python implementation of
// SplitMix32 seeding, xoshiro128**, the 53-bit uniform and Box–Muller with correctly rounded
// ln, sin(2πu) and cos(2πu) from mpmath, so the normals are compared bit for bit.
const { cases } = fixture<{ cases: RandomCase[] }>("utils/random");

describe.each(cases)("Generator(seed $seed)", (c) => {
  it("produces the reference xoshiro128** words", () => {
    const g = new Generator(c.seed);
    expect(Array.from({ length: 8 }, () => g.nextUint32())).toEqual(c.words);
  });
  it("produces the reference uniforms exactly", () => {
    const g = new Generator(c.seed);
    expect(Array.from({ length: 8 }, () => g.uniform())).toEqual(c.uniforms);
  });
  it("produces the reference normals bit for bit", () => {
    const g = new Generator(c.seed);
    expect(Array.from({ length: c.normals.length }, () => g.normal())).toEqual(c.normals);
  });
});

describe("manual_seed", () => {
  it("makes rand, randn and randint repeat", () => {
    manual_seed(7);
    const a = [rand(5).tolist(), randn([2, 2], { dtype: "float64" }).tolist(), randint(0, 10, [6]).tolist()];
    manual_seed(7);
    const b = [rand(5).tolist(), randn([2, 2], { dtype: "float64" }).tolist(), randint(0, 10, [6]).tolist()];
    expect(b).toEqual(a);
  });

  it("rand(float64) takes its values from the seeded uniform stream", () => {
    manual_seed(42);
    const ref = new Generator(42);
    expect(rand(4, { dtype: "float64" }).tolist()).toEqual([ref.uniform(), ref.uniform(), ref.uniform(), ref.uniform()]);
  });

  it("randint stays in [low, high) and is int64", () => {
    const t = randint(-3, 4, [1000], { generator: new Generator(3) });
    expect(t.dtype).toBe("int64");
    const values = t.tolist() as number[];
    expect(Math.min(...values)).toBe(-3);
    expect(Math.max(...values)).toBe(3);
    expect(values.every(Number.isInteger)).toBe(true);
  });
});
