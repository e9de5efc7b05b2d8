/**
 * The `optim` namespace, as `torch.optim`: the optimizers, their base class, the global
 * step hooks, and the `lr_scheduler` and `swa_utils` namespaces.
 * `import { optim } from "gradlab"; new optim.Adam(model.parameters(), { lr: 1e-3 })`.
 * A module namespace, so `optim.Adam` and `optim.Optimizer` are types as well as values.
 */
export { Adadelta } from "./adadelta.ts";
export { Adafactor } from "./adafactor.ts";
export { Adagrad } from "./adagrad.ts";
export { Adam } from "./adam.ts";
export { Adamax } from "./adamax.ts";
export { AdamW } from "./adamw.ts";
export { ASGD } from "./asgd.ts";
export { LBFGS } from "./lbfgs.ts";
export { Muon } from "./muon.ts";
export { NAdam } from "./nadam.ts";
export { Optimizer, register_optimizer_step_post_hook, register_optimizer_step_pre_hook, stateBuffer } from "./optimizer.ts";
// For optimizers written outside gradlab: PyTorch's unknown-option check and defaults merge.
export { withDefaults } from "./checks.ts";
export { RAdam } from "./radam.ts";
export { RMSprop } from "./rmsprop.ts";
export { Rprop } from "./rprop.ts";
export { SGD } from "./sgd.ts";
export { SparseAdam } from "./sparse_adam.ts";
export * as lr_scheduler from "./lr_scheduler/index.ts";
export * as swa_utils from "./swa_utils/index.ts";

export type {
  Closure,
  Hyperparameters,
  Loss,
  ParamGroup,
  ParamGroupInput,
  ParamLike,
  Params,
  Plain,
  RemovableHandle,
  StateDict,
  StepArgs,
  StepKwargs,
  StepPostHook,
  StepPreHook,
  TensorJSON,
} from "./optimizer.ts";
export type { OptimizerHookOf, StateDictHookOf, StepPostHookOf, StepPreHookOf } from "./optimizer_hooks.ts";
export type { StateSpec, StateValueSpec } from "./load_checks.ts";
export type { AdagradGroup, AdagradOptions, AdagradState } from "./adagrad.ts";
export type { AdamGroup, AdamOptions, AdamState } from "./adam.ts";
export type { AdamaxGroup, AdamaxOptions, AdamaxState } from "./adamax.ts";
export type { AdamWOptions } from "./adamw.ts";
export type { NAdamGroup, NAdamOptions, NAdamState } from "./nadam.ts";
export type { RAdamGroup, RAdamOptions, RAdamState } from "./radam.ts";
export type { SGDGroup, SGDOptions, SGDState } from "./sgd.ts";
export type { SparseAdamGroup, SparseAdamOptions, SparseAdamState } from "./sparse_adam.ts";
export type { ASGDGroup, ASGDOptions, ASGDState } from "./asgd.ts";
export type { AdadeltaGroup, AdadeltaOptions, AdadeltaState } from "./adadelta.ts";
export type { AdafactorGroup, AdafactorOptions, AdafactorState } from "./adafactor.ts";
export type { LBFGSGroup, LBFGSOptions, LBFGSState } from "./lbfgs.ts";
export type { AdjustLrFn, MuonGroup, MuonOptions, MuonState } from "./muon.ts";
export type { RMSpropGroup, RMSpropOptions, RMSpropState } from "./rmsprop.ts";
export type { RpropGroup, RpropOptions, RpropState } from "./rprop.ts";
