/**
 * The Tiny network panel's training run, with gradlab's real classes: a toy data set
 * (utils.data.make_moons or make_spirals), an MLP Linear(2, w) → ReLU → Linear(w, w) → ReLU
 * → Linear(w, classes) in float64, CrossEntropyLoss, and the optimizer and schedule of the
 * panel. Each step takes the next `batch` points of the (already shuffled) data set, going
 * round it in order, so a run depends on nothing but its configuration and seed.
 *
 * ```text
 * each step k:  rows (k·batch + i) mod n, i < batch · zero_grad · loss ← CE(model(X_rows), y_rows)
 *               · backward · opt.step() (LBFGS: opt.step(closure)) · scheduler.step() (plateau: step(loss))
 * ```
 * Unlike the landscapes, these numbers use exp and log (cross-entropy) and sin and cos (the
 * data): a link reproduces the run in the same browser, but another JavaScript engine may
 * round those functions differently in the last bit.
 */
import { Generator, lab, nn, no_grad, tensor, type Tensor, utils } from "gradlab";
import { type Built, build } from "./catalog.ts";
import type { NetworkConfig } from "./config.ts";

export class NetworkRun {
  readonly points: number[][];
  readonly labels: number[];
  readonly classes: number;
  /** The loss of each step's batch, before the step. */
  readonly losses: number[] = [];
  /** The accuracy on the whole data set after each step. */
  readonly accuracies: number[] = [];
  /** Milliseconds spent in training steps (for the steps-per-second figure). */
  trainingTime = 0;
  error: string | null = null;
  readonly config: NetworkConfig;
  private readonly X: Tensor;
  private readonly y: Tensor;
  private readonly model: nn.Sequential;
  private readonly lossFn = new nn.CrossEntropyLoss();
  private built: Built | null = null;

  constructor(config: NetworkConfig) {
    this.config = config;
    const generator = new Generator(config.seed);
    const [X, y] =
      config.dataset === "moons"
        ? utils.data.make_moons({ n_samples: config.samples, noise: config.noise, dtype: "float64", generator })
        : utils.data.make_spirals({ n_samples_per_class: config.samples, n_classes: 3, noise: config.noise, dtype: "float64", generator });
    this.X = X;
    this.y = y;
    this.points = X.tolist() as number[][];
    this.labels = y.tolist() as number[];
    this.classes = config.dataset === "moons" ? 2 : 3;
    const w = config.width;
    const layer = (a: number, b: number): nn.Linear => new nn.Linear(a, b, { dtype: "float64", generator });
    this.model = new nn.Sequential(layer(2, w), new nn.ReLU(), layer(w, w), new nn.ReLU(), layer(w, this.classes));
    try {
      this.built = build(config.slot, this.model.parameters());
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  get steps(): number {
    return this.losses.length;
  }

  /** One training step; false if this run cannot step. */
  step(): boolean {
    const built = this.built;
    if (built === null || this.error !== null) return false;
    const began = performance.now();
    try {
      const n = this.points.length;
      const rows = Array.from({ length: Math.min(this.config.batch, n) }, (_, i) => (this.steps * this.config.batch + i) % n);
      const xb = this.X.index_select(0, rows);
      const yb = this.y.index_select(0, rows);
      const closure = (): Tensor => {
        built.opt.zero_grad();
        const loss = this.lossFn.forward(this.model.forward(xb), yb);
        loss.backward();
        return loss;
      };
      let loss: number;
      if (this.config.slot.optimizer === "LBFGS") {
        loss = (built.opt.step(closure) as Tensor).item();
      } else {
        loss = closure().item();
        built.opt.step();
      }
      if (built.scheduler !== null) {
        if (this.config.slot.scheduler === "ReduceLROnPlateau") built.scheduler.step(loss);
        else built.scheduler.step();
      }
      this.losses.push(loss);
      this.accuracies.push(this.accuracy());
      return true;
    } catch (error) {
      this.error = (error as Error).message;
      return false;
    } finally {
      this.trainingTime += performance.now() - began;
    }
  }

  /**
   * Smith's learning-rate range test (lab.lr_finder) from the model and optimizer as they are
   * now, over the same batches as training: the rate ramps geometrically from `start_lr` to
   * 10 in 100 steps. lr_finder gives the model and the optimizer back exactly as they were.
   */
  rangeTest(start_lr = 1e-5): lab.LRFinderResult {
    if (this.built === null) throw new Error(this.error ?? "no optimizer");
    const n = this.points.length;
    const b = Math.min(this.config.batch, n);
    const batches = Array.from({ length: Math.ceil(n / b) }, (_, k) => {
      const rows = Array.from({ length: b }, (_, i) => (k * b + i) % n);
      return [this.X.index_select(0, rows), this.y.index_select(0, rows)];
    });
    return lab.lr_finder(this.model, this.built.opt, this.lossFn, batches, { start_lr, end_lr: 10, num_iter: 100 });
  }

  /** The fraction of the data set the model classifies right. */
  accuracy(): number {
    return no_grad(() => {
      const predicted = this.model.forward(this.X).argmax(1).tolist() as number[];
      return predicted.filter((c, i) => c === this.labels[i]).length / predicted.length;
    });
  }

  /** The model's class probabilities at each point of `grid` ([m, 2]), row by row. */
  probabilities(grid: Tensor): number[][] {
    return no_grad(() => this.model.forward(grid).softmax(1).tolist() as number[][]);
  }
}

/** A [n·n, 2] grid over [x0, x1] × [y0, y1], row 0 at the top (largest y). */
export function gridPoints(n: number, domain: readonly [number, number, number, number]): Tensor {
  const [x0, x1, y0, y1] = domain;
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) rows.push([x0 + ((x1 - x0) * (j + 0.5)) / n, y1 - ((y1 - y0) * (i + 0.5)) / n]);
  return tensor(rows, { dtype: "float64" });
}
