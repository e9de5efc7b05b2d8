/**
 * PyTorch's signatures, declared once: a parameter list (names in order, which are
 * positional and which keyword-only, defaults, the kind of each value) from which the
 * TypeScript types of a call, its run-time parsing and its TypeErrors all follow.
 *
 * ```text
 * Python                                    TypeScript
 * StepLR(opt, 30, 0.5)                      new StepLR(opt, 30, 0.5)
 * StepLR(opt, 30, gamma=0.5)                new StepLR(opt, 30, { gamma: 0.5 })
 * StepLR(opt, step_size=30, gamma=0.5)      new StepLR(opt, { step_size: 30, gamma: 0.5 })
 * ```
 * Python's keyword arguments are one trailing plain object: it may name any parameter not
 * given positionally, keyword-only ones included. `undefined` (an omitted argument or key)
 * takes the default; `null` is Python's None. Wrong calls throw Python's TypeErrors:
 * `StepLR.__init__() got an unexpected keyword argument 'gama'. Did you mean 'gamma'?`,
 * `… takes from 2 to 4 positional arguments but 5 were given`, `… got multiple values for
 * argument 'gamma'`, `… missing 1 required positional argument: 'step_size'`, and, where a
 * value is of the wrong kind, `StepLR.__init__(): argument 'gamma' must be a number, but
 * got string "0.5"`.
 *
 * This module depends on nothing but suggestions.ts, so every layer can declare its signatures with it. For
 * example (the values `parse` returns shown in comments):
 *
 * ```ts
 * import { number, optional, required, signature } from "./signature.ts";
 * const step = signature("step_lr", [required("step_size", number), optional("gamma", number, 0.1)]);
 * console.log(step.parse([30]));                  // { step_size: 30, gamma: 0.1 }
 * console.log(step.parse([{ step_size: 30, gamma: 0.5 }])); // { step_size: 30, gamma: 0.5 }
 * ```
 */

import { closestName } from "./suggestions.ts";

export { closestName };

/** What a value must be: a phrase for messages and a test. `T` is its TypeScript type. */
export interface Kind<T> {
  /** How a message names what is expected: "a number", "a boolean", "[number, number]". */
  readonly expected: string;
  /** True when `value` is of this kind. */
  readonly test: (value: unknown) => boolean;
  /** True when a plain object can be a value of this kind (it is then never taken for the options). */
  readonly plainObject: boolean;
  /** Carries `T` at the type level only; never set. */
  readonly __value?: T;
}

/** A kind from its phrase and test. */
export const kind = <T>(expected: string, test: (value: unknown) => boolean, plainObject = false): Kind<T> => ({
  expected,
  test,
  plainObject,
});

/** A finite or infinite number (not NaN: a NaN learning rate, gamma or period is never meant). */
export const number: Kind<number> = kind("a number", (v) => typeof v === "number" && !Number.isNaN(v));
/** A whole number (sizes, dims, counts). */
export const integer: Kind<number> = kind("an integer", (v) => Number.isInteger(v));
/** true or false. */
export const boolean: Kind<boolean> = kind("a boolean", (v) => typeof v === "boolean");
/** Any string. */
export const string: Kind<string> = kind("a string", (v) => typeof v === "string");
/** Any function (a lambda, a closure, a callback). */
export const func = <F>(): Kind<F> => kind("a function", (v) => typeof v === "function");
/** Any value: for arguments the callee validates itself with its own (PyTorch's) message. */
export const anything = <T>(): Kind<T> => kind("anything", () => true);

/** The value `k` accepts, or null (Python's None). */
export const nullable = <T>(k: Kind<T>): Kind<T | null> => kind(`${k.expected} or null`, (v) => v === null || k.test(v), k.plainObject);

/** One of the given strings (`"min" | "max"`). */
export const oneOf = <const V extends readonly string[]>(...values: V): Kind<V[number]> =>
  kind(values.map((v) => `"${v}"`).join(" or "), (v) => typeof v === "string" && values.includes(v));

/**
 * One of the given strings at the type level; any string at run time, for callees that
 * reject other strings themselves with PyTorch's own message (`mode min2 is unknown!`).
 */
