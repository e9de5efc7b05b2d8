import { defineData } from "../../utils/state_checks.ts";
import { warn } from "../../utils/warn.ts";
import { Optimizer } from "../optimizer.ts";
import { ADDED_SINCE, type StateCheck, checkSchedulerState } from "./scheduler_state.ts";

/**
 * A parameter group as a scheduler sees it: `lr` plus whatever the scheduler reads or
 * writes (`initial_lr`, `momentum`, `betas`, `max_lr` …), under PyTorch's names.
 */
export interface SchedulerParamGroup {
  lr: number;
  [option: string]: unknown;
}

/** The optimizer a scheduler adjusts (any `optim` optimizer). */
export type SchedulableOptimizer = Optimizer;

/** The scheduler's state as `state_dict()` returns it: plain JSON-serialisable data. */
export type SchedulerState = Record<string, unknown>;

/** The optimizer's groups, typed as the scheduler reads them. */
export const groupsOf = (optimizer: SchedulableOptimizer): SchedulerParamGroup[] => optimizer.param_groups as SchedulerParamGroup[];

/** Throws PyTorch's TypeError when `optimizer` is not an optimizer. */
export function checkOptimizer(optimizer: unknown): asserts optimizer is SchedulableOptimizer {
  if (optimizer instanceof Optimizer) return;
  const name = optimizer === null || optimizer === undefined ? "NoneType" : ((optimizer as object).constructor?.name ?? typeof optimizer);
  throw new TypeError(`${name} is not an Optimizer`);
}

/**
 * One value per parameter group: a list must have one entry per group; a single value is
 * repeated (as lr_scheduler.py's `_format_param`).
 */
export function formatParam(name: string, optimizer: SchedulableOptimizer, param: number | readonly number[]): number[] {
  const n = optimizer.param_groups.length;
  if (typeof param === "number") return new Array<number>(n).fill(param);
  if (param.length !== n) {
    throw new Error(`${name} must have the same length as optimizer.param_groups. ${name} has ${param.length} values, param_groups has ${n}.`);
  }
  return param.slice();
}

/** PyTorch's warning for `scheduler.step(epoch)`. */
export const EPOCH_DEPRECATION_WARNING =
  "The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. " +
  "Please use `scheduler.step()` to step the scheduler. During the deprecation, if epoch is different from None, " +
  "the closed form is used instead of the new chainable form, where available. Please open an issue if you are " +
  "unable to replicate your use case: https://github.com/pytorch/pytorch/issues/new/choose.";

const STEP_OVERRIDDEN_WARNING =
  "Seems like `optimizer.step()` has been overridden after learning rate scheduler initialization. " +
  "Please, make sure to call `optimizer.step()` before `lr_scheduler.step()`. " +
  "See more details at https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate";

const STEP_ORDER_WARNING =
  "Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, you should call " +
  "them in the opposite order: `optimizer.step()` before `lr_scheduler.step()`.  Failure to do this will result in " +
  "PyTorch skipping the first value of the learning rate schedule. " +
  "See more details at https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate";

/** The warning `get_lr()` gives when called from outside `step()`. */
export const GET_LR_WARNING = "To get the last learning rate computed by the scheduler, please use `get_last_lr()`.";

/** Marker passed by SequentialLR, ChainedScheduler and ReduceLROnPlateau, which skip the base set-up as in PyTorch. */
export const NO_BASE_SETUP: unique symbol = Symbol("no base set-up");

type StepFunction = ((...args: never[]) => unknown) & { _wrapped_by_lr_sched?: boolean };

/** Replaces `optimizer.step` by a wrapper that records the call (lr_scheduler.py, patch_track_step_called). */
function trackStepCalls(optimizer: SchedulableOptimizer): void {
  const step = optimizer.step as StepFunction;
  if (step._wrapped_by_lr_sched) return;
  const flags = optimizer as SchedulableOptimizer & { _opt_called?: boolean };
  const wrapper: StepFunction = (...args: never[]) => {
    flags._opt_called = true;
    return step.apply(optimizer, args);
  };
  wrapper._wrapped_by_lr_sched = true;
  optimizer.step = wrapper as Optimizer["step"];
}

