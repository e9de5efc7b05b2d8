import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { binaryKernel, fillInto } from "../../src/kernels/elementwise.ts";
import { reluInto, reluMaskInto } from "../../src/kernels/relu.ts";

describe("fillInto", () => {
  it("fills a contiguous view that starts inside its buffer, and nothing outside it", () => {
    const data = new Float32Array([1, 2, 3, 4, 5, 6]);
    fillInto(ndarray(data, [2, 2], [2, 1], 1), 0);
    expect([...data]).toEqual([1, 0, 0, 0, 0, 6]);
  });

  it("fills a strided view (every other column of a 2×4 matrix) and leaves the rest", () => {
    const data = new Float64Array([1, 2, 3, 4, 5, 6, 7, 8]);
    fillInto(ndarray(data, [2, 2], [4, 2], 0), -1.5);
    expect([...data]).toEqual([-1.5, 2, -1.5, 4, -1.5, 6, -1.5, 8]);
  });

  it("fills a 0-d view's single element", () => {
    const data = new Float64Array([1, 2]);
    fillInto(ndarray(data, [], [], 1), 7);
    expect([...data]).toEqual([1, 7]);
  });
});

describe("binaryKernel with a single-number first operand", () => {
  // f(a, b) = a − 2b tells the operands apart; a is one number spread over the shape (stride 0)
  const subTwice = binaryKernel((a, b) => a - 2 * b);

  it.each([
    ["float32", Float32Array],
    ["float64", Float64Array],
  ] as const)("computes f(s, b[i]) into a contiguous output as the strided walk does (%s)", (_, Typed) => {
    const b = new Typed([1, 2.5, -3, 0.1, 7, -0]);
    const spread = ndarray(new Typed([9, 0.3]), [3, 2], [0, 0], 1); // 0.3 at every index
    const out = new Typed(6);
    subTwice(ndarray(out, [3, 2]), spread, ndarray(b, [3, 2]));
    // the same through the strided walk: an output with a gap forces it
    const gapped = new Typed(12);
    subTwice(ndarray(gapped, [3, 2], [4, 1]), spread, ndarray(b, [3, 2]));
    const byHand = [...b].map((x) => new Typed([new Typed([0.3])[0]! - 2 * x])[0]!);
    expect([...out]).toEqual(byHand);
    expect([0, 1, 4, 5, 8, 9].map((i) => gapped[i])).toEqual(byHand);
  });

  it("takes a view whose size-1 dims keep a stride (a [1] bias or a reshaped 0-d gradient expanded to [3, 1]) as one number, either side", () => {
    const column = new Float32Array([1, 2.5, -3]);
    const one = ndarray(new Float32Array([7, 0.3]), [3, 1], [0, 1], 1); // strides [0, 1]: 0.3 everywhere
    const first = new Float32Array(3);
    subTwice(ndarray(first, [3, 1]), one, ndarray(column, [3, 1]));
    const second = new Float32Array(3);
    subTwice(ndarray(second, [3, 1]), ndarray(column, [3, 1]), one);
    const s = Math.fround(0.3);
    expect([...first]).toEqual([...column].map((x) => Math.fround(s - 2 * x)));
    expect([...second]).toEqual([...column].map((x) => Math.fround(x - 2 * s)));
  });
});

describe("reluInto and reluMaskInto (branch-free on contiguous float32)", () => {
  // every class of float32 bit pattern: ±0, ±subnormal, ±normal, ±max, ±Inf, ±NaN (quiet, with payload)
  const patterns = [0, 0x80000000, 1, 0x80000001, 0x3f800000, 0xbf800000, 0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00001];
  const floats = () => new Float32Array(new Int32Array(patterns).buffer);
  const bits = (v: Float32Array) => Array.from(new Int32Array(v.buffer, v.byteOffset, v.length));
  const int = (u: number) => u | 0;

  it("keeps positive values and NaNs bit for bit and gives +0 for the rest (−0 and −Inf included)", () => {
    const out = new Float32Array(patterns.length);
    reluInto(ndarray(out, [patterns.length]), ndarray(floats(), [patterns.length]));
    const kept = [0, 0, 1, 0, 0x3f800000, 0, 0x7f7fffff, 0, 0x7f800000, 0, 0x7fc00000, 0xffc00001];
    expect(bits(out)).toEqual(kept.map(int));
  });

  it("passes g's bits where y > 0 (+Inf included, NaN and ±0 not) and +0 elsewhere", () => {
    const g = new Float32Array(patterns.length).fill(-2.5);
    g[2] = -0; // a −0 gradient where y > 0 stays −0
    const out = new Float32Array(patterns.length);
    reluMaskInto(ndarray(out, [patterns.length]), ndarray(g, [patterns.length]), ndarray(floats(), [patterns.length]));
    const minus = int(0xc0200000); // −2.5
    expect(bits(out)).toEqual([0, 0, int(0x80000000), 0, minus, 0, minus, 0, minus, 0, 0, 0]);
  });

  it("agrees with the compared loops of float64 and of strided views, on random values in place (relu_)", () => {
    const values = Array.from({ length: 101 }, (_, i) => Math.sin(i * 12.9898) * 3);
    const y32 = new Float32Array(values);
    reluInto(ndarray(y32, [101]), ndarray(y32, [101]));
    const y64 = new Float64Array(101);
    reluInto(ndarray(y64, [101]), ndarray(new Float64Array(new Float32Array(values)), [101]));
    expect(Array.from(y32)).toEqual(Array.from(y64));
    // the same through a strided view (every other element of a buffer twice as long)
    const wide = new Float32Array(202);
    for (let i = 0; i < 101; i++) wide[2 * i] = values[i]!;
    const strided = new Float32Array(101);
    reluInto(ndarray(strided, [101]), ndarray(wide, [101], [2], 0));
    expect(Array.from(strided)).toEqual(Array.from(y32));
    const g = new Float32Array(values.map((v) => v * 7));
    const m32 = new Float32Array(101);
    reluMaskInto(ndarray(m32, [101]), ndarray(g, [101]), ndarray(new Float32Array(values), [101]));
    expect(Array.from(m32)).toEqual(values.map((v, i) => (Math.fround(v) > 0 ? g[i]! : 0)));
  });
});
