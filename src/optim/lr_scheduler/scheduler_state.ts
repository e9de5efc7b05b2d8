/**
 * What a scheduler's `load_state_dict` accepts: exactly the keys its own `state_dict()`
 * writes, each of the kind `state_dict()` gives it now (lists of the same length, objects
 * with the same keys), integers where PyTorch keeps counts, the values a string option can
 * take, and nothing that would replace the optimizer, a method or a prototype.
 *
 * PyTorch's `load_state_dict` is `self.__dict__.update(state_dict)`; gradlab checks first,
 * so that a scheduler either takes a valid state or throws and stays as it was.
 */
import { expectRecord, safeKeys } from "../../utils/state_checks.ts";
import { describeValue, isPlainObject } from "../../utils/signature.ts";

/** Checks one loaded value (throws naming `where`). */
export type StateCheck = (value: unknown, where: string) => void;

/** Keys that hold counts: integers (≥ 0, or ≥ −1 for `last_epoch`). */
const COUNT_KEYS: ReadonlySet<string> = new Set([
  "_step_count",
  "step_size",
  "total_iters",
  "T_0",
  "T_i",
  "T_mult",
  "total_steps",
  "patience",
  "cooldown",
  "cooldown_counter",
  "num_bad_epochs",
  "anneal_epochs",
]);

/** Keys whose number may be ±∞ (or null, as JSON writes ±∞): the plateau's best and worst metric. */
const UNBOUNDED_KEYS: ReadonlySet<string> = new Set(["best", "mode_worse"]);

/** Keys of learning rates (or lists of them): numbers ≥ 0. */
const LR_KEYS: ReadonlySet<string> = new Set(["base_lrs", "_last_lr", "max_lrs", "min_lrs", "eta_min", "default_min_lr"]);

const PHASE_FIELDS = ["initial_lr", "max_lr", "min_lr", "max_momentum", "base_momentum"];

/** The values of string options, by key (a scheduler adds its own with `_state_checks`). */
const STRING_VALUES: Record<string, readonly string[]> = {
  threshold_mode: ["rel", "abs"],
  scale_mode: ["cycle", "iterations"],
  _anneal_func_type: ["cos", "linear"],
  _anneal_strategy: ["cos", "linear"],
  start_lr: PHASE_FIELDS,
  end_lr: PHASE_FIELDS,
  start_momentum: PHASE_FIELDS,
  end_momentum: PHASE_FIELDS,
};

/** A check that the value is one of `values`. */
export const oneOf =
  (values: readonly string[]): StateCheck =>
  (value, where) => {
    if (typeof value !== "string" || !values.includes(value)) {
      throw new Error(`${where} should be one of ${values.map((v) => `'${v}'`).join(", ")}, got ${describeValue(value)}`);
    }
  };

function checkNumber(key: string, template: number, value: unknown, where: string): void {
  if (UNBOUNDED_KEYS.has(key) || !Number.isFinite(template)) {
    if (value === null || (typeof value === "number" && !Number.isNaN(value))) return;
    throw new Error(`${where} should be a number or null, got ${describeValue(value)}`);
  }
  if (typeof value !== "number" || !Number.isFinite(value)) throw new Error(`${where} should be a finite number, got ${describeValue(value)}`);
  if (LR_KEYS.has(key) && value < 0) throw new Error(`${where} should be a learning rate ≥ 0, got ${describeValue(value)}`);
  if (key === "last_epoch" || COUNT_KEYS.has(key)) {
    const least = key === "last_epoch" ? -1 : 0;
    if (!Number.isInteger(value) || value < least) throw new Error(`${where} should be an integer ≥ ${least}, got ${describeValue(value)}`);
  }
}

/** MultiStepLR's milestones: counts by epoch, as PyTorch's Counter. */
function checkCounter(value: unknown, where: string): void {
  const keys = expectRecord(value, where);
  for (const key of keys) {
    const count = (value as Record<string, unknown>)[key];
    if (!/^(0|-?[1-9][0-9]*)$/.test(key)) throw new Error(`${where} has the key '${key}', which is not an epoch`);
    if (!(typeof count === "number" && Number.isInteger(count) && count > 0))
      throw new Error(`${where}['${key}'] should be a count ≥ 1, got ${describeValue(count)}`);
  }
}

/**
 * Checks `value` against `template`, the value `state_dict()` holds at `key` now, and
 * returns a fresh copy of it. `checks` adds a scheduler's own checks by key.
 */
