import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Tensor, autograd, manual_seed, ones, rand, randn, tensor, testing, where, zeros } from "gradlab";

// Gradients checked against central finite differences (autograd.gradcheck, float64).
const f64 = (shape: number[], shift = 0): Tensor => {
  const t = randn(shape, { dtype: "float64" });
  return (shift === 0 ? t : t.abs().add(shift)).requires_grad_();
};
/** A non-contiguous view: the transpose of a fresh [cols, rows] leaf. */
const transposed = (rows: number, cols: number, shift = 0): Tensor => f64([cols, rows], shift).t();

const unary: [string, (x: Tensor) => Tensor, number][] = [
  ["exp", (x) => x.exp(), 0],
  ["log", (x) => x.log(), 0.5],
  ["log1p", (x) => x.log1p(), 0.5],
  ["sqrt", (x) => x.sqrt(), 0.5],
  ["rsqrt", (x) => x.rsqrt(), 0.5],
  ["abs", (x) => x.abs(), 0],
  ["neg", (x) => x.neg(), 0],
  ["sign (zero gradient)", (x) => x.sign().mul(x), 0],
  ["pow 3", (x) => x.pow(3), 0],
  ["square", (x) => x.square(), 0],
  ["cumsum dim 0", (x) => x.cumsum(0), 0],
  ["cumsum dim -1", (x) => x.cumsum(-1), 0],
  ["pow -1.5", (x) => x.pow(-1.5), 0.5],
  ["clamp", (x) => x.clamp({ min: -0.4, max: 0.6 }), 0],
  ["relu", (x) => x.relu(), 0],
  ["leaky_relu 0.2", (x) => x.leaky_relu(0.2), 0],
  ["sigmoid", (x) => x.sigmoid(), 0],
  ["tanh", (x) => x.tanh(), 0],
  ["gelu", (x) => x.gelu(), 0],
  ["gelu tanh", (x) => x.gelu({ approximate: "tanh" }), 0],
  ["silu", (x) => x.silu(), 0],
  ["softplus beta 2", (x) => x.softplus({ beta: 2 }), 0],
  ["softmax dim 0", (x) => x.softmax(0), 0],
  ["log_softmax dim -1", (x) => x.log_softmax(-1), 0],
];

const binary: [string, (a: Tensor, b: Tensor) => Tensor][] = [
  ["add", (a, b) => a.add(b, { alpha: 0.5 })],
  ["sub", (a, b) => a.sub(b, { alpha: 2 })],
  ["mul", (a, b) => a.mul(b)],
  ["div", (a, b) => a.div(b)],
  ["pow", (a, b) => a.pow(b)],
  ["maximum", (a, b) => a.maximum(b)],
  ["minimum", (a, b) => a.minimum(b)],
  ["clamp with tensor bounds", (a, b) => a.clamp({ min: b.neg(), max: b })],
  ["where", (a, b) => where(a.gt(0), a, b)],
  ["lerp", (a, b) => a.lerp(b, 0.3)],
  ["addcdiv", (a, b) => a.addcdiv(a, b, { value: -0.7 })],
];

describe("gradcheck of every differentiable elementwise op (float64)", () => {
  manual_seed(11);
  it.each(unary)("%s on a contiguous and a transposed input", (_name, fn, shift) => {
    expect(autograd.gradcheck(fn, [f64([3, 4], shift)])).toBe(true);
    expect(autograd.gradcheck(fn, [transposed(3, 4, shift)])).toBe(true);
  });
  it.each(binary)("%s with broadcasting [2, 3] and [3], and transposed operands", (_name, fn) => {
    expect(autograd.gradcheck(fn, [f64([2, 3], 0.5), f64([3], 0.5)])).toBe(true);
    expect(autograd.gradcheck(fn, [transposed(3, 2, 0.5), f64([3, 1], 0.5)])).toBe(true);
  });
});

const ternary: [string, (a: Tensor, b: Tensor, c: Tensor) => Tensor][] = [
  ["addcmul", (a, b, c) => a.addcmul(b, c, { value: 0.3 })],
  ["addcdiv", (a, b, c) => a.addcdiv(b, c, { value: -2 })],
  ["lerp with a tensor weight", (a, b, c) => a.lerp(b, c)],
  ["clamp with tensor min and max", (a, b, c) => a.clamp({ min: b, max: c.add(0.5) })],
  ["where", (a, b, c) => where(a.gt(0.8), b, c)],
];

describe("gradcheck of the three-operand ops (float64)", () => {
  manual_seed(12);
  it.each(ternary)("%s with broadcasting [2, 3], [3] and [2, 1], and a transposed operand", (_name, fn) => {
    expect(autograd.gradcheck(fn, [f64([2, 3], 0.5), f64([3], 0.5), f64([2, 1], 0.5)])).toBe(true);
    expect(autograd.gradcheck(fn, [transposed(2, 3, 0.5), f64([2, 3], 0.5), transposed(2, 3, 0.5)])).toBe(true);
  });
});

