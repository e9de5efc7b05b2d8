/**
 * An optimizer's `state_dict()` and `load_state_dict` in PyTorch's layout: `state` keyed
 * by each parameter's position (counted across groups in order), `param_groups` with those
 * positions in `params`. The JSON form of the values is in `state_dict.ts`.
 */
import { Tensor } from "../methods.ts";
import { defineData } from "../utils/state_checks.ts";
import { describeValue } from "../utils/signature.ts";
import { SCHEDULER_GROUP_KEYS, type StateSpec, checkLayout, checkOptionKinds, checkParamIndices, checkStateEntry, decodeOption } from "./load_checks.ts";
import type { ParamGroup } from "./param_group.ts";
import { type Plain, fromPlain, toPlain } from "./state_dict.ts";

/** The state of an optimizer as `state_dict()` returns it, in PyTorch's layout, JSON-ready. */
export interface StateDict {
  /** Per-parameter state keyed by the parameter's position across all groups. */
  state: Record<number, Record<string, Plain>>;
  /** The groups' options, with `params` replaced by those positions. */
  param_groups: Array<Record<string, Plain> & { params: number[] }>;
}

/** The groups and the per-parameter state written as a {@link StateDict}. */
export function packStateDict<G extends ParamGroup, S>(groups: readonly G[], perParam: ReadonlyMap<Tensor, S>): StateDict {
  const index = new Map<Tensor, number>();
  const param_groups = groups.map((group) => {
    const packed: Record<string, Plain> = {};
    for (const [key, value] of Object.entries(group)) if (key !== "params") packed[key] = toPlain(value);
    const params = group.params.map((p) => {
      if (!index.has(p)) index.set(p, index.size);
      return index.get(p)!;
    });
    return { ...packed, params };
  });
  const state: Record<number, Record<string, Plain>> = {};
  for (const [param, s] of perParam) {
    const position = index.get(param);
    if (position !== undefined) state[position] = toPlain(s) as Record<string, Plain>;
  }
  return { state, param_groups };
}

/** What loading needs of the optimizer: its groups, defaults, and its checks of options and state. */
export interface LoadTarget<G extends ParamGroup> {
  readonly param_groups: readonly G[];
  readonly defaults: object;
  /** Runs the constructor's checks on one group's options (throws its message). */
  checkOptions(options: Record<string, unknown>, params: Tensor[]): void;
  /** The state this optimizer keeps for `param` in `group`, or null for none. */
  stateSpec(param: Tensor, group: G): StateSpec | null;
  /**
   * Options an older PyTorch did not save, with the value a group lacking them takes, as
   * each PyTorch optimizer's `__setstate__` fills them (`group.setdefault("maximize", False)` …).
   */
  readonly filledOnLoad?: Readonly<Record<string, unknown>>;
}

/**
 * The groups and per-parameter state a {@link StateDict} describes for `target`, after
 * checking all of it (see load_checks.ts): groups are matched by position and size, state
 * tensors are copied and cast to their parameter's dtype. Throws before building anything
 * it would not return, with PyTorch's messages where PyTorch has them; changes nothing.
 */
export function unpackStateDict<G extends ParamGroup, S>(target: LoadTarget<G>, sd: unknown): { param_groups: G[]; state: Map<Tensor, S> } {
  checkLayout(sd);
  const groups = target.param_groups;
  const saved = sd.param_groups;
  if (groups.length !== saved.length) throw new Error("loaded state dict has a different number of parameter groups");
  if (groups.some((g, i) => g.params.length !== (saved[i]!.params as unknown[]).length)) {
    throw new Error("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
  }
  const byIndex = checkParamIndices(groups, saved);
  const param_groups = saved.map((g, i) => {
    const where = `loaded state dict: param_groups[${i}]`;
    const options: Record<string, unknown> = {};
    const defaults = target.defaults as Record<string, unknown>;
    for (const key of Object.keys(g)) {
      if (key === "params" || key === "param_names") continue;
      const numeric = typeof defaults[key] === "number" || Array.isArray(defaults[key]) || SCHEDULER_GROUP_KEYS.has(key);
      defineData(options, key, numeric ? decodeOption(g[key]) : g[key]);
    }
    for (const [key, value] of Object.entries(target.filledOnLoad ?? {})) if (!Object.hasOwn(g, key)) defineData(options, key, value);
    checkOptionKinds(target.defaults, options, where);
    const constructorOptions: Record<string, unknown> = {};
    for (const key of Object.keys(options)) if (!SCHEDULER_GROUP_KEYS.has(key)) defineData(constructorOptions, key, options[key]);
    try {
      target.checkOptions(constructorOptions, groups[i]!.params);
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`);
    }
    const names = Object.hasOwn(g, "param_names") ? g.param_names : groups[i]!.param_names;
    if (names !== undefined) {
      if (!(Array.isArray(names) && names.length === groups[i]!.params.length && names.every((n) => typeof n === "string"))) {
        throw new Error(`${where}['param_names'] should be ${groups[i]!.params.length} strings, got ${describeValue(names)}`);
      }
      defineData(options, "param_names", Array.from(names));
    }
    defineData(options, "params", groups[i]!.params);
    return options as unknown as G;
  });
  const groupOf = new Map<Tensor, G>();
  param_groups.forEach((g) => g.params.forEach((p) => groupOf.set(p, g)));
  const state = new Map<Tensor, S>();
  for (const key of Object.keys(sd.state)) {
    const where = `loaded state dict: state[${JSON.stringify(key)}]`;
    const index = /^(0|[1-9][0-9]*)$/.test(key) ? Number(key) : NaN;
    const param = byIndex.get(index);
    if (param === undefined) throw new Error(`${where} is not the index of a parameter in param_groups`);
    const entry = sd.state[key];
    checkStateEntry(target.stateSpec(param, groupOf.get(param)!), entry, where);
    state.set(param, fromPlain(entry, param.dtype) as S);
  }
  return { param_groups, state };
}

/** The options PyTorch added after its optimizers' first releases, which their `__setstate__` fills in for old state dicts. */
const FILLED_ON_LOAD = ["foreach", "maximize", "capturable", "differentiable", "fused", "decoupled_weight_decay"] as const;

/**
 * The options of {@link FILLED_ON_LOAD} that an optimizer with these `defaults` has, each with the
 * value PyTorch's `__setstate__` gives a loaded group without it: the `declared` default (the
 * signature's), else the optimizer's own default.
 */
export function optionsFilledOnLoad(defaults: object, declared: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const filled: Record<string, unknown> = {};
  for (const key of FILLED_ON_LOAD) {
    if (Object.hasOwn(defaults, key)) filled[key] = Object.hasOwn(declared, key) ? declared[key] : (defaults as Record<string, unknown>)[key];
  }
  return filled;
}
