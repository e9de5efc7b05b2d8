// One snapshot for every "a call that throws changes nothing" test: a deep capture of the
// objects it was given (optimizers, parameters and their grads, state, schedulers, modules),
// compared by value after the throw, plus a check that Object.prototype is untouched.
import { expect } from "vitest";
import { Tensor } from "gradlab";

type Captured = unknown;

/** Prototypes by identity, as stable names (compared as strings, so toEqual never walks them). */
const prototypeIds = new Map<object | null, string>();
function prototypeId(value: object): string {
  const proto = Object.getPrototypeOf(value) as object | null;
  if (!prototypeIds.has(proto)) {
    const name = proto === null ? "null" : ((proto as { constructor?: { name?: string } }).constructor?.name ?? "?");
    prototypeIds.set(proto, `${name}#${prototypeIds.size}`);
  }
  return prototypeIds.get(proto)!;
}

function capture(value: unknown, seen: Map<object, number>): Captured {
  if (value === null || typeof value !== "object") {
    // Functions are compared by identity (a method replaced by loading would show here).
    return typeof value === "function" ? value : Object.is(value, -0) ? "-0" : value;
  }
  if (seen.has(value)) return `[seen #${seen.get(value)}]`;
  seen.set(value, seen.size);
  if (value instanceof Tensor) {
    return {
      tensor: seen.get(value),
      dtype: value.dtype,
      shape: value.shape.slice(),
      values: Array.from(value.to_dense().toTypedArray(), (x) => (Object.is(x, -0) ? "-0" : x)), // a sparse gradient by its entries
      requires_grad: value.requires_grad,
      grad: capture(value.grad, seen),
      version: value._version,
    };
  }
  if (value instanceof Map) return { map: [...value].map(([k, v]) => [capture(k, seen), capture(v, seen)]) };
  if (value instanceof Set) return { set: [...value].map((v) => capture(v, seen)) };
  if (ArrayBuffer.isView(value)) return { typed: Array.from(value as unknown as ArrayLike<number>) };
  if (Array.isArray(value)) return value.map((v) => capture(v, seen));
  const out: Record<string, Captured> = { "[prototype]": prototypeId(value) };
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key)!;
    out[String(key)] = "value" in descriptor ? capture(descriptor.value, seen) : { get: descriptor.get, set: descriptor.set };
  }
  return out;
}

/** The names Object.prototype has now, to check that nothing was added to it. */
const prototypeNames = (): string[] => Object.getOwnPropertyNames(Object.prototype).sort();
const PROTOTYPE_NAMES = prototypeNames();

/** A deep snapshot of `objects`, as {@link expectUnchanged} compares it. */
export function snapshotOf(...objects: unknown[]): Captured {
  return capture(objects, new Map());
}

/** Asserts that `objects` deep-equal `before` (taken with {@link snapshotOf}) and that Object.prototype is as it was. */
export function expectUnchanged(before: Captured, ...objects: unknown[]): void {
  expect(snapshotOf(...objects)).toEqual(before);
  expectPrototypeClean();
}

/** Asserts that Object.prototype has only its own names and that `{}` inherits nothing planted. */
export function expectPrototypeClean(): void {
  expect(prototypeNames()).toEqual(PROTOTYPE_NAMES);
  const probe = {} as Record<string, unknown>;
  for (const key of ["lr", "polluted", "step", "state", "param_groups", "optimizer"]) expect(probe[key]).toBeUndefined();
}

/**
 * Runs `call`, expects it to throw an Error (not a JavaScript-internal TypeError such as
 * "Cannot read properties") whose message contains `message`, and expects `objects`
 * unchanged. Returns the error.
 */
export function expectRefusedAtomically(call: () => unknown, message: string | RegExp, ...objects: unknown[]): Error {
  const before = snapshotOf(...objects);
  let error: unknown = null;
  try {
    call();
  } catch (e) {
    error = e;
  }
  expect(error, "the call should throw").toBeInstanceOf(Error);
  const text = (error as Error).message;
  expect(text).not.toMatch(/Cannot read propert|is not a function|is not iterable|undefined|Cannot convert/);
  if (typeof message === "string") expect(text).toContain(message);
  else expect(text).toMatch(message);
  expectUnchanged(before, ...objects);
  return error as Error;
}
