/**
 * What every optimizer's signature shares: the `params` parameter, the kinds its options
 * take, the parameters several optimizers declare alike ({@link common}, {@link commonKeywords}),
 * and the types that follow from a declared signature (its group, its options, its
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
  keyword,
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

/** The positional parameters several optimizers declare alike, with PyTorch's defaults. */
const positional = {
  /** `betas=(0.9, 0.999)`: Adam, AdamW, Adamax, NAdam, RAdam, SparseAdam. */
  betas: optional("betas", pair, [0.9, 0.999]),
  /** `eps=1e-8`: Adam, AdamW, Adamax, NAdam, RAdam, RMSprop, SparseAdam. */
  eps: optional("eps", number, 1e-8),
  /** `weight_decay=0` (AdamW's default is 1e-2). */
  weight_decay: optional("weight_decay", number, 0),
  /** `amsgrad=False`: Adam, AdamW. */
  amsgrad: optional("amsgrad", boolean, false),
  /** `decoupled_weight_decay=False`: NAdam, RAdam (Adam's is keyword-only). */
  decoupled_weight_decay: optional("decoupled_weight_decay", boolean, false),
  /** `foreach=None` before the `*`: Adadelta, Adagrad, Adamax, ASGD, RMSprop. */
  foreach: optional("foreach", flag, null),
} as const;

/** The keyword-only parameters (after Python's `*`) several optimizers declare alike. */
const keywordOnly = {
  foreach: keyword("foreach", flag, null),
  maximize: keyword("maximize", boolean, false),
  capturable: keyword("capturable", boolean, false),
  differentiable: keyword("differentiable", boolean, false),
  fused: keyword("fused", flag, null),
} as const;

/** The declarations named in `Names`, in their order, from `table`. */
type Picked<Table, Names extends readonly (keyof Table)[]> = { -readonly [I in keyof Names]: Table[Names[I]] };

/**
 * Shared positional parameters by name, in the order given, to spread into a signature's
 * list where PyTorch has them: `...common("betas", "eps", "weight_decay")`.
 */
export const common = <const N extends readonly (keyof typeof positional)[]>(...names: N): Picked<typeof positional, N> =>
  names.map((name) => positional[name]) as Picked<typeof positional, N>;

/**
 * Shared keyword-only parameters by name, in the order given (PyTorch's order differs from
 * one optimizer to the next): `...commonKeywords("foreach", "maximize", "capturable")`.
 */
export const commonKeywords = <const N extends readonly (keyof typeof keywordOnly)[]>(...names: N): Picked<typeof keywordOnly, N> =>
  names.map((name) => keywordOnly[name]) as Picked<typeof keywordOnly, N>;

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
