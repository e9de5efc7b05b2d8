/**
 * A module's `state_dict()` and `load_state_dict`, as `torch.nn.Module`'s: parameters and
 * persistent buffers by dotted name, this module's own first and then each child's.
 *
 * The functions take a {@link StateDictModule}, the part of `Module` they use, so this file
 * needs no import of `module.ts`; `Module`'s two methods call them.
 */
import { no_grad } from "../autograd/grad_mode.ts";
import { Tensor } from "../methods.ts";
import { safeKeys } from "../utils/state_checks.ts";
import { Parameter } from "./parameter.ts";

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

/** What saving and loading use of a module (`Module` has all of it). */
export interface StateDictModule {
  _get_name(): string;
  _parameters(): [string, Parameter | null][];
  _buffers(): [string, Tensor | null][];
  _modules(): [string, StateDictModule | null][];
  /** The names of the buffers registered with `persistent: false`, as PyTorch's set of that name. */
  readonly _non_persistent_buffers_set: ReadonlySet<string>;
  register_parameter(name: string, param: Parameter): unknown;
  register_buffer(name: string, tensor: Tensor): unknown;
}

const shapeText = (shape: readonly number[]): string => `torch.Size([${shape.join(", ")}])`;

/** Python's `type(x)` spelled for messages about a value that is not a tensor. */
const pythonType = (x: unknown): string => (x === null || x === undefined ? "<class 'NoneType'>" : `<class '${Array.isArray(x) ? "list" : typeof x}'>`);

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((s, i) => s === b[i]);

/** The module's state dict: see `Module.state_dict`. */
export function moduleStateDict(module: StateDictModule, options: StateDictOptions = {}): StateDict {
  const { prefix = "", keep_vars = false } = options;
  const destination = options.destination ?? {};
  for (const [name, p] of module._parameters()) {
    if (p !== null) destination[prefix + name] = keep_vars ? p : p.detach();
  }
  for (const [name, b] of module._buffers()) {
    if (b !== null && !module._non_persistent_buffers_set.has(name)) destination[prefix + name] = keep_vars ? b : b.detach();
  }
  for (const [name, child] of module._modules()) {
    if (child !== null) moduleStateDict(child, { destination, prefix: `${prefix}${name}.`, keep_vars });
  }
  return destination;
}

/** A module's own entries of a state dict: parameters and persistent buffers. */
function localState(module: StateDictModule): [string, Tensor][] {
  const out: [string, Tensor][] = [];
  for (const [name, p] of module._parameters()) if (p !== null) out.push([name, p]);
  for (const [name, b] of module._buffers()) {
    if (b !== null && !module._non_persistent_buffers_set.has(name)) out.push([name, b]);
  }
  return out;
}

/** Loads `state_dict` into the module: see `Module.load_state_dict`. */
export function loadModuleStateDict(root: StateDictModule, state_dict: StateDict, options: LoadStateDictOptions = {}): IncompatibleKeys {
  if (state_dict === null || typeof state_dict !== "object" || Array.isArray(state_dict) || state_dict instanceof Tensor) {
    throw new TypeError(`Expected state_dict to be dict-like, got ${pythonType(state_dict)}.`);
  }
  safeKeys(state_dict, "state_dict");
  const { strict = true, assign = false } = options;
  const missing_keys: string[] = [];
  const unexpected_keys: string[] = [];
  const errors: string[] = [];
  const copies: [StateDictModule, string, Tensor, Tensor][] = [];
  const visit = (module: StateDictModule, prefix: string): void => {
    const local = localState(module);
    for (const [name, current] of local) {
      const key = prefix + name;
      if (!Object.hasOwn(state_dict, key)) {
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
    const childNames = new Set(module._modules().map(([name]) => name));
    for (const key of Object.keys(state_dict)) {
      if (!key.startsWith(prefix)) continue;
      const first = key.slice(prefix.length).split(".")[0]!;
      if (!childNames.has(first) && !localNames.has(first)) unexpected_keys.push(key);
    }
    for (const [name, child] of module._modules()) if (child !== null) visit(child, `${prefix}${name}.`);
  };
  visit(root, "");
  if (strict) {
    if (unexpected_keys.length > 0) {
      errors.unshift(`Unexpected key(s) in state_dict: ${unexpected_keys.map((k) => `"${k}"`).join(", ")}. `);
    }
    if (missing_keys.length > 0) {
      errors.unshift(`Missing key(s) in state_dict: ${missing_keys.map((k) => `"${k}"`).join(", ")}. `);
    }
  }
  if (errors.length > 0) {
    throw new Error(`Error(s) in loading state_dict for ${root._get_name()}:\n\t${errors.join("\n\t")}`);
  }
  no_grad(() => {
    for (const [module, name, current, source] of copies) {
      if (!assign) {
        current.copy_(source);
      } else if (current instanceof Parameter) {
        module.register_parameter(name, new Parameter(source.detach(), { requires_grad: current.requires_grad }));
      } else {
        module.register_buffer(name, source.detach());
      }
    }
  });
  return { missing_keys, unexpected_keys };
}
