/**
 * The base class of every optimizer, as `torch.optim.Optimizer`: param groups, lazy
 * per-parameter state, the closure, hooks and state_dict (the hook lists live in
 * optimizer_hooks.ts, the state_dict layout in optimizer_state_dict.ts, the making of a
 * group in param_group.ts, the typed arrays `update` runs on in parameter_elements.ts, state
 * buffers in state_buffer.ts, the printout in optimizer_repr.ts; `zero_grad` is
 * nn/zero_grad.ts, shared with `Module`).
 *
 * How a subclass is written (src/optim/adam.ts is the model):
 *
 * 1. The signature, declared once (src/utils/signature.ts), in PyTorch's order, keyword-only
 *    parameters (those after Python's `*`) last, kernel-only ones (`foreach`, `capturable`,
 *    `differentiable`, `fused`) included so that state_dicts line up:
 *    ```ts
 *    export const adamSignature = signature("Adam.__init__", [
 *      paramsParameter, optional("lr", number, 1e-3), ...common("betas", "eps", "weight_decay", "amsgrad"),
 *      ...commonKeywords("foreach", "maximize", "capturable", "differentiable", "fused"), …
 *    ]);
 *    export type AdamGroup = GroupOf<typeof adamSignature>;     // the group's keys and types
 *    export type AdamOptions = OptionsOf<typeof adamSignature>; // all optional
 *    ```
 *    and `interface AdamState { step: number; exp_avg: Tensor; … }` the per-parameter state,
 *    with PyTorch's key names. `step` is a number.
 * 2. The constructor parses its arguments with the signature (positional in PyTorch's order,
 *    then a trailing options object; wrong calls throw Python's TypeErrors), then validates
 *    in PyTorch's order before `super`, so a bad value changes nothing:
 *    ```ts
 *    constructor(...args: OptimizerArguments<typeof adamSignature>) {
 *      const { params, ...defaults } = adamSignature.parse(args);
 *      checkLr(defaults.lr); checkEps(defaults.eps); …     // checks.ts, PyTorch's order
 *      super(params, defaults, adamSignature);   // the declaration checks add_param_group's overrides
 *    }
 *    ```
 * 3. Lazy state: `protected override initState(param, group): AdamState | null` runs on
 *    the first step in which `param` has a gradient and returns the fresh state (buffers
 *    made with {@link stateBuffer}, so they are contiguous and zero), or null for a
 *    parameter that keeps no state in this configuration (SGD without momentum).
 * 4. The update: `protected override update(theta, g, state, group, param, trace)` gets the
 *    parameter's and the gradient's elements as typed arrays in row-major order (`theta`
 *    is written in place), the state (or null, see 3) and the group. One fused loop, no
 *    allocation; read buffers as `state.exp_avg.data.data`. The base skips parameters
 *    without a gradient, bumps the parameter's version after the update, and handles
 *    non-contiguous parameters and gradients (a rare path that copies).
 * 5. Optimizers that need the whole group at once (LBFGS: one flat vector and a closure
 *    it calls many times) override `protected performStep(closure)` instead of 3–4. It
 *    runs inside `step`, between the step hooks, with grad mode off; it must call
 *    {@link evaluateClosure} to run the closure, and return the loss.
 *
 * `step` itself is never overridden: it runs the hooks around `performStep`.
 */
