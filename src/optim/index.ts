/**
 * The `optim` namespace, as `torch.optim`: the optimizers, their base class, the global
 * step hooks, and the `lr_scheduler` and `swa_utils` namespaces.
 * `import { optim } from "gradlab"; new optim.Adam(model.parameters(), { lr: 1e-3 })`.
 */
import { Adadelta } from "./adadelta.ts";
import { Adafactor } from "./adafactor.ts";
import { Adagrad } from "./adagrad.ts";
import { Adam } from "./adam.ts";
import { Adamax } from "./adamax.ts";
import { AdamW } from "./adamw.ts";
import { ASGD } from "./asgd.ts";
import { LBFGS } from "./lbfgs.ts";
import * as lr_scheduler from "./lr_scheduler/index.ts";
import { Muon } from "./muon.ts";
import { NAdam } from "./nadam.ts";
import { Optimizer, register_optimizer_step_post_hook, register_optimizer_step_pre_hook } from "./optimizer.ts";
import { RAdam } from "./radam.ts";
import { RMSprop } from "./rmsprop.ts";
import { Rprop } from "./rprop.ts";
import { SGD } from "./sgd.ts";
import { SparseAdam } from "./sparse_adam.ts";
import { swa_utils } from "./swa_utils/index.ts";

export const optim = {
  Optimizer,
  Adadelta,
  Adafactor,
  Adagrad,
  Adam,
  AdamW,
  SparseAdam,
  Adamax,
  ASGD,
  LBFGS,
  Muon,
  NAdam,
  RAdam,
  RMSprop,
  Rprop,
  SGD,
  register_optimizer_step_pre_hook,
  register_optimizer_step_post_hook,
  lr_scheduler,
  swa_utils,
};

export type {
  Closure, Hyperparameters, Loss, ParamGroup, ParamGroupInput, ParamLike, Params, Plain, RemovableHandle,
  StateDict, StepArgs, StepKwargs, StepPostHook, StepPreHook, TensorJSON,
} from "./optimizer.ts";
export type { AdagradGroup, AdagradOptions, AdagradState } from "./adagrad.ts";
export type { AdamGroup, AdamOptions, AdamState } from "./adam.ts";
export type { AdamaxGroup, AdamaxOptions, AdamaxState } from "./adamax.ts";
export type { AdamWOptions } from "./adamw.ts";
export type { NAdamGroup, NAdamOptions, NAdamState } from "./nadam.ts";
export type { RAdamGroup, RAdamOptions, RAdamState } from "./radam.ts";
export type { SGDGroup, SGDOptions, SGDState } from "./sgd.ts";
export type { SparseAdamGroup, SparseAdamOptions } from "./sparse_adam.ts";
