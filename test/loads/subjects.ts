// Every optimizer, scheduler and module whose load_state_dict the tests feed: each made
// fresh, stepped a few times so that its state is not empty, with a valid state dict.
import { F, nn, optim, tensor, type Tensor } from "gradlab";
import type { Optimizer } from "../../src/optim/optimizer.ts";

const param = (values: number[][] | number[]): Tensor => tensor(values, { dtype: "float64", requires_grad: true });

/** Two parameters of different shapes (Muon needs matrices). */
export const params = (): Tensor[] => [
  param([
    [0.5, -1, 2],
    [1.5, 0.25, -0.75],
  ]),
  param([
    [1, -2],
    [0.5, 0.125],
  ]),
];

type OptimizerMaker = (ps: Tensor[]) => Optimizer;

/** Each optimizer with options that turn on all of its state. */
export const OPTIMIZERS: Record<string, OptimizerMaker> = {
  SGD: (ps) => new optim.SGD(ps, { lr: 0.1, momentum: 0.9 }) as unknown as Optimizer,
  Adagrad: (ps) => new optim.Adagrad(ps, { lr: 0.1 }) as unknown as Optimizer,
  RMSprop: (ps) => new optim.RMSprop(ps, { lr: 0.01, momentum: 0.5, centered: true }) as unknown as Optimizer,
  Adadelta: (ps) => new optim.Adadelta(ps) as unknown as Optimizer,
  Adam: (ps) => new optim.Adam(ps, { lr: 0.01, amsgrad: true }) as unknown as Optimizer,
  AdamW: (ps) => new optim.AdamW(ps, { lr: 0.01 }) as unknown as Optimizer,
  Adamax: (ps) => new optim.Adamax(ps) as unknown as Optimizer,
  NAdam: (ps) => new optim.NAdam(ps) as unknown as Optimizer,
  RAdam: (ps) => new optim.RAdam(ps) as unknown as Optimizer,
  ASGD: (ps) => new optim.ASGD(ps) as unknown as Optimizer,
  Rprop: (ps) => new optim.Rprop(ps) as unknown as Optimizer,
  Adafactor: (ps) => new optim.Adafactor(ps) as unknown as Optimizer,
  Muon: (ps) => new optim.Muon(ps) as unknown as Optimizer,
  LBFGS: (ps) => new optim.LBFGS(ps, { history_size: 3, max_iter: 3 }) as unknown as Optimizer,
  SparseAdam: (ps) => new optim.SparseAdam(ps, { lr: 0.01 }) as unknown as Optimizer,
};

/** Optimizers that take only sparse gradients: trained on embedding lookups of their parameters. */
const SPARSE_ONLY = new Set(["SparseAdam"]);

/**
 * The loss Σ θ² over the parameters; with `sparse`, Σ over lookups of rows 0, 1, 1 of each
 * parameter (nn.functional.embedding with sparse gradients, as SparseAdam needs them).
 */
function lossOf(ps: Tensor[], sparse: boolean): Tensor {
  const term = (p: Tensor): Tensor => (sparse ? F.embedding([0, 1, 1], p, { sparse: true }).pow(2).sum() : p.mul(p).sum());
  let loss = term(ps[0]!);
  for (const p of ps.slice(1)) loss = loss.add(term(p));
  return loss;
}

/** Steps `opt` on Σ θ² `steps` times (through a closure, so LBFGS runs too). */
export function train(opt: Optimizer, ps: Tensor[], steps = 2): void {
  const sparse = SPARSE_ONLY.has(opt.constructor.name);
  for (let i = 0; i < steps; i++) {
    opt.step(() => {
      opt.zero_grad();
      const loss = lossOf(ps, sparse);
      loss.backward();
      return loss;
    });
  }
}

/** An optimizer of `name`, trained two steps, with its parameters. */
export function trained(name: string): { opt: Optimizer; ps: Tensor[] } {
  const ps = params();
  const opt = OPTIMIZERS[name]!(ps);
  train(opt, ps);
  return { opt, ps };
}

const S = optim.lr_scheduler;
type SchedulerLike = { state_dict(): Record<string, unknown>; load_state_dict(sd: unknown): void; step(...args: never[]): void };
type SchedulerMaker = (opt: Optimizer) => SchedulerLike;
const as = (s: unknown): SchedulerLike => s as SchedulerLike;

/** Each scheduler, made on an SGD with momentum (so CyclicLR and OneCycleLR can cycle it). */
export const SCHEDULERS: Record<string, SchedulerMaker> = {
  StepLR: (o) => as(new S.StepLR(o, 3, { gamma: 0.5 })),
  MultiStepLR: (o) => as(new S.MultiStepLR(o, [2, 4])),
  ConstantLR: (o) => as(new S.ConstantLR(o)),
  LinearLR: (o) => as(new S.LinearLR(o)),
  ExponentialLR: (o) => as(new S.ExponentialLR(o, 0.9)),
  PolynomialLR: (o) => as(new S.PolynomialLR(o)),
  CosineAnnealingLR: (o) => as(new S.CosineAnnealingLR(o, 10)),
  CosineAnnealingWarmRestarts: (o) => as(new S.CosineAnnealingWarmRestarts(o, 5)),
  LambdaLR: (o) => as(new S.LambdaLR(o, (e: number) => 0.9 ** e)),
  MultiplicativeLR: (o) => as(new S.MultiplicativeLR(o, () => 0.9)),
  CyclicLR: (o) => as(new S.CyclicLR(o, 0.01, 0.1, { step_size_up: 4 })),
  OneCycleLR: (o) => as(new S.OneCycleLR(o, 0.1, { total_steps: 20 })),
  ReduceLROnPlateau: (o) => as(new S.ReduceLROnPlateau(o, { factor: 0.5, patience: 1 })),
  SequentialLR: (o) => as(new S.SequentialLR(o, [new S.ConstantLR(o), new S.ExponentialLR(o, 0.9)], [2])),
  ChainedScheduler: (o) => as(new S.ChainedScheduler([new S.ConstantLR(o), new S.ExponentialLR(o, 0.9)])),
  SWALR: (o) => as(new optim.swa_utils.SWALR(o, 0.05)),
};

/** A scheduler of `name` on a fresh SGD, stepped `steps` times, with its optimizer. */
export function stepped(name: string, steps = 3): { opt: Optimizer; sched: SchedulerLike } {
  const opt = new optim.SGD(params(), { lr: 0.1, momentum: 0.9 }) as unknown as Optimizer;
  const sched = SCHEDULERS[name]!(opt);
  for (let i = 0; i < steps; i++) {
    opt.step();
    if (name === "ReduceLROnPlateau") (sched.step as (m: number) => void)(1);
    else sched.step();
  }
  return { opt, sched };
}

/** A small model with a parameter, a child and a buffer (BatchNorm's running statistics). */
export function model(): nn.Module {
  return new nn.Sequential(new nn.Linear(3, 2), new nn.BatchNorm1d(2));
}
