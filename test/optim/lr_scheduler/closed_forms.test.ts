import { describe, it } from "vitest";
import { optim, testing } from "gradlab";
import {
  constantLrAt,
  cosineAt,
  exponentialLrAt,
  linearLrAt,
  multiStepLrAt,
  polynomialLrAt,
  stepLrAt,
  warmRestartPosition,
} from "../../../src/optim/lr_scheduler/index.ts";
import type { LRScheduler } from "../../../src/optim/lr_scheduler/lr_scheduler.ts";
import type { Optimizer } from "../../../src/optim/optimizer.ts";
import { TOL } from "../../helpers.ts";
import { oneGroup } from "./helpers.ts";

const S = optim.lr_scheduler;
const EPOCHS = 80;

/** The rates step() sets, by the recursive (chainable) form, for epochs 0..EPOCHS. */
function chained(make: (opt: Optimizer) => LRScheduler, lr: number): number[] {
  const opt = oneGroup(lr);
  const sched = make(opt);
  const seen = [opt.param_groups[0]!.lr];
  for (let e = 1; e <= EPOCHS; e++) {
    opt.step();
    sched.step();
    seen.push(opt.param_groups[0]!.lr);
  }
  return seen;
}

const closed = (f: (e: number) => number): number[] => Array.from({ length: EPOCHS + 1 }, (_, e) => f(e));

// The recursive forms multiply the previous rate by a ratio; the closed forms evaluate the
// schedule at each epoch directly. Both must agree to float64 rounding.
describe("recursive and closed forms agree", () => {
  const lr = 0.3;
  it.each([
    { name: "StepLR", make: (o: Optimizer) => new S.StepLR(o, 7, { gamma: 0.6 }), at: (e: number) => stepLrAt(e, lr, 7, 0.6) },
    {
      name: "MultiStepLR",
      make: (o: Optimizer) => new S.MultiStepLR(o, [3, 10, 10, 41], { gamma: 0.5 }),
      at: (e: number) => multiStepLrAt(e, lr, [3, 10, 10, 41], 0.5),
    },
    { name: "ConstantLR", make: (o: Optimizer) => new S.ConstantLR(o, { factor: 0.2, total_iters: 9 }), at: (e: number) => constantLrAt(e, lr, 0.2, 9) },
    {
      name: "LinearLR",
      make: (o: Optimizer) => new S.LinearLR(o, { start_factor: 0.05, end_factor: 0.9, total_iters: 33 }),
      at: (e: number) => linearLrAt(e, lr, 0.05, 0.9, 33),
    },
    { name: "ExponentialLR", make: (o: Optimizer) => new S.ExponentialLR(o, 0.97), at: (e: number) => exponentialLrAt(e, lr, 0.97) },
    {
      name: "PolynomialLR",
      make: (o: Optimizer) => new S.PolynomialLR(o, { total_iters: 60, power: 1.7 }),
      at: (e: number) => polynomialLrAt(e, lr, 60, 1.7),
    },
    {
      name: "CosineAnnealingLR (through several half-periods)",
      make: (o: Optimizer) => new S.CosineAnnealingLR(o, 13, { eta_min: 0.01 }),
      at: (e: number) => cosineAt(e, lr, 0.01, 13),
    },
    {
      name: "CosineAnnealingWarmRestarts",
      make: (o: Optimizer) => new S.CosineAnnealingWarmRestarts(o, 3, { T_mult: 2, eta_min: 0.02 }),
      at: (e: number) => {
        const { T_cur, T_i } = warmRestartPosition(e, 3, 2);
        return cosineAt(T_cur, lr, 0.02, T_i);
      },
    },
  ])("$name", ({ make, at }) => {
    testing.assert_close(chained(make, lr), closed(at), TOL.float64);
  });
});
