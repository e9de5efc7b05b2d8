/**
 * Learning-rate schedulers, as `torch.optim.lr_scheduler`: one file per scheduler, each
 * with its closed form as a function where PyTorch has one.
 */
import { ChainedScheduler } from "./chained_scheduler.ts";
import { ConstantLR } from "./constant_lr.ts";
import { CosineAnnealingLR } from "./cosine_annealing_lr.ts";
import { CosineAnnealingWarmRestarts } from "./cosine_annealing_warm_restarts.ts";
import { CyclicLR } from "./cyclic_lr.ts";
import { ExponentialLR } from "./exponential_lr.ts";
import { LambdaLR } from "./lambda_lr.ts";
import { LinearLR } from "./linear_lr.ts";
import { EPOCH_DEPRECATION_WARNING, LRScheduler } from "./lr_scheduler.ts";
import { MultiStepLR } from "./multi_step_lr.ts";
import { MultiplicativeLR } from "./multiplicative_lr.ts";
import { OneCycleLR } from "./one_cycle_lr.ts";
import { PolynomialLR } from "./polynomial_lr.ts";
import { ReduceLROnPlateau } from "./reduce_lr_on_plateau.ts";
import { SequentialLR } from "./sequential_lr.ts";
import { StepLR } from "./step_lr.ts";

export {
  ChainedScheduler,
  ConstantLR,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  CyclicLR,
  EPOCH_DEPRECATION_WARNING,
  ExponentialLR,
  LambdaLR,
  LinearLR,
  LRScheduler,
  MultiStepLR,
  MultiplicativeLR,
  OneCycleLR,
  PolynomialLR,
  ReduceLROnPlateau,
  SequentialLR,
  StepLR,
};
export { cosineAt } from "./cosine_annealing_lr.ts";
export { warmRestartPosition } from "./cosine_annealing_warm_restarts.ts";
export { constantLrAt } from "./constant_lr.ts";
export { cyclePosition } from "./cyclic_lr.ts";
export { exponentialLrAt } from "./exponential_lr.ts";
export { linearLrAt } from "./linear_lr.ts";
export { multiStepLrAt } from "./multi_step_lr.ts";
export { annealingCos, annealingLinear, oneCyclePhases } from "./one_cycle_lr.ts";
export { polynomialLrAt } from "./polynomial_lr.ts";
export { stepLrAt } from "./step_lr.ts";
export type { LrLambda } from "./lambda_lr.ts";
export type { CyclicLROptions, CyclicMode } from "./cyclic_lr.ts";
export type { OneCycleLROptions, SchedulePhase } from "./one_cycle_lr.ts";
export type { ReduceLROnPlateauOptions } from "./reduce_lr_on_plateau.ts";
export type { SchedulableOptimizer, SchedulerParamGroup, SchedulerState } from "./lr_scheduler.ts";

/** The schedulers, as `torch.optim.lr_scheduler`. */
export const lr_scheduler = {
  LRScheduler,
  LambdaLR,
  MultiplicativeLR,
  StepLR,
  MultiStepLR,
  ConstantLR,
  LinearLR,
  ExponentialLR,
  PolynomialLR,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  CyclicLR,
  OneCycleLR,
  SequentialLR,
  ChainedScheduler,
  ReduceLROnPlateau,
  EPOCH_DEPRECATION_WARNING,
};
