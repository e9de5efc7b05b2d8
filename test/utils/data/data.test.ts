import { describe, expect, it } from "vitest";
import { Generator, arange, manual_seed, tensor, utils } from "gradlab";

const { DataLoader, TensorDataset } = utils.data;

describe("TensorDataset", () => {
  const ds = new TensorDataset(
    tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]),
    tensor([0, 1, 2], { dtype: "int64" }),
  );
  it("returns row i of every tensor", () => {
    const [x, y] = ds.get(2);
    expect(x!.tolist()).toEqual([5, 6]);
    expect(y!.item()).toBe(2);
    expect(y!.dtype).toBe("int64");
  });
  it("counts from the end for negative indices and refuses indices out of range", () => {
    expect(ds.get(-1)[0]!.tolist()).toEqual([5, 6]);
    expect(() => ds.get(3)).toThrow("index 3 is out of bounds for dimension 0 with size 3");
  });
  it("refuses tensors of different lengths", () => {
    expect(() => new TensorDataset(tensor([1, 2]), tensor([1, 2, 3]))).toThrow("Size mismatch between tensors");
  });
});

describe("DataLoader", () => {
  const ds = new TensorDataset(arange(0, 10, 1, { dtype: "float32" }), arange(10));
  const firstColumn = (loader: Iterable<unknown>) => [...loader].map((b) => (b as [{ tolist(): number[] }])[0].tolist());
  it("yields batches in order, the last one short", () => {
    expect(firstColumn(new DataLoader(ds, { batch_size: 4 }))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
  });
  it("drop_last drops the short batch", () => {
    const loader = new DataLoader(ds, { batch_size: 4, drop_last: true });
    expect(loader.length).toBe(2);
    expect(firstColumn(loader)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
  });
  it("shuffle visits every index once per epoch, in an order fixed by the seed", () => {
    const epoch = (seed: number) => firstColumn(new DataLoader(ds, { batch_size: 3, shuffle: true, generator: new Generator(seed) })).flat();
    const a = epoch(1);
    expect([...a].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(epoch(1)).toEqual(a);
    expect(epoch(2)).not.toEqual(a);
  });
  it("without a generator, shuffling draws from the default generator (manual_seed)", () => {
    manual_seed(3);
    const a = firstColumn(new DataLoader(ds, { batch_size: 10, shuffle: true }));
    manual_seed(3);
    expect(firstColumn(new DataLoader(ds, { batch_size: 10, shuffle: true }))).toEqual(a);
  });
  it("features and labels stay paired after shuffling", () => {
    for (const [x, y] of new DataLoader(ds, { batch_size: 4, shuffle: true })) expect(x!.tolist()).toEqual(y!.tolist());
  });
  it("collates samples of a dataset without getitems", () => {
    const plain = { length: 3, get: (i: number) => [tensor([i, i * 10]), i] as [ReturnType<typeof tensor>, number] };
    const [[x, y]] = [...new DataLoader(plain, { batch_size: 3 })] as unknown as [[{ tolist(): unknown }, { tolist(): unknown; dtype: string }]];
    expect(x.tolist()).toEqual([
      [0, 0],
      [1, 10],
      [2, 20],
    ]);
    expect(y.tolist()).toEqual([0, 1, 2]);
    expect(y.dtype).toBe("int64");
  });
  it("refuses a batch size that is not a positive integer", () => {
    expect(() => new DataLoader(ds, { batch_size: 0 })).toThrow("batch_size should be a positive integer value, but got batch_size=0");
  });
});

describe("toy data sets", () => {
  it("iris: 150 samples, 50 per class, Fisher's first flower", () => {
    const iris = utils.data.load_iris({ dtype: "float64" });
    expect(iris.data.shape).toEqual([150, 4]);
    // the first row of Fisher's table (setosa): 5.1, 3.5, 1.4, 0.2
    expect((iris.data.tolist() as number[][])[0]).toEqual([5.1, 3.5, 1.4, 0.2]);
    const counts = [0, 0, 0];
    for (const c of iris.target.tolist() as number[]) counts[c]!++;
    expect(counts).toEqual([50, 50, 50]);
    expect(iris.target.dtype).toBe("int64");
  });
  it("make_moons without noise puts class 0 on the unit circle and class 1 on the shifted one", () => {
    const [X, y] = utils.data.make_moons({ n_samples: 11, dtype: "float64", generator: new Generator(0) });
    const xs = X.tolist() as number[][];
    (y.tolist() as number[]).forEach((label, i) => {
      const [a, b] = xs[i]!;
      // class 0: (cos t, sin t); class 1: (1 − cos t, 0.5 − sin t), so (a − 1)² + (b − 0.5)² = 1
      const r2 = label === 0 ? a! ** 2 + b! ** 2 : (a! - 1) ** 2 + (b! - 0.5) ** 2;
      expect(r2).toBeCloseTo(1, 12);
    });
    expect((y.tolist() as number[]).filter((c) => c === 0)).toHaveLength(5); // n_out = ⌊11/2⌋
  });
  it("make_moons puts θ = 0, π/2, π exactly where cos and sin are exact: (1, 0), (0, 1), (−1, 0) and their shifted twins", () => {
    // cospi/sinpi, correctly rounded: cos(π/2) is exactly 0 (Math.cos(Math.PI / 2) is 6.1e-17, and engine-dependent in general)
    const [X] = utils.data.make_moons({ n_samples: 6, shuffle: false, dtype: "float64" });
    expect(X.tolist()).toEqual([
      [1, 0],
      [0, 1],
      [-1, 0],
      [0, 0.5],
      [1, -0.5],
      [2, 0.5],
    ]);
  });
  it("make_moons is repeatable from a seed", () => {
    const a = utils.data.make_moons({ noise: 0.1, generator: new Generator(5) });
    const b = utils.data.make_moons({ noise: 0.1, generator: new Generator(5) });
    expect(b[0].tolist()).toEqual(a[0].tolist());
  });
  it("make_spirals without noise puts the i-th point of each arm at radius i/(n−1)", () => {
    const [X, y] = utils.data.make_spirals({ n_samples_per_class: 5, n_classes: 2, noise: 0, dtype: "float64" });
    const xs = X.tolist() as number[][];
    xs.forEach(([a, b], k) => expect(Math.hypot(a!, b!)).toBeCloseTo((k % 5) / 4, 12));
    expect(y.tolist()).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  });
  it("make_regression without noise satisfies y = X·w + bias exactly", () => {
    const [X, y, w] = utils.data.make_regression({ n_samples: 20, weight: [2, -1], bias: 0.5, dtype: "float64" });
    expect(w.tolist()).toEqual([2, -1]);
    const ys = y.tolist() as number[];
    (X.tolist() as number[][]).forEach(([a, b], i) => expect(ys[i]).toBeCloseTo(2 * a! - b! + 0.5, 13));
  });
});
