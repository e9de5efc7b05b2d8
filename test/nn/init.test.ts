import { describe, expect, it } from "vitest";
import { Generator, empty, manual_seed, nn, testing, type Tensor } from "gradlab";
import { fixture } from "../helpers.ts";

const values = (t: Tensor): number[] => Array.from(t.toTypedArray());
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]): number => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};
const maxAbs = (xs: number[]): number => xs.reduce((a, b) => Math.max(a, Math.abs(b)), 0);

// 256·128 = 32768 samples: the sample std of n draws has relative standard error ≈ 1/√(2n) ≈ 0.4%,
// so a 2% tolerance is five standard errors wide and cannot flake; a wrong formula is off by ≥ 10%.
const SHAPE = [256, 128];
const big = (dtype: "float32" | "float64" = "float64") => empty(SHAPE, { dtype });

describe("nn.init.calculate_gain", () => {
  // expected values: tools/fixtures/nn.py (torch.nn.init.calculate_gain)
  const gains = fixture<{ cases: { gains: Record<string, number> }[] }>("nn/module").cases[0]!.gains;
  it.each(["linear", "conv2d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"] as const)("%s matches PyTorch", (name) => {
    expect(nn.init.calculate_gain(name)).toBe(gains[name]);
  });
  it("leaky_relu uses the given negative slope", () => {
    expect(nn.init.calculate_gain("leaky_relu", { param: 0.2 })).toBe(gains["leaky_relu_0.2"]);
    expect(nn.init.calculate_gain("leaky_relu", { param: Math.sqrt(5) })).toBe(gains.leaky_relu_sqrt5);
  });
  it("refuses an unknown nonlinearity", () => {
    expect(() => nn.init.calculate_gain("swish" as "relu")).toThrow("Unsupported nonlinearity swish");
  });
});

describe("nn.init uniform-type initialisers stay inside their bound", () => {
  // fan_in = 128, fan_out = 256.
  it.each([
    ["kaiming_uniform_ (a=0, leaky_relu)", (t: Tensor) => nn.init.kaiming_uniform_(t), Math.sqrt(2 / 1.0) * Math.sqrt(3 / 128)],
    ["kaiming_uniform_ (a=√5): Linear's bound 1/√fan_in", (t: Tensor) => nn.init.kaiming_uniform_(t, { a: Math.sqrt(5) }), 1 / Math.sqrt(128)],
    ["kaiming_uniform_ fan_out relu", (t: Tensor) => nn.init.kaiming_uniform_(t, { mode: "fan_out", nonlinearity: "relu" }), Math.sqrt(2) * Math.sqrt(3 / 256)],
    ["xavier_uniform_ gain 2", (t: Tensor) => nn.init.xavier_uniform_(t, { gain: 2 }), 2 * Math.sqrt(6 / (128 + 256))],
    ["uniform_(-0.3, 0.7)", (t: Tensor) => nn.init.uniform_(t, { a: -0.3, b: 0.7 }), 0.7],
  ])("%s", (_name, init, bound) => {
    // kaiming with a = 0: gain = √(2/(1+0²)); bound = gain·√3/√fan. U(−b, b) has std b/√3.
    const xs = values(init(big()));
    expect(maxAbs(xs)).toBeLessThanOrEqual(bound);
    expect(maxAbs(xs)).toBeGreaterThan(0.99 * bound);
    if (bound !== 0.7) expect(Math.abs(std(xs) / (bound / Math.sqrt(3)) - 1)).toBeLessThan(0.02);
    else expect(Math.abs(mean(xs) - 0.2)).toBeLessThan(0.01); // mean of U(−0.3, 0.7) is 0.2, standard error 0.0016
  });
  it("float32 values stay inside the float32-rounded bound", () => {
    const xs = values(nn.init.kaiming_uniform_(big("float32"), { a: Math.sqrt(5) }));
    expect(maxAbs(xs)).toBeLessThanOrEqual(Math.fround(1 / Math.sqrt(128)));
  });
});

describe("nn.init normal-type initialisers have the formula's std", () => {
  it.each([
    ["kaiming_normal_ (fan_in, leaky_relu a=0)", (t: Tensor) => nn.init.kaiming_normal_(t), Math.sqrt(2) / Math.sqrt(128)],
    ["kaiming_normal_ fan_out", (t: Tensor) => nn.init.kaiming_normal_(t, { mode: "fan_out" }), Math.sqrt(2) / Math.sqrt(256)],
    ["xavier_normal_", (t: Tensor) => nn.init.xavier_normal_(t), Math.sqrt(2 / (128 + 256))],
    ["normal_(std 3)", (t: Tensor) => nn.init.normal_(t, { mean: 0, std: 3 }), 3],
  ])("%s", (_name, init, expectedStd) => {
    const xs = values(init(big()));
    expect(Math.abs(std(xs) / expectedStd - 1)).toBeLessThan(0.02);
    // the mean of n = 32768 draws has standard error std/181; 0.03·std is over five of them
    expect(Math.abs(mean(xs))).toBeLessThan(0.03 * expectedStd);
  });
  it("trunc_normal_ stays in [a, b] with the truncated normal's mean and std", () => {
    // N(0, 1) truncated to [−2, 2]: Z = Φ(2) − Φ(−2) = 0.9544997361036416, φ(2) = 0.05399096651318806,
    // var = 1 + (a·φ(a) − b·φ(b))/Z = 1 − 4·φ(2)/Z = 0.7737413..., std = 0.8796256...
    const xs = values(nn.init.trunc_normal_(big()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...xs)).toBeLessThanOrEqual(2);
    expect(Math.abs(std(xs) / Math.sqrt(1 - (4 * 0.05399096651318806) / 0.9544997361036416) - 1)).toBeLessThan(0.02);
    expect(Math.abs(mean(xs))).toBeLessThan(0.03);
  });
  it("trunc_normal_ with a shifted window", () => {
    // N(1, 0.5²) on [0.5, 3]: every value in the window
    const xs = values(nn.init.trunc_normal_(big(), { mean: 1, std: 0.5, a: 0.5, b: 3 }));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0.5);
    expect(Math.max(...xs)).toBeLessThanOrEqual(3);
  });
});