describe("broadcasting (property tests)", () => {
  const dim = fc.integer({ min: 1, max: 4 });
  const shapes = fc.array(dim, { minLength: 0, maxLength: 4 }).chain((shape) =>
    fc.tuple(
      fc.constant(shape),
      // b drops some leading dims and sets some of the rest to 1.
      fc
        .integer({ min: 0, max: shape.length })
        .chain((drop) =>
          fc
            .array(fc.boolean(), { minLength: shape.length - drop, maxLength: shape.length - drop })
            .map((ones) => shape.slice(drop).map((s, i) => (ones[i] ? 1 : s))),
        ),
    ),
  );

  it("a·b + a agrees with an explicit loop over the broadcast index", () => {
    fc.assert(
      fc.property(shapes, fc.integer(), ([sa, sb], seed) => {
        manual_seed(seed);
        const a = rand(sa, { dtype: "float64" });
        const b = rand(sb, { dtype: "float64" });
        const out = a.mul(b).add(a);
        const av = a.toTypedArray();
        const bv = b.toTypedArray();
        const ov = out.toTypedArray();
        expect(out.shape).toEqual(sa);
        const strideOf = (shape: number[]) => shape.map((_, d) => shape.slice(d + 1).reduce((x, y) => x * y, 1));
        const sA = strideOf(sa);
        const sB = strideOf(sb);
        const lead = sa.length - sb.length;
        for (let i = 0; i < ov.length; i++) {
          const idx = sa.map((_, d) => Math.floor(i / sA[d]!) % sa[d]!);
          const j = sb.reduce((acc, size, d) => acc + (size === 1 ? 0 : idx[d + lead]!) * sB[d]!, 0);
          expect(ov[i]).toBe(av[i]! * bv[j]! + av[i]!);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("the gradient of a broadcast operand sums over the broadcast dims", () => {
    fc.assert(
      fc.property(shapes, fc.integer(), ([sa, sb], seed) => {
        manual_seed(seed);
        const a = rand(sa, { dtype: "float64" });
        const b = rand(sb, { dtype: "float64", requires_grad: true });
        // d/db Σ(a·b) = Σ over broadcast positions of a, i.e. a summed down to b's shape.
        a.mul(b).sum().backward();
        const lead = sa.length - sb.length;
        const dims = sa.map((_, d) => d).filter((d) => d < lead || sb[d - lead] === 1);
        const expected = dims.length ? a.sum({ dim: dims, keepdim: true }).reshape(sb) : a;
        testing.assert_close(b.grad!, expected, { rtol: 1e-12, atol: 1e-12 });
      }),
      { numRuns: 60 },
    );
  });
});

describe("bad input", () => {
  it("names the mismatched sizes, as PyTorch", () => {
    expect(() => ones([2, 3]).add(ones([2, 4]))).toThrow("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1");
  });

  it("refuses an in-place result that would need a bigger shape, and leaves self unchanged", () => {
    const x = zeros(3);
    expect(() => x.add_(ones([2, 3]))).toThrow("output with shape [3] doesn't match the broadcast shape [2, 3]");
    expect(x.tolist()).toEqual([0, 0, 0]);
    expect(x._version).toBe(0);
  });

  it("refuses an in-place op on a leaf that requires grad", () => {
    const w = ones(2, { requires_grad: true });
    expect(() => w.mul_(2)).toThrow("a leaf Variable that requires grad is being used in an in-place operation.");
    expect(w.tolist()).toEqual([1, 1]);
  });

  it("refuses relu_ on a leaf that requires grad", () => {
    const w = tensor([-1, 2], { requires_grad: true });
    expect(() => w.relu_()).toThrow("a leaf Variable that requires grad is being used in an in-place operation.");
    expect(w.tolist()).toEqual([-1, 2]);
  });

  it("makes backward throw when a saved tensor was modified in place", () => {
    const x = tensor([1, 2, 3], { requires_grad: true });
    const y = x.exp(); // ExpBackward0 saves its output y
    const loss = y.sum();
    y.mul_(2);
    expect(() => loss.backward()).toThrow(
      "one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3]], which is output 0 of MulBackward0, is at version 1; expected version 0 instead.",
    );
  });

  it("differentiates through an in-place op on a non-leaf (history is rebased)", () => {
    // y = x·x, then y.mul_(3) makes y = 3x², so d(sum y)/dx = 6x.
    const x = tensor([1, 2], { dtype: "float64", requires_grad: true });
    const y = x.mul(x);
    y.mul_(3);
    expect(y.grad_fn!.name).toBe("MulBackward0");
    y.sum().backward();
    expect(y.tolist()).toEqual([3, 12]);
    expect(x.grad!.tolist()).toEqual([6, 12]);
  });

  it("catches an in-place change that shares memory with a saved operand, as PyTorch", () => {
    // mul_ saves its operand y.detach(), which shares y's memory and version counter.
    const x = tensor([1, 2], { dtype: "float64", requires_grad: true });
    const y = x.mul(3);
    y.mul_(y.detach());
    expect(() => y.sum().backward()).toThrow(/modified by an inplace operation/);
  });
});

describe("in-place on a view of a tensor that requires grad", () => {
  it("is refused with a clear message instead of a silently wrong gradient, and nothing changes", () => {
    const a = tensor([1, 2, 3], { requires_grad: true });
    const x = a.mul(2);
    const view = x.narrow(0, 0, 2);
    expect(() => view.mul_(3)).toThrow(/in-place operations on a view of a tensor that requires grad/);
    expect(x.tolist()).toEqual([2, 4, 6]);
  });

  it("is allowed outside autograd, writing through to the base", () => {
    const x = tensor([1, 2, 3]);
    x.narrow(0, 1, 2).mul_(10);
    expect(x.tolist()).toEqual([1, 20, 30]);
  });
});