import { enable_grad, no_grad, set_grad_enabled } from "../autograd/grad_mode.ts";
import { Tensor } from "../methods.ts";
import { SparseTensor } from "../ops/sparse.ts";
import type { Float } from "../tensor/dtype.ts";
import { zeroGradients } from "../nn/zero_grad.ts";
import { optimizerRepr } from "./optimizer_repr.ts";
import { HookList, type RemovableHandle } from "./hooks.ts";
import { type Closure, type Loss, OptimizerHooks, type StepPostHookOf, type StepPreHookOf, runStateDictHooks, runStepHooks } from "./optimizer_hooks.ts";
import { type StateSpec, specOfFreshState } from "./load_checks.ts";
import { type StateDict, optionsFilledOnLoad, packStateDict, unpackStateDict } from "./optimizer_state_dict.ts";
import { elementsOf, storeElements } from "./parameter_elements.ts";
import { expectRecord } from "../utils/state_checks.ts";
import type { Arguments, Parameter, Signature } from "../utils/signature.ts";
import { stepSignature, zeroGradSignature } from "./signatures.ts";
import { type StepTrace, stepTracerOf } from "./step_trace.ts";
import { type Hyperparameters, type ParamGroup, type ParamGroupInput, type Params, groupInputsOf, newParamGroup } from "./param_group.ts";

export type { Hyperparameters, ParamGroup, ParamGroupInput, ParamLike, Params } from "./param_group.ts";
export type { RemovableHandle } from "./hooks.ts";
export type { Plain, TensorJSON } from "./state_dict.ts";
export type { Closure, Loss, StepArgs, StepKwargs } from "./optimizer_hooks.ts";
export type { StateDict } from "./optimizer_state_dict.ts";
export { stateBuffer } from "./state_buffer.ts";

/** A step pre hook: runs before `step`; may return new `[args, kwargs]` for it. */
export type StepPreHook = StepPreHookOf<Optimizer>;
/** A step post hook: runs after `step`. */
export type StepPostHook = StepPostHookOf<Optimizer>;

const globalPreHooks = new HookList<StepPreHook>();
const globalPostHooks = new HookList<StepPostHook>();

/** Registers a step pre hook that every optimizer runs first, before its own. */
export const register_optimizer_step_pre_hook = (hook: StepPreHook): RemovableHandle => globalPreHooks.add(hook);

/** Registers a step post hook that every optimizer runs last, after its own. */
export const register_optimizer_step_post_hook = (hook: StepPostHook): RemovableHandle => globalPostHooks.add(hook);

/**
 * Base class for all optimizers.
 *
 * `param_groups` holds the groups (every default copied into each), `state` the lazy
 * per-parameter state keyed by the parameter itself, `defaults` the constructor's options.
 */
export class Optimizer<G extends ParamGroup = ParamGroup, S extends object = object> extends OptimizerHooks<Optimizer, StateDict> {
  /** The constructor's options: the values a group takes when it does not set them. */
  defaults: Hyperparameters<G>;
  /** The param groups, each with every option filled in. */
  param_groups: G[] = [];
  /** Per-parameter state, created on the parameter's first step with a gradient. */
  state = new Map<Tensor, S>();

  /** The subclass's declared signature: the kinds `add_param_group` checks overrides against. */
  protected readonly declaration: Signature<readonly Parameter[]> | undefined;

  /**
   * `declaration` (the subclass's declared signature) lets `add_param_group` check that each
   * group's overrides are of the declared kinds; optimizers written outside gradlab may omit it.
   */
  constructor(params: Params<G>, defaults: Hyperparameters<G>, declaration?: Signature<readonly Parameter[]>) {
    super();
    this.defaults = defaults;
    this.declaration = declaration;
    for (const group of groupInputsOf(params)) this.add_param_group(group);
  }

  /**
   * Adds a param group, as when unfreezing layers during fine-tuning: options it does
   * not set take the defaults. Throws PyTorch's messages before changing anything.
   */
  add_param_group(param_group: ParamGroupInput<G>): void {
    this.param_groups.push(newParamGroup(param_group, this.defaults, this.param_groups, this.declaration, this.constructor.name));
  }

  /**
   * Resets the gradients of every parameter: to null (the default), or to zeros in
   * place with `{ set_to_none: false }` (detached from any graph that made them).
   */
  zero_grad(...args: Arguments<typeof zeroGradSignature>): void {
    const { set_to_none } = zeroGradSignature.parse(args);
    // group by group, in order (flatMap would make one array of them all on every step)
    for (const group of this.param_groups) zeroGradients(group.params, set_to_none);
  }

