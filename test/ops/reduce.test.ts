import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Tensor, autograd, enable_grad, randn, tensor, testing, zeros } from "gradlab";
import { TOL, fixture } from "../helpers.ts";
import { type OpCase, checkCase } from "./fixture_cases.ts";

// expected values: tools/fixtures/ops_reduce_shape.py (torch 1.13), test/fixtures/ops/reduce.json:
// forward values, indices, and gradients of (out · w).sum() for a fixed random w.
const cases = fixture<{ cases: OpCase[] }>("ops/reduce").cases;

describe.each(["sum", "mean", "var", "std", "logsumexp", "norm", "max", "min", "amax", "amin", "argmax", "argmin"])("%s", (op) => {
  it.each(cases.filter((c) => c.op === op))("matches PyTorch: $name", (c) => {
    checkCase(c);
  });
});

const leaf = (shape: number[]) => randn(shape, { dtype: "float64", requires_grad: true });
/** A float64 leaf used through a permuted (non-contiguous) view of itself. */
const permutedLeaf = () => randn([5, 3, 4], { dtype: "float64", requires_grad: true });
const nonContiguous = (f: (x: Tensor) => Tensor) => (x: Tensor) => f(x.permute([1, 2, 0]));

describe("gradients agree with finite differences (float64)", () => {
  const ops: [string, (x: Tensor) => Tensor][] = [
    ["sum over [0, 2]", (x) => x.sum([0, 2])],
    ["mean keepdim", (x) => x.mean({ dim: 1, keepdim: true })],
    ["var correction 0", (x) => x.var({ dim: [0, 2], correction: 0 })],
    ["var all", (x) => x.var()],
    ["std dim -1", (x) => x.std(-1)],
    ["logsumexp", (x) => x.logsumexp([1, 2])],
    ["norm default", (x) => x.norm()],
    ["norm p=1 dim 0", (x) => x.norm({ p: 1, dim: 0 })],
    ["norm p=3 dim 1", (x) => x.norm({ p: 3, dim: 1 })],
    ["norm p=0.5", (x) => x.norm({ p: 0.5, dim: 2, keepdim: true })],
    ["norm p=inf", (x) => x.norm({ p: Infinity, dim: 1 })],
    ["norm p=-inf", (x) => x.norm({ p: -Infinity, dim: 1 })],
    ["max", (x) => x.max()],
    ["min along dim", (x) => x.min(1).values],
    ["amax", (x) => x.amax([0, 1])],
    ["amin keepdim", (x) => x.amin({ dim: 2, keepdim: true })],
  ];
  it.each(ops)("%s", (_, f) => {
    expect(autograd.gradcheck(f, [leaf([3, 4, 5])])).toBe(true);
    expect(autograd.gradcheck(nonContiguous(f), [permutedLeaf()])).toBe(true);
  });

  it("norms with p between 1 and 2, or above 2, are differentiable at zero entries", () => {
    // |x|^p has derivative 0 at x = 0 for p > 1; the backward must give 0 there, not 0·∞.
    const x = tensor(
      [
        [0, 1.5, -2],
        [0, 0, 0.5],
      ],
      { dtype: "float64", requires_grad: true },
    );
    for (const p of [1.5, 3]) expect(autograd.gradcheck((t) => t.norm({ p, dim: 1 }), [x])).toBe(true);
  });

  it.each(ops)("second derivatives of %s", (_, f) => {
    // gradcheck of x ↦ ∂(Σ f(x)²)/∂x checks the backward rule's own backward.
    const gradOf = (x: Tensor) => enable_grad(() => autograd.grad(f(x).mul(f(x)).sum(), x, { create_graph: true })[0]!);
    expect(autograd.gradcheck(gradOf, [leaf([2, 3, 4])])).toBe(true);
  });
});

/** The reduction of a nested array over `dims` by explicit loops: the independent reference. */
function loopReduce(values: Float64Array, shape: number[], dims: number[], fold: (xs: number[]) => number): number[] {
  const kept = shape.map((_, d) => d).filter((d) => !dims.includes(d));
  const groups = new Map<string, number[]>();
  const index = shape.map(() => 0);
  for (let flat = 0; flat < values.length; flat++) {
    let rest = flat;
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d] = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
    }
    const key = kept.map((d) => index[d]).join(",");
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(values[flat]!);
  }
  return [...groups.values()].map(fold);
}

