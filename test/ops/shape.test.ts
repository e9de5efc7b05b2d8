import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Tensor, arange, autograd, cat, enable_grad, randn, stack, tensor, testing, zeros } from "gradlab";
import { fixture } from "../helpers.ts";
import { type OpCase, checkCase } from "./fixture_cases.ts";

// expected values: tools/fixtures/ops_reduce_shape.py (torch 1.13), test/fixtures/ops/shape.json:
// forward values and gradients of (out · w).sum() for a fixed random w, per input.
const cases = fixture<{ cases: OpCase[] }>("ops/shape").cases;
const ops = [...new Set(cases.map((c) => c.op))];

describe.each(ops)("%s", (op) => {
  it.each(cases.filter((c) => c.op === op))("matches PyTorch: $name", (c) => {
    checkCase(c);
  });
});

const leaf = (shape: number[]) => randn(shape, { dtype: "float64", requires_grad: true });

describe("views share memory where PyTorch's do", () => {
  const views: [string, (x: Tensor) => Tensor][] = [
    ["transpose", (x) => x.transpose(0, 2)],
    ["t", (x) => x.narrow(0, 1, 1).squeeze(0).t()],
    ["permute", (x) => x.permute([1, 2, 0])],
    ["squeeze", (x) => x.unsqueeze(1).squeeze()],
    ["unsqueeze", (x) => x.unsqueeze(-1)],
    ["narrow", (x) => x.narrow(1, 1, 2)],
    ["expand", (x) => x.narrow(2, 0, 1).expand([2, 3, 5])],
    ["flatten of contiguous data", (x) => x.flatten({ start_dim: 1 })],
  ];
  it.each(views)("%s writes through to its base", (_, f) => {
    const x = arange(0, 24, 1, { dtype: "float64" }).reshape([2, 3, 4]);
    const v = f(x);
    expect(v.storage).toBe(x.storage);
    const before = x._version;
    v.mul_(0);
    // Every element the view shows is now 0 in the base too; the version counter is shared.
    expect(x._version).toBe(before + 1);
    expect(v.toTypedArray().every((e) => e === 0)).toBe(true);
  });

  it("records every view's base, so an in-place change of a view of a leaf that requires grad is refused", () => {
    const x = randn([2, 3], { requires_grad: true });
    for (const v of [x.t(), x.transpose(0, 1), x.narrow(1, 0, 2), x.unsqueeze(0), x.view([6]), x.t().reshape([3, 2, 1])]) {
      expect(v._base).toBe(x);
      expect(() => v.mul_(2)).toThrow("gradlab does not support in-place operations on a view of a tensor that requires grad");
    }
    expect(x.grad).toBe(null);
  });

  it("transpose and permute make non-contiguous views; reshape of them copies", () => {
    const x = randn([2, 3]);
    expect(x.t().is_contiguous()).toBe(false);
    expect(x.t().reshape([6]).storage).not.toBe(x.storage);
    expect(x.t().reshape([6]).tolist()).toEqual(x.t().contiguous().view([6]).tolist());
  });
});

