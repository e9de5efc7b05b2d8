import { Tensor } from "../methods.ts";
import { Module } from "./module.ts";
import { pythonTypeName } from "./python_repr.ts";

/** A module that maps one tensor to one tensor: what `Sequential` chains. */
export interface TensorModule extends Module {
  forward(input: Tensor): Tensor;
}

/** PyTorch's check of a list index: −len ≤ idx < len, then counted from the front. */
function absoluteIndex(idx: number, length: number): number {
  if (!Number.isInteger(idx) || idx < -length || idx >= length) throw new Error(`index ${idx} is out of range`);
  return idx < 0 ? idx + length : idx;
}

const isModuleRecord = (x: unknown): x is Record<string, Module> => typeof x === "object" && x !== null && !(x instanceof Module) && !Array.isArray(x);

/** The elements of `modules` (null or undefined for none), or PyTorch's TypeError for what is not iterable. */
function listOf<M>(modules: unknown): M[] {
  if (modules === null || modules === undefined) return [];
  if (typeof modules !== "object" || !(Symbol.iterator in modules) || modules instanceof Module) {
    throw new TypeError(`ModuleList.extend should be called with an iterable, but got ${pythonTypeName(modules)}`);
  }
  return [...(modules as Iterable<M>)];
}

/**
 * A chain of modules applied in order, as `torch.nn.Sequential`: `forward(x)` passes `x`
 * through the first module, its output through the second, and so on. Children are named
 * "0", "1", … or, given one object of named modules, by those names.
 *
 * @example
 * ```ts
 * import { nn, randn } from "gradlab";
 * const model = new nn.Sequential(new nn.Linear(2, 4), new nn.Tanh(), new nn.Linear(4, 1));
 * console.log(model.forward(randn([3, 2])).shape); // [3, 1]
 * console.log(Object.keys(model.state_dict())); // ["0.weight", "0.bias", "2.weight", "2.bias"]
 * ```
 */
export class Sequential extends Module {
  constructor(...modules: TensorModule[] | [Record<string, TensorModule>]) {
    super();
    if (modules.length === 1 && isModuleRecord(modules[0])) {
      for (const [name, module] of Object.entries(modules[0])) this.register_module(name, module);
    } else {
      (modules as TensorModule[]).forEach((module, i) => this.register_module(String(i), module));
    }
  }

  /** The number of modules. */
  get length(): number {
    return this._modules().length;
  }

  /** The module at position `idx` (negative counts from the end). */
  at(idx: number): TensorModule {
    const entries = this._modules();
    return entries[absoluteIndex(idx, entries.length)]![1] as TensorModule;
  }

  /** Adds `module` at the end, named by its position; returns this. */
  append(module: TensorModule): this {
    this.register_module(String(this.length), module);
    return this;
  }

  [Symbol.iterator](): Iterator<TensorModule> {
    return (this._moduleValues() as TensorModule[])[Symbol.iterator]();
  }

  /** Applies every module in order. */
  override forward(input: Tensor): Tensor {
    let x = input;
    const modules = this._moduleValues() as TensorModule[];
    for (let i = 0; i < modules.length; i++) x = modules[i]!.forward(x);
    return x;
  }
}

/**
 * Modules held in a list, registered as children "0", "1", …, as `torch.nn.ModuleList`.
 * It has no `forward`: a parent module decides how to use them.
 *
 * @example
 * ```ts
 * import { nn } from "gradlab";
 * const layers = new nn.ModuleList([new nn.Linear(3, 3), new nn.Linear(3, 3)]);
 * layers.append(new nn.Linear(3, 1));
 * console.log(layers.length); // 3
 * ```
 */
export class ModuleList<M extends Module = Module> extends Module {
  constructor(modules: Iterable<M> | null = null) {
    super();
    for (const module of listOf<M>(modules)) this.append(module);
  }

  /** The number of modules. */
  get length(): number {
    return this._modules().length;
  }

  /** The module at position `idx` (negative counts from the end). */
  at(idx: number): M {
    const entries = this._modules();
    return entries[absoluteIndex(idx, entries.length)]![1] as M;
  }

  /** Replaces the module at position `idx`. */
  set(idx: number, module: M): void {
    this.register_module(String(absoluteIndex(idx, this.length)), module);
  }

  /** Adds `module` at the end; returns this. */
  append(module: M): this {
    this.register_module(String(this.length), module);
    return this;
  }