describe("reductions over random dim subsets agree with an explicit loop (property)", () => {
  const shapeAndDims = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }).chain((shape) =>
    fc.tuple(
      fc.constant(shape),
      fc.subarray(
        shape.map((_, d) => d),
        { minLength: 1 },
      ),
    ),
  );
  const sumOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  // an empty dim list reduces every dim, as PyTorch's dim=[]
  const reducedShape = (shape: readonly number[], dims: readonly number[]): number[] => (dims.length === 0 ? [] : shape.filter((_, d) => !dims.includes(d)));
  const folds: [string, (x: Tensor, dims: number[]) => Tensor, (xs: number[]) => number][] = [
    ["sum", (x, dims) => x.sum(dims), sumOf],
    ["mean", (x, dims) => x.mean(dims), (xs) => sumOf(xs) / xs.length],
    [
      "var (correction 0)",
      (x, dims) => x.var({ dim: dims, correction: 0 }),
      (xs) => {
        const m = sumOf(xs) / xs.length;
        return sumOf(xs.map((v) => (v - m) ** 2)) / xs.length;
      },
    ],
    ["amax", (x, dims) => x.amax(dims), (xs) => Math.max(...xs)],
    ["logsumexp", (x, dims) => x.logsumexp(dims), (xs) => Math.log(sumOf(xs.map(Math.exp)))],
    // p: 2 (a vector norm over any dims); the default "fro" takes at most 2 dims, as in PyTorch
    ["norm", (x, dims) => x.norm({ p: 2, dim: dims }), (xs) => Math.sqrt(sumOf(xs.map((v) => v * v)))],
  ];
  it.each(folds)("%s", (_, op, fold) => {
    fc.assert(
      fc.property(shapeAndDims, fc.boolean(), ([shape, dims], permuted) => {
        const x = randn(shape, { dtype: "float64" });
        const order = shape.map((_, d) => shape.length - 1 - d);
        // A permuted view reduced over the permuted dims must give the same as the loop over the permuted values.
        const input = permuted ? x.permute(order) : x;
        const values = input.toTypedArray() as Float64Array;
        const expected = loopReduce(values, input.shape.slice(), dims, fold);
        const result = op(input, dims);
        testing.assert_close(result, tensor(expected, { dtype: "float64" }).reshape(reducedShape(input.shape, dims)), { rtol: 1e-12, atol: 1e-13 });
      }),
      { numRuns: 40 },
    );
  });
});

describe("bad input throws PyTorch's message and changes nothing", () => {
  const x = () =>
    tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requires_grad: true },
    );
  const cases: [string, (t: Tensor) => unknown, string][] = [
    ["sum over a dim out of range", (t) => t.sum(2), "Dimension out of range (expected to be in range of [-2, 1], but got 2)"],
    ["mean over a repeated dim", (t) => t.mean([0, -2]), "dim 0 appears multiple times in the list of dims"],
    ["var with both unbiased and correction", (t) => t.var({ unbiased: true, correction: 0 }), "var() received an invalid combination of arguments"],
    ["max over a dim out of range", (t) => t.max(-3), "Dimension out of range (expected to be in range of [-2, 1], but got -3)"],
    ["logsumexp over a dim out of range", (t) => t.logsumexp(5), "Dimension out of range (expected to be in range of [-2, 1], but got 5)"],
    // Current PyTorch's message (torch.norm passes 'fro' over 3 dims on to linalg.matrix_norm); torch 1.13 said otherwise.
    ["norm 'fro' over three dims", (t) => t.unsqueeze(0).norm({ p: "fro", dim: [0, 1, -1] }), "linalg.matrix_norm: dim must be a 2-tuple. Got 0 1 -1"],
  ];
  it.each(cases)("%s", (_, f, message) => {
    const t = x();
    expect(() => f(t)).toThrow(message);
    expect(t.tolist()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(t.grad).toBe(null);
  });

  it("reductions of empty tensors that have no identity throw PyTorch's messages", () => {
    expect(() => zeros([0]).max()).toThrow(
      "max(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.",
    );
    expect(() => zeros([0, 3]).max(0)).toThrow("max(): Expected reduction dim 0 to have non-zero size.");
    expect(() => zeros([0, 3]).amin(0)).toThrow("amin(): Expected reduction dim 0 to have non-zero size.");
    expect(() => zeros([0, 3]).argmax()).toThrow("argmax(): Expected reduction dim to be specified for input.numel() == 0.");
  });

  it("var and std of an int64 tensor throw PyTorch's message", () => {
    // torch.tensor([1, 2]).var() and .std() raise this (ReduceOps.cpp, std_var checks).
    for (const f of [(t: Tensor) => t.var(), (t: Tensor) => t.std({ dim: 0 })]) {
      expect(() => f(tensor([1, 2], { dtype: "int64" }))).toThrow("std and var only support floating point and complex dtypes");
    }
  });

  it("mean of an int64 tensor throws PyTorch's message", () => {
    expect(() => tensor([1, 2], { dtype: "int64" }).mean()).toThrow(
      "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long",
    );
  });
});

