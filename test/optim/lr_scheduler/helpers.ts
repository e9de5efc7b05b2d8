// Small optimizers for the scheduler tests, and a snapshot of what a failed construction must leave alone.
import { optim, tensor } from "gradlab";
import type { Optimizer } from "../../../src/optim/optimizer.ts";

/** SGD with two groups (lr 0.1 and 0.05) and momentum 0.9. */
export function twoGroups(): Optimizer {
  const a = tensor([1, 2, 3], { dtype: "float64", requires_grad: true });
  const b = tensor([4, 5], { dtype: "float64", requires_grad: true });
  return new optim.SGD(
    [
      { params: [a], lr: 0.1 },
      { params: [b], lr: 0.05 },
    ],
    { momentum: 0.9 },
  );
}

/** SGD with one group at `lr`. */
export function oneGroup(lr: number): Optimizer {
  return new optim.SGD([tensor([1], { dtype: "float64", requires_grad: true })], { lr, momentum: 0.9 });
}

/** Everything a scheduler might change: the groups' options and the step method. */
export function snapshot(opt: Optimizer): { groups: string; step: unknown } {
  const groups = opt.param_groups.map(({ params: _params, ...options }) => options);
  return { groups: JSON.stringify(groups), step: opt.step };
}