  /** Appends every module of `modules`; returns this. */
  extend(modules: Iterable<M>): this {
    for (const module of listOf<M>(modules)) this.append(module);
    return this;
  }

  /** Inserts `module` before position `index`, renumbering those after it. */
  insert(index: number, module: M): void {
    const list = this.list();
    const n = list.length;
    const at = index < 0 ? Math.max(0, index + n) : Math.min(index, n);
    list.splice(at, 0, module);
    this.renumber(list);
  }

  /** Removes and returns the module at `idx`, renumbering those after it. */
  pop(idx = -1): M {
    const list = this.list();
    const [removed] = list.splice(absoluteIndex(idx, list.length), 1);
    this.renumber(list);
    return removed!;
  }

  private list(): M[] {
    return this._modules().map(([, m]) => m as M);
  }

  private renumber(list: M[]): void {
    for (const [name] of this._modules()) this._remove_module(name);
    list.forEach((module, i) => this.register_module(String(i), module));
  }

  [Symbol.iterator](): Iterator<M> {
    return this.list()[Symbol.iterator]();
  }
}

/**
 * Modules held by name, as `torch.nn.ModuleDict`; keys keep insertion order. Keys that
 * clash with a Module method or field (`"forward"`, `"training"`) are refused, as in PyTorch.
 *
 * @example
 * ```ts
 * import { nn } from "gradlab";
 * const heads = new nn.ModuleDict({ cls: new nn.Linear(8, 3), reg: new nn.Linear(8, 1) });
 * console.log(heads.keys()); // ["cls", "reg"]
 * ```
 */
export class ModuleDict<M extends Module = Module> extends Module {
  constructor(modules: Record<string, M> | Iterable<[string, M]> | null = null) {
    super();
    if (modules !== null && modules !== undefined) this.update(modules);
  }

  /** The number of modules. */
  get length(): number {
    return this._modules().length;
  }

  /** The module under `key`. */
  get(key: string): M {
    const entry = this._modules().find(([name]) => name === key);
    if (entry === undefined) throw new Error(`'${key}'`);
    return entry[1] as M;
  }

  /** Adds or replaces the module under `key`. */
  set(key: string, module: M): void {
    this.register_module(key, module);
  }

  /** Whether a module is held under `key`. */
  has(key: string): boolean {
    return this._modules().some(([name]) => name === key);
  }

  /** Removes and returns the module under `key`. */
  pop(key: string): M {
    const module = this.get(key);
    this._remove_module(key);
    return module;
  }

  /** Removes every module. */
  clear(): void {
    for (const [name] of this._modules()) this._remove_module(name);
  }

  keys(): string[] {
    return this._modules().map(([name]) => name);
  }

  values(): M[] {
    return this._modules().map(([, m]) => m as M);
  }

  items(): [string, M][] {
    return this._modules().map(([name, m]) => [name, m as M]);
  }

  /** Adds every (key, module) pair of `modules`. */
  update(modules: Record<string, M> | Iterable<[string, M]>): void {
    const entries = modulePairs<M>(modules);
    for (const [key, module] of entries) this.register_module(key, module);
  }

  [Symbol.iterator](): Iterator<string> {
    return this.keys()[Symbol.iterator]();
  }
}

/**
 * The (key, module) pairs of a ModuleDict update: an object of modules or an iterable of
 * pairs, with PyTorch's messages for anything else (checked whole before anything is added;
 * PyTorch's "should be Iterable; is" has no space before the type name, this one does).
 */
function modulePairs<M>(modules: unknown): [string, M][] {
  if (isModuleRecord(modules) && !(Symbol.iterator in modules)) return Object.entries(modules) as [string, M][];
  if (typeof modules !== "object" || modules === null || !(Symbol.iterator in modules) || modules instanceof Module) {
    throw new TypeError(`ModuleDict.update should be called with an iterable of key/value pairs, but got ${pythonTypeName(modules)}`);
  }
  const pairs = [...(modules as Iterable<unknown>)];
  pairs.forEach((pair, i) => {
    if (!Array.isArray(pair)) {
      throw new TypeError(`ModuleDict update sequence element #${i} should be Iterable; is ${pythonTypeName(pair)}`);
    }
    if (pair.length !== 2) {
      throw new Error(`ModuleDict update sequence element #${i} has length ${pair.length}; 2 is required`);
    }
  });
  return pairs as [string, M][];
}