describe("reduction details", () => {
  it("sums each column in row order, also when columns are summed side by side (a batch sum over dim 0)", () => {
    // in float64, (1 + 1e16) − 1e16 = 0 (1e16 + 1 rounds to 1e16) while 1 + (1e16 − 1e16) = 1:
    // every column of [1, 1e16, −1e16] (rows in that order) sums to 0; in rows [1e16, −1e16, 1], to 1
    const column = (a: number, b: number, c: number) => Array.from({ length: 6 }, () => [a, b, c]);
    const x = tensor(column(1, 1e16, -1e16), { dtype: "float64" }).t(); // [3, 6]: rows 1, 1e16, −1e16
    expect(x.contiguous().sum(0).tolist()).toEqual([0, 0, 0, 0, 0, 0]);
    const y = tensor(column(1e16, -1e16, 1), { dtype: "float64" }).t();
    expect(y.contiguous().sum(0).tolist()).toEqual([1, 1, 1, 1, 1, 1]);
    expect(x.contiguous().sum(1, { keepdim: true }).tolist()).toEqual([[6], [6e16], [-6e16]]);
  });

  it("var divides by max(0, n − correction): NaN for one element, as PyTorch", () => {
    // var([5]) with correction 1: 0 / 0 = NaN; with correction 0: 0 / 1 = 0.
    expect(tensor([5]).var().item()).toBeNaN();
    expect(tensor([5]).var({ correction: 0 }).item()).toBe(0);
  });

  it("var over all elements with n ≤ correction has PyTorch's NaN/∞ gradient", () => {
    // Current PyTorch's var_backward (FunctionsManual.cpp; torch 1.13 fails here with a shape
    // error): with no dim and n − correction ≤ 0 the gradient is g·NaN where x equals the mean
    // and g·∞ elsewhere. x = [1, 2, 3], mean 2: [∞, NaN, ∞]; the forward is 2/0 = ∞.
    const x = tensor([1, 2, 3], { dtype: "float64", requires_grad: true });
    const v = x.var({ correction: 3 });
    expect(v.item()).toBe(Infinity);
    v.backward();
    expect(x.grad!.tolist()).toEqual([Infinity, NaN, Infinity]);
  });

  it("var with dim and correction > n scales by 2/(n − correction), a negative number", () => {
    // x = [1, 2, 4], mean 7/3, n = 3, correction 5: 2/(3 − 5) = −1, so ∂L/∂x = −(x − 7/3)
    // = [4/3, 1/3, −5/3] (torch 1.13 and current PyTorch agree on this branch).
    const x = tensor([1, 2, 4], { dtype: "float64", requires_grad: true });
    x.var({ dim: 0, correction: 5 }).backward();
    testing.assert_close(x.grad!, [4 / 3, 1 / 3, -5 / 3], TOL.float64);
  });

  it("max of all elements sends an infinite gradient only to the maxima", () => {
    // PyTorch (CPU evenly_distribute_backward) fills zeros with g / #ties at the maxima:
    // x = [1, 3, 3], g = ∞ gives [0, ∞, ∞] (printed by torch 1.13 as tensor([0., inf, inf])).
    const x = tensor([1, 3, 3], { requires_grad: true });
    x.max().backward(tensor(Infinity));
    expect(x.grad!.tolist()).toEqual([0, Infinity, Infinity]);
  });

  it("max along a dim returns int64 indices of the first maximum", () => {
    const { values, indices } = tensor([
      [1, 5, 5],
      [7, 2, 9],
    ]).max(1);
    expect(values.tolist()).toEqual([5, 9]);
    expect(indices.dtype).toBe("int64");
    expect(indices.tolist()).toEqual([1, 2]);
  });

  it("max along a dim unpacks like PyTorch's named tuple", () => {
    // values, indices = torch.tensor([[1., 5.], [7., 2.]]).min(1) gives [1, 2] and [0, 1].
    const [values, indices] = tensor([
      [1, 5],
      [7, 2],
    ]).min(1);
    expect(values.tolist()).toEqual([1, 2]);
    expect(indices.tolist()).toEqual([0, 1]);
  });

  it("argmax without dim is the index in the flattened tensor", () => {
    // Flattened [3, 1, 4, 1, 5, 9, 2, 6]: the largest, 9, is at 5.
    expect(
      tensor([
        [3, 1, 4, 1],
        [5, 9, 2, 6],
      ])
        .argmax()
        .tolist(),
    ).toBe(5);
  });

  it("names the backward nodes as PyTorch does", () => {
    const x = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requires_grad: true },
    );
    expect(x.sum().grad_fn!.name).toBe("SumBackward0");
    expect(x.sum(0).grad_fn!.name).toBe("SumBackward1");
    expect(x.mean().grad_fn!.name).toBe("MeanBackward0");
    expect(x.max().grad_fn!.name).toBe("MaxBackward1");
    expect(x.max(0).values.grad_fn!.name).toBe("MaxBackward0");
    expect(x.amax(0).grad_fn!.name).toBe("AmaxBackward0");
  });
});
