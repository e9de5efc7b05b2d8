/**
 * One optimizer's run on a landscape, step by step, with gradlab's real classes: two 0-d
 * float64 parameters x and y, the loss f(x, y) through gradlab's autograd, the optimizer
 * and scheduler built from the options the page shows. The loop is the one the copied code
 * writes (codegen.ts), so the copied code prints the numbers on screen:
 *
 * ```text
 * each step:  zero_grad · loss ← f(x, y) · backward · g ← g + σ·√12·(u − ½), u ~ U[0, 1) per component (if σ > 0)
 *             · opt.step() (LBFGS: opt.step(closure), the closure doing the above)
 *             · scheduler.step() (ReduceLROnPlateau: scheduler.step(loss))
 * ```
 * The noise is uniform with standard deviation σ, not Gaussian: gradlab's uniform numbers come
 * from integer arithmetic alone, while its normal sampler calls Math.log, Math.cos and Math.sin,
 * which browsers and Node round differently in the last bit (Chromium's log is correctly rounded,
 * Node 20's is not), and a link must reproduce the run in every engine.
 */
import { Generator, optim, rand, tensor, type Tensor } from "gradlab";
import { build } from "./catalog.ts";
import type { Slot } from "./config.ts";
import type { Landscape } from "./landscapes.ts";

export class SlotRun {
  /** θ before the first step, then after each step. */
  readonly path: [number, number][] = [];
  /** f at the point each step started from (for LBFGS: the closure's first evaluation in the step). */
  readonly losses: number[] = [];
  /** The learning rate each step used. */
  readonly lrs: number[] = [];
  /**
   * With noise, for each step (index step − 1) and each closure evaluation in it, ∇f at x and y
   * as backward left it and the noise then added: the gradient the optimizer saw is their sum.
   */
  readonly gradientNoise: { clean: [number, number]; noise: [number, number] }[][] = [];
  /** The library's message if the optimizer or scheduler refused the options, or a step threw. */
  error: string | null = null;
  /** The first step after which θ was no longer finite. */
  divergedAt: number | null = null;
  private readonly x: Tensor;
  private readonly y: Tensor;
  private opt: InstanceType<typeof optim.Optimizer> | null = null;
  private scheduler: { step(metric?: number): void } | null = null;
  private readonly generator: Generator;
  private readonly closure: () => Tensor;
  private readonly plateau: boolean;

  readonly landscape: Landscape;
  readonly slot: Slot;

  constructor(landscape: Landscape, slot: Slot, start: readonly [number, number], noise: number, seed: number) {
    this.landscape = landscape;
    this.slot = slot;
    this.x = tensor(start[0], { dtype: "float64", requires_grad: true });
    this.y = tensor(start[1], { dtype: "float64", requires_grad: true });
    this.path.push([start[0], start[1]]);
    this.generator = new Generator(seed);
    this.plateau = slot.scheduler === "ReduceLROnPlateau";
    this.closure = () => {
      this.opt!.zero_grad();
      const loss = landscape.f(this.x, this.y);
      loss.backward();
      if (noise !== 0) {
        const clean: [number, number] = [this.x.grad!.item(), this.y.grad!.item()];
        const nx = rand([], { generator: this.generator, dtype: "float64" })
          .sub(0.5)
          .mul(noise * Math.sqrt(12));
        this.x.grad!.add_(nx);
        const ny = rand([], { generator: this.generator, dtype: "float64" })
          .sub(0.5)
          .mul(noise * Math.sqrt(12));
        this.y.grad!.add_(ny);
        (this.gradientNoise[this.steps] ??= []).push({ clean, noise: [nx.item(), ny.item()] });
      }
      return loss;
    };
    try {
      ({ opt: this.opt, scheduler: this.scheduler } = build(slot, [this.x, this.y]));
    } catch (error) {
      this.error = (error as Error).message;
      this.opt = null;
    }
  }

  get steps(): number {
    return this.path.length - 1;
  }

  /** The optimizer (null when it refused its options), for lab.inspect and state_dict(). */
  get optimizer(): InstanceType<typeof optim.Optimizer> | null {
    return this.opt;
  }

  /** The current point. */
  get theta(): [number, number] {
    return this.path[this.path.length - 1]!;
  }

  /** One optimizer step (and one scheduler step); false if this run cannot step. */
  step(): boolean {
    const opt = this.opt;
    if (opt === null || this.error !== null) return false;
    try {
      this.lrs.push(opt.param_groups[0]!.lr as number);
      let loss: number;
      if (this.slot.optimizer === "LBFGS") {
        loss = (opt.step(this.closure) as Tensor).item();
      } else {
        loss = this.closure().item();
        opt.step();
      }
      if (this.scheduler !== null) {
        if (this.plateau) this.scheduler.step(loss);
        else this.scheduler.step();
      }
      this.losses.push(loss);
      const theta: [number, number] = [this.x.item(), this.y.item()];
      this.path.push(theta);
      if (this.divergedAt === null && !(Number.isFinite(theta[0]) && Number.isFinite(theta[1]))) this.divergedAt = this.steps;
      return true;
    } catch (error) {
      this.error = (error as Error).message;
      return false;
    }
  }

  /** f at the current point (what the copied code prints as the final loss). */
  currentLoss(): number {
    return this.landscape.f(this.x, this.y).item();
  }
}

/** The three numbers the page shows for a finished run, as the copied code prints them. */
export const summary = (run: SlotRun): string => `${run.slot.optimizer}  x = ${run.theta[0]}  y = ${run.theta[1]}  loss = ${run.currentLoss()}`;
