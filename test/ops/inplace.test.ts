import { describe, expect, it } from "vitest";
import { Generator, type Tensor, manual_seed, randn, tensor, testing, zeros } from "gradlab";
import { TOL } from "../helpers.ts";

// Each in-place op must leave exactly what its out-of-place form returns (those are
// checked against PyTorch in elementwise.test.ts), bump the version once, and keep the
// tensor's identity and memory.
const pairs: [string, (t: Tensor) => Tensor, (t: Tensor) => Tensor][] = (() => {
  manual_seed(5);
  const a = randn([2, 3], { dtype: "float64" });
  const b = randn([3], { dtype: "float64" }).abs().add(0.5);
  return [
    ["add_ alpha", (t) => t.add_(b, { alpha: -0.5 }), (t) => t.add(b, { alpha: -0.5 })],
    ["sub_", (t) => t.sub_(b), (t) => t.sub(b)],
    ["mul_", (t) => t.mul_(b), (t) => t.mul(b)],
    ["div_", (t) => t.div_(b), (t) => t.div(b)],
    ["addcmul_", (t) => t.addcmul_(a, b, { value: 0.3 }), (t) => t.addcmul(a, b, { value: 0.3 })],
    ["addcdiv_", (t) => t.addcdiv_(a, b, { value: -2 }), (t) => t.addcdiv(a, b, { value: -2 })],
    ["lerp_ number", (t) => t.lerp_(a, 0.25), (t) => t.lerp(a, 0.25)],
    ["lerp_ tensor", (t) => t.lerp_(a, b), (t) => t.lerp(a, b)],
    ["sqrt_", (t) => t.abs().sqrt_(), (t) => t.abs().sqrt()],
    ["clamp_", (t) => t.clamp_({ min: -0.2, max: 0.3 }), (t) => t.clamp({ min: -0.2, max: 0.3 })],
    ["clamp_ tensor bounds", (t) => t.clamp_({ min: b.neg(), max: b.mul(0.1) }), (t) => t.clamp({ min: b.neg(), max: b.mul(0.1) })],
    ["zero_", (t) => t.zero_(), (t) => t.mul(0)],
    ["fill_", (t) => t.fill_(2.5), (t) => t.mul(0).add(2.5)],
    ["copy_", (t) => t.copy_(b), () => b.expand([2, 3])],
    ["relu_", (t) => t.relu_(), (t) => t.relu()],
    ["leaky_relu_", (t) => t.leaky_relu_(0.1), (t) => t.leaky_relu(0.1)],
  ];
})();

describe("in-place ops", () => {
  it.each(pairs)("%s matches its out-of-place form and bumps the version once", (_name, inPlace, outOfPlace) => {
    manual_seed(9);
    const x = randn([2, 3], { dtype: "float64" });
    const expected = outOfPlace(x.clone());
    const before = x._version;
    const result = inPlace(x);
    if (result === x) {
      expect(x._version).toBe(before + 1);
      testing.assert_close(x, expected, { ...TOL.float64, equal_nan: true });
    } else {
      // sqrt_ acts on the fresh tensor x.abs(); compare that one.
      testing.assert_close(result, expected, { ...TOL.float64, equal_nan: true });
    }
  });

  it("works through a transposed (non-contiguous) view and writes the shared memory", () => {
    const base = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { dtype: "float64" },
    );
    const view = base.t();
    view.mul_(tensor([10, 100], { dtype: "float64" }));
    expect(base.tolist()).toEqual([
      [10, 20, 30],
      [400, 500, 600],
    ]);
  });
});

describe("random fills", () => {
  it("uniform_ draws a + (b − a)·u from the seeded stream", () => {
    const g = new Generator(3);
    const ref = new Generator(3);
    const t = zeros(5, { dtype: "float64" }).uniform_(-2, 4, { generator: g });
    expect(t.tolist()).toEqual(Array.from({ length: 5 }, () => -2 + 6 * ref.uniform()));
  });

  it("normal_ draws mean + std·z from the seeded stream", () => {
    const g = new Generator(4);
    const ref = new Generator(4);
    const t = zeros(4, { dtype: "float64" }).normal_(1, 0.5, { generator: g });
    expect(t.tolist()).toEqual(Array.from({ length: 4 }, () => 1 + 0.5 * ref.normal()));
  });

  it("uniform_ fills a transposed view in its row-major order", () => {
    const base = zeros([2, 3], { dtype: "float64" });
    base.t().uniform_(0, 1, { generator: new Generator(1) });
    const ref = new Generator(1);
    const u = Array.from({ length: 6 }, () => ref.uniform());
    // The view's row-major order walks the base column by column.
    expect(base.tolist()).toEqual([
      [u[0], u[2], u[4]],
      [u[1], u[3], u[5]],
    ]);
  });

  it("refuses a bad range with PyTorch's messages", () => {
    expect(() => zeros(2).uniform_(1, 0)).toThrow("uniform_ expects to return a [from, to) range, but found from=1 > to=0");
    expect(() => zeros(2).normal_(0, -1)).toThrow("normal expects std >= 0.0, but found std -1");
  });
});