describe("nn.init.orthogonal_", () => {
  const product = (t: Tensor, transposeFirst: boolean): number[][] => {
    const [r, c] = [t.shape[0]!, t.shape[1]!];
    const a = t.tolist() as number[][];
    const n = transposeFirst ? c : r;
    const k = transposeFirst ? r : c;
    return Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => {
        let s = 0;
        for (let p = 0; p < k; p++) s += transposeFirst ? a[p]![i]! * a[p]![j]! : a[i]![p]! * a[j]![p]!;
        return s;
      }),
    );
  };
  const identity = (n: number, scale = 1) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? scale : 0)));
  it("a wide matrix has orthonormal rows: Q·Qᵀ = I", () => {
    testing.assert_close(product(nn.init.orthogonal_(empty([3, 7], { dtype: "float64" })), false), identity(3), { rtol: 0, atol: 1e-13 });
  });
  it("a tall matrix has orthonormal columns: Qᵀ·Q = I", () => {
    testing.assert_close(product(nn.init.orthogonal_(empty([7, 3], { dtype: "float64" })), true), identity(3), { rtol: 0, atol: 1e-13 });
  });
  it("gain scales Q: Q·Qᵀ = gain²·I", () => {
    testing.assert_close(product(nn.init.orthogonal_(empty([4, 4], { dtype: "float64" }), { gain: 2 }), false), identity(4, 4), {
      rtol: 0,
      atol: 1e-12,
    });
  });
  it("refuses a 1-d tensor", () => {
    expect(() => nn.init.orthogonal_(empty(3))).toThrow("Only tensors with 2 or more dimensions are supported");
  });
});

describe("nn.init errors, constants and seeding", () => {
  it("fans need two dims", () => {
    expect(() => nn.init.xavier_uniform_(empty(4))).toThrow("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
  });
  it("an unknown mode is refused", () => {
    expect(() => nn.init.kaiming_uniform_(empty([2, 2]), { mode: "fan_avg" as "fan_in" })).toThrow(
      "Mode fan_avg not supported, please use one of fan_in, fan_out",
    );
  });
  it("constant_, zeros_, ones_ and eye_ fill as named", () => {
    expect(nn.init.constant_(empty([2]), 0.5).tolist()).toEqual([0.5, 0.5]);
    expect(nn.init.zeros_(empty([2])).tolist()).toEqual([0, 0]);
    expect(nn.init.ones_(empty([2])).tolist()).toEqual([1, 1]);
    expect(nn.init.eye_(empty([2, 3])).tolist()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
  });
  it("initialisers change the tensor in place and bump its version", () => {
    const t = empty([2, 2]);
    const version = t._version;
    expect(nn.init.normal_(t)).toBe(t);
    expect(t._version).toBe(version + 1);
  });
  it("the same seed gives the same Linear weights; a generator option overrides the default", () => {
    manual_seed(7);
    const a = new nn.Linear(4, 3);
    manual_seed(7);
    const b = new nn.Linear(4, 3);
    expect(b.weight.tolist()).toEqual(a.weight.tolist());
    expect(b.bias!.tolist()).toEqual(a.bias!.tolist());
    const c = new nn.Linear(4, 3, { generator: new Generator(7) });
    expect(c.weight.tolist()).toEqual(a.weight.tolist());
  });
  it("Linear starts inside ±1/√in_features for weight and bias", () => {
    const fc = new nn.Linear(50, 400);
    const bound = Math.fround(1 / Math.sqrt(50));
    expect(maxAbs(values(fc.weight))).toBeLessThanOrEqual(bound);
    expect(maxAbs(values(fc.bias!))).toBeLessThanOrEqual(bound);
    // 20000 weights: std of U(−b, b) is b/√3 (standard error 0.5%)
    expect(Math.abs(std(values(fc.weight)) / (bound / Math.sqrt(3)) - 1)).toBeLessThan(0.03);
  });
  it("Embedding starts N(0, 1) with a zero padding row", () => {
    const emb = new nn.Embedding(2000, 10, { padding_idx: 3 });
    const w = emb.weight.tolist() as number[][];
    expect(w[3]).toEqual(new Array(10).fill(0));
    expect(Math.abs(std(values(emb.weight)) - 1)).toBeLessThan(0.03);
  });
});
