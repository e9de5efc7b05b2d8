import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { type DType, Tensor, autograd, enable_grad, mm, matmul, randn, tensor, testing } from "gradlab";
import { TOL, fixture } from "../helpers.ts";

interface OperandSpec {
  shape: number[];
  transpose: boolean;
  values: number[];
}
type Quantity = "out" | "grad_a" | "grad_b";
interface MatmulCase {
  name: string;
  a: OperandSpec;
  b: OperandSpec;
  grad_output: number[];
  out_shape: number[];
  scale: Record<Quantity, number>;
  terms: Record<Quantity, number>;
  float32: Record<Quantity, number[]>;
  float64: Record<Quantity, number[]>;
}
interface DoubleBackwardCase {
  name: string;
  a: number[][] | number[][][];
  b: number[][];
  grad_output: number[][] | number[][][];
  va: number[][] | number[][][];
  vb: number[][];
  expected: { a: number[][] | number[][][]; b: number[][]; grad_output: number[][] | number[][][] };
}

// expected values: tools/fixtures/ops_matmul.py (torch 1.13, float32 and float64 on the same inputs)
const data = fixture<{ cases: MatmulCase[]; double_backward: DoubleBackwardCase[] }>("ops/matmul");

const swapLast = (s: readonly number[]): number[] => [...s.slice(0, -2), s[s.length - 1]!, s[s.length - 2]!];

/** A view of `t` with its last two dims swapped (PyTorch's `t.transpose(-1, -2)`), not a copy. */
function transposeView(t: Tensor): Tensor {
  return new Tensor(ndarray(t.data.data, swapLast(t.shape), swapLast(t.data.stride), t.data.offset), t.dtype, t.storage);
}

/** The operand as the fixture built it: a leaf, transposed (non-contiguous) when marked. */
function operand(spec: OperandSpec, dtype: DType): Tensor {
  const base = tensor(spec.values, { dtype }).reshape(spec.transpose ? swapLast(spec.shape) : spec.shape);
  return (spec.transpose ? transposeView(base) : base).requires_grad_();
}

/**
 * Tolerance for comparing with PyTorch: float64 at rtol 1e-12; float32 at float32 precision
 * scaled by √terms. PyTorch's float32 BLAS accumulates in float32 in its own order, so its
 * result is off the exact sum by about √terms rounding errors of size 2⁻²⁴·scale, where
 * scale is the largest Σ|term| (recorded by the fixture); gradlab sums in float64 and rounds
 * once, so the difference is dominated by PyTorch's rounding. float64 keeps a small absolute
 * floor of the same form (2⁻⁵³ per term) for elements that cancel to near zero.
 */
function tolerance(c: MatmulCase, q: Quantity, dtype: "float32" | "float64") {
  const unit = dtype === "float32" ? 2 ** -24 : 2 ** -53;
  const floor = 4 * Math.sqrt(c.terms[q]) * unit * c.scale[q];
  return dtype === "float32" ? { rtol: TOL.float32.rtol, atol: floor } : { rtol: TOL.float64.rtol, atol: floor };
}

describe.each(["float32", "float64"] as const)("matmul against PyTorch (%s)", (dtype) => {
  it.each(data.cases)("matches forward and both gradients: $name", (c) => {
    const a = operand(c.a, dtype);
    const b = operand(c.b, dtype);
    expect(a.is_contiguous()).toBe(!c.a.transpose || c.a.shape.length < 2 || c.a.shape.slice(-2).includes(1));
    const out = a.matmul(b);
    expect(out.shape).toEqual(c.out_shape);
    expect(out.dtype).toBe(dtype);
    out.mul(tensor(c.grad_output, { dtype }).reshape(c.out_shape)).sum().backward();
    const expected = c[dtype];
    // the fixture keeps values flat, with the shapes beside them
    const expectedOf = (values: number[], shape: number[]) => tensor(values, { dtype }).reshape(shape);
    testing.assert_close(out, expectedOf(expected.out, c.out_shape), tolerance(c, "out", dtype));
    expect(a.grad!.shape).toEqual(c.a.shape);
    expect(b.grad!.shape).toEqual(c.b.shape);
    testing.assert_close(a.grad!, expectedOf(expected.grad_a, c.a.shape), tolerance(c, "grad_a", dtype));
    testing.assert_close(b.grad!, expectedOf(expected.grad_b, c.b.shape), tolerance(c, "grad_b", dtype));
  });
});

