/**
 * The 2-D test functions of the Landscapes panel. Each is written once as gradlab tensor
 * operations, used both for the optimizers' losses (x and y are 0-d tensors) and for the
 * contour grid (x and y are grids). `ts` and `py` are the same expression as the copied code
 * spells it; the browser test runs the copied gradlab code and checks it prints the page's numbers.
 */
import type { Tensor } from "gradlab";

export interface Landscape {
  readonly id: string;
  readonly name: string;
  /** The formula, as a learner reads it. */
  readonly formula: string;
  readonly f: (x: Tensor, y: Tensor) => Tensor;
  /** The body of `f` in the copied gradlab code (x, y: Tensors). */
  readonly ts: string;
  /** The body of `f` in the copied PyTorch code (x, y: torch tensors). */
  readonly py: string;
  /** The region drawn: [xmin, xmax, ymin, ymax]. */
  readonly domain: readonly [number, number, number, number];
  /** Where the minima (or the saddle point) are, to mark them on the map. */
  readonly marks: readonly (readonly [number, number])[];
  /** The lowest value of f, for the loss curves' "loss − minimum" axis. */
  readonly minimum: number;
  readonly start: readonly [number, number];
}

export const LANDSCAPES: readonly Landscape[] = [
  {
    id: "rosenbrock",
    name: "Rosenbrock",
    formula: "f(x, y) = (1 − x)² + 100·(y − x²)²  · minimum 0 at (1, 1), at the end of a curved valley",
    f: (x, y) =>
      x
        .neg()
        .add(1)
        .pow(2)
        .add(y.sub(x.pow(2)).pow(2).mul(100)),
    ts: "x.neg().add(1).pow(2).add(y.sub(x.pow(2)).pow(2).mul(100))",
    py: "(1 - x) ** 2 + 100 * (y - x ** 2) ** 2",
    domain: [-2, 2, -1, 3],
    marks: [[1, 1]],
    minimum: 0,
    start: [-1.5, 2],
  },
  {
    id: "beale",
    name: "Beale",
    formula: "f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²  · minimum 0 at (3, 0.5)",
    f: (x, y) =>
      x
        .neg()
        .add(1.5)
        .add(x.mul(y))
        .pow(2)
        .add(
          x
            .neg()
            .add(2.25)
            .add(x.mul(y.pow(2)))
            .pow(2),
        )
        .add(
          x
            .neg()
            .add(2.625)
            .add(x.mul(y.pow(3)))
            .pow(2),
        ),
    ts: "x.neg().add(1.5).add(x.mul(y)).pow(2)\n    .add(x.neg().add(2.25).add(x.mul(y.pow(2))).pow(2))\n    .add(x.neg().add(2.625).add(x.mul(y.pow(3))).pow(2))",
    py: "(1.5 - x + x * y) ** 2 + (2.25 - x + x * y ** 2) ** 2 + (2.625 - x + x * y ** 3) ** 2",
    domain: [-4.5, 4.5, -4.5, 4.5],
    marks: [[3, 0.5]],
    minimum: 0,
    start: [-1, 1.5],
  },
  {
    id: "himmelblau",
    name: "Himmelblau",
    formula: "f(x, y) = (x² + y − 11)² + (x + y² − 7)²  · four minima, all 0",
    f: (x, y) =>
      x
        .pow(2)
        .add(y)
        .sub(11)
        .pow(2)
        .add(x.add(y.pow(2)).sub(7).pow(2)),
    ts: "x.pow(2).add(y).sub(11).pow(2).add(x.add(y.pow(2)).sub(7).pow(2))",
    py: "(x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2",
    domain: [-5, 5, -5, 5],
    marks: [
      [3, 2],
      [-2.805118, 3.131312],
      [-3.77931, -3.283186],
      [3.584428, -1.848126],
    ],
    minimum: 0,
    start: [0, 0],
  },
  {
    id: "saddle",
    name: "Saddle",
    formula: "f(x, y) = x² − y² + y⁴/4  · a saddle at (0, 0), minima −1 at (0, ±√2)",
    // y⁴ as (y²)²: pow(y, 4) would call Math.pow, which engines round differently in the last bit.
    f: (x, y) => x.pow(2).sub(y.pow(2)).add(y.pow(2).pow(2).div(4)),
    ts: "x.pow(2).sub(y.pow(2)).add(y.pow(2).pow(2).div(4))",
    py: "x ** 2 - y ** 2 + (y ** 2) ** 2 / 4",
    domain: [-2, 2, -2.2, 2.2],
    marks: [
      [0, 0],
      [0, Math.SQRT2],
      [0, -Math.SQRT2],
    ],
    minimum: -1,
    start: [-1.8, 0.001],
  },
  {
    id: "quadratic",
    name: "Ill-conditioned quadratic",
    formula: "f(x, y) = (x + y)²/4 + 25·(x − y)²  · curvatures 1 and 100 along the diagonals, minimum 0 at (0, 0)",
    f: (x, y) => x.add(y).pow(2).div(4).add(x.sub(y).pow(2).mul(25)),
    ts: "x.add(y).pow(2).div(4).add(x.sub(y).pow(2).mul(25))",
    py: "(x + y) ** 2 / 4 + 25 * (x - y) ** 2",
    domain: [-3, 3, -3, 3],
    marks: [[0, 0]],
    minimum: 0,
    start: [-2.5, -1.5],
  },
];

export const landscapeById = (id: string): Landscape | undefined => LANDSCAPES.find((l) => l.id === id);