export const choice = <const V extends readonly string[]>(...values: V): Kind<V[number]> =>
  kind(values.map((v) => `"${v}"`).join(" or "), (v) => typeof v === "string");

/** A value of either kind. */
export const union = <A, B>(a: Kind<A>, b: Kind<B>): Kind<A | B> =>
  kind(`${a.expected} or ${b.expected}`, (v) => a.test(v) || b.test(v), a.plainObject || b.plainObject);

/** A fixed-length array (Python's tuple), one kind per position: `tuple(number, number)` for betas. */
export const tuple = <const K extends readonly Kind<unknown>[]>(...kinds: K): Kind<{ -readonly [I in keyof K]: K[I] extends Kind<infer T> ? T : never }> =>
  kind(
    `[${kinds.map((k) => k.expected.replace(/^an? /, "")).join(", ")}]`,
    (v) => Array.isArray(v) && v.length === kinds.length && kinds.every((k, i) => k.test(v[i])),
  );

/** An array of any length whose every element is of kind `k`. */
export const arrayOf = <T>(k: Kind<T>, expected = `an array of ${k.expected.replace(/^an? /, "")}s`): Kind<T[]> =>
  kind(expected, (v) => Array.isArray(v) && v.every((x) => k.test(x)));

/** An instance of `ctor` (a Tensor, a Module, an Optimizer …), named as the message should name it. */
export const instanceOf = <T>(ctor: abstract new (...args: never[]) => T, expected: string): Kind<T> => kind(expected, (v) => v instanceof ctor);

/** One parameter of a signature. `R`: required; `K`: keyword-only (after Python's `*`). */
export interface Parameter<N extends string = string, T = unknown, R extends boolean = boolean, K extends boolean = boolean> {
  readonly name: N;
  readonly kind: Kind<T>;
  readonly required: R;
  readonly keywordOnly: K;
  /** The default (absent for a required parameter); arrays are copied for each call. */
  readonly default?: T;
}

/** A positional parameter without a default: `step_size` of StepLR. */
export const required = <N extends string, T>(name: N, k: Kind<T>): Parameter<N, T, true, false> => ({
  name,
  kind: k,
  required: true,
  keywordOnly: false,
});

/** A positional parameter with a default: `gamma=0.1`. */
export const optional = <N extends string, T>(name: N, k: Kind<T>, value: NoInfer<T>): Parameter<N, T, false, false> => ({
  name,
  kind: k,
  required: false,
  keywordOnly: false,
  default: value,
});

/** A keyword-only parameter (after `*` in Python): given only by name, in the options object. */
export const keyword = <N extends string, T>(name: N, k: Kind<T>, value: NoInfer<T>): Parameter<N, T, false, true> => ({
  name,
  kind: k,
  required: false,
  keywordOnly: true,
  default: value,
});

/** The TypeScript type of a parameter's value. */
export type ValueOf<X> = X extends Parameter<string, infer T> ? T : never;

/** Every parameter's value by name, as `parse` returns them. */
export type Values<P extends readonly Parameter[]> = { -readonly [X in P[number] as X["name"]]: ValueOf<X> };

/** Every parameter's value by name, for a declared signature. */
export type ValuesOf<S> = S extends Signature<infer P> ? Values<P> : never;

/** The positional parameters of a list (those before the first keyword-only one). */
type PositionalOf<P extends readonly Parameter[]> = P extends readonly [infer H extends Parameter, ...infer R extends readonly Parameter[]]
  ? H["keywordOnly"] extends true
    ? []
    : [H, ...PositionalOf<R>]
  : [];

/** A parameter's type in a call: its kind's, unless `O` overrides it by name. */
type TypeIn<X extends Parameter, O> = X["name"] extends keyof O ? O[X["name"]] : ValueOf<X>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The NumPy names PyTorch's argument parser also takes for a parameter (`numpy_compatibility_arg_names`). */
export const NUMPY_ALIASES: Readonly<Record<string, readonly string[]>> = { dim: ["axis"], keepdim: ["keepdims"], input: ["x", "a", "x1"], other: ["x2"] };

