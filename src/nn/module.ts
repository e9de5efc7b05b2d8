import type { DType } from "../tensor/dtype.ts";
import { Tensor } from "../methods.ts";
import { Parameter, castFloating } from "./parameter.ts";
import { type NamedMembersOptions, namedMembersOf, submoduleAt, uniqueChildren } from "./module_members.ts";
import { ModuleRegistry } from "./module_registry.ts";
import {
  type IncompatibleKeys,
  type LoadStateDictOptions,
  type StateDict,
  type StateDictOptions,
  loadModuleStateDict,
  moduleStateDict,
} from "./module_state_dict.ts";
import { moduleRepr } from "./python_repr.ts";
import { zeroGradients } from "./zero_grad.ts";
import { type Arguments } from "../utils/signature.ts";
import {
  applySignature,
  buffersSignature,
  getSubmoduleSignature,
  loadStateDictSignature,
  namedBuffersSignature,
  namedModulesSignature,
  namedParametersSignature,
  parametersSignature,
  requiresGradSignature,
  stateDictSignature,
  toArguments,
  trainSignature,
  zeroGradSignature,
} from "./module_signatures.ts";

export type { NamedMembersOptions } from "./module_members.ts";
export type { IncompatibleKeys, LoadStateDictOptions, StateDict, StateDictOptions } from "./module_state_dict.ts";

/** Options of `named_modules`. */
export interface NamedModulesOptions {
  memo?: Set<Module>;
  prefix?: string;
  remove_duplicate?: boolean;
}

/**
 * The base class of every layer and model, as `torch.nn.Module`: it keeps named
 * parameters, buffers and child modules, walks them in PyTorch's order, switches
 * training mode, and saves and loads them through `state_dict`.
 *
 * TypeScript has no `__setattr__`, so a module registers what it holds explicitly:
 * `register_parameter`, `register_buffer` and `register_module` (alias `add_module`, all
 * inherited from `ModuleRegistry`, module_registry.ts) store the value as a field of that
 * name and return it, so a class field reads as in PyTorch's `__init__`. The field is the
 * source of truth: assigning a new `Parameter` (or `null`) to a registered field later
 * replaces it, as assignment does in PyTorch.
 *
 * @example
 * ```ts
 * import { nn, randn, type Tensor } from "gradlab";
 * class MLP extends nn.Module {
 *   fc1 = this.register_module("fc1", new nn.Linear(4, 8));
 *   act = this.register_module("act", new nn.ReLU());
 *   fc2 = this.register_module("fc2", new nn.Linear(8, 3));
 *   override forward(x: Tensor): Tensor {
 *     return this.fc2.forward(this.act.forward(this.fc1.forward(x)));
 *   }
 * }
 * const model = new MLP();
 * console.log(model.named_parameters().map(([name]) => name)); // ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
 * console.log(model.forward(randn([5, 4])).shape); // [5, 3]
 * ```
 */
export class Module extends ModuleRegistry<Module> {
  /** Whether the module is in training mode (`train()`) or evaluation mode (`eval()`). */
  training = true;

  /**
   * Computes the module's output. Every subclass overrides it; the base class throws
   * PyTorch's message.
   */
  forward(..._inputs: unknown[]): unknown {
    throw new Error(`Module [${this._get_name()}] is missing the required "forward" function`);
  }

  /** The class name shown in the repr and in messages. */
  _get_name(): string {
    return this.constructor.name;
  }

  /** The direct children with their names, skipping nulls and repeats. */
  named_children(): [string, Module][] {
    return uniqueChildren(this._modules());
  }

  /** The direct children. */
  children(): Module[] {
    return this.named_children().map(([, m]) => m);
  }