describe("gradients agree with finite differences (float64)", () => {
  const idx = tensor([[[1, 0, 2, 2]], [[0, 0, 1, 2]]], { dtype: "int64" });
  const ops: [string, (x: Tensor) => Tensor][] = [
    ["transpose", (x) => x.transpose(-1, 0).mul(x.transpose(-1, 0))],
    ["permute", (x) => x.permute([2, 0, 1])],
    ["t after flatten", (x) => x.flatten({ start_dim: 1 }).t()],
    ["squeeze/unsqueeze", (x) => x.unsqueeze(1).unsqueeze(-1).squeeze([1, 4])],
    ["narrow of a transpose", (x) => x.transpose(0, 2).narrow(0, 1, 2)],
    ["index_select with repeats", (x) => x.index_select(2, [3, 1, 3, 0])],
    ["gather", (x) => x.gather(1, idx)],
    ["cat with itself", (x) => cat([x, x.mul(3), x.narrow(2, 0, 1)], -1)],
    ["stack", (x) => stack([x, x.transpose(1, 1).mul(2)], 1)],
  ];
  it.each(ops)("%s", (_, f) => {
    expect(autograd.gradcheck(f, [leaf([2, 3, 4])])).toBe(true);
    // The same through a non-contiguous input.
    expect(autograd.gradcheck((b) => f(b.permute([1, 2, 0])), [leaf([4, 2, 3])])).toBe(true);
  });

  it.each(ops)("second derivatives of %s", (_, f) => {
    const gradOf = (x: Tensor) => enable_grad(() => autograd.grad(f(x).mul(f(x)).sum(), x, { create_graph: true })[0]!);
    expect(autograd.gradcheck(gradOf, [leaf([2, 3, 4])])).toBe(true);
  });

  it("cat of float32 and float64 promotes, and each gradient keeps its input's dtype", () => {
    const a = tensor([1, 2], { requires_grad: true });
    const b = tensor([3], { dtype: "float64", requires_grad: true });
    const y = cat([a, b]);
    expect(y.dtype).toBe("float64");
    y.mul(tensor([1, 2, 3], { dtype: "float64" }))
      .sum()
      .backward();
    expect(a.grad!.dtype).toBe("float32");
    expect(a.grad!.tolist()).toEqual([1, 2]);
    expect(b.grad!.tolist()).toEqual([3]);
  });
});

describe("properties on random shapes", () => {
  const shapes = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 });

  it("the sum of a permute or reshape equals the sum of the tensor", () => {
    fc.assert(
      fc.property(shapes, fc.integer({ min: 0, max: 1000 }), (shape, seed) => {
        const x = randn(shape, { dtype: "float64" });
        const order = shape.map((_, d) => d).sort((a, b) => ((a * 7 + seed) % 5) - ((b * 7 + seed) % 5) || a - b);
        const total = x.sum().item();
        const sameSum = { rtol: 1e-12, atol: 1e-12 };
        testing.assert_close(x.permute(order).sum().item(), total, sameSum);
        testing.assert_close(x.permute(order).reshape([-1]).sum().item(), total, sameSum);
        testing.assert_close(x.flatten().sum().item(), total, sameSum);
      }),
      { numRuns: 50 },
    );
  });

  it("reshape of a permuted or narrowed tensor reads the same elements as reshape of a contiguous copy", () => {
    // Edits of the permuted shape that a view may or may not serve: merge two adjacent dims,
    // split a dim of even size in two, insert a size-1 dim.
    const edit = fc.tuple(fc.constantFrom("merge", "split", "insert"), fc.nat(), fc.nat());
    fc.assert(
      fc.property(shapes, fc.nat(), fc.boolean(), fc.array(edit, { maxLength: 3 }), (shape, seed, narrowed, edits) => {
        const base = randn(
          shape.map((s) => s * 2),
          { dtype: "float64" },
        );
        const order = shape.map((_, d) => d).sort((a, b) => ((a * 5 + seed) % 7) - ((b * 5 + seed) % 7) || a - b);
        let x = base.permute(order);
        if (narrowed) x = x.narrow(seed % shape.length, 1, x.shape[seed % shape.length]! - 1);
        const target = x.shape.slice();
        for (const [kind, i, j] of edits) {
          const d = i % target.length;
          if (kind === "merge" && d + 1 < target.length) target.splice(d, 2, target[d]! * target[d + 1]!);
          else if (kind === "split" && target[d]! % 2 === 0) target.splice(d, 1, 2, target[d]! / 2);
          else if (kind === "insert") target.splice(j % (target.length + 1), 0, 1);
        }
        const expected = x.contiguous().view(target).tolist();
        const y = x.reshape(target);
        expect(y.tolist()).toEqual(expected);
        if (y.storage === base.storage) {
          // A view: a write through it shows in the base at the same elements.
          y.mul_(-1);
          expect(x.contiguous().view(target).tolist()).toEqual(y.tolist());
          expect(() => x.view(target)).not.toThrow();
        } else {
          expect(() => x.view(target)).toThrow("view size is not compatible");
        }
      }),
      { numRuns: 200 },
    );
  });

  it("cat of narrow pieces gives the tensor back", () => {
    fc.assert(
      fc.property(shapes, fc.nat(), fc.nat(), (shape, dimSeed, cutSeed) => {
        const x = randn(shape, { dtype: "float64" });
        const dim = dimSeed % shape.length;
        const cut = cutSeed % (shape[dim]! + 1);
        const pieces = [x.narrow(dim, 0, cut), x.narrow(dim, cut, shape[dim]! - cut)];
        expect(cat(pieces, dim).tolist()).toEqual(x.tolist());
        // stack then index_select of one entry, squeezed, is that entry.
        expect(
          stack([x, x.mul(2)], dim)
            .index_select(dim, [1])
            .squeeze(dim)
            .tolist(),
        ).toEqual(x.mul(2).tolist());
      }),
      { numRuns: 50 },
    );
  });
});

