import fc from "fast-check";
import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { type StridedMatrix, gemm, matmulInto } from "../../src/kernels/matmul.ts";
import { testing } from "gradlab";
import { TOL } from "../helpers.ts";

/** The reference: C[i][j] = (accumulate ? C[i][j] : 0) + Σ_p A[i][p]·B[p][j], three plain loops. */
function naive(m: number, n: number, k: number, a: StridedMatrix, b: StridedMatrix, c: StridedMatrix, accumulate: boolean): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) {
        sum += a.data[a.offset + i * a.rowStride + p * a.colStride]! * b.data[b.offset + p * b.rowStride + j * b.colStride]!;
      }
      const at = c.offset + i * c.rowStride + j * c.colStride;
      c.data[at] = accumulate ? c.data[at]! + sum : sum;
    }
  }
}

/** How a matrix sits in its buffer: row-major with padded rows, column-major, or a broadcast row. */
type Layout = "rows" | "cols" | "broadcast";

/** A rows×cols strided matrix with random values (and random padding between rows or columns). */
function makeMatrix(rows: number, cols: number, layout: Layout, offset: number, pad: number, seed: number): StridedMatrix {
  const [rowStride, colStride] = layout === "rows" ? [cols + pad, 1] : layout === "cols" ? [1, rows + pad] : [0, 1];
  const size = offset + (layout === "rows" ? rows * (cols + pad) : layout === "cols" ? cols * (rows + pad) : cols) + 1;
  const data = new Float64Array(size);
  let s = seed;
  for (let i = 0; i < size; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    data[i] = s / 1073741824 - 1;
  }
  return { data, offset, rowStride, colStride };
}

const layoutArb = fc.constantFrom<Layout>("rows", "cols", "broadcast");
const caseArb = fc.record({
  // up to 40·40·300: small products take the plain loop, larger ones the packed blocks,
  // and k beyond 256 spans two KC blocks
  m: fc.integer({ min: 0, max: 40 }),
  n: fc.integer({ min: 0, max: 40 }),
  k: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 250, max: 300 })),
  layoutA: layoutArb,
  layoutB: layoutArb,
  outLayout: fc.constantFrom<Layout>("rows", "cols"),
  offset: fc.integer({ min: 0, max: 3 }),
  pad: fc.integer({ min: 0, max: 3 }),
  accumulate: fc.boolean(),
  seed: fc.integer({ min: 1, max: 1 << 30 }),
});

type GemmCase = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

/** One generated case's operands in `dtype`, gemm's C and the naive loop's, for a bit-for-bit comparison. */
function gemmAndNaive(dtype: "float32" | "float64", { m, n, k, layoutA, layoutB, outLayout, offset, pad, accumulate, seed }: GemmCase) {
  const toDtype = (x: StridedMatrix): StridedMatrix => (dtype === "float32" ? { ...x, data: Float32Array.from(x.data) } : x);
  const a = toDtype(makeMatrix(m, k, layoutA, offset, pad, seed));
  const b = toDtype(makeMatrix(k, n, layoutB, offset + 1, pad, seed + 1));
  const c = toDtype(makeMatrix(m, n, outLayout, offset, pad, seed + 2));
  const expected: StridedMatrix = { ...c, data: c.data.slice() };
  naive(m, n, k, a, b, expected, accumulate);
  gemm(m, n, k, a, b, c, accumulate);
  return { actual: Array.from(c.data), expected: Array.from(expected.data) };
}

