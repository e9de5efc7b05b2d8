/**
 * The shapes of param groups: what an optimizer's `param_groups` hold and what its
 * constructor and `add_param_group` accept (tensors, `[name, tensor]` pairs, or groups).
 */
import { Tensor } from "../methods.ts";

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