describe("bad input throws PyTorch's message and changes nothing", () => {
  const cases: [string, (t: Tensor) => unknown, string][] = [
    ["transpose with a dim out of range", (t) => t.transpose(0, 2), "Dimension out of range (expected to be in range of [-2, 1], but got 2)"],
    ["t of a 3-D tensor", (t) => t.unsqueeze(0).t(), "t() expects a tensor with <= 2 dimensions, but self is 3D"],
    [
      "permute with too few dims",
      (t) => t.permute([0]),
      "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = 2 is not equal to len(dims) = 1",
    ],
    ["permute with a repeated dim", (t) => t.permute([1, -1]), "permute(): duplicate dims are not allowed."],
    // Current PyTorch's squeeze(dims) checks the list as dim_list_to_bitset does (torch 1.13 has no squeeze(tuple)).
    ["squeeze with a repeated dim", (t) => t.unsqueeze(0).squeeze([0, -3]), "dim 0 appears multiple times in the list of dims"],
    ["unsqueeze out of range", (t) => t.unsqueeze(3), "Dimension out of range (expected to be in range of [-3, 2], but got 3)"],
    ["flatten with start after end", (t) => t.flatten({ start_dim: 1, end_dim: 0 }), "flatten() has invalid args: start_dim cannot come after end_dim"],
    ["narrow past the end", (t) => t.narrow(1, 1, 2), "start (1) + length (2) exceeds dimension size (2)."],
    [
      "view of a non-contiguous tensor",
      (t) => t.t().view([4]),
      "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
    ],
    ["index_select out of range", (t) => t.index_select(0, [0, 2]), "index out of range in self"],
    ["index_select with a matrix index", (t) => t.index_select(0, [[0]]), "index_select(): Index is supposed to be a vector"],
    ["gather index out of range", (t) => t.gather(1, [[0, 5]]), "index 5 is out of bounds for dimension 1 with size 2"],
    ["gather with a float index", (t) => t.gather(1, tensor([[0]])), "gather(): Expected dtype int64 for index"],
    ["gather index of the wrong rank", (t) => t.gather(1, [0, 1]), "Index tensor must have the same number of dimensions as input tensor"],
    [
      "gather index larger than self",
      (t) => t.gather(1, [[0], [1], [0]]),
      "Size does not match at dimension 0 expected index [3, 1] to be smaller than self [2, 2] apart from dimension 1",
    ],
    [
      "cat with mismatched sizes",
      (t) => cat([t, zeros([2, 3])], 0),
      "Sizes of tensors must match except in dimension 0. Expected size 2 but got size 3 for tensor number 1 in the list.",
    ],
    ["cat with mismatched ranks", (t) => cat([t, zeros([2])], 0), "Tensors must have same number of dimensions: got 2 and 1"],
    ["cat of nothing", () => cat([]), "torch.cat(): expected a non-empty list of Tensors"],
    [
      "stack of unequal shapes",
      (t) => stack([t, zeros([2, 3])]),
      "stack expects each tensor to be equal size, but got [2, 2] at entry 0 and [2, 3] at entry 1",
    ],
  ];
  it.each(cases)("%s", (_, f, message) => {
    const t = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requires_grad: true },
    );
    expect(() => f(t)).toThrow(message);
    expect(t.tolist()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(t.grad).toBe(null);
    expect(t._version).toBe(0);
  });
});