/** `NUMPY_ALIASES` at the type level. */
type NumpyAlias<Name> = Name extends "dim"
  ? "axis"
  : Name extends "keepdim"
    ? "keepdims"
    : Name extends "input"
      ? "x" | "a" | "x1"
      : Name extends "other"
        ? "x2"
        : never;

/** A parameter's names in a call: its own, and with `N` its NumPy ones. */
type NamesOf<Y extends Parameter, N extends boolean> = Y["name"] | (N extends true ? NumpyAlias<Y["name"]> : never);

/** One of the names `All` carrying `T`, the others absent (`{ dim: T } | { axis: T }`: both is "multiple values"). */
type OneOf<All extends string, T, One extends string = All> = One extends string ? { [K in One]: T } & { [K in Exclude<All, One>]?: never } : never;

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** Every required parameter of `X` by one of its names: the intersection over them of {@link OneOf}. */
type RequiredNamed<X extends Parameter, O, N extends boolean> = [Extract<X, { required: true }>] extends [never]
  ? object
  : UnionToIntersection<X extends { required: true } ? { box: OneOf<NamesOf<X, N>, TypeIn<X, O>> } : never> extends { box: infer B }
    ? B
    : never;

/** Simplify over each member of a union. */
type SimplifyEach<T> = T extends unknown ? Simplify<T> : never;

/**
 * The trailing options object naming the parameters `X` (those not given positionally);
 * with `N`, a parameter may also go by its NumPy name (`axis` for `dim`, `x2` for `other`),
 * once: a required one by exactly one of its names.
 */
export type Named<X extends Parameter, O = object, N extends boolean = false> = SimplifyEach<
  RequiredNamed<X, O, N> & {
    [Y in X as Y["required"] extends true ? never : Y["name"]]?: TypeIn<Y, O> | undefined;
  } & { [Y in X as N extends true ? (Y["required"] extends true ? never : NumpyAlias<Y["name"]>) : never]?: TypeIn<Y, O> | undefined }
>;

type Trailing<X extends Parameter, O, N extends boolean> = [X] extends [never]
  ? []
  : [Extract<X, { required: true }>] extends [never]
    ? [options?: Named<X, O, N>]
    : [options: Named<X, O, N>];

type Calls<Pos extends readonly Parameter[], Rest extends Parameter, O, N extends boolean, Given extends unknown[] = []> =
  | [...Given, ...Trailing<Rest, O, N>]
  | (Pos extends readonly [infer H extends Parameter, ...infer T extends readonly Parameter[]]
      ? Calls<T, Exclude<Rest, H>, O, N, [...Given, H["required"] extends true ? TypeIn<H, O> : TypeIn<H, O> | undefined]>
      : never);

/**
 * Every call a signature accepts, as a union of argument tuples: the first k positional
 * parameters in order, then an options object naming any of the rest (required if a
 * required parameter is left). `O` replaces the types of some parameters by name.
 */
export type Arguments<S, O = object> = S extends Signature<infer P, infer N> ? Calls<PositionalOf<P>, P[number], O, N> : never;

/** A declared signature: its name as messages spell it, its parameters, and the parser. */
export interface Signature<P extends readonly Parameter[], N extends boolean = boolean> {
  /** As Python's messages name the callee: `StepLR.__init__`, `cross_entropy`. */
  readonly name: string;
  readonly parameters: P;
  /**
   * True for the functions PyTorch's C++ argument parser binds (tensor methods, `torch.sum` …):
   * they also take NumPy's names by name, as that parser does (`axis` for `dim`, `keepdims` for `keepdim`, `x`, `a` or `x1` for `input`, `x2` for `other`: `x.sum({ axis: 1, keepdims: true })`).
   * Functions PyTorch writes in Python (`torch.norm`, `Tensor.backward`, `nn.functional`) do not.
   */
  readonly numpy: N;
  /** The defaults of the parameters that have one, by name (what docs pages show). */
  readonly defaults: Partial<Values<P>>;
  /** Binds a call's arguments as Python does, checks each value's kind, fills the defaults. */
  parse(args: readonly unknown[]): Values<P>;
}

