/**
 * What a module may register, with PyTorch's messages, and the naming of members across a
 * module tree (`"fc1.weight"`). `Module` in module.ts calls these; they need nothing of it.
 */
import { Tensor } from "../methods.ts";
import { Parameter } from "./parameter.ts";

/** Options of `named_parameters` and `named_buffers`. */
export interface NamedMembersOptions {
  prefix?: string;
  recurse?: boolean;
  remove_duplicate?: boolean;
}

/**
 * PyTorch's checks on a new member name of `owner`, shared by the three `register_*`
 * methods: `registered` holds the names already registered in this kind.
 */
export function checkMemberName(owner: object, kind: string, name: string, registered: ReadonlySet<string>): void {
  if (typeof name !== "string") throw new Error(`${kind} name should be a string. Got ${typeof name}`);
  if (name.includes(".")) {
    throw new Error(kind === "module" ? `module name can't contain ".", got: ${name}` : `${kind} name can't contain "."`);
  }
  if (name === "") throw new Error(`${kind} name can't be empty string ""`);
  if (name in owner && (owner as Record<string, unknown>)[name] !== undefined && !registered.has(name)) {
    throw new Error(`attribute '${name}' already exists`);
  }
}

/** PyTorch's checks on a value given to `register_parameter`: a leaf `Parameter` or null. */
export function checkParameterValue(name: string, param: unknown): void {
  if (param === null) return;
  if (!(param instanceof Parameter)) {
    const type = param instanceof Tensor ? param._typeAndShape().split(" ")[0] : typeof param;
    throw new Error(`cannot assign '${type}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
  }
  if (param.grad_fn !== null) {
    throw new Error(
      `Cannot assign non-leaf Tensor to parameter '${name}'. Model parameters must be created explicitly. To express '${name}' as a function of another Tensor, compute the value in the forward() method.`,
    );
  }
}

/** PyTorch's check on a value given to `register_buffer`: a tensor or null. */
export function checkBufferValue(name: string, tensor: unknown): void {
  if (tensor !== null && !(tensor instanceof Tensor)) {
    throw new Error(`cannot assign '${typeof tensor}' object to buffer '${name}' (torch Tensor or None required)`);
  }
}

/**
 * The members of each module of `modules` (dotted prefix first) with dotted names, in that
 * order, skipping nulls, each tensor once unless `remove_duplicate` is false.
 */
export function namedMembersOf<M, T extends Tensor>(
  modules: readonly [string, M][],
  members: (m: M) => [string, T | null][],
  remove_duplicate: boolean,
): [string, T][] {
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

/** The non-null entries of `modules`, each module once (its first name), as `named_children`. */
export function uniqueChildren<M>(modules: readonly [string, M | null][]): [string, M][] {
  const seen = new Set<M>();
  const out: [string, M][] = [];
  for (const [name, module] of modules) {
    if (module !== null && !seen.has(module)) {
      seen.add(module);
      out.push([name, module]);
    }
  }
  return out;
}

/** The module at a dotted path of child names below `root` (`""` is `root`), as `get_submodule`. */
export function submoduleAt<M extends { _get_name(): string; _modules(): [string, M | null][] }>(root: M, target: string, isModule: (x: unknown) => x is M): M {
  if (target === "") return root;
  let module: M = root;
  for (const item of target.split(".")) {
    if (!module._modules().some(([name]) => name === item) && !(item in module)) {
      throw new Error(`${module._get_name()} has no attribute \`${item}\``);
    }
    const next = (module as Record<string, unknown>)[item];
    if (!isModule(next)) throw new Error(`\`${item}\` is not an nn.Module`);
    module = next;
  }
  return module;
}