function checkValue(key: string, template: unknown, value: unknown, where: string, checks: Record<string, StateCheck>): unknown {
  const own = checks[key];
  if (own !== undefined) own(value, where);
  if (key === "milestones" && isPlainObject(template)) {
    checkCounter(value, where);
    return { ...(value as object) };
  }
  if (typeof template === "number") checkNumber(key, template, value, where);
  else if (template === null) {
    if (value !== null) throw new Error(`${where} should be null, got ${describeValue(value)}`);
  } else if (typeof template === "string") {
    if (own === undefined && STRING_VALUES[key] !== undefined) oneOf(STRING_VALUES[key])(value, where);
    else if (typeof value !== "string") throw new Error(`${where} should be a string, got ${describeValue(value)}`);
  } else if (typeof template === "boolean") {
    if (typeof value !== "boolean") throw new Error(`${where} should be a boolean, got ${describeValue(value)}`);
  } else if (Array.isArray(template)) {
    if (!Array.isArray(value)) throw new Error(`${where} should be an array of ${template.length}, got ${describeValue(value)}`);
    if (value.length !== template.length)
      throw new Error(`${where} should have ${template.length} entries (one per ${key === "_milestones" ? "milestone" : "group"}), got ${value.length}`);
    return Array.from(value, (v, i) => checkValue(key, template[i], v, `${where}[${i}]`, {}));
  } else if (isPlainObject(template)) {
    return checkRecord(template, value, where, checks);
  }
  return value;
}

function checkRecord(template: Record<string, unknown>, value: unknown, where: string, checks: Record<string, StateCheck>): Record<string, unknown> {
  const keys = expectRecord(value, where);
  const record = value as Record<string, unknown>;
  for (const key of keys) if (!Object.hasOwn(template, key)) throw new Error(`${where} has the key '${key}', which this scheduler does not save`);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(template)) {
    if (!keys.includes(key)) throw new Error(`${where} has no '${key}'`);
    out[key] = checkValue(key, template[key], record[key], `${where}['${key}']`, checks);
  }
  return out;
}

/**
 * Keys PyTorch saves in schedulers' state that gradlab's do not have: `verbose` (torch 1.13;
 * removed with the argument), CyclicLR's `_scale_fn_ref` (1.13) and `anneal_func`, a function
 * (OneCycleLR's in 1.13, SWALR's still), which the helper writes as null.
 */
const SAVED_BY_OLDER_PYTORCH = ["verbose", "_scale_fn_ref", "anneal_func"] as const;

/**
 * Keys current PyTorch saves that older versions did not: `_is_initial` (false once the
 * constructor is done), OneCycleLR's `_anneal_func_type` (the constructor's strategy) and
 * CyclicLR's `use_beta1` (whether the optimizer has betas, as the constructor found); and
 * SWALR's `_anneal_strategy`, which gradlab saves where PyTorch saves the function.
 */
export const ADDED_SINCE: readonly string[] = ["_is_initial", "_anneal_func_type", "use_beta1", "_anneal_strategy"];

/**
 * Checks a loaded scheduler state against `template` (the scheduler's own `state_dict()`)
 * and returns the values to assign, fresh copies keyed as the template. `skip` names keys
 * checked elsewhere (the wrapped schedulers' states); `unsaved` names keys a PyTorch state
 * may lack, which then keep the scheduler's own value.
 */
export function checkSchedulerState(
  name: string,
  template: Record<string, unknown>,
  state_dict: unknown,
  checks: Record<string, StateCheck>,
  skip: readonly string[] = [],
  unsaved: readonly string[] = ADDED_SINCE,
): Record<string, unknown> {
  const where = `${name}.load_state_dict: state_dict`;
  if (!isPlainObject(state_dict)) throw new Error(`${where} should be an object, got ${describeValue(state_dict)}`);
  safeKeys(state_dict, where);
  const kept: Record<string, unknown> = {};
  const given: Record<string, unknown> = {};
  for (const key of Object.keys(template)) if (!skip.includes(key)) kept[key] = template[key];
  for (const key of Object.keys(state_dict)) {
    if (skip.includes(key)) continue;
    Object.defineProperty(given, key, { value: state_dict[key], enumerable: true, writable: true, configurable: true });
  }
  for (const key of skip) if (!Object.hasOwn(state_dict, key)) throw new Error(`${where} has no '${key}'`);
  // A state saved by an older PyTorch (torch 1.13's, say): keys it wrote that current PyTorch
  // no longer has are dropped, and keys current PyTorch added take this scheduler's own value.
  for (const key of SAVED_BY_OLDER_PYTORCH) if (!Object.hasOwn(kept, key)) delete given[key];
  for (const key of unsaved) if (Object.hasOwn(kept, key) && !Object.hasOwn(given, key)) given[key] = kept[key];
  return checkRecord(kept, given, where, checks);
}