/**
 * Every signature declared so far, by key: its name (`"StepLR.__init__"`, `"cross_entropy"`),
 * or where a tensor method and a torch function share a name, `"Tensor.sum"` and `"torch.sum"`
 * (an overload adds its distinguishing parameter: `"Tensor.max(other)"`). For docs pages and tests.
 */
export const declared = new Map<string, Signature<readonly Parameter[]>>();

/** A default as a signature shows it: `0.1`, `null`, `[0.9, 0.999]`, `"min"`. */
const showDefault = (value: unknown): string => (typeof value === "number" ? String(value) : (JSON.stringify(value) ?? "undefined"));

/**
 * A signature as TypeScript calls it, for docs: `new StepLR(optimizer, step_size, gamma = 0.1,
 * last_epoch = -1)`, keyword-only parameters in a trailing `{ … }`.
 */
export function formatCall(sig: Signature<readonly Parameter[]>): string {
  const [owner, method] = sig.name.split(".");
  const shown = (p: Parameter): string => (p.required ? p.name : `${p.name} = ${showDefault(p.default)}`);
  const positional = sig.parameters.filter((p) => !p.keywordOnly).map(shown);
  const keywords = sig.parameters.filter((p) => p.keywordOnly).map(shown);
  if (keywords.length > 0) positional.push(`{ ${keywords.join(", ")} }`);
  return `${method === "__init__" ? "new " : ""}${owner}(${positional.join(", ")})`;
}

/** True for `{ … }` literals and `Object.create(null)`: what a trailing options object is. */
export const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
};

/**
 * A value as a message shows what was received: `string "0.5"`, `NaN`, `an object with keys
 * {a, b}`, `a Tensor`, `nothing` (undefined: a key missing from loaded data). The one
 * description for the calls' TypeErrors and the load checks' errors (state_checks.ts).
 */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : `number ${String(value)}`;
  if (typeof value === "string") return `string ${JSON.stringify(value)}`;
  if (typeof value === "boolean") return `boolean ${String(value)}`;
  if (typeof value === "function") return "a function";
  if (Array.isArray(value)) {
    const shown = JSON.stringify(value);
    return shown !== undefined && shown.length <= 40 ? `array ${shown}` : `an array of length ${value.length}`;
  }
  if (isPlainObject(value)) return `an object with keys {${Object.keys(value).join(", ")}}`;
  const name = (value as object).constructor?.name;
  return name ? `${/^[AEIOU]/.test(name) ? "an" : "a"} ${name}` : typeof value;
}

/**
 * Python's TypeError for arguments given to a method that takes none (`x.exp(1)`: `exp() takes
 * no arguments (1 given)`; a trailing options object: `exp() takes no keyword arguments`).
 */
