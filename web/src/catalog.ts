/**
 * Which optimizers and schedulers the page offers and which controls each one has, read
 * from the library itself: the classes from the `optim` and `optim.lr_scheduler`
 * namespaces, and each one's options, order, kinds and PyTorch defaults from its declared
 * signature (`lab.signatures`: the one declaration gradlab's own parsing and docs pages
 * use). Nothing here repeats a default.
 */
import { lab, optim, tensor } from "gradlab";
import type { Slot } from "./config.ts";

/** How a control edits one option. */
export type ControlKind =
  | { type: "boolean" }
  /** One of some strings (and null, where the signature allows it): a select. */
  | { type: "choice"; values: readonly (string | null)[] }
  /** A number, an array of numbers or null, typed as a literal ("0.9, 0.999", "null"). */
  | { type: "literal" };

/** One option of a constructor, as the page shows it. */
export interface Option {
  readonly name: string;
  /** What the signature accepts, in its own words ("a number", "[number, number]"). */
  readonly expected: string;
  readonly control: ControlKind;
  /** PyTorch's default; absent for a required parameter. */
  readonly default?: unknown;
  readonly required: boolean;
  readonly keywordOnly: boolean;
  /** The signature's own check of a value. */
  readonly test: (value: unknown) => boolean;
}

/** An optimizer or scheduler the page can build. */
export interface Entry {
  readonly name: string;
  readonly options: readonly Option[];
}

/**
 * Options that only choose a kernel or device in PyTorch (accepted and ignored, see API.md),
 * the resume counter `last_epoch`, and callables, which a control cannot hold.
 */
const HIDDEN = new Set(["params", "optimizer", "foreach", "fused", "capturable", "differentiable", "last_epoch", "scale_fn"]);

function controlFor(expected: string, defaultValue: unknown): ControlKind {
  if (expected === "a boolean") return { type: "boolean" };
  const quoted = [...expected.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
  if (quoted.length > 0 && !/number|integer/.test(expected)) {
    return { type: "choice", values: /null/.test(expected) || defaultValue === null ? [null, ...quoted] : quoted };
  }
  return { type: "literal" };
}

function entry(name: string): Entry | undefined {
  const sig = lab.signatures.get(`${name}.__init__`);
  if (sig === undefined) return undefined;
  const options = sig.parameters
    .filter((p) => !HIDDEN.has(p.name) && !/function|scheduler/.test(p.kind.expected))
    .map(
      (p): Option => ({
        name: p.name,
        expected: p.kind.expected,
        control: controlFor(p.kind.expected, p.default),
        ...(p.required ? {} : { default: p.default }),
        required: p.required,
        keywordOnly: p.keywordOnly,
        test: p.kind.test,
      }),
    );
  return { name, options };
}

type Ctor = abstract new (...args: never[]) => unknown;
const isSubclass = (value: unknown, base: Ctor): value is Ctor => typeof value === "function" && (value as { prototype?: unknown }).prototype instanceof base;

/**
 * Optimizers that cannot run on the landscapes' two scalar parameters, with PyTorch's reason:
 * Muon orthogonalises matrix updates (2-D parameters only), SparseAdam takes sparse gradients only.
 */
export const NOT_ON_LANDSCAPES: Readonly<Record<string, string>> = {
  Muon: "Muon updates 2-D weight matrices only",
  SparseAdam: "SparseAdam takes sparse gradients only",
};

/** Every optimizer of `optim` whose signature is declared, SGD first (the namespace lists them alphabetically). */
export const OPTIMIZERS: readonly Entry[] = Object.entries(optim)
  .filter(([, value]) => isSubclass(value, optim.Optimizer))
  .map(([name]) => entry(name))
  .filter((e): e is Entry => e !== undefined)
  .sort((a, b) => Number(b.name === "SGD") - Number(a.name === "SGD"));

/** The constructor of an optimizer, by name. */
export function optimizerClass(name: string): new (...args: unknown[]) => InstanceType<typeof optim.Optimizer> {
  const value = (optim as Record<string, unknown>)[name];
  if (!isSubclass(value, optim.Optimizer)) throw new Error(`no optimizer named ${name}`);
  return value as unknown as new (
    ...args: unknown[]
  ) => InstanceType<typeof optim.Optimizer>;
}

const S = optim.lr_scheduler as Record<string, unknown>;
const schedulerBase = optim.lr_scheduler.LRScheduler as unknown as Ctor;

/**
 * Schedulers made from numbers alone: every scheduler class but the compositions
 * (SequentialLR, ChainedScheduler: the Schedules panel composes) and those that take
 * functions (LambdaLR, MultiplicativeLR). ReduceLROnPlateau is here: it watches the loss.
 */
export const SCHEDULERS: readonly Entry[] = Object.keys(S)
  .filter((name) => (isSubclass(S[name], schedulerBase) || name === "ReduceLROnPlateau") && name !== "LRScheduler")
  .map((name) => entry(name))
  .filter((e): e is Entry => e !== undefined)
  .filter((e) => {
    const sig = lab.signatures.get(`${e.name}.__init__`)!;
    return !sig.parameters.some((p) => p.required && /function|scheduler/.test(p.kind.expected));
  });

/** The constructor of a scheduler, by name. */
export function schedulerClass(name: string): new (...args: unknown[]) => { step(metric?: number): void; get_last_lr(): number[] } {
  const value = S[name];
  if (typeof value !== "function") throw new Error(`no scheduler named ${name}`);
  return value as new (
    ...args: unknown[]
  ) => { step(metric?: number): void; get_last_lr(): number[] };
}

export const optimizerEntry = (name: string): Entry | undefined => OPTIMIZERS.find((e) => e.name === name);
export const schedulerEntry = (name: string): Entry | undefined => SCHEDULERS.find((e) => e.name === name);

/** What an optimizer's run needs from a {@link Slot}: the optimizer on `params`, and its scheduler. */
export interface Built {
  readonly opt: InstanceType<typeof optim.Optimizer>;
  readonly scheduler: { step(metric?: number): void } | null;
}

/** The optimizer and scheduler a slot describes, on `params`; throws the library's message if it refuses an option. */
export function build(slot: Slot, params: unknown[]): Built {
  const opt = new (optimizerClass(slot.optimizer))(params, { ...slot.options });
  const scheduler = slot.scheduler === null ? null : new (schedulerClass(slot.scheduler))(opt, { ...slot.schedulerOptions });
  return { opt, scheduler };
}

let untracedCache: Record<string, string> | null = null;

/**
 * The optimizers `lab.inspect` does not trace yet, with the reason to show: found by asking
 * the inspector itself on a throwaway optimizer, so each optimizer the library learns to
 * trace becomes available here with no change to the page.
 */
export function untraced(): Readonly<Record<string, string>> {
  if (untracedCache !== null) return untracedCache;
  const reasons: Record<string, string> = {};
  for (const { name } of OPTIMIZERS) {
    let opt: InstanceType<typeof optim.Optimizer>;
    try {
      opt = new (optimizerClass(name))([tensor(0, { dtype: "float64", requires_grad: true })]);
    } catch {
      continue; // it needs options first; the panel shows its message once chosen
    }
    try {
      lab.inspect(opt).close();
    } catch {
      reasons[name] = "lab.inspect does not trace it yet";
    }
  }
  untracedCache = reasons;
  return reasons;
}
