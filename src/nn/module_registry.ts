/**
 * What a module holds, as the `_parameters`, `_buffers` and `_modules` dicts of
 * `torch.nn.Module`: named parameters, buffers and child modules in registration order.
 * `Module` (module.ts) extends this class and walks what it holds.
 *
 * TypeScript has no `__setattr__`, so a module registers what it holds explicitly, and each
 * member is also a field of its name, which stays the source of truth: assigning a new
 * `Parameter` (or `null`) to a registered field later replaces it, as assignment does in
 * PyTorch. `M` is the class of the children (`Module`), so this file needs no import of module.ts.
 */
import { Tensor } from "../methods.ts";
import { Parameter } from "./parameter.ts";
import { checkBufferValue, checkMemberName, checkParameterValue } from "./module_members.ts";
import { pythonTypeName } from "./python_repr.ts";
import { type Arguments } from "../utils/signature.ts";
import { registerBufferSignature } from "./module_signatures.ts";

type Fields = Record<string, unknown>;

/** The registering half of `Module`: `register_parameter`, `register_buffer`, `register_module` and the member lists. */
export class ModuleRegistry<M> {
  private readonly parameterNames = new Set<string>();
  private readonly bufferNames = new Set<string>();
  /** The names of the buffers registered with `persistent: false` (they stay out of `state_dict`). */
  readonly _non_persistent_buffers_set = new Set<string>();
  private readonly moduleNames = new Set<string>();

  private field(name: string): unknown {
    return (this as unknown as Fields)[name];
  }

  private setField(name: string, value: unknown): void {
    Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
  }

  /**
   * Adds a parameter under `name` (also set as a field) and returns it. `null` registers
   * the name with no parameter, as `self.bias = None` does for a layer without bias.
   */
  register_parameter<P extends Parameter | null>(name: string, param: P): P {
    checkMemberName(this, "parameter", name, this.parameterNames);
    checkParameterValue(name, param);
    this.parameterNames.add(name);
    this.setField(name, param);
    return param;
  }

  /**
   * Adds a buffer: a tensor that is part of the module's state but not a parameter
   * (BatchNorm's running statistics). Non-persistent buffers stay out of `state_dict`.
   */
  register_buffer<T extends Tensor | null>(...args: Arguments<typeof registerBufferSignature, { tensor: T }>): T {
    const { name, tensor: given, persistent } = registerBufferSignature.parse(args);
    const tensor = given as T;
    checkMemberName(this, "buffer", name, this.bufferNames);
    checkBufferValue(name, tensor);
    this.bufferNames.add(name);
    if (persistent) this._non_persistent_buffers_set.delete(name);
    else this._non_persistent_buffers_set.add(name);
    this.setField(name, tensor);
    return tensor;
  }

  /** Adds a child module under `name` (also set as a field) and returns it. */
  register_module<C extends M | null>(name: string, module: C): C {
    if (module !== null && !(module instanceof ModuleRegistry)) {
      throw new TypeError(`${pythonTypeName(module)} is not a Module subclass`);
    }
    checkMemberName(this, "module", name, this.moduleNames);
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
  add_module<C extends M | null>(name: string, module: C): C {
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
  _modules(): [string, M | null][] {
    return [...this.moduleNames].map((name) => [name, this.field(name) as M | null]);
  }

  /** The direct children alone, in registered order, null entries included (what `Sequential` iterates on every forward). */
  _moduleValues(): (M | null)[] {
    const out: (M | null)[] = [];
    for (const name of this.moduleNames) out.push(this.field(name) as M | null);
    return out;
  }
}