  /**
   * Performs one optimization step and returns the closure's loss (null without one).
   *
   * Runs the global pre hooks, this optimizer's pre hooks, the update, this optimizer's
   * post hooks, then the global post hooks, as PyTorch's `profile_hook_step` does. A pre
   * hook may return new `[args, kwargs]`. The closure runs with grad enabled.
   */
  step<L extends Tensor | number>(closure: () => L): L;
  step(closure?: null): null;
  step(closure?: Closure | null): Loss;
  step(closure?: Closure | null): Loss {
    if (closure !== undefined && closure !== null && typeof closure !== "function") stepSignature.parse([closure]);
    if (globalPreHooks.size + this.stepPreHooks.size + this.stepPostHooks.size + globalPostHooks.size === 0) {
      // no hooks (the usual case): the step with grad mode off, without making the hook lists' arrays
      const previous = set_grad_enabled(false);
      try {
        return this.performStep(closure ?? null);
      } finally {
        set_grad_enabled(previous);
      }
    }
    const pre = [globalPreHooks, this.stepPreHooks];
    const post = [this.stepPostHooks, globalPostHooks];
    return runStepHooks(this as unknown as Optimizer, pre, post, closure, (c) => no_grad(() => this.performStep(c)));
  }

  /**
   * The step between the hooks: runs the closure, then for every group and every
   * parameter that has a gradient, creates its state if needed and calls `update`.
   * Override only for optimizers that need a whole group at once (LBFGS).
   */
  protected performStep(closure: Closure | null): Loss {
    const loss = this.evaluateClosure(closure);
    // Every group's gradients are checked before any parameter moves, so a refused step changes nothing.
    for (const group of this.param_groups) this.checkGradients(group);
    const tracer = stepTracerOf(this); // lab.inspect's, if one is attached
    tracer?.beginStep(this);
    for (let index = 0; index < this.param_groups.length; index++) {
      const group = this.param_groups[index]!;
      for (const param of group.params) {
        const grad = param.grad;
        if (grad === null) continue;
        let state: S | null | undefined = this.state.get(param);
        if (state === undefined) {
          state = this.initState(param, group);
          if (state !== null) this.state.set(param, state);
        }
        // is_sparse rather than instanceof, which costs several times more under tsx (keepNames)
        if (grad.is_sparse) this.updateSparse(param, grad as SparseTensor, state, group);
        else this.updateParameter(param, grad, state, group, tracer?.traceFor(param, index) ?? null);
      }
    }
    tracer?.endStep(this);
    return loss;
  }

  /**
   * Refuses a group's gradients before any parameter changes (every group is checked before
   * the first update; PyTorch's `_init_group` raises group by group, after updating the
   * groups before): by default, sparse gradients (see {@link sparseGradientError}).
   */
  protected checkGradients(group: G): void {
    const message = this.sparseGradientError(group);
    if (message === null) return;
    for (const p of group.params) if (p.grad?.is_sparse) throw new Error(message);
  }

  /** PyTorch's error for a sparse gradient, or null where the optimizer takes them (SGD, Adagrad, SparseAdam). */
  protected sparseGradientError(_group: G): string | null {
    return `${this.constructor.name} does not support sparse gradients`;
  }

  /** Updates one parameter from a sparse gradient (`nn.Embedding(..., { sparse: true })`): only optimizers that take them override this. */
  protected updateSparse(_param: Tensor, _grad: SparseTensor, _state: S | null, _group: G): void {
    throw new TypeError(`${this.constructor.name} must override updateSparse() to take sparse gradients`);
  }

  /** Runs the closure with grad mode on, as `with torch.enable_grad(): loss = closure()`. */
  protected evaluateClosure(closure: Closure | null): Loss {
    return closure === null ? null : enable_grad(closure);
  }

  /** The fresh state of a parameter on its first step with a gradient; null for none. */
  protected initState(_param: Tensor, _group: G): S | null {
    return null;
  }