  /**
   * This module and every module below it with dotted names, depth first, parents before
   * children, each once unless `remove_duplicate` is false.
   */
  named_modules(...args: Arguments<typeof namedModulesSignature, { memo: Set<Module> | null }>): [string, Module][] {
    const { prefix, remove_duplicate, memo: given } = namedModulesSignature.parse(args);
    const memo = (given as Set<Module> | null) ?? new Set<Module>();
    if (memo.has(this)) return [];
    if (remove_duplicate) memo.add(this);
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, module] of this._modules()) {
      if (module === null) continue;
      const childPrefix = prefix + (prefix ? "." : "") + name;
      out.push(...module.named_modules(memo, childPrefix, remove_duplicate));
    }
    return out;
  }

  /** This module and every module below it. */
  modules(): Module[] {
    return this.named_modules().map(([, m]) => m);
  }

  /** Members of each module in `named_modules` order, with dotted names, each tensor once. */
  private namedMembers<T extends Tensor>(
    members: (m: Module) => [string, T | null][],
    { prefix, recurse, remove_duplicate }: Required<NamedMembersOptions>,
  ): [string, T][] {
    const modules: [string, Module][] = recurse ? this.named_modules(null, prefix, remove_duplicate) : [[prefix, this]];
    return namedMembersOf(modules, members, remove_duplicate);
  }

  /** Every parameter with its dotted name (`"fc1.weight"`), in PyTorch's order. */
  named_parameters(...args: Arguments<typeof namedParametersSignature>): [string, Parameter][] {
    return this.namedMembers((m) => m._parameters(), namedParametersSignature.parse(args));
  }

  /** Every parameter, in PyTorch's order: what an optimizer is given. */
  parameters(...args: Arguments<typeof parametersSignature>): Parameter[] {
    const { recurse } = parametersSignature.parse(args);
    return this.named_parameters("", recurse).map(([, p]) => p);
  }

  /** Every buffer with its dotted name. */
  named_buffers(...args: Arguments<typeof namedBuffersSignature>): [string, Tensor][] {
    return this.namedMembers((m) => m._buffers(), namedBuffersSignature.parse(args));
  }

  /** Every buffer. */
  buffers(...args: Arguments<typeof buffersSignature>): Tensor[] {
    const { recurse } = buffersSignature.parse(args);
    return this.named_buffers("", recurse).map(([, b]) => b);
  }

  /** Sets training mode on this module and every child; returns this module. */
  train(...args: Arguments<typeof trainSignature, { mode: boolean }>): this {
    const { mode } = trainSignature.parse(args);
    if (typeof mode !== "boolean") throw new Error("training mode is expected to be boolean");
    this.training = mode;
    for (const child of this.children()) child.train(mode);
    return this;
  }

  /** Sets evaluation mode (`train(false)`): Dropout passes through, BatchNorm uses running stats. */
  eval(): this {
    return this.train(false);
  }

  /** Sets `requires_grad` on every parameter; returns this module. */
  requires_grad_(...args: Arguments<typeof requiresGradSignature>): this {
    const { requires_grad } = requiresGradSignature.parse(args);
    for (const p of this.parameters()) p.requires_grad_(requires_grad);
    return this;
  }

  /** Clears every parameter's gradient: to null (the default) or, with `set_to_none: false`, to zeros. */
  zero_grad(...args: Arguments<typeof zeroGradSignature>): void {
    zeroGradients(this.parameters(), zeroGradSignature.parse(args).set_to_none);
  }

  /** Calls `fn` on every child (recursively, children first) and then on this module. */
  apply(...args: Arguments<typeof applySignature, { fn: (module: Module) => void }>): this {
    const fn = applySignature.parse(args).fn as (module: Module) => void;
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /** The child at a dotted path such as `"encoder.fc1"` (`""` is this module). */
  get_submodule(...args: Arguments<typeof getSubmoduleSignature>): Module {
    const { target } = getSubmoduleSignature.parse(args);
    return submoduleAt<Module>(this, target, (x): x is Module => x instanceof Module);
  }

  /**
   * The parameters and persistent buffers by dotted name, this module's own first and
   * then each child's, as `torch.nn.Module.state_dict`. Values are detached tensors
   * sharing memory with the module (the tensors themselves with `keep_vars: true`).
   */
  state_dict(...args: Arguments<typeof stateDictSignature>): StateDict {
    const { destination, prefix, keep_vars } = stateDictSignature.parse(args);
    const options: StateDictOptions = { prefix, keep_vars };
    if (destination !== null) options.destination = destination;
    return moduleStateDict(this, options);
  }

  /**
   * Copies parameters and buffers from `state_dict` into this module, as
   * `torch.nn.Module.load_state_dict`. With `strict` (the default) every key must match;
   * a size mismatch is always an error. Everything is checked before anything is copied,
   * so on error the module is unchanged. Returns the missing and unexpected keys.
   */
  load_state_dict(...args: Arguments<typeof loadStateDictSignature>): IncompatibleKeys {
    const { state_dict, strict, assign } = loadStateDictSignature.parse(args);
    const options: LoadStateDictOptions = { strict, assign };
    return loadModuleStateDict(this, state_dict, options);
  }

  /**
   * Converts every floating-point parameter, gradient and buffer to `dtype`, in place; returns
   * this. As PyTorch's overloads: `to(dtype)`, `to(device)`, `to(device, dtype)`, `to(tensor)`
   * (its dtype) or `to({ dtype })`; devices are accepted and ignored (everything runs on the CPU).
   */
  to(dtype: DType, options?: { non_blocking?: boolean; memory_format?: unknown }): this;
  to(tensor: Tensor, options?: { non_blocking?: boolean; memory_format?: unknown }): this;
  to(device: string | null, dtype?: DType | null, non_blocking?: boolean): this;
  to(options: { device?: unknown; dtype?: DType | null; non_blocking?: boolean; memory_format?: unknown }): this;
  to(...args: unknown[]): this {
    const dtype = toArguments(args);
    if (dtype === null) return this;
    castFloating(
      this.modules().flatMap((m) => [...m._parameters(), ...m._buffers()].map(([, t]) => t)),
      dtype,
    );
    return this;
  }

  /** `to("float64")`. */
  double(): this {
    return this.to("float64");
  }

  /** `to("float32")`. */
  float(): this {
    return this.to("float32");
  }

  /** The text inside this module's parentheses in its repr, e.g. `in_features=4, out_features=8, bias=True`. */
  extra_repr(): string {
    return "";
  }

  /** A repr like PyTorch's: the class name, `extra_repr()`, then one indented line per child. */
  override toString(): string {
    return moduleRepr(
      this._get_name(),
      this.extra_repr(),
      this._modules().map(([name, m]) => [name, m === null ? "None" : m.toString()]),
    );
  }
}