export function noArguments(name: string, args: readonly unknown[]): never {
  if (args.length === 1 && isPlainObject(args[0])) throw new TypeError(`${name}() takes no keyword arguments`);
  throw new TypeError(`${name}() takes no arguments (${args.length} given)`);
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

/** `'a'`, `'a' and 'b'`, `'a', 'b', and 'c'`: how Python lists missing arguments. */
const listNames = (names: readonly string[]): string => {
  const quoted = names.map((n) => `'${n}'`);
  if (quoted.length <= 2) return quoted.join(" and ");
  return `${quoted.slice(0, -1).join(", ")}, and ${quoted[quoted.length - 1]}`;
};

/** Python's TypeError for required parameters without a value (`given[i]`: parameter i has one). */
function checkMissing(name: string, parameters: readonly Parameter[], given: readonly boolean[]): void {
  for (let i = 0; i < parameters.length; i++) {
    if (parameters[i]!.required && !given[i]) {
      const missing = parameters.filter((p, j) => p.required && !given[j]).map((p) => p.name);
      throw new TypeError(`${name}() missing ${plural(missing.length, "required positional argument")}: ${listNames(missing)}`);
    }
  }
}

const copyDefault = (value: unknown): unknown => (Array.isArray(value) ? value.slice() : value);

/**
 * Declares a signature. `name` is how Python's messages name the callee (`"Adam.__init__"`,
 * `"clip_grad_norm_"`); `parameters` are in Python's order, keyword-only ones last; `numpy`
 * adds NumPy's names (see {@link Signature.numpy}); `key` is its entry in {@link declared}.
 */
export function signature<const P extends readonly Parameter[], const N extends boolean = false>(
  name: string,
  parameters: P,
  numpy?: N,
  key: string = name,
): Signature<P, N> {
  const positional = parameters.filter((p) => !p.keywordOnly);
  const firstKeyword = parameters.findIndex((p) => p.keywordOnly);
  if (firstKeyword !== -1 && parameters.slice(firstKeyword).some((p) => !p.keywordOnly)) {
    throw new Error(`${name}: keyword-only parameters must come last`);
  }
  const names = parameters.map((p) => p.name);
  const indexOf = new Map<string, number>(names.map((n, i) => [n, i]));
  // A NumPy name stands for its parameter: `axis` binds `dim`, as PyTorch's parser binds it.
  const aliasOf = new Map<string, string>();
  if (numpy === true) for (const p of parameters) for (const alias of NUMPY_ALIASES[p.name] ?? []) if (!indexOf.has(alias)) aliasOf.set(alias, p.name);
  const minimum = positional.filter((p) => p.required).length;
  const defaults: Record<string, unknown> = {};
  for (const p of parameters) if (!p.required) defaults[p.name] = p.default;
  // The values before the call's: the defaults in the parameters' order (a required one's placeholder
  // is always replaced), copied for each call with array defaults sliced, so a call cannot change them.
  const template: Record<string, unknown> = Object.fromEntries(parameters.map((p) => [p.name, p.default]));
  const arrayDefaults = parameters.filter((p) => Array.isArray(p.default)).map((p) => p.name);

  const check = (p: Parameter, value: unknown): void => {
    if (!p.kind.test(value)) {
      throw new TypeError(`${name}(): argument '${p.name}' must be ${p.kind.expected}, but got ${describeValue(value)}`);
    }
  };

  const parse = (args: readonly unknown[]): Values<P> => {
    let n = args.length;
    while (n > 0 && args[n - 1] === undefined) n--;
    let options: Record<string, unknown> | null = null;
    const last = args[n - 1];
    if (n > 0 && isPlainObject(last) && !(n - 1 < positional.length && positional[n - 1]!.kind.plainObject)) {
      options = last;
      n--;
    }
    if (n > positional.length) {
      const takes = minimum === positional.length ? `${positional.length}` : `from ${minimum} to ${positional.length}`;
      const word = positional.length === 1 && minimum === positional.length ? "argument" : "arguments";
      throw new TypeError(`${name}() takes ${takes} positional ${word} but ${n} ${n === 1 ? "was" : "were"} given`);
    }
    const values: Record<string, unknown> = { ...template };
    for (const key of arrayDefaults) values[key] = (values[key] as unknown[]).slice();
    // `given[i]`: parameter i has a value from the call (positional, or named in the options)
    const given: boolean[] = [];
    for (let i = 0; i < parameters.length; i++) given.push(false);
    for (let i = 0; i < n; i++) {
      if (args[i] === undefined) continue;
      check(positional[i]!, args[i]);
      values[names[i]!] = copyDefault(args[i]);
      given[i] = true;
    }
    if (options !== null) {
      for (const written of Object.keys(options)) {
        const key = aliasOf.get(written) ?? written;
        const i = indexOf.get(key);
        if (i === undefined) {
          const suggestion = closestName(key, names);
          throw new TypeError(`${name}() got an unexpected keyword argument '${key}'${suggestion === undefined ? "" : `. Did you mean '${suggestion}'?`}`);
        }
        if (given[i]) throw new TypeError(`${name}() got multiple values for argument '${key}'`);
        const value = options[written];
        if (value === undefined) continue;
        check(parameters[i]!, value);
        values[key] = copyDefault(value);
        given[i] = true;
      }
    }
    checkMissing(name, parameters, given);
    return values as Values<P>;
  };

  const declaration: Signature<P, N> = { name, parameters, numpy: (numpy ?? false) as N, defaults: defaults as Partial<Values<P>>, parse };
  declared.set(key, declaration);
  return declaration;
}