/**
 * Adjusts the learning rate of an optimizer's parameter groups as training progresses,
 * the base of every scheduler in `optim.lr_scheduler` (PyTorch's `LRScheduler`).
 *
 * Construction has PyTorch's side effects: each group gets `initial_lr` (its current `lr`)
 * unless resuming (`last_epoch` given, when `initial_lr` must already be there),
 * `base_lrs` holds those values, `optimizer.step` is wrapped to detect a scheduler stepped
 * before its optimizer, and one initial step runs, so afterwards `last_epoch` is 0 and
 * every group's `lr` holds the epoch-0 value.
 *
 * ```text
 * step():       last_epoch ← last_epoch + 1;  lrs ← get_lr()                 (chainable form)
 * step(epoch):  last_epoch ← epoch;           lrs ← _get_closed_form_lr()    (where defined)
 * then group.lr ← lrs[i] for every group i, and get_last_lr() returns lrs
 * ```
 *
 * A custom scheduler overrides `get_lr()`, reading `last_epoch`, `base_lrs` and the
 * groups' current `lr`s. Settings it needs during that first step go in the third
 * constructor argument, which is copied onto the instance before the initial step (as
 * PyTorch's subclasses set their attributes before calling `super().__init__`); declare
 * them with `declare`, so that field initialisation does not overwrite them.
 *
 * @example
 * ```ts
 * import { optim, tensor } from "gradlab";
 * class Halving extends optim.lr_scheduler.LRScheduler {
 *   override get_lr(): number[] {
 *     return this.base_lrs.map((lr) => lr / 2 ** this.last_epoch);
 *   }
 * }
 * const opt = new optim.SGD([tensor([1], { requires_grad: true })], { lr: 0.8 });
 * const sched = new Halving(opt);
 * opt.step();
 * sched.step();
 * console.log(sched.get_last_lr()); // [0.4]
 * ```
 */
export abstract class LRScheduler {
  optimizer: SchedulableOptimizer;
  /** Each group's `initial_lr` when the scheduler was made. */
  base_lrs: number[] = [];
  /** The index of the last epoch (or batch) the schedule has reached; 0 after construction. */
  last_epoch = -1;
  _step_count = 0;
  _last_lr: number[] = [];
  _get_lr_called_within_step = false;
  _is_initial = false;

  /** The closed form of the schedule at `last_epoch`, used by `step(epoch)` where a scheduler has one. */
  _get_closed_form_lr?(): number[];

  constructor(optimizer: SchedulableOptimizer, last_epoch = -1, settings: object | typeof NO_BASE_SETUP = {}) {
    checkOptimizer(optimizer);
    const groups = groupsOf(optimizer);
    if (settings !== NO_BASE_SETUP && last_epoch !== -1) {
      groups.forEach((group, i) => {
        if (!("initial_lr" in group)) {
          throw new Error(`param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer`);
        }
      });
    }
    this.optimizer = optimizer;
    if (settings === NO_BASE_SETUP) return;
    Object.assign(this, settings);
    if (last_epoch === -1) {
      for (const group of groups) if (!("initial_lr" in group)) group.initial_lr = group.lr;
    }
    this.base_lrs = groups.map((group) => group.initial_lr as number);
    this.last_epoch = last_epoch;
    trackStepCalls(optimizer);
    this._initial_step();
  }

  /** Resets the step count and takes the step that sets the epoch-0 learning rates. */
  _initial_step(): void {
    this._step_count = 0;
    this._is_initial = true;
    try {
      this.step();
    } finally {
      this._is_initial = false;
    }
  }

  /**
   * The learning rates of the next step, computed from the current ones (the chainable
   * form). Call it only through `step()`; to read the current rates use `get_last_lr()`.
   */
  abstract get_lr(): number[];

  /** Warns, as PyTorch does, when `get_lr()` is called from outside `step()`. */
  protected warnIfOutsideStep(): void {
    if (!this._get_lr_called_within_step) warn(GET_LR_WARNING);
  }

