/**
 * The hooks of an optimizer, as `torch.optim.Optimizer`'s `register_*_hook` methods:
 * step pre and post hooks, state_dict pre and post hooks, load_state_dict pre and post
 * hooks, each list run in registration order (`prepend` puts a hook first).
 *
 * The hook types take the optimizer's class as `O`, so this file needs no import of
 * `optimizer.ts`; `Optimizer` extends `OptimizerHooks<Optimizer, StateDict>` and its file
 * exports the hook types with `O` filled in.
 */
import type { Tensor } from "../tensor/tensor.ts";
import { HookList, type RemovableHandle } from "./hooks.ts";

/** The function `step(closure)` calls: zero grads, recompute the loss, backward, return it. */
export type Closure = () => Tensor | number;

/** The loss a closure returned, or null when `step` ran without one. */
export type Loss = Tensor | number | null;

/** `step`'s positional arguments as the step hooks see them (`[]` or `[closure]`). */
export type StepArgs = [closure?: Closure | null];

/** PyTorch's `kwargs` of a step hook: always empty here, kept for the signature. */
export type StepKwargs = Record<string, unknown>;

/** Runs before `step`; may return new `[args, kwargs]` for it. */
export type StepPreHookOf<O> = (optimizer: O, args: StepArgs, kwargs: StepKwargs) => [StepArgs, StepKwargs] | null | undefined | void;
/** Runs after `step`. */
export type StepPostHookOf<O> = (optimizer: O, args: StepArgs, kwargs: StepKwargs) => void;
/** Runs with the optimizer alone (before `state_dict()`, after `load_state_dict`). */
export type OptimizerHookOf<O> = (optimizer: O) => void;
/** Runs on a state dict (after `state_dict()`, before `load_state_dict`); may return a replacement. */
export type StateDictHookOf<O, SD> = (optimizer: O, state_dict: SD) => SD | null | undefined | void;

/** The hook lists every optimizer keeps and the methods that register into them. */
export class OptimizerHooks<O, SD> {
  // The lists themselves are machinery (PyTorch's `_optimizer_step_pre_hooks` and kin): @internal.
  /** @internal */
  protected readonly stepPreHooks = new HookList<StepPreHookOf<O>>();
  /** @internal */
  protected readonly stepPostHooks = new HookList<StepPostHookOf<O>>();
  /** @internal */
  protected readonly stateDictPreHooks = new HookList<OptimizerHookOf<O>>();
  /** @internal */
  protected readonly stateDictPostHooks = new HookList<StateDictHookOf<O, SD>>();
  /** @internal */
  protected readonly loadPreHooks = new HookList<StateDictHookOf<O, SD>>();
  /** @internal */
  protected readonly loadPostHooks = new HookList<OptimizerHookOf<O>>();

  /** Registers `hook(optimizer, args, kwargs)` to run before each `step`; it may return new [args, kwargs]. */
  register_step_pre_hook(hook: StepPreHookOf<O>): RemovableHandle {
    return this.stepPreHooks.add(hook);
  }

  /** Registers `hook(optimizer, args, kwargs)` to run after each `step`. */
  register_step_post_hook(hook: StepPostHookOf<O>): RemovableHandle {
    return this.stepPostHooks.add(hook);
  }

  /** Registers `hook(optimizer)` to run before `state_dict()` builds its result. */
  register_state_dict_pre_hook(hook: OptimizerHookOf<O>, options: { prepend?: boolean } = {}): RemovableHandle {
    return this.stateDictPreHooks.add(hook, options.prepend);
  }

  /** Registers `hook(optimizer, state_dict)`, run on `state_dict()`'s result; it may return a replacement. */
  register_state_dict_post_hook(hook: StateDictHookOf<O, SD>, options: { prepend?: boolean } = {}): RemovableHandle {
    return this.stateDictPostHooks.add(hook, options.prepend);
  }

  /** Registers `hook(optimizer, state_dict)`, run on a shallow copy of what `load_state_dict` got; it may return a replacement. */
  register_load_state_dict_pre_hook(hook: StateDictHookOf<O, SD>, options: { prepend?: boolean } = {}): RemovableHandle {
    return this.loadPreHooks.add(hook, options.prepend);
  }

  /** Registers `hook(optimizer)` to run after `load_state_dict` has loaded. */
  register_load_state_dict_post_hook(hook: OptimizerHookOf<O>, options: { prepend?: boolean } = {}): RemovableHandle {
    return this.loadPostHooks.add(hook, options.prepend);
  }
}

/** Runs hooks that may each return a replacement state dict, and returns the last one. */
export function runStateDictHooks<O, SD>(hooks: HookList<StateDictHookOf<O, SD>>, optimizer: O, state_dict: SD): SD {
  let out = state_dict;
  for (const hook of hooks.values()) {
    const result = hook(optimizer, out);
    if (result !== null && result !== undefined) out = result;
  }
  return out;
}

/**
 * Runs `perform` between the step hooks, as PyTorch's `profile_hook_step`: each list of
 * `pre` in order (a hook may return new `[args, kwargs]`), then `perform` on the closure,
 * then each list of `post` in order. Returns what `perform` returned.
 */
export function runStepHooks<O>(
  optimizer: O,
  pre: readonly HookList<StepPreHookOf<O>>[],
  post: readonly HookList<StepPostHookOf<O>>[],
  closure: Closure | null | undefined,
  perform: (closure: Closure | null) => Loss,
): Loss {
  let args: StepArgs = closure === undefined ? [] : [closure];
  let kwargs: StepKwargs = {};
  for (const hook of pre.flatMap((hooks) => hooks.values())) {
    const result = hook(optimizer, args, kwargs);
    if (result !== null && result !== undefined) {
      if (!Array.isArray(result) || result.length !== 2) {
        throw new Error(`step must return None or a tuple of (new_args, new_kwargs), but got ${String(result)}.`);
      }
      [args, kwargs] = result;
    }
  }
  const loss = perform(args[0] ?? null);
  for (const hook of post.flatMap((hooks) => hooks.values())) hook(optimizer, args, kwargs);
  return loss;
}