describe("gemm (blocked kernel)", () => {
  it("agrees with a naive triple loop on random sizes and strides (float64, rel 1e-12)", () => {
    fc.assert(
      fc.property(caseArb, ({ m, n, k, layoutA, layoutB, outLayout, offset, pad, accumulate, seed }) => {
        const a = makeMatrix(m, k, layoutA, offset, pad, seed);
        const b = makeMatrix(k, n, layoutB, offset + 1, pad, seed + 1);
        const c = makeMatrix(m, n, outLayout, offset, pad, seed + 2);
        const expected: StridedMatrix = { ...c, data: c.data.slice() };
        naive(m, n, k, a, b, expected, accumulate);
        gemm(m, n, k, a, b, c, accumulate);
        // every element, padding included: padding must be left untouched
        testing.assert_close(Array.from(c.data), Array.from(expected.data), TOL.float64);
      }),
      { numRuns: 150 },
    );
  });

  it.each(["float64", "float32"] as const)("sums each output over p in order, as the naive loop does, so they agree bit for bit when k ≤ 256 (%s)", (dtype) => {
    // Thin (a vector times a matrix), small (m·n·k ≤ 4096) and blocked products all take
    // one float64 sum per output, 0 + A[i][0]·B[0][j] + A[i][1]·B[1][j] + …, in this order.
    fc.assert(
      fc.property(caseArb, (c) => {
        const { actual, expected } = gemmAndNaive(dtype, { ...c, k: Math.min(c.k, 256) });
        expect(actual).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it("rounds float32 results once per block of sums (exact products of small integers)", () => {
    // Integers 0…3: every product and sum is exact, so the float32 result equals the integer sum.
    const m = 9,
      n = 7,
      k = 300;
    const a = new Float32Array(m * k).map((_, i) => i % 4);
    const b = new Float32Array(k * n).map((_, i) => (i * 7) % 4);
    const c = new Float32Array(m * n);
    gemm(
      m,
      n,
      k,
      { data: a, offset: 0, rowStride: k, colStride: 1 },
      { data: b, offset: 0, rowStride: n, colStride: 1 },
      { data: c, offset: 0, rowStride: n, colStride: 1 },
      false,
    );
    const expected = new Float64Array(m * n);
    naive(
      m,
      n,
      k,
      { data: a, offset: 0, rowStride: k, colStride: 1 },
      { data: b, offset: 0, rowStride: n, colStride: 1 },
      { data: expected, offset: 0, rowStride: n, colStride: 1 },
      false,
    );
    expect(Array.from(c)).toEqual(Array.from(expected));
  });
});

describe("gemm with k ≤ 2 (the shallow loop, any size)", () => {
  it.each(["float64", "float32"] as const)("agrees bit for bit with the naive loop on shapes past the small and thin sizes (%s)", (dtype) => {
    // m·n up to 120·90 with k = 1 or 2: before the shallow loop these took the packed blocks
    const shallowArb = fc.record({
      m: fc.integer({ min: 1, max: 120 }),
      n: fc.integer({ min: 1, max: 90 }),
      k: fc.constantFrom(1, 2),
      layoutA: layoutArb,
      layoutB: layoutArb,
      outLayout: fc.constantFrom<Layout>("rows", "cols"),
      offset: fc.integer({ min: 0, max: 3 }),
      pad: fc.integer({ min: 0, max: 3 }),
      accumulate: fc.boolean(),
      seed: fc.integer({ min: 1, max: 1 << 30 }),
    });
    fc.assert(
      fc.property(shallowArb, (c) => {
        const { actual, expected } = gemmAndNaive(dtype, c);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });

  it("writes 0 + a0·b0 + a1·b1 (a −0 product gives +0) and adds it to C when accumulating", () => {
    // A = [[1, 2], [-0, 3], [0.5, -4]] (row-major), B = [[2, -0], [10, 1]]: by hand,
    // row 0: 1·2 + 2·10 = 22, 1·(−0) + 2·1 = 2; row 1: −0·2 + 3·10 = 30, −0·−0 + 3·1 = 3;
    // row 2: 0.5·2 − 4·10 = −39, 0.5·(−0) − 4·1 = −4
    const a = { data: new Float64Array([1, 2, -0, 3, 0.5, -4]), offset: 0, rowStride: 2, colStride: 1 };
    const b = { data: new Float64Array([2, -0, 10, 1]), offset: 0, rowStride: 2, colStride: 1 };
    const c = { data: new Float64Array(6), offset: 0, rowStride: 2, colStride: 1 };
    gemm(3, 2, 2, a, b, c, false);
    expect(Array.from(c.data)).toEqual([22, 2, 30, 3, -39, -4]);
    gemm(3, 2, 2, a, b, c, true);
    expect(Array.from(c.data)).toEqual([44, 4, 60, 6, -78, -8]);
    // k = 1, the first column of A times the first row of B: 1·−0, −0·2 and 0.5·−0 are −0,
    // and 0 + −0 is +0, so no output is −0 (toEqual tells −0 from +0)
    const outer = { data: new Float64Array(6), offset: 0, rowStride: 2, colStride: 1 };
    gemm(3, 2, 1, a, b, outer, false);
    expect(Array.from(outer.data)).toEqual([2, 0, 0, 0, 1, 0]);
  });
});

describe("matmulInto (batched driver)", () => {
  const view = (shape: number[], stride: number[], seed: number) => {
    const size = shape.reduce((s, d, i) => s + (d - 1) * stride[i]!, 0) + 1;
    const m = makeMatrix(1, size, "rows", 0, 0, seed);
    return ndarray(m.data as Float64Array, shape, stride, 0);
  };
  /** Runs every batch through the naive loop. */
  function reference(out: ndarray.NdArray<Float64Array>, a: ndarray.NdArray<Float64Array>, b: ndarray.NdArray<Float64Array>, accumulate: boolean) {
    const copy = ndarray(out.data.slice(), out.shape, out.stride, out.offset);
    const nd = out.shape.length;
    const batches = out.shape.slice(0, nd - 2).reduce((p, s) => p * s, 1);
    const [m, n, k] = [out.shape[nd - 2]!, out.shape[nd - 1]!, a.shape[nd - 1]!];
    for (let t = 0; t < batches; t++) {
      let rest = t;
      const off: [number, number, number] = [a.offset, b.offset, copy.offset];
      for (let d = nd - 3; d >= 0; d--) {
        const i = rest % out.shape[d]!;
        rest = Math.floor(rest / out.shape[d]!);
        off[0] += i * a.stride[d]!;
        off[1] += i * b.stride[d]!;
        off[2] += i * copy.stride[d]!;
      }
      naive(
        m,
        n,
        k,
        { data: a.data, offset: off[0]!, rowStride: a.stride[nd - 2]!, colStride: a.stride[nd - 1]! },
        { data: b.data, offset: off[1]!, rowStride: b.stride[nd - 2]!, colStride: b.stride[nd - 1]! },
        { data: copy.data, offset: off[2]!, rowStride: copy.stride[nd - 2]!, colStride: copy.stride[nd - 1]! },
        accumulate || copy.stride.slice(0, nd - 2).some((s) => s === 0),
      );
    }
    return copy.data;
  }

  it.each([
    // [name, out shape/stride, a shape/stride, b shape/stride, accumulate]
    ["independent batches", [3, 5, 4], [20, 4, 1], [3, 5, 6], [30, 6, 1], [3, 6, 4], [24, 4, 1], false],
    ["b shared by every batch (rows stack into one product)", [4, 17, 9], [153, 9, 1], [4, 17, 33], [561, 33, 1], [4, 33, 9], [0, 9, 1], false],
    ["out shared by every batch (k stacks, as a broadcast weight's gradient)", [4, 9, 17], [0, 17, 1], [4, 9, 33], [33, 1, 9], [4, 33, 17], [561, 17, 1], true],
    [
      "out shared by one of two batch dims (loop with accumulation)",
      [2, 3, 5, 4],
      [20, 0, 4, 1],
      [2, 3, 5, 6],
      [90, 30, 6, 1],
      [2, 3, 6, 4],
      [72, 24, 4, 1],
      true,
    ],
  ] as const)("matches per-batch loops: %s", (_, os, ost, as, ast, bs, bst, accumulate) => {
    const out = view([...os], [...ost], 1);
    const a = view([...as], [...ast], 2);
    const b = view([...bs], [...bst], 3);
    if (accumulate) out.data.fill(0);
    const expected = reference(out, a, b, accumulate);
    matmulInto(out, a, b, accumulate);
    testing.assert_close(Array.from(out.data), Array.from(expected), TOL.float64);
  });
});