describe("matmul double backward", () => {
  // expected values: tools/fixtures/ops_matmul.py, torch.autograd.grad of
  // sum(grad_a·va) + sum(grad_b·vb), where (grad_a, grad_b) came from create_graph=True.
  it.each(data.double_backward)("matches PyTorch's second derivatives: $name", (c) => {
    const opts = { dtype: "float64", requires_grad: true } as const;
    const a = tensor(c.a, opts);
    const b = tensor(c.b, opts);
    const g = tensor(c.grad_output, opts);
    const [ga, gb] = autograd.grad(a.matmul(b), [a, b], { grad_outputs: [g], create_graph: true });
    const s = ga!
      .mul(tensor(c.va, { dtype: "float64" }))
      .sum()
      .add(gb!.mul(tensor(c.vb, { dtype: "float64" })).sum());
    const [da, db, dg] = autograd.grad(s, [a, b, g]);
    testing.assert_close(da!, c.expected.a, TOL.float64);
    testing.assert_close(db!, c.expected.b, TOL.float64);
    testing.assert_close(dg!, c.expected.grad_output, TOL.float64);
  });
});

describe("matmul second derivatives (gradcheck of the first gradients)", () => {
  // The first gradients, computed with create_graph, are functions of (a, b, g); their
  // Jacobians are checked against central differences, as torch.autograd.gradgradcheck does.
  const leaf = (shape: number[]) => randn(shape, { dtype: "float64", requires_grad: true });
  const shapes: [string, number[], number[]][] = [
    ["1-D · 1-D", [3], [3]],
    ["1-D · 2-D", [3], [3, 2]],
    ["2-D · 1-D", [2, 3], [3]],
    ["broadcast 2x1x2x3 · 3x3x2", [2, 1, 2, 3], [3, 3, 2]],
  ];
  it.each(shapes)("agrees with central differences: %s", (_, sa, sb) => {
    const a = leaf(sa);
    const b = leaf(sb);
    const g = leaf(a.matmul(b).shape.slice());
    // enable_grad: gradcheck evaluates the function under no_grad for its finite differences
    const firstGrads = (x: Tensor, y: Tensor, gy: Tensor): Tensor =>
      enable_grad(() => {
        const [gx, gyy] = autograd.grad(x.matmul(y), [x, y], { grad_outputs: [gy], create_graph: true });
        return gx!.sum().add(gyy!.mul(gyy!).sum());
      });
    expect(autograd.gradcheck((x, y, gy) => firstGrads(x!, y!, gy!), [a, b, g])).toBe(true);
  });
});

describe("matmul gradcheck (float64, finite differences)", () => {
  const leaf = (shape: number[]) => randn(shape, { dtype: "float64", requires_grad: true });
  const transposedLeaf = (shape: number[]) => transposeView(randn(swapLast(shape), { dtype: "float64" })).requires_grad_();
  const shapes: [string, () => Tensor, () => Tensor][] = [
    ["1-D · 1-D", () => leaf([3]), () => leaf([3])],
    ["2-D · 1-D", () => leaf([2, 3]), () => leaf([3])],
    ["1-D · 2-D", () => leaf([3]), () => leaf([3, 2])],
    ["2-D · 2-D, both transposed", () => transposedLeaf([2, 3]), () => transposedLeaf([3, 4])],
    ["3-D · 2-D", () => leaf([2, 3, 4]), () => leaf([4, 2])],
    ["2-D · 3-D, transposed", () => transposedLeaf([3, 4]), () => leaf([2, 4, 2])],
    ["1-D · 3-D", () => leaf([3]), () => leaf([2, 3, 2])],
    ["3-D · 1-D", () => leaf([2, 2, 3]), () => leaf([3])],
    ["broadcast 2x1x2x3 · 3x3x2", () => leaf([2, 1, 2, 3]), () => leaf([3, 3, 2])],
    ["broadcast 1x2x3 · 2x3x2, b transposed", () => leaf([1, 2, 3]), () => transposedLeaf([2, 3, 2])],
  ];
  it.each(shapes)("agrees with central differences: %s", (_, makeA, makeB) => {
    expect(autograd.gradcheck((x, y) => x!.matmul(y!), [makeA(), makeB()])).toBe(true);
  });

  it("agrees with central differences for mm", () => {
    expect(autograd.gradcheck((x, y) => mm(x!, y!), [leaf([3, 4]), transposedLeaf([4, 2])])).toBe(true);
  });
});

