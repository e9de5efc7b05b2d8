// Fuzzing every load_state_dict (each optimizer, each scheduler, a Module) with state dicts
// that fast-check derives from a valid one: values replaced by wrong kinds, NaN, infinities,
// hostile keys, deep nesting or huge arrays; keys deleted or added; the whole dict replaced.
// Each load either takes a valid state (which then saves, reloads and steps) or throws an
// Error with a message of gradlab's (never a JavaScript-internal TypeError), leaving the
// object exactly as it was and Object.prototype untouched. Seeds are fixed so that a failure
// reproduces; 100 runs per loader.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectUnchanged, snapshotOf } from "./atomic.ts";
import { OPTIMIZERS, SCHEDULERS, model, stepped, train, trained } from "./subjects.ts";

const RUNS = 100;
const INTERNAL =
  /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not an object|Maximum call stack|Invalid array length|Cannot convert|undefined/;

type Path = (string | number)[];

/** The paths to values inside `value`, six levels deep at most (arrays: their first 8 entries). */
function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (prefix.length >= 6) return out;
  if (Array.isArray(value)) for (let i = 0; i < Math.min(8, value.length); i++) pathsOf(value[i], [...prefix, i], out);
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

const nested = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

const hostileObject = fc
  .constantFrom("__proto__", "constructor", "prototype")
  .map((k) => JSON.parse(`{"${k}": {"lr": -5, "polluted": 1, "step": 1}}`) as unknown);

const weird: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, null, undefined, "nan", "inf", "-inf", "", "0", "3", true, false, [], {}),
  fc.double(),
  fc.integer({ min: -3, max: 10 }),
  fc.integer({ min: 200, max: 3000 }).map(nested),
  fc.integer({ min: 1000, max: 200_000 }).map((n) => new Array<number>(n).fill(0)),
  hostileObject,
  fc.record({
    dtype: fc.constantFrom("float32", "float64", "int64", "x"),
    shape: fc.array(fc.integer({ min: -1, max: 4 }), { maxLength: 3 }),
    data: fc.array(fc.double(), { maxLength: 8 }),
  }),
);

type Mutation = { kind: "set" | "delete" | "add"; path: number; key: string; value: unknown } | { kind: "replace"; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("set" as const), path: fc.nat(), key: fc.constant(""), value: weird }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), path: fc.nat(), key: fc.constant(""), value: fc.constant(null) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("add" as const),
      path: fc.nat(),
      key: fc.oneof(fc.constantFrom("__proto__", "constructor", "prototype", "optimizer", "step", "lr", "7", "extra"), fc.string({ maxLength: 6 })),
      value: weird,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("replace" as const), value: weird }) },
);

/** `base` (a JSON value) with the mutations applied, as a fresh copy. */
function mutate(base: unknown, mutations: Mutation[]): unknown {
  let root: unknown = JSON.parse(JSON.stringify(base));
  for (const m of mutations) {
    if (m.kind === "replace") {
      root = m.value;
      continue;
    }
    const paths = pathsOf(root);
    const path = paths[m.path % paths.length]!;
    if (path.length === 0 && m.kind !== "add") {
      if (m.kind === "set") root = m.value;
      continue;
    }
    const target = (m.kind === "add" ? path : path.slice(0, -1)).reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], root);
    if (target === null || typeof target !== "object") continue;
    const record = target as Record<string | number, unknown>;
    const key = m.kind === "add" ? m.key : path[path.length - 1]!;
    if (Array.isArray(record) && key === "length") continue; // not a key JSON can hold
    if (m.kind === "delete") {
      if (Array.isArray(record)) record.splice(Number(key), 1);
      else delete record[key];
    } else {
      Object.defineProperty(record, key, { value: m.value, enumerable: true, writable: true, configurable: true });
    }
  }
  return root;
}

/**
 * The property for one loader: `load` either succeeds (then `check` runs on the loaded
 * object) or throws a clean Error with `objects` unchanged.
 */
function fuzz(base: unknown, objects: unknown[], load: (sd: unknown) => void, check: () => void, seed: number): number {
  let refused = 0;
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
      const bad = mutate(base, mutations);
      const before = snapshotOf(...objects);
      try {
        load(bad);
      } catch (error) {
        refused++;
        expect(error).toBeInstanceOf(Error);
        expect((error as Error).message).not.toMatch(INTERNAL);
        expectUnchanged(before, ...objects);
        return;
      }
      check();
    }),
    { numRuns: RUNS, seed },
  );
  return refused;
}

const cleanError = (call: () => unknown): void => {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).not.toMatch(INTERNAL);
  }
};

describe("fuzzed state dicts", () => {
  it.each(Object.keys(OPTIMIZERS).map((name, i) => [name, i] as const))("Optimizer %s: loads a valid state or refuses cleanly", (name, i) => {
    const { opt, ps } = trained(name);
    const base = JSON.parse(JSON.stringify(opt.state_dict())) as unknown;
    const refused = fuzz(
      base,
      [opt, ps],
      (sd) => opt.load_state_dict(sd as never),
      () => {
        opt.load_state_dict(JSON.parse(JSON.stringify(opt.state_dict())));
        cleanError(() => train(opt, ps, 1));
      },
      1000 + i,
    );
    expect(refused).toBeGreaterThan(RUNS / 2);
  });

  it.each(Object.keys(SCHEDULERS).map((name, i) => [name, i] as const))("Scheduler %s: loads a valid state or refuses cleanly", (name, i) => {
    const { opt, sched } = stepped(name);
    const base = JSON.parse(JSON.stringify(sched.state_dict())) as unknown;
    const refused = fuzz(
      base,
      [sched, opt],
      (sd) => sched.load_state_dict(sd),
      () => {
        sched.load_state_dict(JSON.parse(JSON.stringify(sched.state_dict())));
        expect(typeof sched.step).toBe("function");
        cleanError(() => (name === "ReduceLROnPlateau" ? (sched.step as (m: number) => void)(1) : sched.step()));
      },
      2000 + i,
    );
    expect(refused).toBeGreaterThan(RUNS / 2);
  });

  it("Module: loads a valid state or refuses cleanly", () => {
    const m = model();
    const sd = m.state_dict();
    // A module's state dict holds tensors: mutate the key layout and put JSON values in place of tensors.
    const base = Object.fromEntries(Object.keys(sd).map((k) => [k, k]));
    const refused = fuzz(
      base,
      [m],
      (mutated) => {
        const withTensors =
          mutated !== null && typeof mutated === "object" && !Array.isArray(mutated)
            ? Object.fromEntries(Object.entries(mutated).map(([k, v]) => [k, typeof v === "string" && v in sd ? sd[v] : v]))
            : mutated;
        if (withTensors !== null && typeof withTensors === "object" && Object.hasOwn(mutated as object, "__proto__")) {
          const hostile = Object.getOwnPropertyDescriptor(mutated, "__proto__")?.value;
          Object.defineProperty(withTensors, "__proto__", { value: hostile, enumerable: true });
        }
        m.load_state_dict(withTensors as never);
      },
      () => {
        m.load_state_dict(m.state_dict());
      },
      3000,
    );
    expect(refused).toBeGreaterThan(RUNS / 2);
  });
});