  /**
   * Updates one parameter in place from its gradient: `theta` and `g` are their elements
   * in row-major order. Every per-parameter optimizer overrides this. `trace` is null
   * unless `lab.inspect` watches some of the parameter's elements: an optimizer that
   * supports the inspector then also runs its loop's traced variant and fills the trace
   * (src/optim/step_trace.ts); the others ignore it.
   */
  protected update(_theta: Float, _g: Float, _state: S | null, _group: G, _param: Tensor, _trace: StepTrace | null): void {
    throw new TypeError(`${this.constructor.name} must override update() or performStep()`);
  }

  /** Calls `update` on the parameter's memory, copying in and out only for strided views (parameter_elements.ts). */
  private updateParameter(param: Tensor, grad: Tensor, state: S | null, group: G, trace: StepTrace | null): void {
    if (grad.numel() !== param.numel()) {
      throw new Error(`The size of tensor a (${param.numel()}) must match the size of tensor b (${grad.numel()})`);
    }
    const theta = elementsOf(param);
    this.update(theta, elementsOf(grad), state, group, param, trace);
    storeElements(param, theta);
    param._bumpVersion();
  }

  /**
   * The optimizer's state as a JSON-ready object in PyTorch's layout: `state` keyed by
   * each parameter's position (counted across groups in order), `param_groups` with
   * those positions in `params`. Tensors become `{ dtype, shape, data }` objects.
   */
  state_dict(): StateDict {
    for (const hook of this.stateDictPreHooks.values()) hook(this as unknown as Optimizer);
    return runStateDictHooks(this.stateDictPostHooks, this as unknown as Optimizer, packStateDict(this.param_groups, this.state));
  }

  /**
   * Loads state saved by `state_dict()` (also after a JSON round trip): groups are
   * matched by position and size, state tensors are copied and cast to their
   * parameter's dtype. Throws PyTorch's messages before changing anything.
   */
  load_state_dict(state_dict: StateDict): void {
    expectRecord(state_dict, "loaded state dict");
    const sd = runStateDictHooks(this.loadPreHooks, this as unknown as Optimizer, { ...state_dict });
    const { param_groups, state } = unpackStateDict<G, S>(
      {
        param_groups: this.param_groups,
        defaults: this.defaults,
        checkOptions: (options, params) => this.checkLoadedOptions(options, params),
        filledOnLoad: this.filledOnLoad(),
        stateSpec: (param, group) => this.loadedStateSpec(param, group),
      },
      sd,
    );
    this.state = state;
    this.param_groups = param_groups;
    for (const hook of this.loadPostHooks.values()) hook(this as unknown as Optimizer);
  }

  /**
   * Runs the constructor's checks on a loaded group's options by constructing a throwaway
   * optimizer of this class with them. A subclass whose constructor takes other arguments
   * overrides this.
   */
  protected checkLoadedOptions(options: Record<string, unknown>, params: Tensor[]): void {
    const OptimizerClass = this.constructor as new (params: Tensor[], options: object) => unknown;
    new OptimizerClass(params, options);
  }

  /**
   * The options a state dict saved by an older PyTorch may lack (the kernel flags and
   * `maximize`, `decoupled_weight_decay`, added to PyTorch over time), with the value PyTorch's
   * `__setstate__` gives a group without them: the declared default.
   */
  protected filledOnLoad(): Record<string, unknown> {
    return optionsFilledOnLoad(this.defaults, this.declaration?.defaults ?? {});
  }

  /** The state this optimizer keeps for `param` in `group` (for loading): the keys and shapes `initState` makes. */
  protected loadedStateSpec(param: Tensor, group: G): StateSpec | null {
    return specOfFreshState(this.initState(param, group), param);
  }

  /** PyTorch's printout: the class name, then each group's options sorted by name. */
  override toString(): string {
    return optimizerRepr(this.constructor.name, this.param_groups);
  }
}
