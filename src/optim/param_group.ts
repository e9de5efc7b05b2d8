/**
 * The shapes of param groups: what an optimizer's `param_groups` hold and what its
 * constructor and `add_param_group` accept (tensors, `[name, tensor]` pairs, or groups).
 */
import { Tensor } from "../methods.ts";
import { warn } from "../utils/warn.ts";
import { type Parameter, type Signature, describeValue } from "../utils/signature.ts";

/** What every param group holds: its parameters (and names), its lr, and the optimizer's options. */
export interface ParamGroup {
  params: Tensor[];
  /** Present when the optimizer was given `[name, tensor]` pairs (`named_parameters()`). */
  param_names?: string[];
  lr: number;
  /** Set by the learning-rate schedulers to the lr the schedule started from. */
  initial_lr?: number;
  /** A group is an open record, as PyTorch's dict: schedulers add keys (`max_lr` …). */
  [key: string]: unknown;
}

/**
 * A group's options: its declared keys but the parameters (what `defaults` holds).
 * Written as a key remapping rather than `Omit`, which would lose the declared keys
 * of a type with an index signature.
 */
export type Hyperparameters<G extends ParamGroup> = {
  [K in keyof G as string extends K ? never : number extends K ? never : K extends "params" | "param_names" | "initial_lr" ? never : K]: G[K];
};

/** A parameter, or a named parameter as `named_parameters()` yields it. */
export type ParamLike = Tensor | readonly [string, Tensor];

/** A param group as given to the constructor or `add_param_group`: params plus overrides. */
export type ParamGroupInput<G extends ParamGroup = ParamGroup> = {
  params: Tensor | readonly ParamLike[];
} & Partial<Hyperparameters<G>>;

/** The first argument of every optimizer: tensors, `[name, tensor]` pairs, or groups. */
export type Params<G extends ParamGroup = ParamGroup> = readonly ParamLike[] | readonly ParamGroupInput<G>[];

/**
 * The group `add_param_group` appends: `param_group`'s params (and names) with every
 * option it does not set taken from `defaults`. Throws PyTorch's messages for a malformed
 * group or for parameters already in one of `existingGroups`; changes nothing itself.
 * With the optimizer's `declaration`, an override of a declared option must be of its
 * declared kind (`SGD.add_param_group(): param_group.lr must be a number, but got string
 * "0.1"`): PyTorch would fail later, inside `step`, or compute with it silently.
 */
export function newParamGroup<G extends ParamGroup>(
  param_group: ParamGroupInput<G>,
  defaults: Hyperparameters<G>,
  existingGroups: readonly G[],
  declaration?: Signature<readonly Parameter[]>,
  owner = declaration?.name.split(".")[0] ?? "Optimizer",
): G {
  if (param_group === null || typeof param_group !== "object" || param_group instanceof Tensor || Array.isArray(param_group)) {
    throw new TypeError(`param_group must be a dict, but got ${describe(param_group)}`);
  }
  if (declaration !== undefined) checkOverrides(param_group, declaration, owner);
  const given = param_group.params;
  if (given instanceof Set) {
    throw new TypeError(
      "optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will change between runs. Please use a list instead.",
    );
  }
  const list: readonly unknown[] = given instanceof Tensor ? [given] : Array.from(given as readonly ParamLike[]);
  const params: Tensor[] = [];
  const names: string[] = [];
  for (const item of list) {
    if (Array.isArray(item) && item.length === 2 && typeof item[0] === "string") {
      names.push(item[0]);
      params.push(item[1] as Tensor);
    } else {
      params.push(item as Tensor);
    }
  }
  if (names.length !== 0 && names.length !== params.length) {
    throw new Error("all optimizer params should be with/without names. Some param names are missing");
  }
  for (const p of params) {
    if (!(p instanceof Tensor)) throw new TypeError(`optimizer can only optimize Tensors, but one of the params is ${describe(p)}`);
    if (!(p.is_leaf || p.retains_grad)) throw new Error("can't optimize a non-leaf Tensor");
  }
  const group: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(defaults)) group[key] = Array.isArray(value) ? value.slice() : value;
  for (const [key, value] of Object.entries(param_group)) {
    if (key !== "params" && value !== undefined) group[key] = value;
  }
  group.params = params;
  if (names.length !== 0) group.param_names = names;
  if (new Set(params).size !== params.length) {
    warn(
      "optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; see github.com/pytorch/pytorch/issues/40967 for more information",
    );
  }
  const seen = new Set<Tensor>();
  for (const existing of existingGroups) {
    for (const p of existing.params) seen.add(p);
    if ((names.length !== 0) !== (existing.param_names !== undefined)) {
      throw new Error(
        `all optimizer param groups should be with/without names. cannot add param group ${names.length !== 0 ? "with names" : "without names"} to the optimizer`,
      );
    }
  }
  if (params.some((p) => seen.has(p))) throw new Error("some parameters appear in more than one parameter group");
  return group as unknown as G;
}

/** Throws a TypeError for the first override of a declared option that is not of its declared kind. */
function checkOverrides(param_group: object, declaration: Signature<readonly Parameter[]>, owner: string): void {
  for (const [key, value] of Object.entries(param_group)) {
    const p = declaration.parameters.find((q) => q.name === key);
    if (p === undefined || key === "params" || value === undefined || p.kind.test(value)) continue;
    throw new TypeError(`${owner}.add_param_group(): param_group.${key} must be ${p.kind.expected}, but got ${describeValue(value)}`);
  }
}

/** Whether the first entry of an optimizer's `params` starts a list of groups (a plain object). */
function isGroupInput(x: unknown): boolean {
  return x !== null && typeof x === "object" && !(x instanceof Tensor) && !Array.isArray(x);
}

/**
 * The groups an optimizer's `params` argument stands for: the groups given, or one group of
 * the tensors (or `[name, tensor]` pairs) given. Throws PyTorch's messages for what is not a
 * list (a tensor, a model given instead of its parameters) and for an empty list.
 */
export function groupInputsOf<G extends ParamGroup>(params: Params<G>): readonly ParamGroupInput<G>[] {
  if (params instanceof Tensor || !Array.isArray(params)) {
    const typename = params instanceof Tensor ? params._typeAndShape().split(" ")[0] : className(params);
    throw new TypeError(`params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${typename}`);
  }
  if (params.length === 0) throw new Error("optimizer got an empty parameter list");
  return isGroupInput(params[0]) ? (params as readonly ParamGroupInput<G>[]) : [{ params: params as readonly ParamLike[] } as ParamGroupInput<G>];
}

/** A value's type for the params message: a class name (`Linear`, a model given instead of its parameters), or `typeof`. */
function className(x: unknown): string {
  const name = x !== null && typeof x === "object" ? (x as object).constructor?.name : undefined;
  return name !== undefined && name !== "Object" ? name : typeof x;
}

/** Python's type name of a value, for messages. */
export function describe(x: unknown): string {
  if (x instanceof Tensor) return x._typeAndShape().split(" ")[0]!;
  if (x === null || x === undefined) return "NoneType";
  if (Array.isArray(x)) return "list";
  return typeof x;
}
