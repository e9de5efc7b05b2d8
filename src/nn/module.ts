import { no_grad } from "../autograd/grad_mode.ts";
import { zeros_like } from "../tensor/creation.ts";
import type { DType } from "../tensor/dtype.ts";
import { Tensor } from "../methods.ts";
import { Parameter, setData } from "./parameter.ts";

/** Options of `named_parameters` and `named_buffers`. */
export interface NamedMembersOptions {
  prefix?: string;
  recurse?: boolean;
  remove_duplicate?: boolean;
}

/** Options of `named_modules`. */
export interface NamedModulesOptions {
  memo?: Set<Module>;
  prefix?: string;
  remove_duplicate?: boolean;
}

/** Options of `state_dict`. */
export interface StateDictOptions {
  destination?: Record<string, Tensor>;
  prefix?: string;
  keep_vars?: boolean;
}

/** Options of `load_state_dict`. */
export interface LoadStateDictOptions {
  strict?: boolean;
  assign?: boolean;
}

/** What `load_state_dict` reports: keys the module has but the dict lacks, and the reverse. */
export interface IncompatibleKeys {
  missing_keys: string[];
  unexpected_keys: string[];
}

/** A module's parameters and buffers by dotted name, as `state_dict()` returns them. */
export type StateDict = Record<string, Tensor>;

type Fields = Record<string, unknown>;

/** Indents every line but the first, as PyTorch's module repr nests children. */
const addIndent = (text: string, spaces: number): string =>
  text.split("\n").join(`\n${" ".repeat(spaces)}`);

const shapeText = (shape: readonly number[]): string => `torch.Size([${shape.join(", ")}])`;

/** Python's `type(x)` spelled for messages about a value that is not a tensor. */
const pythonType = (x: unknown): string =>
  x === null || x === undefined ? "<class 'NoneType'>" : `<class '${Array.isArray(x) ? "list" : typeof x}'>`;

