/**
 * What every optimizer's signature shares: the `params` parameter, the kinds its options
 * take, and the types that follow from a declared signature (its group, its options, its
 * constructor's arguments). Each optimizer declares its PyTorch signature once with
 * `signature` (src/utils/signature.ts); src/optim/adam.ts is the model.
 */
import {
  type Arguments,
  type Signature,
  type Values,
  anything,
  boolean,
  func,
  nullable,
  number,
  optional,
  required,
  signature,
  tuple,
} from "../utils/signature.ts";
import type { Hyperparameters, ParamGroup, Params } from "./param_group.ts";

/** `params`, every optimizer's first parameter; the base class checks it with PyTorch's messages. */
export const paramsParameter = required("params", anything<Params>());

/** A tuple of two numbers: `betas`, `etas`, `step_sizes`. */
export const pair = tuple(number, number);

/** A flag that may be None: `foreach`, `fused` (which only choose a kernel in PyTorch). */
export const flag = nullable(boolean);

/** A param group of the optimizer declared by `S`: its params and every other parameter's value. */
export type GroupOf<S> = S extends Signature<infer P> ? ParamGroup & Omit<Values<P>, "params"> : never;

/** The options of the optimizer declared by `S`: every key of its group but the params, all optional. */
export type OptionsOf<S> = Partial<Hyperparameters<GroupOf<S>>>;

/** The constructor's arguments of the optimizer declared by `S` (params typed by its group). */
export type OptimizerArguments<S> = Arguments<S, { params: Params<GroupOf<S>> }>;

/** `Optimizer.zero_grad(set_to_none=True)`. */
export const zeroGradSignature = signature("Optimizer.zero_grad", [optional("set_to_none", boolean, true)]);

/** `Optimizer.step(closure=None)`: the closure is a function (or null), never a number or a tensor. */
export const stepSignature = signature("Optimizer.step", [optional("closure", nullable(func<() => unknown>()), null)]);