describe("matmul results by hand", () => {
  it("computes the four small cases", () => {
    // [1 2; 3 4]·[5 6; 7 8] = [1·5+2·7, 1·6+2·8; 3·5+4·7, 3·6+4·8] = [19 22; 43 50]
    const a = tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = tensor([
      [5, 6],
      [7, 8],
    ]);
    expect(a.matmul(b).tolist()).toEqual([
      [19, 22],
      [43, 50],
    ]);
    expect(mm(a, b).tolist()).toEqual([
      [19, 22],
      [43, 50],
    ]);
    expect(a.mm(b).tolist()).toEqual([
      [19, 22],
      [43, 50],
    ]);
    // [1 2; 3 4]·[1, 1] = [3, 7]; [1, 1]·[1 2; 3 4] = [4, 6]; [1, 2]·[3, 4] = 11 (0-d)
    expect(a.matmul(tensor([1, 1])).tolist()).toEqual([3, 7]);
    expect(tensor([1, 1]).matmul(a).tolist()).toEqual([4, 6]);
    const dot = matmul(tensor([1, 2]), tensor([3, 4]));
    expect(dot.shape).toEqual([]);
    expect(dot.item()).toBe(11);
  });

  it("names grad_fn as PyTorch does", () => {
    const r = (s: number[]) => randn(s, { requires_grad: true });
    expect(r([3]).matmul(r([3])).grad_fn!.name).toBe("DotBackward0");
    expect(r([2, 3]).matmul(r([3])).grad_fn!.name).toBe("MvBackward0");
    expect(r([2, 3]).matmul(r([3, 4])).grad_fn!.name).toBe("MmBackward0");
    expect(r([2, 2, 3]).matmul(r([2, 3, 4])).grad_fn!.name).toBe("UnsafeViewBackward0");
  });

  it("lays out a column-major operand's gradient column-major, as PyTorch's mm backward (torch 1.13's strides)", () => {
    // x = [1 2 3; 4 5 6]: d/dwᵀ of Σ x·wᵀ has every column equal to x's column sums [5, 7, 9]
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const wt = randn([4, 3], { requires_grad: true }).t();
    const [g] = autograd.grad(x.matmul(wt).sum(), [wt]);
    expect(g!.tolist()).toEqual([
      [5, 5, 5, 5],
      [7, 7, 7, 7],
      [9, 9, 9, 9],
    ]);
    expect(g!.stride()).toEqual([1, 3]);
    // folded (a 3-D batch of x) and batched (a 3-D b): column-major too; mv (b a vector): row-major
    const [folded] = autograd.grad(randn([5, 2, 3]).matmul(wt).sum(), [wt]);
    expect(folded!.stride()).toEqual([1, 3]);
    const at = randn([3, 2], { requires_grad: true }).t();
    const [batched] = autograd.grad(at.matmul(randn([5, 3, 4])).sum(), [at]);
    expect(batched!.stride()).toEqual([1, 2]);
    // d/daᵀ of Σ aᵀ·v is v in every row
    const [mv] = autograd.grad(at.matmul(tensor([1, 2, 3])).sum(), [at]);
    expect(mv!.tolist()).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
    expect(mv!.stride()).toEqual([3, 1]);
  });

  it("handles empty dimensions: k = 0 gives zeros, as an empty sum", () => {
    const out = randn([2, 0]).matmul(randn([0, 3]));
    expect(out.tolist()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });
});

describe("matmul errors", () => {
  // messages: torch 1.13 and current PyTorch (LinearAlgebra.cpp _matmul_impl / should_fold)
  const f32 = (s: number[], requires_grad = false) => randn(s, { requires_grad });
  const f64 = (s: number[]) => randn(s, { dtype: "float64" });
  const cases: [string, () => Tensor, () => Tensor, string][] = [
    ["0-D · 1-D", () => tensor(1), () => f32([3]), "both arguments to matmul need to be at least 1D, but they are 0D and 1D"],
    ["1-D · 0-D", () => f32([3]), () => tensor(1), "both arguments to matmul need to be at least 1D, but they are 1D and 0D"],
    [
      "dot",
      () => f32([3]),
      () => f32([4]),
      "inconsistent tensor size, expected tensor [3] and src [4] to have the same number of elements, but got 3 and 4 elements respectively",
    ],
    ["mv", () => f32([2, 3]), () => f32([4]), "size mismatch, got input (2), mat (2x3), vec (4)"],
    ["vm", () => f32([3]), () => f32([4, 5]), "mat1 and mat2 shapes cannot be multiplied (1x3 and 4x5)"],
    ["mm", () => f32([2, 3]), () => f32([4, 5]), "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"],
    ["3-D · 2-D (folded)", () => f32([2, 3, 4]), () => f32([5, 6]), "mat1 and mat2 shapes cannot be multiplied (6x4 and 5x6)"],
    ["3-D · 1-D (folded)", () => f32([2, 3, 4]), () => f32([5]), "size mismatch, got input (6), mat (6x4), vec (5)"],
    ["2-D · 3-D (bmm)", () => f32([3, 4]), () => f32([2, 5, 6]), "Expected size for first two dimensions of batch2 tensor to be: [2, 4] but got: [2, 5]."],
    [
      "2-D · 3-D, a requires grad (folded, transposed)",
      () => f32([3, 4], true),
      () => f32([2, 5, 6]),
      "mat1 and mat2 shapes cannot be multiplied (12x5 and 4x3)",
    ],
    ["1-D · 3-D, a requires grad (folded)", () => f32([4], true), () => f32([2, 5, 6]), "size mismatch, got input (12), mat (12x5), vec (4)"],
    ["3-D · 3-D", () => f32([2, 3, 4]), () => f32([2, 5, 6]), "Expected size for first two dimensions of batch2 tensor to be: [2, 4] but got: [2, 5]."],
    ["batch dims", () => f32([2, 3, 4]), () => f32([3, 4, 6]), "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0"],
    [
      "broadcast batch",
      () => f32([2, 1, 3, 4]),
      () => f32([3, 5, 6]),
      "Expected size for first two dimensions of batch2 tensor to be: [6, 4] but got: [6, 5].",
    ],
    ["dtypes (dot)", () => f32([3]), () => f64([3]), "dot : expected both vectors to have same dtype, but found Float and Double"],
    ["dtypes (mm)", () => f32([2, 3]), () => f64([3, 5]), "expected m1 and m2 to have the same dtype, but got: float != double"],
  ];
  it.each(cases)("throws PyTorch's message and changes nothing: %s", (_, makeA, makeB, message) => {
    const a = makeA();
    const b = makeB();
    const before = [a.tolist(), b.tolist()];
    expect(() => a.matmul(b)).toThrow(message);
    expect([a.tolist(), b.tolist()]).toEqual(before);
    expect([a.grad, b.grad, a.grad_fn, b.grad_fn]).toEqual([null, null, null, null]);
  });

  it("mm requires matrices", () => {
    expect(() => mm(randn([3]), randn([3, 2]))).toThrow("self must be a matrix");
    expect(() => mm(randn([2, 3]), randn([3]))).toThrow("mat2 must be a matrix");
    expect(() => mm(randn([2, 2, 3]), randn([3, 2]))).toThrow("self must be a matrix");
    expect(() => mm(randn([2, 3]), randn([4, 5]))).toThrow("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
  });
});