/**
 * The base class of every layer and model, as `torch.nn.Module`: it keeps named
 * parameters, buffers and child modules, walks them in PyTorch's order, switches
 * training mode, and saves and loads them through `state_dict`.
 *
 * TypeScript has no `__setattr__`, so a module registers what it holds explicitly:
 * `register_parameter`, `register_buffer` and `register_module` (alias `add_module`)
 * store the value as a field of that name and return it, so a class field reads as in
 * PyTorch's `__init__`. The field is the source of truth: assigning a new `Parameter`
 * (or `null`) to a registered field later replaces it, as assignment does in PyTorch.
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
export class Module {
  /** Whether the module is in training mode (`train()`) or evaluation mode (`eval()`). */
  training = true;
  private readonly parameterNames = new Set<string>();
  private readonly bufferNames = new Set<string>();
  private readonly nonPersistentBuffers = new Set<string>();
  private readonly moduleNames = new Set<string>();

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

  private field(name: string): unknown {
    return (this as unknown as Fields)[name];
  }

  private setField(name: string, value: unknown): void {
    Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
  }

  /** PyTorch's checks on a new member name, shared by the three `register_*` methods. */
  private checkName(kind: string, name: string, registered: Set<string>): void {
    if (typeof name !== "string") throw new Error(`${kind} name should be a string. Got ${typeof name}`);
    if (name.includes(".")) {
      throw new Error(kind === "module" ? `module name can't contain ".", got: ${name}` : `${kind} name can't contain "."`);
    }
    if (name === "") throw new Error(`${kind} name can't be empty string ""`);
    if (name in this && this.field(name) !== undefined && !registered.has(name)) {
      throw new Error(`attribute '${name}' already exists`);
    }
  }

  /**
   * Adds a parameter under `name` (also set as a field) and returns it. `null` registers
   * the name with no parameter, as `self.bias = None` does for a layer without bias.
   */
  register_parameter<P extends Parameter | null>(name: string, param: P): P {
    this.checkName("parameter", name, this.parameterNames);
    if (param !== null) {
      if (!(param instanceof Parameter)) {
        const type = param instanceof Tensor ? (param as Tensor)._typeAndShape().split(" ")[0] : typeof param;
        throw new Error(`cannot assign '${type}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
      }
      if (param.grad_fn !== null) {
        throw new Error(
          `Cannot assign non-leaf Tensor to parameter '${name}'. Model parameters must be created explicitly. To express '${name}' as a function of another Tensor, compute the value in the forward() method.`,
        );
      }
    }
    this.parameterNames.add(name);
    this.setField(name, param);
    return param;
  }

  /**
   * Adds a buffer: a tensor that is part of the module's state but not a parameter
   * (BatchNorm's running statistics). Non-persistent buffers stay out of `state_dict`.
   */
  register_buffer<T extends Tensor | null>(name: string, tensor: T, options: { persistent?: boolean } = {}): T {
    this.checkName("buffer", name, this.bufferNames);
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new Error(`cannot assign '${typeof tensor}' object to buffer '${name}' (torch Tensor or None required)`);
    }
    this.bufferNames.add(name);
    if (options.persistent ?? true) this.nonPersistentBuffers.delete(name);
    else this.nonPersistentBuffers.add(name);
    this.setField(name, tensor);
    return tensor;
  }

  /** Adds a child module under `name` (also set as a field) and returns it. */
  register_module<M extends Module | null>(name: string, module: M): M {
    if (module !== null && !(module instanceof Module)) {
      throw new Error(`${typeof module} is not a Module subclass`);
    }
    this.checkName("module", name, this.moduleNames);
    this.moduleNames.add(name);
    this.setField(name, module);
    return module;
  }

  /** Removes a child module's name and field (containers renumber their children with it). */
  protected _remove_module(name: string): void {
    this.moduleNames.delete(name);
    delete (this as unknown as Fields)[name];
  }

  /** The same as `register_module`, PyTorch's older name. */
  add_module<M extends Module | null>(name: string, module: M): M {
    return this.register_module(name, module);
  }

  /** The module's own parameters by name (registered order), null entries included. */
  _parameters(): [string, Parameter | null][] {
    return [...this.parameterNames].map((name) => [name, this.field(name) as Parameter | null]);
  }

  /** The module's own buffers by name (registered order), null entries included. */
  _buffers(): [string, Tensor | null][] {
    return [...this.bufferNames].map((name) => [name, this.field(name) as Tensor | null]);
  }

  /** The module's direct children by name (registered order), null entries included. */
  _modules(): [string, Module | null][] {
    return [...this.moduleNames].map((name) => [name, this.field(name) as Module | null]);
  }

  /** The direct children with their names, skipping nulls and repeats. */
  named_children(): [string, Module][] {
    const seen = new Set<Module>();
    const out: [string, Module][] = [];
    for (const [name, module] of this._modules()) {
      if (module !== null && !seen.has(module)) {
        seen.add(module);
        out.push([name, module]);
      }
    }
    return out;
  }

  /** The direct children. */
  children(): Module[] {
    return this.named_children().map(([, m]) => m);
  }

  /**
   * This module and every module below it with dotted names, depth first, parents before
   * children, each once unless `remove_duplicate` is false.
   */
  named_modules(options: NamedModulesOptions = {}): [string, Module][] {
    const { prefix = "", remove_duplicate = true } = options;
    const memo = options.memo ?? new Set<Module>();
    if (memo.has(this)) return [];
    if (remove_duplicate) memo.add(this);
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, module] of this._modules()) {
      if (module === null) continue;
      const childPrefix = prefix + (prefix ? "." : "") + name;
      out.push(...module.named_modules({ memo, prefix: childPrefix, remove_duplicate }));
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
    options: NamedMembersOptions,
  ): [string, T][] {
    const { prefix = "", recurse = true, remove_duplicate = true } = options;
    const modules: [string, Module][] = recurse ? this.named_modules({ prefix, remove_duplicate }) : [[prefix, this]];
    const memo = new Set<Tensor>();
    const out: [string, T][] = [];
    for (const [modulePrefix, module] of modules) {
      for (const [name, value] of members(module)) {
        if (value === null || memo.has(value)) continue;
        if (remove_duplicate) memo.add(value);
        out.push([modulePrefix + (modulePrefix ? "." : "") + name, value]);
      }
    }
    return out;
  }

  /** Every parameter with its dotted name (`"fc1.weight"`), in PyTorch's order. */
  named_parameters(options: NamedMembersOptions = {}): [string, Parameter][] {
    return this.namedMembers((m) => m._parameters(), options);
  }

  /** Every parameter, in PyTorch's order: what an optimizer is given. */
  parameters(options: { recurse?: boolean } = {}): Parameter[] {
    return this.named_parameters(options).map(([, p]) => p);
  }

  /** Every buffer with its dotted name. */
  named_buffers(options: NamedMembersOptions = {}): [string, Tensor][] {
    return this.namedMembers((m) => m._buffers(), options);
  }

  /** Every buffer. */
  buffers(options: { recurse?: boolean } = {}): Tensor[] {
    return this.named_buffers(options).map(([, b]) => b);
  }

  /** Sets training mode on this module and every child; returns this module. */
  train(mode = true): this {
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
  requires_grad_(requires_grad = true): this {
    for (const p of this.parameters()) p.requires_grad_(requires_grad);
    return this;
  }

  /** Clears every parameter's gradient: to null (the default) or, with `set_to_none: false`, to zeros. */
  zero_grad(options: { set_to_none?: boolean } = {}): void {
    const set_to_none = options.set_to_none ?? true;
    for (const p of this.parameters()) {
      if (p.grad === null) continue;
      if (set_to_none) {
        p.grad = null;
      } else {
        const grad = p.grad.grad_fn !== null ? p.grad.detach() : p.grad;
        grad.requires_grad = false;
        no_grad(() => grad.copy_(zeros_like(grad)));
        p.grad = grad;
      }
    }
  }

  /** Calls `fn` on every child (recursively, children first) and then on this module. */
  apply(fn: (module: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /** The child at a dotted path such as `"encoder.fc1"` (`""` is this module). */
  get_submodule(target: string): Module {
    if (target === "") return this;
    let module: Module = this;
    for (const item of target.split(".")) {
      if (!module.moduleNames.has(item) && !(item in module)) {
        throw new Error(`${module._get_name()} has no attribute \`${item}\``);
      }
      const next = module.field(item);
      if (!(next instanceof Module)) throw new Error(`\`${item}\` is not an nn.Module`);
      module = next;
    }
    return module;
  }

  /**
   * The parameters and persistent buffers by dotted name, this module's own first and
   * then each child's, as `torch.nn.Module.state_dict`. Values are detached tensors
   * sharing memory with the module (the tensors themselves with `keep_vars: true`).
   */
  state_dict(options: StateDictOptions = {}): StateDict {
    const { prefix = "", keep_vars = false } = options;
    const destination = options.destination ?? {};
    for (const [name, p] of this._parameters()) {
      if (p !== null) destination[prefix + name] = keep_vars ? p : p.detach();
    }
    for (const [name, b] of this._buffers()) {
      if (b !== null && !this.nonPersistentBuffers.has(name)) destination[prefix + name] = keep_vars ? b : b.detach();
    }
    for (const [name, child] of this._modules()) {
      if (child !== null) child.state_dict({ destination, prefix: `${prefix}${name}.`, keep_vars });
    }
    return destination;
  }

  /** This module's own entries of a state dict: parameters and persistent buffers. */
  private localState(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [name, p] of this._parameters()) if (p !== null) out.push([name, p]);
    for (const [name, b] of this._buffers()) {
      if (b !== null && !this.nonPersistentBuffers.has(name)) out.push([name, b]);
    }
    return out;
  }

  /**
   * Copies parameters and buffers from `state_dict` into this module, as
   * `torch.nn.Module.load_state_dict`. With `strict` (the default) every key must match;
   * a size mismatch is always an error. Everything is checked before anything is copied,
   * so on error the module is unchanged. Returns the missing and unexpected keys.
   */
  load_state_dict(state_dict: StateDict, options: LoadStateDictOptions = {}): IncompatibleKeys {
    const { strict = true, assign = false } = options;
    const missing_keys: string[] = [];
    const unexpected_keys: string[] = [];
    const errors: string[] = [];
    const copies: [Module, string, Tensor, Tensor][] = [];
    const visit = (module: Module, prefix: string): void => {
      const local = module.localState();
      for (const [name, current] of local) {
        const key = prefix + name;
        if (!(key in state_dict)) {
          missing_keys.push(key);
          continue;
        }
        let input: unknown = state_dict[key];
        if (!(input instanceof Tensor)) {
          errors.push(
            `While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${pythonType(input)}`,
          );
          continue;
        }
        // A 1-element 1-d checkpoint value loads into a 0-d parameter, as PyTorch allows for old files.
        if (current.ndim === 0 && input.ndim === 1 && input.numel() === 1) input = input.reshape([]);
        const source = input as Tensor;
        if (!sameShape(source.shape, current.shape)) {
          errors.push(
            `size mismatch for ${key}: copying a param with shape ${shapeText(source.shape)} from checkpoint, the shape in current model is ${shapeText(current.shape)}.`,
          );
          continue;
        }
        copies.push([module, name, current, source]);
      }
      const localNames = new Set(local.map(([name]) => name));
      for (const key of Object.keys(state_dict)) {
        if (!key.startsWith(prefix)) continue;
        const first = key.slice(prefix.length).split(".")[0]!;
        if (!module.moduleNames.has(first) && !localNames.has(first)) unexpected_keys.push(key);
      }
      for (const [name, child] of module._modules()) if (child !== null) visit(child, `${prefix}${name}.`);
    };
    visit(this, "");
    if (strict) {
      if (unexpected_keys.length > 0) {
        errors.unshift(`Unexpected key(s) in state_dict: ${unexpected_keys.map((k) => `"${k}"`).join(", ")}. `);
      }
      if (missing_keys.length > 0) {
        errors.unshift(`Missing key(s) in state_dict: ${missing_keys.map((k) => `"${k}"`).join(", ")}. `);
      }
    }
    if (errors.length > 0) {
      throw new Error(`Error(s) in loading state_dict for ${this._get_name()}:\n\t${errors.join("\n\t")}`);
    }
    no_grad(() => {
      for (const [module, name, current, source] of copies) {
        if (!assign) {
          current.copy_(source);
        } else if (current instanceof Parameter) {
          module.setField(name, new Parameter(source.detach(), { requires_grad: current.requires_grad }));
        } else {
          module.setField(name, source.detach());
        }
      }
    });
    return { missing_keys, unexpected_keys };
  }

  /** Converts every floating-point parameter, gradient and buffer to `dtype`, in place; returns this. */
  to(dtype: DType): this {
    no_grad(() => {
      for (const module of this.modules()) {
        for (const [, t] of [...module._parameters(), ...module._buffers()]) {
          if (t === null || t.dtype === "int64" || t.dtype === dtype) continue;
          setData(t, t.to(dtype));
          if (t.grad !== null) t.grad = t.grad.to(dtype);
        }
      }
    });
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
  toString(): string {
    const extraLines = this.extra_repr() ? this.extra_repr().split("\n") : [];
    const childLines = this._modules().map(([name, m]) => `(${name}): ${addIndent(m === null ? "None" : m.toString(), 2)}`);
    const lines = [...extraLines, ...childLines];
    let main = `${this._get_name()}(`;
    if (lines.length > 0) {
      main += extraLines.length === 1 && childLines.length === 0 ? extraLines[0] : `\n  ${lines.join("\n  ")}\n`;
    }
    return `${main})`;
  }
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((s, i) => s === b[i]);
