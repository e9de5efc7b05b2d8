/**
 * Every module of `src/` works imported on its own: each case resets the module registry,
 * imports one module (so only what that module imports gets loaded, in a fresh graph with
 * its own Tensor class), then the tensor factories of that same graph, and exercises one
 * thing the module exports, against a hand-derived value.
 *
 * A module that calls a tensor method it did not import (the methods come from
 * `src/methods.ts`) fails here with "… is not a function". A new module needs a case.
 */
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";

type Creation = typeof import("../src/tensor/creation.ts");
type Value = Awaited<unknown>;

interface Case {
  module: string;
  run: (m: never, c: Creation) => Value | Promise<Value>;
  expected: unknown;
}

/** A case for `module` (a path under src/): `run(exports, creation)` must give `expected`. */
const on = <M>(module: string, run: (m: M, c: Creation) => Value | Promise<Value>, expected: unknown): Case => ({
  module,
  run: run as Case["run"],
  expected,
});

/** Rounds to 6 decimals (for values a float32 or float64 computation gives inexactly). */
const r6 = (x: number): number => Math.round(x * 1e6) / 1e6;

const cases: Case[] = [
  // warnings and kernels: no Tensor at all
  on<typeof import("../src/utils/warn.ts")>("utils/warn.ts", (m) => m.catch_warnings(() => m.warn("once")).warnings.length, 1),
  on<typeof import("../src/utils/suggestions.ts")>("utils/suggestions.ts", (m) => m.closestName("gama", ["gamma", "step_size"]), "gamma"),
  on<typeof import("../src/utils/signature.ts")>(
    "utils/signature.ts",
    (m) => {
      const s = m.signature("f", [m.required("x", m.number), m.optional("y", m.number, 2)]);
      return [s.parse([1]), s.parse([1, { y: 3 }])];
    },
    [
      { x: 1, y: 2 },
      { x: 1, y: 3 },
    ],
  ),
  on<typeof import("../src/utils/state_checks.ts")>(
    "utils/state_checks.ts",
    (m) => {
      let message = "";
      try {
        m.expectRecord([], "state");
      } catch (e) {
        message = (e as Error).message;
      }
      return [m.expectRecord({ a: 1 }, "state"), message, m.HOSTILE_KEYS.has("__proto__")];
    },
    [["a"], "state should be an object, got array []", true],
  ),
  // (1 + 2⁻³⁰)² = 1 + 2⁻²⁹ + 2⁻⁶⁰: the rounded product drops 2⁻⁶⁰, productError returns it.
  on<typeof import("../src/math/double_double.ts")>(
    "math/double_double.ts",
    (m) => {
      const x = 1 + 2 ** -30;
      return [m.twoSum(1, 2 ** -60).lo === 2 ** -60, m.productError(x, x, x * x) === 2 ** -60];
    },
    [true, true],
  ),
  on<typeof import("../src/math/libm.ts")>("math/libm.ts", (m) => [m.log(1), m.pow(2, 10), m.cos(0)], [0, 1024, 1]),
  on<typeof import("../src/kernels/view.ts")>("kernels/view.ts", (m) => m.contiguousStrides([2, 3, 4]), [12, 4, 1]),
  on<typeof import("../src/kernels/broadcast.ts")>("kernels/broadcast.ts", (m) => m.broadcastShapes([2, 1], [3]), [2, 3]),
  on<typeof import("../src/kernels/specialise.ts")>("kernels/specialise.ts", (m) => m.specialise((a: number) => a + 1)(1), 2),
  // Rows 1 and 1 of a 2-wide dense get [1, 2] then [3, 4] added: [0, 0, 4, 6]; positions [3, 1, 3] coalesce to [1, 3].
  on<typeof import("../src/kernels/sparse_rows.ts")>(
    "kernels/sparse_rows.ts",
    (m) => {
      const dense = m.addRowsInto(new Float64Array(4), 2, [1, 1], new Float64Array([1, 2, 3, 4]), 1, (a, b, c) => a * b + c);
      const plan = m.coalescePlan([3, 1, 3]);
      return [Array.from(dense), plan.unique, Array.from(plan.slot)];
    },
    [
      [0, 0, 4, 6],
      [1, 3],
      [1, 0, 1],
    ],
  ),
  // Positions [0, 2, 2] with gradient rows 1, 2, 3: row 0 gets 1, row 2 gets (2 + 3)/2 with
  // scale_grad_by_freq; without padding row 2 both entries stay; [[3, 4]] has norm 5, renormed to 1.
  on<typeof import("../src/kernels/embedding.ts")>(
    "kernels/embedding.ts",
    async (m) => {
      const { makeView } = await import("../src/kernels/view.ts");
      const grad = m.embeddingBackwardInto(new Float64Array(3), new Float64Array([1, 2, 3]), 1, [0, 2, 2], null, true);
      const weight = makeView(new Float64Array([3, 4]), [1, 2], [2, 1], 0);
      m.renormRowsInto(weight, [0, 0], 1, 2);
      return [Array.from(grad), m.nonPaddingPositions([0, 2, 2], 2), Array.from(weight.data).map(r6)];
    },
    [[1, 0, 2.5], [0], [0.6, 0.8]],
  ),
  // relu of [−1, 2, −0, NaN] is [0, 2, 0, NaN]; the mask keeps g = 5 where y > 0 (y = [0, 2, 0, NaN]): [0, 5, 0, 0]
  on<typeof import("../src/kernels/relu.ts")>(
    "kernels/relu.ts",
    async (m) => {
      const { makeView } = await import("../src/kernels/view.ts");
      const view = (values: number[]) => makeView(new Float32Array(values), [values.length], [1], 0);
      const y = m.reluInto(view([0, 0, 0, 0]), view([-1, 2, -0, Number.NaN]));
      const mask = m.reluMaskInto(view([1, 1, 1, 1]), view([5, 5, 5, 5]), y);
      return [Array.from(y.data), Array.from(mask.data)];
    },
    [
      [0, 2, 0, Number.NaN],
      [0, 5, 0, 0],
    ],
  ),
  // 0.1·10 − 1 is 2⁻⁵⁴ exactly (0.1 is 0.1 + 2⁻⁵⁷·0.8 in binary), lost when the product is rounded first.
  on<typeof import("../src/kernels/rounding.ts")>("kernels/rounding.ts", (m) => [m.fma64(0.1, 10, -1), m.mulAdd(0.1, 10, -1), m.fma32(1.5, 2, 0.25)], [
    2 ** -54,
    0,
    3.25,
  ]),
  // 0.1·10 − 1 again, in fused.ts's float64 kernels (one rounding, 2⁻⁵⁴), and fmaFloat64 past fma64's range.
  on<typeof import("../src/kernels/fused.ts")>(
    "kernels/fused.ts",
    (m) => [...m.addScaledInto(new Float64Array(1), new Float64Array([-1]), 0.1, new Float64Array([10])), m.fmaFloat64(2 ** 1000, 2 ** 100, 1)],
    [2 ** -54, Infinity],
  ),
  // cos 0 = 1 and sin 0 = 0 exactly in the double-double series; sin(π/2) = 1, cos(π) = −1, cos(π/2) = +0 (C23).
  on<typeof import("../src/math/series.ts")>("math/series.ts", (m) => [m.cosSeries({ hi: 0, lo: 0 }).hi, m.sinSeries({ hi: 0, lo: 0 }).hi], [1, 0]),
  on<typeof import("../src/math/trig_pi.ts")>("math/trig_pi.ts", (m) => [m.sinpi(0.5), m.cospi(1), Object.is(m.cospi(0.5), 0)], [1, -1, true]),
  on<typeof import("../src/kernels/special.ts")>("kernels/special.ts", (m) => m.erf(0), 0),
  on<typeof import("../src/kernels/elementwise.ts")>(
    "kernels/elementwise.ts",
    async (m) => {
      const { makeView } = await import("../src/kernels/view.ts");
      const out = makeView(new Float64Array(2), [2], [1], 0);
      m.binaryKernel((a, b) => a * b)(out, makeView(new Float64Array([2, 3]), [2], [1], 0), makeView(new Float64Array([4, 5]), [2], [1], 0));
      return Array.from(out.data);
    },
    [8, 15],
  ),
  on<typeof import("../src/kernels/reduce.ts")>(
    "kernels/reduce.ts",
    async (m) => {
      const { makeView } = await import("../src/kernels/view.ts");
      const out = makeView(new Float64Array(1), [], [], 0);
      m.sumInto(out, makeView(new Float64Array([1, 2, 3]), [3], [1], 0), [0]);
      return out.data[0];
    },
    6,
  ),
  on<typeof import("../src/kernels/gather.ts")>(
    "kernels/gather.ts",
    async (m) => {
      const { makeView } = await import("../src/kernels/view.ts");
      const out = makeView(new Float64Array(2), [2], [1], 0);
      m.gatherInto(out, makeView(new Float64Array([10, 20, 30]), [3], [1], 0), makeView(new Float64Array([2, 0]), [2], [1], 0), 0);
      return Array.from(out.data);
    },
    [30, 10],
  ),
  on<typeof import("../src/kernels/gemm_operands.ts")>("kernels/gemm_operands.ts", (m) => [m.BLOCKS.MR, m.BLOCKS.NR], [3, 2]),
  on<typeof import("../src/kernels/gemm_thin.ts")>(
    "kernels/gemm_thin.ts",
    (m) => {
      // [1, 2] · [[3], [4]] = 11, one sum over p in order
      const matrix = (data: number[], rowStride: number, colStride: number) => ({ data: new Float64Array(data), offset: 0, rowStride, colStride });
      const c = matrix([0], 1, 1);
      m.dots(1, 1, 2, matrix([1, 2], 2, 1), matrix([3, 4], 1, 1), c, false, 256);
      return c.data[0];
    },
    11,
  ),
  on<typeof import("../src/kernels/matmul.ts")>(
    "kernels/matmul.ts",
    async (m) => {
      const { makeView } = await import("../src/kernels/view.ts");
      const out = makeView(new Float64Array(1), [1, 1], [1, 1], 0);
      m.matmulInto(out, makeView(new Float64Array([1, 2]), [1, 2], [2, 1], 0), makeView(new Float64Array([3, 4]), [2, 1], [1, 1], 0));
      return out.data[0];
    },
    11,
  ),
  on<typeof import("../src/kernels/softmax.ts")>(
    "kernels/softmax.ts",
    (m) => {
      const out = new Float64Array(2);
      m.softmaxInto(out, new Float64Array([0, 0]), 1, 2, 1, false);
      return Array.from(out);
    },
    [0.5, 0.5],
  ),
  // x = 0.5, y = 1: ℓ = −log 0.5 = ln 2; x = 1, y = 1: ℓ = −(1·log 1 + 0·(−100)) = −(0 + −0) = −0 (the clamped log(1 − x) weighs 0).
  on<typeof import("../src/kernels/binary_cross_entropy.ts")>(
    "kernels/binary_cross_entropy.ts",
    (m) => {
      const out = new Float64Array(2);
      m.binaryCrossEntropyInto(out, new Float64Array([0.5, 1]), new Float64Array([1, 1]), null);
      const f = (x: number[], y: number[]) => m.outsideUnitInterval(new Float64Array(x), new Float64Array(y));
      return [out[0] === Math.LN2, Object.is(out[1], -0), f([0, 1], [1, 0]), f([0.5, 1.5], [2, 0]), f([1.5], [0])];
    },
    [true, true, null, "target", "input"],
  ),
  // A = [[1, 1], [0, 1]]: q₀ = [1, 0]; [1, 1] − 1·q₀ = [0, 1], of norm 1. A = [3, 4]ᵀ: [3, 4]/5.
  on<typeof import("../src/kernels/orthogonal.ts")>(
    "kernels/orthogonal.ts",
    (m) => [
      Array.from(m.orthonormalColumnsInto(new Float64Array(4), [1, 1, 0, 1], 2, 2, 2, 1)),
      Array.from(m.orthonormalColumnsInto(new Float64Array(2), [3, 4], 2, 1, 1, 0)),
    ],
    [
      [1, 0, 0, 1],
      [0.6, 0.8],
    ],
  ),
  // draws 0.1, 0.7, 0.5 against p = 0.5: dropped, kept, kept (u ≥ p keeps), kept ones scaled by 2.
  on<typeof import("../src/kernels/dropout.ts")>(
    "kernels/dropout.ts",
    (m) => {
      const draws = [0.1, 0.7, 0.5];
      let k = 0;
      return Array.from(m.dropoutMaskInto(new Float64Array(3), () => draws[k++]!, 0.5, 2));
    },
    [0, 2, 2],
  ),
  // x = [1, 3]: μ = 2, σ² = ((−1)² + 1²)/2 = 1, r = 1/√(1 + 0) = 1, so x̂ = [−1, 1] (no weight, no bias).
  on<typeof import("../src/kernels/normalization.ts")>(
    "kernels/normalization.ts",
    (m) => {
      const [out, mean, rstd] = [new Float64Array(2), new Float64Array(1), new Float64Array(1)];
      m.layerNormInto(out, mean, rstd, new Float64Array([1, 3]), null, null, 1, 2, 0);
      return [...out, mean[0], rstd[0]];
    },
    [-1, 1, 2, 1],
  ),
  // x = [[−0.5], [−2]] (N = 1, C = 2, S = 1), target 1, w = [3, 4]: ℓ = −4·(−2) = 8, Σw = 4.
  on<typeof import("../src/kernels/nll.ts")>(
    "kernels/nll.ts",
    (m) => {
      const out = new Float64Array(1);
      const weightSum = m.nllInto(out, new Float64Array([-0.5, -2]), new Float64Array([1]), new Float64Array([3, 4]), 1, 2, 1, -100);
      return [out[0], weightSum];
    },
    [8, 4],
  ),
  // in [0, 3): 5 at position 2 is the first outside (−100 skipped); without a skip −100 at 1 is.
  on<typeof import("../src/kernels/indices.ts")>(
    "kernels/indices.ts",
    (m) => [
      m.firstOutOfRange(new Float64Array([0, -100, 5, 1]), 3, -100),
      m.firstOutOfRange(new Float64Array([0, -100]), 3, null),
      m.firstOutOfRange(new Float64Array([0, 2]), 3, null),
    ],
    [2, 1, -1],
  ),
  // tensor
  on<typeof import("../src/tensor/dtype.ts")>("tensor/dtype.ts", (m) => m.promoteTypes("float32", "float64"), "float64"),
  on<typeof import("../src/tensor/storage.ts")>("tensor/storage.ts", (m) => m.allocate("float64", 3).length, 3),
  on<typeof import("../src/tensor/generator.ts")>("tensor/generator.ts", (m) => new m.Generator().manual_seed(1).initial_seed(), 1),
  on<typeof import("../src/tensor/tensor.ts")>(
    "tensor/tensor.ts",
    (m) => {
      const t = m.emptyTensor("float64", [2, 3]);
      // Only what a tensor is: no op method is attached in this graph.
      return [t.shape, t.stride(), "add" in t];
    },
    [[2, 3], [3, 1], false],
  ),
  on<typeof import("../src/tensor/creation.ts")>("tensor/creation.ts", (m) => m.arange(4).tolist(), [0, 1, 2, 3]),
  on<typeof import("../src/tensor/factory_arguments.ts")>("tensor/factory_arguments.ts", (m) => [m.toShape(5), m.positionalCount([2, 3, {}])], [[5], 2]),
  // 200 draws from [3, 7): every one of the 4 values appears (each is missed with probability (3/4)^200).
  on<typeof import("../src/tensor/random_factories.ts")>(
    "tensor/random_factories.ts",
    (m) => {
      const x = m.randint(3, 7, [200]);
      return [x.dtype, [...new Set(x.tolist() as number[])].sort()];
    },
    ["int64", [3, 4, 5, 6]],
  ),
  // The dense tensor of entries 1 at 2, 2 at 0 and 3 at 2 (repeats add up): [2, 0, 4].
  on<typeof import("../src/ops/sparse.ts")>(
    "ops/sparse.ts",
    (m, c) => m.to_dense(new m.SparseTensor(c.tensor([[2, 0, 2]], { dtype: "int64" }), c.tensor([1, 2, 3]), [3])).tolist(),
    [2, 0, 4],
  ),
  // 0.1 as the nearest float32 (13421773·2⁻²⁷) while the default dtype is float32.
  on<typeof import("../src/tensor/default_dtype.ts")>("tensor/default_dtype.ts", (m) => [m.get_default_dtype(), m.scalarRound()(0.1)], [
    "float32",
    13421773 * 2 ** -27,
  ]),
  on<typeof import("../src/tensor/print.ts")>("tensor/print.ts", (m, c) => m.tensorRepr(c.tensor([1, 2])), "tensor([1., 2.])"),
  // tape
  on<typeof import("../src/autograd/grad_mode.ts")>("autograd/grad_mode.ts", (m) => m.no_grad(() => m.is_grad_enabled()), false),
  on<typeof import("../src/autograd/node.ts")>(
    "autograd/node.ts",
    (m, c) => m.record("MyBackward0", c.tensor([1]), [c.tensor([2], { requires_grad: true })], (g) => [g]).grad_fn?.name,
    "MyBackward0",
  ),
  // ops
  on<typeof import("../src/ops/operands.ts")>("ops/operands.ts", (m) => m.reductionDims([-1, 0], 3), [0, 2]),
  on<typeof import("../src/ops/copy.ts")>("ops/copy.ts", (m, c) => m.to(c.tensor([1.5, 2]), "float64").dtype, "float64"),
  on<typeof import("../src/ops/inplace.ts")>(
    "ops/inplace.ts",
    (m, c) => {
      const t = c.tensor([1]);
      m.inPlace(
        t,
        [],
        (x) => x,
        () => {},
      );
      return t._version;
    },
    1,
  ),
  on<typeof import("../src/ops/reshape.ts")>("ops/reshape.ts", (m, c) => m.view(c.arange(6), [2, -1]).shape, [2, 3]),
  on<typeof import("../src/ops/sum.ts")>(
    "ops/sum.ts",
    async (m, c) => {
      const x = c.tensor(
        [
          [1, 2],
          [3, 4],
        ],
        { dtype: "float64", requires_grad: true },
      );
      const { grad } = await import("../src/autograd/grad.ts");
      return [m.sum(x, { dim: 0 }).tolist(), grad(m.sum(m.expand(x, [3, 2, 2])), x)[0]!.tolist()];
    },
    [
      [4, 6],
      [
        [3, 3],
        [3, 3],
      ],
    ],
  ),
  on<typeof import("../src/ops/arithmetic.ts")>("ops/arithmetic.ts", (m, c) => m.sub(c.tensor([5, 7]), c.tensor([1, 2]), { alpha: 2 }).tolist(), [3, 3]),
  on<typeof import("../src/ops/masks.ts")>("ops/masks.ts", (m, c) => m.signOf(c.tensor([-2, 0, 3])).tolist(), [-1, 0, 1]),
  on<typeof import("../src/ops/unary.ts")>("ops/unary.ts", (m, c) => m.sqrt(c.tensor([4, 9])).tolist(), [2, 3]),
  on<typeof import("../src/ops/reduce.ts")>("ops/reduce.ts", (m, c) => m.var_(c.tensor([1, 2, 3, 4])).item(), r6(5 / 3)),
  on<typeof import("../src/ops/shape.ts")>(
    "ops/shape.ts",
    (m, c) =>
      m
        .t(
          c.tensor([
            [1, 2],
            [3, 4],
          ]),
        )
        .tolist(),
    [
      [1, 3],
      [2, 4],
    ],
  ),
  on<typeof import("../src/ops/compare.ts")>("ops/compare.ts", (m, c) => m.maximum(c.tensor([1, 5]), c.tensor([3, 2])).tolist(), [3, 5]),
  on<typeof import("../src/ops/clamp.ts")>("ops/clamp.ts", (m, c) => m.clamp(c.tensor([-1, 0.5, 2]), { min: 0, max: 1 }).tolist(), [0, 0.5, 1]),
  on<typeof import("../src/ops/pow.ts")>("ops/pow.ts", (m, c) => m.pow(c.tensor([2, 3]), 2).tolist(), [4, 9]),
  on<typeof import("../src/ops/pointwise.ts")>(
    "ops/pointwise.ts",
    (m, c) => m.addcmul(c.tensor([1, 1]), c.tensor([2, 3]), c.tensor([4, 5]), { value: 0.5 }).tolist(),
    [5, 8.5],
  ),
  on<typeof import("../src/ops/matmul.ts")>("ops/matmul.ts", (m, c) => m.matmul(c.tensor([[1, 2]]), c.tensor([[3], [4]])).tolist(), [[11]]),
  on<typeof import("../src/ops/norm.ts")>("ops/norm.ts", (m, c) => m.norm(c.tensor([3, 4])).item(), 5),
  on<typeof import("../src/ops/minmax.ts")>("ops/minmax.ts", (m, c) => m.argmax(c.tensor([1, 7, 3])).item(), 1),
  on<typeof import("../src/ops/indexing.ts")>("ops/indexing.ts", (m, c) => m.index_select(c.tensor([10, 20, 30]), 0, [2, 0]).tolist(), [30, 10]),
  on<typeof import("../src/ops/join.ts")>("ops/join.ts", (m, c) => m.stack([c.tensor([1]), c.tensor([2])]).tolist(), [[1], [2]]),
  on<typeof import("../src/ops/softmax.ts")>("ops/softmax.ts", (m, c) => m.softmax(c.tensor([0, 0]), 0).tolist(), [0.5, 0.5]),
  on<typeof import("../src/ops/repeat.ts")>("ops/repeat.ts", (m, c) => m.repeat(c.tensor([1, 2]), [2, 2]).tolist(), [
    [1, 2, 1, 2],
    [1, 2, 1, 2],
  ]),
  // |2.5 − 2| = 0.5 > 1e-8 + 1e-5·2.5, but ≤ 1e-8 + 0.25·2.5 = 0.625.
  on<typeof import("../src/ops/isclose.ts")>(
    "ops/isclose.ts",
    (m, c) => [m.isclose(c.tensor([1, 2]), c.tensor([1, 2.5]), 1e-5, 1e-8, false).tolist(), m.allclose(c.tensor([2]), c.tensor([2.5]), 0.25, 1e-8, false)],
    [[1, 0], true],
  ),
  // the calls layer: PyTorch's argument forms parsed, then the ops above
  on<typeof import("../src/calls/kinds.ts")>(
    "calls/kinds.ts",
    (m) => [m.foldVarargs([2, 3, { implicit: true }], false), m.plainIntList([[2, 3]]), m.plainIntList([2, "a"])],
    [[[2, 3], { implicit: true }], [2, 3], null],
  ),
  on<typeof import("../src/calls/arithmetic.ts")>(
    "calls/arithmetic.ts",
    (m, c) => [m.add(c.tensor([1, 2]), 3, { alpha: 2 }).tolist(), m.subMethod(c.tensor([1]), c.tensor([2])).tolist()],
    [[7, 8], [-1]],
  ),
  on<typeof import("../src/calls/reduce.ts")>(
    "calls/reduce.ts",
    (m, c) => {
      const x = c.tensor([
        [1, 2],
        [3, 4],
      ]);
      // var of [1, 2] with correction 0: ((−½)² + (½)²)/2 = ¼
      return [m.sum(x, 1, true).tolist(), m.varMethod(x, 1, false).tolist()];
    },
    [
      [[3], [7]],
      [0.25, 0.25],
    ],
  ),
  on<typeof import("../src/calls/shape.ts")>(
    "calls/shape.ts",
    (m, c) => [m.viewMethod(c.arange(6), 2, -1).shape, m.reshape(c.arange(6), [3, 2]).shape, m.repeatMethod(c.arange(2), 2, 1).shape],
    [
      [2, 3],
      [3, 2],
      [2, 2],
    ],
  ),
  on<typeof import("../src/calls/selection.ts")>(
    "calls/selection.ts",
    (m, c) => {
      const x = c.tensor([
        [1, 5, 3],
        [4, 2, 6],
      ]);
      return [m.maxMethod(x, 1, true).values.tolist(), m.argmin(x, 1).tolist(), m.amax(x, [0, 1]).item()];
    },
    [[[5], [6]], [0, 1], 6],
  ),
  // clamp of [1, 5, 3] to [2, 4] is [2, 4, 3]; 3² = 9.
  on<typeof import("../src/calls/pointwise.ts")>(
    "calls/pointwise.ts",
    (m, c) => [m.clamp(c.tensor([1, 5, 3]), 2, 4).tolist(), m.binaryOps.eq.method(c.tensor([1, 2]), 2).tolist(), m.pow(c.tensor([3]), 2).tolist()],
    [[2, 4, 3], [0, 1], [9]],
  ),
  on<typeof import("../src/calls/indexing.ts")>(
    "calls/indexing.ts",
    (m, c) => [m.narrowMethod(c.tensor([1, 2, 3, 4]), 0, 1, 2).tolist(), m.index_select(c.tensor([1, 2, 3]), 0, [2, 0]).tolist()],
    [
      [2, 3],
      [3, 1],
    ],
  ),
  on<typeof import("../src/calls/random_fill.ts")>(
    "calls/random_fill.ts",
    (m, c) => (m.uniformMethod(c.zeros([50]), 2, 3).tolist() as number[]).every((x) => x >= 2 && x < 3),
    true,
  ),
  on<typeof import("../src/calls/softmax.ts")>("calls/softmax.ts", (m, c) => m.softmaxMethod(c.tensor([0, 0]), { dim: 0 }).tolist(), [0.5, 0.5]),
  on<typeof import("../src/calls/activation.ts")>(
    "calls/activation.ts",
    (m, c) => m.leakyReluMethod(c.tensor([-1, 2]), { negative_slope: 0.5 }).tolist(),
    [-0.5, 2],
  ),
  on<typeof import("../src/calls/copy.ts")>("calls/copy.ts", (m, c) => m.toMethod(c.tensor([1.5]), { dtype: "int64" }).tolist(), [1]),
  on<typeof import("../src/calls/join.ts")>("calls/join.ts", (m, c) => m.cat([c.tensor([1]), c.tensor([2, 3])], { axis: 0 }).tolist(), [1, 2, 3]),
  on<typeof import("../src/calls/cumsum.ts")>("calls/cumsum.ts", (m, c) => m.cumsum(c.tensor([1, 2, 3]), { dim: 0 }).tolist(), [1, 3, 6]),
  on<typeof import("../src/ops/cumsum.ts")>(
    "ops/cumsum.ts",
    (m, c) =>
      m
        .cumsum(
          c.tensor([
            [1, 2],
            [3, 4],
          ]),
          1,
        )
        .tolist(),
    [
      [1, 3],
      [3, 7],
    ],
  ),
  on<typeof import("../src/kernels/cumsum.ts")>(
    "kernels/cumsum.ts",
    (m) => Array.from(m.cumsumInto(new Float64Array(3), new Float64Array([1, 2, 3]), [3], 0, true)),
    [6, 5, 3],
  ),
  on<typeof import("../src/calls/products.ts")>("calls/products.ts", (m, c) => m.matmulMethod(c.tensor([1, 2]), { other: c.tensor([3, 4]) }).item(), 11),
  on<typeof import("../src/calls/functions.ts")>(
    "calls/functions.ts",
    (m, c) => [m.exp({ input: c.tensor([0]) }).item(), m.mm(c.tensor([[1, 2]]), { mat2: c.tensor([[3], [4]]) }).item()],
    [1, 11],
  ),
  // |1 − 1.001| = 0.001 ≤ atol + rtol·|1.001| = 1e-8 + 1e-5·1.001 fails; with rtol 1e-3 it passes.
  on<typeof import("../src/calls/isclose.ts")>(
    "calls/isclose.ts",
    (m, c) => [
      m.allclose(c.tensor([1]), c.tensor([1.001])),
      m.allclose(c.tensor([1]), c.tensor([1.001]), 1e-3),
      m.isclose(c.tensor([1, 2]), c.tensor([1, 3])).tolist(),
      m.allcloseMethod(c.tensor([1]), c.tensor([1.001]), { rtol: 1e-3 }),
    ],
    [false, true, [1, 0], true],
  ),
  on<typeof import("../src/ops/div_mode.ts")>("ops/div_mode.ts", (m, c) => m.divRounded(c.tensor([-7.5, 7.5]), 2, "floor").tolist(), [-4, 3]),
  on<typeof import("../src/ops/activation.ts")>("ops/activation.ts", (m, c) => m.relu(c.tensor([-1, 2])).tolist(), [0, 2]),
  on<typeof import("../src/ops/random_fill.ts")>(
    "ops/random_fill.ts",
    (m, c) => (m.uniform_(c.zeros([50]), 2, 3).tolist() as number[]).every((x) => x >= 2 && x < 3),
    true,
  ),
  // engine
  on<typeof import("../src/autograd/backward.ts")>(
    "autograd/backward.ts",
    async (m, c) => {
      const { mul } = await import("../src/ops/arithmetic.ts");
      const x = c.tensor([3], { requires_grad: true });
      m.runBackward([mul(x, x)], [c.tensor([1])], false, false);
      return x.grad!.tolist();
    },
    [6],
  ),
  on<typeof import("../src/autograd/grad.ts")>(
    "autograd/grad.ts",
    async (m, c) => {
      const { exp } = await import("../src/ops/unary.ts");
      const x = c.tensor([0], { requires_grad: true });
      m.backward(exp(x), c.tensor([2]));
      return x.grad!.tolist();
    },
    [2],
  ),
  on<typeof import("../src/autograd/gradcheck.ts")>(
    "autograd/gradcheck.ts",
    async (m, c) => {
      const { mul } = await import("../src/ops/arithmetic.ts");
      return m.gradcheck((x) => mul(x, x), [c.tensor([1, 2], { dtype: "float64", requires_grad: true })]);
    },
    true,
  ),
  // the completed Tensor
  on<typeof import("../src/methods.ts")>(
    "methods.ts",
    (_m, c) => {
      const x = c.tensor([1, 2], { requires_grad: true });
      x.mul(x).sum().backward();
      return x.grad!.tolist();
    },
    [2, 4],
  ),
  // nn
  on<typeof import("../src/nn/python_repr.ts")>("nn/python_repr.ts", (m) => m.pythonTuple([3]), "(3,)"),
  on<typeof import("../src/nn/parameter.ts")>("nn/parameter.ts", (m, c) => new m.Parameter(c.ones([2])).requires_grad, true),
  on<typeof import("../src/nn/module.ts")>(
    "nn/module.ts",
    async (m, c) => {
      const { Parameter } = await import("../src/nn/parameter.ts");
      class Scale extends m.Module {
        w = this.register_parameter("w", new Parameter(c.ones([2])));
      }
      const s = new Scale();
      s.zero_grad();
      return Object.keys(s.state_dict());
    },
    ["w"],
  ),
  on<typeof import("../src/nn/module_registry.ts")>(
    "nn/module_registry.ts",
    async (m, c) => {
      const { Parameter } = await import("../src/nn/parameter.ts");
      class Holder extends m.ModuleRegistry<never> {
        w = this.register_parameter("w", new Parameter(c.ones([2])));
        b = this.register_parameter("b", null);
      }
      return new Holder()._parameters().map(([name, p]) => [name, p === null ? null : p.shape]);
    },
    [
      ["w", [2]],
      ["b", null],
    ],
  ),
  // set_to_none: false zeroes the gradient in place (same tensor), detached; true drops it.
  on<typeof import("../src/nn/zero_grad.ts")>(
    "nn/zero_grad.ts",
    (m, c) => {
      const p = c.tensor([1, 2], { requires_grad: true });
      const q = c.tensor([3], { requires_grad: true });
      const grad = c.tensor([5, 6]);
      p.grad = grad;
      q.grad = c.tensor([7]);
      m.zeroGradients([p], false);
      m.zeroGradients([q], true);
      return [p.grad === grad, p.grad.tolist(), q.grad];
    },
    [true, [0, 0], null],
  ),
  on<typeof import("../src/nn/module_members.ts")>(
    "nn/module_members.ts",
    (m) =>
      m.uniqueChildren([
        ["a", 1],
        ["b", null],
        ["c", 1],
      ]),
    [["a", 1]],
  ),
  on<typeof import("../src/nn/module_state_dict.ts")>(
    "nn/module_state_dict.ts",
    async (m, c) => {
      const { Linear } = await import("../src/nn/layers/linear.ts");
      const layer = new Linear(1, 1);
      const result = m.loadModuleStateDict(layer, { weight: c.tensor([[2]]), bias: c.tensor([3]) });
      return [result.missing_keys, layer.forward(c.tensor([[1]])).item()];
    },
    [[], 5],
  ),
  on<typeof import("../src/nn/containers.ts")>("nn/containers.ts", (m) => new m.ModuleList().length, 0),
  on<typeof import("../src/nn/init.ts")>("nn/init.ts", (m, c) => m.constant_(c.zeros([2]), 3).tolist(), [3, 3]),
  on<typeof import("../src/nn/module_signatures.ts")>("nn/module_signatures.ts", (m) => [m.parametersSignature.parse([]), m.zeroGradSignature.parse([false])], [
    { recurse: true },
    { set_to_none: false },
  ]),
  on<typeof import("../src/nn/signatures.ts")>(
    "nn/signatures.ts",
    (m, c) => [m.tensorKind.test(c.zeros([1])), m.tensorKind.test([0]), m.reductionParameter.name],
    [true, false, "reduction"],
  ),
  on<typeof import("../src/nn/functional/indices.ts")>(
    "nn/functional/indices.ts",
    (m, c) => m.longExpected(c.tensor([1])),
    "expected scalar type Long but found Float",
  ),
  on<typeof import("../src/nn/functional/activation.ts")>("nn/functional/activation.ts", (m, c) => m.sigmoid(c.tensor([0])).tolist(), [0.5]),
  on<typeof import("../src/nn/functional/dropout.ts")>("nn/functional/dropout.ts", (m, c) => m.dropout(c.ones([3]), { training: false }).tolist(), [1, 1, 1]),
  on<typeof import("../src/nn/functional/embedding.ts")>(
    "nn/functional/embedding.ts",
    (m, c) =>
      m
        .embedding(
          c.tensor([1, 0], { dtype: "int64" }),
          c.tensor([
            [1, 2],
            [3, 4],
          ]),
        )
        .tolist(),
    [
      [3, 4],
      [1, 2],
    ],
  ),
  on<typeof import("../src/nn/functional/flatten.ts")>("nn/functional/flatten.ts", (m, c) => m.flatten(c.zeros([2, 3, 4]), { start_dim: 1 }).shape, [2, 12]),
  on<typeof import("../src/nn/functional/linear.ts")>(
    "nn/functional/linear.ts",
    (m, c) => m.linear(c.tensor([[1, 2]]), c.tensor([[3, 4]]), c.tensor([1])).tolist(),
    [[12]],
  ),
  on<typeof import("../src/nn/functional/normalization.ts")>(
    "nn/functional/normalization.ts",
    (m, c) => m.layer_norm(c.tensor([[1, 3]], { dtype: "float64" }), 2, { eps: 0 }).tolist(),
    [[-1, 1]],
  ),
  on<typeof import("../src/nn/functional/index.ts")>("nn/functional/index.ts", (m, c) => m.mse_loss(c.tensor([1, 3]), c.tensor([1, 1])).item(), 2),
  on<typeof import("../src/nn/layers/linear.ts")>(
    "nn/layers/linear.ts",
    (m, c) => {
      const layer = new m.Linear(2, 1);
      layer.weight.data.data.set([3, 4]);
      layer.bias!.data.data.set([1]);
      return layer.forward(c.tensor([[1, 2]])).tolist();
    },
    [[12]],
  ),
  on<typeof import("../src/nn/layers/activation.ts")>("nn/layers/activation.ts", (m, c) => new m.ReLU().forward(c.tensor([-1, 1])).tolist(), [0, 1]),
  on<typeof import("../src/nn/layers/dropout.ts")>(
    "nn/layers/dropout.ts",
    (m, c) =>
      new m.Dropout(0.5)
        .eval()
        .forward(c.ones([2]))
        .tolist(),
    [1, 1],
  ),
  on<typeof import("../src/nn/layers/embedding.ts")>(
    "nn/layers/embedding.ts",
    (m, c) => new m.Embedding(4, 3).forward(c.tensor([0, 2], { dtype: "int64" })).shape,
    [2, 3],
  ),
  on<typeof import("../src/nn/layers/flatten.ts")>("nn/layers/flatten.ts", (m, c) => new m.Flatten().forward(c.zeros([2, 3, 4])).shape, [2, 12]),
  on<typeof import("../src/nn/layers/normalization.ts")>(
    "nn/layers/normalization.ts",
    (m, c) => new m.BatchNorm1d(1, { eps: 0 }).forward(c.tensor([[1], [3]], { dtype: "float64" })).tolist(),
    [[-1], [1]],
  ),
  on<typeof import("../src/nn/losses/reduction.ts")>("nn/losses/reduction.ts", (m) => m.checkReduction("sum"), "sum"),
  on<typeof import("../src/nn/losses/mse.ts")>("nn/losses/mse.ts", (m, c) => new m.MSELoss().forward(c.tensor([1, 3]), c.tensor([1, 1])).item(), 2),
  on<typeof import("../src/nn/losses/l1.ts")>("nn/losses/l1.ts", (m, c) => m.l1_loss(c.tensor([1, 4]), c.tensor([2, 2])).item(), 1.5),
  on<typeof import("../src/nn/losses/smooth_l1.ts")>(
    "nn/losses/smooth_l1.ts",
    (m, c) => m.smooth_l1_loss(c.tensor([0, 3]), c.tensor([0.5, 0])).item(),
    r6(0.0625 + 1.25),
  ),
  on<typeof import("../src/nn/losses/bce.ts")>(
    "nn/losses/bce.ts",
    (m, c) => r6(m.binary_cross_entropy(c.tensor([0.5]), c.tensor([1])).item()),
    r6(Math.log(2)),
  ),
  on<typeof import("../src/nn/losses/nll.ts")>(
    "nn/losses/nll.ts",
    (m, c) =>
      m
        .nll_loss(
          c.tensor([
            [-1, -2],
            [-3, -4],
          ]),
          c.tensor([1, 0], { dtype: "int64" }),
        )
        .item(),
    2.5,
  ),
  on<typeof import("../src/nn/losses/cross_entropy.ts")>(
    "nn/losses/cross_entropy.ts",
    (m, c) => r6(m.cross_entropy(c.tensor([[0, 0]], { dtype: "float64" }), c.tensor([1], { dtype: "int64" })).item()),
    r6(Math.log(2)),
  ),
  on<typeof import("../src/nn/losses/kl_div.ts")>(
    "nn/losses/kl_div.ts",
    (m, c) => m.kl_div(c.tensor([0, 0]), c.tensor([1, 1]), { reduction: "sum" }).item(),
    0,
  ),
  on<typeof import("../src/nn/utils/clip_grad.ts")>(
    "nn/utils/clip_grad.ts",
    (m, c) => {
      const p = c.tensor([0, 0], { requires_grad: true });
      p.grad = c.tensor([3, 4]);
      return m.clip_grad_norm_([p], 1).item();
    },
    5,
  ),
  on<typeof import("../src/nn/utils/convert_parameters.ts")>(
    "nn/utils/convert_parameters.ts",
    (m, c) => m.parameters_to_vector([c.tensor([[1, 2]]), c.tensor([3])]).tolist(),
    [1, 2, 3],
  ),
  on<typeof import("../src/nn/utils/index.ts")>("nn/utils/index.ts", (m, c) => m.parameters_to_vector([c.tensor([1])]).tolist(), [1]),
  on<typeof import("../src/nn/index.ts")>("nn/index.ts", (m, c) => new m.Sequential(new m.Identity()).forward(c.tensor([7])).tolist(), [7]),
  // optim
  ...[
    ["sgd.ts", "SGD"],
    ["adam.ts", "Adam"],
    ["adamw.ts", "AdamW"],
    ["adamax.ts", "Adamax"],
    ["adagrad.ts", "Adagrad"],
    ["adadelta.ts", "Adadelta"],
    ["rmsprop.ts", "RMSprop"],
    ["rprop.ts", "Rprop"],
    ["radam.ts", "RAdam"],
    ["nadam.ts", "NAdam"],
    ["asgd.ts", "ASGD"],
    ["adafactor.ts", "Adafactor"],
    ["muon.ts", "Muon"],
  ].map(([file, name]) =>
    on<Record<string, new (params: unknown[], options: object) => { step(): void }>>(
      `optim/${file}`,
      (m, c) => {
        // One step from w = [[1, -1]] with gradient [[1, 1]]: every optimizer moves w against
        // the gradient's sign, so both entries decrease.
        const w = c.tensor([[1, -1]], { dtype: "float64", requires_grad: true });
        w.grad = c.tensor([[1, 1]], { dtype: "float64" });
        new m[name!]!([w], { lr: 0.1 }).step();
        const [a, b] = (w.tolist() as number[][])[0]!;
        return [a! < 1, b! < -1];
      },
      [true, true],
    ),
  ),
  // Adafactor's θ pass on θ = [3, 4] with weight decay 1 − γλ = 0.5: Σθ² = 25, then θ = [1.5, 2].
  on<typeof import("../src/optim/adafactor_loops.ts")>(
    "optim/adafactor_loops.ts",
    (m) => {
      const theta = new Float32Array([3, 4]);
      return [m.thetaLoop(m.KEY.float32 | m.KEY.decayed)(theta, 0.5), ...theta];
    },
    [25, 1.5, 2],
  ),
  on<typeof import("../src/optim/sparse_adam.ts")>(
    "optim/sparse_adam.ts",
    (m, c) => {
      const p = c.tensor([1], { requires_grad: true });
      p.grad = c.tensor([1]);
      try {
        new m.SparseAdam([p], { lr: 0.1 }).step();
      } catch (error) {
        return (error as Error).message.startsWith("SparseAdam does not support dense gradients");
      }
      return false;
    },
    true,
  ),
  // θ = [1, 1, 1] with the sparse gradient 1 at 0 and 2 at 2, lr 0.1: θ − 0.1·g = [0.9, 1, 0.8].
  on<typeof import("../src/optim/sparse_steps.ts")>(
    "optim/sparse_steps.ts",
    async (m, c) => {
      const { SparseTensor } = await import("../src/ops/sparse.ts");
      const p = c.tensor([1, 1, 1], { dtype: "float64" });
      const g = new SparseTensor(c.tensor([[0, 2]], { dtype: "int64" }), c.tensor([1, 2], { dtype: "float64" }), [3]);
      m.sgdSparse(p, g, null, { lr: 0.1, momentum: 0, dampening: 0, nesterov: false, maximize: false });
      return (p.tolist() as number[]).map(r6);
    },
    [0.9, 1, 0.8],
  ),
  on<typeof import("../src/optim/lbfgs.ts")>(
    "optim/lbfgs.ts",
    (m, c) => {
      // Minimises (w − 3)²: L-BFGS's line-search-free first step is lr·(−g), then curvature pairs.
      const w = c.tensor([0], { dtype: "float64", requires_grad: true });
      const opt = new m.LBFGS([w], { lr: 1, max_iter: 20, line_search_fn: "strong_wolfe" });
      opt.step(() => {
        opt.zero_grad();
        const loss = w.sub(3).pow(2).sum();
        loss.backward();
        return loss;
      });
      return r6(w.item());
    },
    3,
  ),
  // θ = [1, 2] watched at element 1, g = [−1, −2], d = −g, then θ ← θ + 0.5·d: the recorder reads θ 2 → 3 and g, d.
  on<typeof import("../src/optim/lbfgs_trace.ts")>(
    "optim/lbfgs_trace.ts",
    (m, c) => {
      const p = c.tensor([1, 2], { dtype: "float64" });
      const traces = [0, 1].map(() => ({ watch: [1], elements: [] as Record<string, number>[], scalars: {} }));
      let calls = 0;
      const tracer = { beginStep() {}, endStep() {}, beginIteration: () => ({ scalars: {}, evaluations: [] }), traceFor: () => traces[calls++]! };
      const rec = new m.LBFGSRecorder(tracer, {}, [p], [[0, 1]]);
      rec.beginIteration(1, Float64Array.of(-1, -2), Float64Array.of(1, 2));
      p.data.data[1] = 3;
      rec.moved();
      rec.end({}, {});
      return traces.map((t) => t.elements);
    },
    [[{ theta: 2, theta_after: 3 }], [{ theta: 2, grad: -2, d: 2, theta_after: 3 }]],
  ),
  on<typeof import("../src/optim/optimizer_hooks.ts")>("optim/optimizer_hooks.ts", (m) => typeof m.runStepHooks, "function"),
  on<typeof import("../src/optim/optimizer_state_dict.ts")>(
    "optim/optimizer_state_dict.ts",
    (m, c) => {
      const p = c.tensor([1]);
      return m.packStateDict([{ params: [p], lr: 0.5 }] as never, new Map()).param_groups[0]!.params;
    },
    [0],
  ),
  on<typeof import("../src/optim/checks.ts")>("optim/checks.ts", (m) => m.formatNumber(0.001), "0.001"),
  // A tracer attached and detached; θ = [1, 2, 3] and g = [4, 5, 6] watched at elements 0 and 2 (θ passed twice
  // gets one copy); a "loop" run traced writes through the channel θ + g there, and the channel is emptied after.
  on<typeof import("../src/optim/step_trace.ts")>(
    "optim/step_trace.ts",
    (m) => {
      const optimizer = {};
      const before = m.stepTracerOf(optimizer);
      const tracer: Parameters<typeof m.setStepTracer>[1] = {
        beginStep() {},
        traceFor: () => null,
        beginIteration: () => ({ scalars: {}, evaluations: [] }),
        endStep() {},
      };
      m.setStepTracer(optimizer, tracer);
      const attached = m.stepTracerOf(optimizer) === tracer;
      m.setStepTracer(optimizer, null);
      const theta = Float32Array.of(1, 2, 3);
      const [t, g, again] = m.watchedCopies([0, 2], theta, Float64Array.of(4, 5, 6), theta);
      const trace = { watch: [0, 2], elements: [] as Record<string, number>[], scalars: {} };
      let during: number[] = [];
      m.runTraced(trace, () => {
        during = [...m.traceChannel.watch];
        for (const k of m.traceChannel.watch) m.traceChannel.elements.push({ theta: t[k]!, g: g[k]!, sum: t[k]! + g[k]! });
      });
      return [before, attached, m.stepTracerOf(optimizer), [...t], t instanceof Float32Array, again === t, during, trace.elements, m.traceChannel.watch.length];
    },
    [
      undefined,
      true,
      undefined,
      [1, 3],
      true,
      true,
      [0, 1],
      [
        { theta: 1, g: 4, sum: 5 },
        { theta: 3, g: 6, sum: 9 },
      ],
      0,
    ],
  ),
  on<typeof import("../src/optim/signatures.ts")>("optim/signatures.ts", (m) => [m.pair.test([0.9, 0.999]), m.pair.test(0.9), m.flag.test(null)], [
    true,
    false,
    true,
  ]),
  on<typeof import("../src/optim/load_checks.ts")>(
    "optim/load_checks.ts",
    (m, c) => m.specOfFreshState({ step: 0, exp_avg: c.zeros([2, 3]) }, c.zeros([2, 3])),
    { step: { value: { kind: "count" } }, exp_avg: { value: { kind: "tensor", shape: [2, 3] } } },
  ),
  on<typeof import("../src/optim/lr_scheduler/parameters.ts")>(
    "optim/lr_scheduler/parameters.ts",
    (m) => [m.lastEpochParameter.name, m.perGroup.test([0.1, 0.2]), m.perGroup.test("0.1")],
    ["last_epoch", true, false],
  ),
  on<typeof import("../src/optim/lr_scheduler/scheduler_state.ts")>(
    "optim/lr_scheduler/scheduler_state.ts",
    (m) => m.checkSchedulerState("StepLR", { last_epoch: 0, gamma: 0.1 }, { last_epoch: 3, gamma: 0.5 }, {}),
    { last_epoch: 3, gamma: 0.5 },
  ),
  on<typeof import("../src/optim/hooks.ts")>("optim/hooks.ts", (m) => new m.HookList<() => void>().size, 0),
  on<typeof import("../src/optim/param_group.ts")>(
    "optim/param_group.ts",
    (m, c) => {
      const p = c.tensor([1]);
      const group = { params: [p], lr: 0.5 };
      return [(m.groupInputsOf([p])[0]!.params as unknown[])[0] === p, m.groupInputsOf([group])[0] === group];
    },
    [true, true],
  ),
  // The transpose of [[1, 2], [3, 4]] has the row-major elements [1, 3, 2, 4]; setting the
  // second to 9 and storing it back writes base[1][0].
  on<typeof import("../src/optim/parameter_elements.ts")>(
    "optim/parameter_elements.ts",
    (m, c) => {
      const base = c.tensor([
        [1, 2],
        [3, 4],
      ]);
      const view = base.t();
      const elements = m.elementsOf(view);
      const before = Array.from(elements);
      elements[1] = 9;
      m.storeElements(view, elements);
      return [before, base.tolist(), m.elementsOf(base) === base.data.data];
    },
    [
      [1, 3, 2, 4],
      [
        [1, 2],
        [9, 4],
      ],
      true,
    ],
  ),
  on<typeof import("../src/optim/state_buffer.ts")>(
    "optim/state_buffer.ts",
    (m, c) => [m.stateBuffer(c.zeros([2])).tolist(), m.stateBuffer(c.zeros([1]), 3).tolist()],
    [[0, 0], [3]],
  ),
  on<typeof import("../src/optim/optimizer_repr.ts")>(
    "optim/optimizer_repr.ts",
    (m) => m.optimizerRepr("SGD", [{ params: [], lr: 0.1, nesterov: false, betas: [0.9, 0.99], foreach: null }]),
    "SGD (\nParameter Group 0\n    betas: (0.9, 0.99)\n    foreach: None\n    lr: 0.1\n    nesterov: False\n)",
  ),
  on<typeof import("../src/optim/state_dict.ts")>("optim/state_dict.ts", (m) => m.encodeNumber(Infinity), "inf"),
  on<typeof import("../src/optim/strong_wolfe.ts")>("optim/strong_wolfe.ts", (m) => m.dot(new Float64Array([1, 2]), new Float64Array([3, 4])), 11),
  on<typeof import("../src/optim/optimizer.ts")>(
    "optim/optimizer.ts",
    async (m, c) => {
      const { SGD } = await import("../src/optim/sgd.ts");
      const opt: InstanceType<typeof m.Optimizer> = new SGD([c.tensor([1], { requires_grad: true })], { lr: 0.5 });
      return opt.state_dict().param_groups[0]!.lr;
    },
    0.5,
  ),
  on<typeof import("../src/optim/index.ts")>(
    "optim/index.ts",
    (m, c) => new m.SGD([c.tensor([1], { requires_grad: true })], { lr: 0.5 }).param_groups.length,
    1,
  ),
  ...(
    [
      ["lr_scheduler/lr_scheduler.ts", (m: Record<string, unknown>) => typeof m.LRScheduler, "function"],
      ["lr_scheduler/step_lr.ts", (m: Record<string, unknown>) => (m.stepLrAt as (...a: number[]) => number)(3, 1, 2, 0.5), 0.5],
      [
        "lr_scheduler/multi_step_lr.ts",
        (m: Record<string, unknown>) => (m.multiStepLrAt as (e: number, b: number, ms: number[], g: number) => number)(3, 1, [1, 2], 0.5),
        0.25,
      ],
      ["lr_scheduler/constant_lr.ts", (m: Record<string, unknown>) => (m.constantLrAt as (...a: number[]) => number)(0, 1, 0.5, 2), 0.5],
      ["lr_scheduler/linear_lr.ts", (m: Record<string, unknown>) => (m.linearLrAt as (...a: number[]) => number)(1, 1, 0.5, 1, 2), 0.75],
      ["lr_scheduler/exponential_lr.ts", (m: Record<string, unknown>) => (m.exponentialLrAt as (...a: number[]) => number)(2, 1, 0.5), 0.25],
      ["lr_scheduler/polynomial_lr.ts", (m: Record<string, unknown>) => (m.polynomialLrAt as (...a: number[]) => number)(1, 1, 2, 1), 0.5],
      ["lr_scheduler/cosine_annealing_lr.ts", (m: Record<string, unknown>) => r6((m.cosineAt as (...a: number[]) => number)(5, 1, 0, 10)), 0.5],
      [
        "lr_scheduler/cosine_annealing_warm_restarts.ts",
        (m: Record<string, unknown>) => (m.warmRestartPosition as (...a: number[]) => { T_cur: number })(7, 5, 1).T_cur,
        2,
      ],
      ["lr_scheduler/cyclic_lr.ts", (m: Record<string, unknown>) => (m.cyclePosition as (...a: number[]) => { cycle: number })(5, 4, 0.5).cycle, 2],
      ["lr_scheduler/one_cycle_lr.ts", (m: Record<string, unknown>) => (m.annealingLinear as (...a: number[]) => number)(0, 1, 0.25), 0.25],
      ["lr_scheduler/reduce_lr_on_plateau.ts", (m: Record<string, unknown>) => (m.isBetter as (...a: unknown[]) => boolean)(1, 2, "min", "abs", 0), true],
    ] as const
  ).map(([file, run, expected]) => on<Record<string, unknown>>(`optim/${file}`, run, expected)),
  ...["lambda_lr.ts:LambdaLR", "multiplicative_lr.ts:MultiplicativeLR"].map((spec) => {
    const [file, name] = spec.split(":") as [string, string];
    return on<Record<string, new (opt: unknown, f: (e: number) => number) => { get_last_lr(): number[] }>>(
      `optim/lr_scheduler/${file}`,
      async (m, c) => {
        const { SGD } = await import("../src/optim/sgd.ts");
        return new m[name]!(new SGD([c.tensor([1], { requires_grad: true })], { lr: 1 }), () => 0.5).get_last_lr();
      },
      // LambdaLR starts at lr·f(0) = 0.5; MultiplicativeLR's first lr is the base lr.
      name === "LambdaLR" ? [0.5] : [1],
    );
  }),
  ...["sequential_lr.ts:SequentialLR", "chained_scheduler.ts:ChainedScheduler", "index.ts:lr_scheduler"].map((spec) => {
    const [file, name] = spec.split(":") as [string, string];
    return on<Record<string, unknown>>(
      `optim/lr_scheduler/${file}`,
      async (m, c) => {
        const { SGD } = await import("../src/optim/sgd.ts");
        const { StepLR } = await import("../src/optim/lr_scheduler/step_lr.ts");
        const opt = new SGD([c.tensor([1], { requires_grad: true })], { lr: 1 });
        const step = new StepLR(opt, 1, { gamma: 0.5 });
        if (name === "lr_scheduler") return typeof (m.lr_scheduler as Record<string, unknown>).StepLR;
        const Scheduler = m[name] as new (...args: unknown[]) => { step(): void; get_last_lr(): number[] };
        const s = name === "SequentialLR" ? new Scheduler(opt, [step], []) : new Scheduler([step]);
        s.step();
        return s.get_last_lr();
      },
      name === "lr_scheduler" ? "function" : [0.5],
    );
  }),
  on<typeof import("../src/optim/swa_utils/averaging.ts")>(
    "optim/swa_utils/averaging.ts",
    (m, c) =>
      m
        .get_swa_avg_fn()(c.tensor([0]), c.tensor([4]), 1)
        .tolist(),
    [2],
  ),
  on<typeof import("../src/optim/swa_utils/deepcopy.ts")>(
    "optim/swa_utils/deepcopy.ts",
    async (m) => {
      const { Linear } = await import("../src/nn/layers/linear.ts");
      const a = new Linear(1, 1);
      return m.deepcopyModule(a).weight === a.weight;
    },
    false,
  ),
  on<typeof import("../src/optim/swa_utils/averaged_model.ts")>(
    "optim/swa_utils/averaged_model.ts",
    async (m) => {
      const { Linear } = await import("../src/nn/layers/linear.ts");
      const model = new m.AveragedModel(new Linear(1, 1));
      return model.n_averaged.item();
    },
    0,
  ),
  on<typeof import("../src/optim/swa_utils/swalr.ts")>(
    "optim/swa_utils/swalr.ts",
    async (m, c) => {
      const { SGD } = await import("../src/optim/sgd.ts");
      return new m.SWALR(new SGD([c.tensor([1], { requires_grad: true })], { lr: 1 }), 0.5, { anneal_epochs: 0 }).get_last_lr();
    },
    [0.5],
  ),
  on<typeof import("../src/optim/swa_utils/update_bn.ts")>(
    "optim/swa_utils/update_bn.ts",
    async (m, c) => {
      const { BatchNorm1d } = await import("../src/nn/layers/normalization.ts");
      const bn = new BatchNorm1d(1);
      m.update_bn([c.tensor([[1], [3]])], bn);
      return bn.running_mean!.tolist();
    },
    [2],
  ),
  on<typeof import("../src/optim/swa_utils/index.ts")>("optim/swa_utils/index.ts", (m) => typeof m.SWALR, "function"),
  // data
  on<typeof import("../src/utils/data/dataset.ts")>("utils/data/dataset.ts", (m, c) => new m.TensorDataset(c.arange(3)).length, 3),
  on<typeof import("../src/utils/data/dataloader.ts")>(
    "utils/data/dataloader.ts",
    async (m, c) => {
      const { TensorDataset } = await import("../src/utils/data/dataset.ts");
      return [...new m.DataLoader(new TensorDataset(c.arange(4)), { batch_size: 2 })].map((b) => (b as { tolist(): unknown }[])[0]!.tolist());
    },
    [
      [0, 1],
      [2, 3],
    ],
  ),
  on<typeof import("../src/utils/data/datasets.ts")>("utils/data/datasets.ts", (m) => m.load_iris().data.shape, [150, 4]),
  on<typeof import("../src/utils/data/index.ts")>("utils/data/index.ts", (m) => m.make_moons({ n_samples: 10 })[0].shape, [10, 2]),
  on<typeof import("../src/utils/index.ts")>("utils/index.ts", (m, c) => new m.data.TensorDataset(c.arange(2)).length, 2),
  // plotting and the entry point
  on<typeof import("../src/plotting/terminal.ts")>("plotting/terminal.ts", (m) => m.terminalChart([1, 2, 3], { height: 2 }).split("\n").length, 3),
  on<typeof import("../src/plotting/line_chart.ts")>(
    "plotting/line_chart.ts",
    async (m) => (await m.lineChart([{ name: "loss", x: [0, 1, 2], y: [3, 2, 1] }])).startsWith("<svg"),
    true,
  ),
  on<typeof import("../src/plotting/svg_renderer.ts")>("plotting/svg_renderer.ts", (m) => typeof m.renderSVG, "function"),
  on<typeof import("../src/lab/preview_schedule.ts")>(
    "lab/preview_schedule.ts",
    async (m) => {
      const { StepLR } = await import("../src/optim/lr_scheduler/step_lr.ts");
      return m.preview_schedule((opt) => new StepLR(opt, 2, { gamma: 0.5 }), { steps: 4, groups: [{ lr: 1 }] }).group(0);
    },
    [1, 1, 0.5, 0.5],
  ),
  on<typeof import("../src/lab/index.ts")>("lab/index.ts", (m) => typeof m.preview_schedule, "function"),
  // SGD with lr 0.1 on θ = [1, 3] with gradient [2, 2]: θ − 0.1·g = [0.8, 2.8], the second element watched.
  on<typeof import("../src/lab/inspect.ts")>(
    "lab/inspect.ts",
    async (m, c) => {
      const { SGD } = await import("../src/optim/sgd.ts");
      const w = c.tensor([1, 3], { dtype: "float64", requires_grad: true });
      const opt = new SGD([w], 0.1);
      const inspector = m.inspect(opt, { indices: [1] });
      w.grad = c.tensor([2, 2], { dtype: "float64" });
      opt.step();
      const terms = inspector.steps[0]!.params[0]!.elements[0]!.terms;
      return [terms.g, r6(terms.theta_after!)];
    },
    [2, 2.8],
  ),
  on<typeof import("../src/lab/inspect_terms.ts")>(
    "lab/inspect_terms.ts",
    async (m, c) => {
      const { Optimizer } = await import("../src/optim/optimizer.ts");
      const { RMSprop } = await import("../src/optim/rmsprop.ts");
      class Mine extends Optimizer {}
      const traced = m.termTableOf(new RMSprop([c.zeros([1])])).order.includes("avg");
      try {
        m.termTableOf(new Mine([c.zeros([1])], { lr: 0.1 }));
      } catch (error) {
        return [traced, (error as Error).message.split(" (")[0]];
      }
      return [traced, "no error"];
    },
    [true, "lab.inspect does not trace Mine"],
  ),
  on<typeof import("../src/lab/terms_common.ts")>("lab/terms_common.ts", (m) => Object.keys(m.common("theta", "lr")), ["theta", "lr"]),
  on<typeof import("../src/lab/terms_adam_family.ts")>("lab/terms_adam_family.ts", (m) => m.NADAM_TERMS.order.includes("theta_mid"), true),
  on<typeof import("../src/lab/terms_adaptive.ts")>("lab/terms_adaptive.ts", (m) => m.ADAGRAD_TERMS.order.at(-1), "theta_after"),
  on<typeof import("../src/lab/terms_sgd_family.ts")>("lab/terms_sgd_family.ts", (m) => m.RPROP_TERMS.order.includes("eta"), true),
  on<typeof import("../src/lab/terms_matrix.ts")>("lab/terms_matrix.ts", (m) => [m.MUON_TERMS.order.includes("o"), m.ADAFACTOR_TERMS.order.includes("vhat")], [
    true,
    true,
  ]),
  on<typeof import("../src/lab/terms_lbfgs.ts")>("lab/terms_lbfgs.ts", (m) => m.LBFGS_TERMS.order, ["theta", "grad", "d", "theta_after"]),
  // exp ramp from 1e-3 to 1 over 4 steps at k = 2: 1e-3·1000^(2/3) = 0.1; linear over 3 at k = 1: 0.5; 0.25·2 + 0.75·1 = 1.25.
  on<typeof import("../src/lab/lr_finder_rules.ts")>(
    "lab/lr_finder_rules.ts",
    (m) => [m.rampLr("exp", 1e-3, 1, 2, 4), m.rampLr("linear", 0, 1, 1, 3), m.smoothLoss(2, 1, 0.25)].map(r6),
    [0.1, 0.5, 1.25],
  ),
  // The smoothed curve is least at lr 0.1, so the minimum rule suggests 0.1 / 10.
  on<typeof import("../src/lab/lr_finder_result.ts")>(
    "lab/lr_finder_result.ts",
    (m) => {
      const lr = [1e-3, 1e-2, 1e-1, 1];
      const r = new m.LRFinderResult({
        lr,
        lrs: lr.map((x) => [x]),
        loss: [3, 2, 1, 2],
        smoothed: [3, 2, 1, 2],
        best_loss: 1,
        diverged: false,
        stop_reason: null,
        step_mode: "exp",
        num_iter: 4,
        skip_start: 0,
        skip_end: 0,
      });
      return r6(r.suggestions.minimum.lr!);
    },
    0.01,
  ),
  on<typeof import("../src/lab/snapshot.ts")>(
    "lab/snapshot.ts",
    async (m, c) => {
      const { Linear } = await import("../src/nn/layers/linear.ts");
      const { SGD } = await import("../src/optim/sgd.ts");
      const model = new Linear(1, 1);
      model.weight.data.data.fill(2);
      const restore = m.saveTrainingState(model, new SGD(model.parameters(), 0.1), []);
      model.weight.data.data.fill(5);
      restore();
      return [model.weight.tolist(), c.zeros([1]).tolist()];
    },
    [[[2]], [0]],
  ),
  // The exp ramp from 1e-3 to 1e-1 in 3 steps: 1e-3, 1e-2, 1e-1.
  on<typeof import("../src/lab/lr_finder.ts")>(
    "lab/lr_finder.ts",
    async (m, c) => {
      const { Linear } = await import("../src/nn/layers/linear.ts");
      const { MSELoss } = await import("../src/nn/losses/mse.ts");
      const { SGD } = await import("../src/optim/sgd.ts");
      const model = new Linear(1, 1);
      const batch = [c.tensor([[1], [2]]), c.tensor([[2], [4]])] as const;
      const result = m.lr_finder(model, new SGD(model.parameters(), 0.1), new MSELoss(), [batch], { start_lr: 1e-3, end_lr: 1e-1, num_iter: 3 });
      return result.lr.map(r6);
    },
    [0.001, 0.01, 0.1],
  ),
  on<typeof import("../src/plotting/node.ts")>(
    "plotting/node.ts",
    async (m) => {
      const { mkdtempSync, readFileSync } = await import("node:fs");
      const { tmpdir } = await import("node:os");
      const path = join(mkdtempSync(join(tmpdir(), "gradlab-isolation-")), "a", "b.svg");
      m.saveSVG(path, "<svg/>");
      return readFileSync(path, "utf8");
    },
    "<svg/>",
  ),
  on<typeof import("../src/testing/index.ts")>(
    "testing/index.ts",
    (m) => {
      const x = m.make_tensor([200], { dtype: "int64", low: 2, high: 5 });
      const values = new Set(x.tolist() as number[]);
      return [x.dtype, [...values].sort()];
    },
    ["int64", [2, 3, 4]],
  ),
  on<typeof import("../src/testing/make_tensor.ts")>(
    "testing/make_tensor.ts",
    (m) => (m.make_tensor([100], { dtype: "float64", low: -1, high: 1 }).abs().max().item() as number) < 1,
    true,
  ),
  // |2.5 − 2| = 0.5 > 1e-5 + 1.3e-6·2: float32's default tolerances reject it.
  on<typeof import("../src/testing/assert_close.ts")>(
    "testing/assert_close.ts",
    (m, c) => {
      m.assert_close(c.tensor([1, 2]), [1, 2]);
      try {
        m.assert_close(c.tensor([1, 2.5]), c.tensor([1, 2]));
      } catch (e) {
        return (e as Error).message.split("\n")[0];
      }
      return "passed";
    },
    "Tensor-likes are not close!",
  ),
  on<typeof import("../src/plotting/index.ts")>("plotting/index.ts", (m) => typeof m.lineChart, "function"),
  on<typeof import("../src/index.ts")>("index.ts", (m) => m.tensor([1, 2]).add(1).tolist(), [2, 3]),
];

const srcRoot = fileURLToPath(new URL("../src/", import.meta.url));
const listModules = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? listModules(p) : p.endsWith(".ts") ? [relative(srcRoot, p)] : [];
    });

describe("every src/ module on its own", () => {
  it("has a case for every module, and only for modules that exist", () => {
    const modules = listModules(srcRoot);
    expect(cases.map((c) => c.module).sort()).toEqual(modules);
  });

  it("imports into a fresh module graph (no methods attached by other cases)", async () => {
    vi.resetModules();
    await import("../src/index.ts");
    vi.resetModules();
    const { Tensor } = await import("../src/tensor/tensor.ts");
    expect("add" in Tensor.prototype).toBe(false);
  });

  for (const c of cases) {
    it(c.module, async () => {
      vi.resetModules();
      const m = (await import(join(srcRoot, c.module))) as never;
      const creation = await import("../src/tensor/creation.ts");
      const value = await c.run(m, creation);
      expect(typeof value === "number" ? r6(value) : value).toEqual(c.expected);
    });
  }
});