  /** The learning rates the scheduler last set, one per parameter group. */
  get_last_lr(): number[] {
    return this._last_lr;
  }

  /**
   * Advances the schedule by one epoch (or batch) and writes the new learning rates into
   * the optimizer's groups; `step(epoch)` jumps to `epoch` instead (deprecated in PyTorch).
   */
  step(epoch?: number): void {
    if (this._step_count === 1) {
      const step = this.optimizer.step as StepFunction;
      if (!step._wrapped_by_lr_sched) warn(STEP_OVERRIDDEN_WARNING);
      else if (!(this.optimizer as { _opt_called?: boolean })._opt_called) warn(STEP_ORDER_WARNING);
    }
    const { _step_count, last_epoch } = this;
    this._step_count += 1;
    if (epoch !== undefined && epoch !== null) warn(EPOCH_DEPRECATION_WARNING);
    try {
      this._update_lr(epoch);
    } catch (error) {
      // get_lr threw (OneCycleLR past its last step …) before any group changed: undo the counters too.
      Object.assign(this, { _step_count, last_epoch });
      throw error;
    }
  }

  /** Computes the learning rates for `epoch` (or the next epoch) and writes them into the groups. */
  _update_lr(epoch?: number | null): void {
    let values: number[];
    this._get_lr_called_within_step = true;
    try {
      if (epoch === undefined || epoch === null) {
        this.last_epoch += 1;
        values = this.get_lr();
      } else {
        this.last_epoch = epoch;
        values = this._get_closed_form_lr ? this._get_closed_form_lr() : this.get_lr();
      }
    } finally {
      this._get_lr_called_within_step = false;
    }
    const groups = groupsOf(this.optimizer);
    groups.forEach((group, i) => (group.lr = values[i]!));
    this._last_lr = groups.map((group) => group.lr);
  }

  /**
   * The scheduler's state: every field except the optimizer (and functions, which are not
   * saved, as PyTorch does not save lambdas), deep-copied, JSON-serialisable.
   */
  state_dict(): SchedulerState {
    return this.stateWithout([]);
  }

  /** Every field but the optimizer, functions and `keys`, deep-copied. */
  protected stateWithout(keys: readonly string[]): SchedulerState {
    const state: SchedulerState = {};
    for (const [key, value] of Object.entries(this)) {
      if (key === "optimizer" || typeof value === "function" || keys.includes(key)) continue;
      state[key] = structuredClone(value);
    }
    return state;
  }

  /**
   * Restores the state `state_dict()` returned (possibly after a JSON round trip). The
   * state must have exactly the keys `state_dict()` writes, with their kinds and ranges
   * (see scheduler_state.ts); otherwise this throws and the scheduler is unchanged.
   */
  load_state_dict(state_dict: SchedulerState): void {
    this._prepare_load(state_dict)();
  }

  /**
   * Checks `state_dict` and returns the function that loads it, so that a scheduler holding
   * others checks every state before any loads. `skip` names keys a subclass checks itself.
   */
  _prepare_load(state_dict: unknown, skip: readonly string[] = []): () => void {
    const values = checkSchedulerState(this.constructor.name, this.state_dict(), state_dict, this._state_checks(), skip, this._unsaved_by_pytorch());
    const notLoaded = this._not_loaded();
    return () => {
      for (const key of Object.keys(values)) if (!notLoaded.includes(key)) defineData(this, key, values[key]);
      this._after_load();
    };
  }

  /** A scheduler's own checks of loaded values, by key (the values a string option can take …). */
  protected _state_checks(): Record<string, StateCheck> {
    return {};
  }

  /**
   * Keys of this scheduler's state that a PyTorch state dict may lack (saved by newer PyTorch
   * versions only, or never by PyTorch's class): absent, they keep this scheduler's value.
   */
  protected _unsaved_by_pytorch(): readonly string[] {
    return ADDED_SINCE;
  }

  /** Keys that are checked but not loaded (slots of functions, which `state_dict()` writes as null). */
  protected _not_loaded(): readonly string[] {
    return [];
  }

  /** Runs after the loaded values are in place (to rebuild what depends on them). */
  protected _after_load(): void {}
}
