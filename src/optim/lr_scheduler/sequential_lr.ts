import { ADDED_SINCE } from "./scheduler_state.ts";
import { defineData } from "../../utils/state_checks.ts";
import { LRScheduler, NO_BASE_SETUP, type SchedulableOptimizer, type SchedulerState, checkOptimizer, groupsOf } from "./lr_scheduler.ts";
import { type Arguments, arrayOf, instanceOf, integer, required, signature, describeValue } from "../../utils/signature.ts";
import { lastEpochParameter, optimizerParameter } from "./parameters.ts";

/** A scheduler as SequentialLR and ChainedScheduler hold it (ReduceLROnPlateau excluded). */
export function checkChained(owner: string, optimizer: SchedulableOptimizer, schedulers: readonly LRScheduler[], isPlateau: (s: LRScheduler) => boolean): void {
  schedulers.forEach((scheduler, i) => {
    if (typeof scheduler !== "object" || scheduler === null || !("optimizer" in scheduler)) {
      throw new TypeError(`${owner} at index ${i} should have \`optimizer\` as its attribute.`);
    }
    if (isPlateau(scheduler)) {
      throw new Error(
        `${owner} does not support \`ReduceLROnPlateau\` scheduler as it requires additional kwargs to be specified when calling \`step\`, but got one at index ${i} in the given schedulers sequence.`,
      );
    }
    if (scheduler.optimizer !== optimizer) {
      throw new Error(
        `${owner} expects all schedulers to belong to the same optimizer, but got scheduler ${scheduler.constructor.name} at index ${i} has ${scheduler.optimizer.constructor.name}, which is different from ${optimizer.constructor.name}.`,
      );
    }
  });
}

/**
 * The loader of a scheduler that holds others: checks its own keys (with `prepareOwn`) and
 * each wrapped scheduler's state, all before any loads; the returned function loads them.
 */
export function prepareNestedLoad(
  owner: LRScheduler,
  schedulers: readonly LRScheduler[],
  state_dict: unknown,
  prepareOwn: (state_dict: unknown, skip: readonly string[]) => () => void,
): () => void {
  const loadOwn = prepareOwn(state_dict, ["_schedulers"]);
  const where = `${owner.constructor.name}.load_state_dict: state_dict['_schedulers']`;
  const states = (state_dict as Record<string, unknown>)._schedulers;
  if (!Array.isArray(states) || states.length !== schedulers.length) {
    throw new Error(`${where} should be an array of ${schedulers.length} scheduler states, got ${describeValue(states)}`);
  }
  const loaders = schedulers.map((s, i) => {
    try {
      return s._prepare_load(states[i]);
    } catch (error) {
      throw new Error(`${where}[${i}]: ${(error as Error).message}`);
    }
  });
  return () => {
    loadOwn();
    for (const load of loaders) load();
  };
}

/**
 * Runs the `step` of a scheduler that holds others (`owner`) all or nothing: when a wrapped
 * scheduler's step throws, every scheduler inside `owner` (nested ones too) gets its fields
 * back (last_epoch, _step_count, _last_lr …) and every group of the optimizer its options
 * (lr, momentum, betas …), as they were before, and the error is rethrown.
 */
export function stepAtomically(owner: LRScheduler, step: () => void): void {
  const restore = snapshotForStep(owner);
  try {
    step();
  } catch (error) {
    restore();
    throw error;
  }
}

/**
 * `owner` and every scheduler inside it (nested ones too), appended to `into`: a module-level
 * function, not a closure made on each step (under tsx see test/speed/renames.test.ts).
 */
function collectSchedulers(owner: LRScheduler, into: LRScheduler[]): LRScheduler[] {
  into.push(owner);
  if ("_schedulers" in owner) for (const inner of (owner as SequentialLR)._schedulers) collectSchedulers(inner, into);
  return into;
}

/** A copy of what a step may change, and the function that puts it back. */
function snapshotForStep(owner: LRScheduler): () => void {
  const schedulers = collectSchedulers(owner, []);
  const fields = schedulers.map((s) => ownFields(s, ["optimizer", "_schedulers"]));
  const groups = groupsOf(owner.optimizer);
  const options = groups.map((group) => ownFields(group, ["params"]));
  return () => {
    schedulers.forEach((s, i) => putBack(s, fields[i]!, ["optimizer", "_schedulers"]));
    groups.forEach((group, i) => putBack(group, options[i]!, ["params"]));
  };
}

/** A value as it was: the value itself and, for an array, what it held (a step may write into it). */
interface Kept {
  value: unknown;
  items: Kept[] | null;
}

const keep = (value: unknown): Kept => ({ value, items: Array.isArray(value) ? value.map(keep) : null });

/** Puts a kept value's arrays back as they were, in place (so arrays shared between schedulers stay shared). */
function restoreKept(kept: Kept): unknown {
  if (kept.items !== null) {
    const array = kept.value as unknown[];
    array.length = 0;
    for (const item of kept.items) array.push(restoreKept(item));
  }
  return kept.value;
}

/** An object's own fields but `skip`, as they are now. */
function ownFields(target: object, skip: readonly string[]): Map<string, Kept> {
  const fields = new Map<string, Kept>();
  for (const [key, value] of Object.entries(target)) if (!skip.includes(key)) fields.set(key, keep(value));
  return fields;
}

/** Restores the fields `ownFields` kept, and removes any own field added since (but `skip`). */
function putBack(target: object, fields: Map<string, Kept>, skip: readonly string[]): void {
  const record = target as Record<string, unknown>;
  for (const key of Object.keys(target)) if (!fields.has(key) && !skip.includes(key)) delete record[key];
  for (const [key, kept] of fields) defineData(target, key, restoreKept(kept));
}

/** True for ReduceLROnPlateau, recognised by its `step(metrics)` state without importing it. */
export const isPlateau = (s: LRScheduler): boolean => "num_bad_epochs" in s;

/** Moves every scheduler inside `s` (through nested SequentialLR / ChainedScheduler) back one epoch. */
export function recursiveUndo(s: LRScheduler): void {
  if ("_schedulers" in s) for (const inner of (s as SequentialLR)._schedulers) recursiveUndo(inner);
  else s.last_epoch -= 1;
}

/** SequentialLR's signature in current PyTorch: `SequentialLR(optimizer, schedulers, milestones, last_epoch=-1)`. */
export const sequentialLRSignature = signature("SequentialLR.__init__", [
  optimizerParameter,
  required("schedulers", arrayOf(instanceOf(LRScheduler, "a scheduler"), "an array of schedulers")),
  required("milestones", arrayOf(integer)),
  lastEpochParameter,
]);

/**
 * Runs schedulers one after another: the first until the first milestone, the next from
 * there, and so on; each starts from its own epoch 0 at its milestone.
 *
 * ```text
 * arguments  schedulers · milestones (one fewer than schedulers)
 * last_epoch ← last_epoch + 1;  i ← number of milestones ≤ last_epoch
 * if last_epoch is milestone i − 1: schedulers[i] jumps to its epoch 0 (closed form where it has one)
 * else: schedulers[i].step()
 * ```
 * A step is all or nothing: if the scheduler it runs throws, SequentialLR, its schedulers
 * and the optimizer's groups are left as they were (PyTorch keeps last_epoch advanced).
 * Construction resets each group's `lr` to `initial_lr`, undoes the initial step the
 * schedulers took when made, and retakes it for the first one only.
 */
export class SequentialLR extends LRScheduler {
  _schedulers: LRScheduler[];
  _milestones: number[];

  constructor(...args: Arguments<typeof sequentialLRSignature>) {
    const { optimizer, schedulers, milestones, last_epoch } = sequentialLRSignature.parse(args);
    const owner = new.target.name;
    if (schedulers.length < 1) throw new Error(`${owner} expects at least one scheduler, but got no scheduler.`);
    checkOptimizer(optimizer);
    checkChained(owner, optimizer, schedulers, isPlateau);
    if (milestones.length !== schedulers.length - 1) {
      throw new Error(
        `Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers ${schedulers.length} and the number of milestones to be equal to ${milestones.length}`,
      );
    }
    super(optimizer, last_epoch, NO_BASE_SETUP);
    this._schedulers = schedulers;
    this._milestones = milestones;
    this.last_epoch = last_epoch + 1;
    for (const group of groupsOf(optimizer)) group.lr = group.initial_lr as number;
    recursiveUndo(this);
    schedulers[0]!._initial_step();
    this._last_lr = schedulers[0]!.get_last_lr();
  }

  /** SequentialLR computes no rates of its own: the groups' current rates. */
  override get_lr(): number[] {
    return groupsOf(this.optimizer).map((group) => group.lr);
  }

  /** One epoch on: all or nothing (a wrapped scheduler that throws leaves every scheduler and group as it was). */
  override step(): void {
    stepAtomically(this, () => {
      this.last_epoch += 1;
      let idx = 0;
      while (idx < this._milestones.length && this._milestones[idx]! <= this.last_epoch) idx++;
      const scheduler = this._schedulers[idx]!;
      if (idx > 0 && this._milestones[idx - 1] === this.last_epoch) scheduler._update_lr(0);
      else scheduler.step();
      this._last_lr = scheduler.get_last_lr();
    });
  }

  /** The state, with each wrapped scheduler's state under `_schedulers`. */
  override state_dict(): SchedulerState {
    return { ...this.stateWithout(["_schedulers"]), _schedulers: this._schedulers.map((s) => s.state_dict()) };
  }

  /**
   * PyTorch's SequentialLR never calls the base constructor, so its state dict holds only
   * `_schedulers`, `_milestones`, `last_epoch` and `_last_lr`: the base's counters keep this scheduler's values when loading one.
   */
  protected override _unsaved_by_pytorch(): readonly string[] {
    return [...ADDED_SINCE, "base_lrs", "_step_count", "_get_lr_called_within_step"];
  }

  /** Checks its own state and every wrapped scheduler's before any of them loads. */
  override _prepare_load(state_dict: unknown): () => void {
    return prepareNestedLoad(this, this._schedulers, state_dict, (sd, skip) => super._prepare_load(sd, skip));
  }
}
