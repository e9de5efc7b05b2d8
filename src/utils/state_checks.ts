/**
 * Checks shared by every `load_state_dict`: loaded data is read only from plain objects
 * and arrays, never through a key that JavaScript treats as a prototype or a class
 * (`__proto__`, `constructor`, `prototype`), and every message names where the bad value
 * sits and what it is (shown by signature.ts's describeValue, as in the calls' TypeErrors).
 */

import { describeValue, isPlainObject } from "./signature.ts";

/** Keys that would reach a prototype or a class instead of holding data. */
export const HOSTILE_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** The own keys of a plain object, after throwing on any hostile key (naming `where`). */
export function safeKeys(record: Record<string, unknown>, where: string): string[] {
  const keys = Object.keys(record);
  for (const key of keys) {
    if (HOSTILE_KEYS.has(key)) throw new Error(`${where} has the key '${key}', which cannot hold state`);
  }
  return keys;
}

/** Throws unless `x` is a plain object without hostile keys; returns its own keys. */
export function expectRecord(x: unknown, where: string): string[] {
  if (!isPlainObject(x)) throw new Error(`${where} should be an object, got ${describeValue(x)}`);
  return safeKeys(x, where);
}

/** Throws unless `x` is an array. */
export function expectArray(x: unknown, where: string): asserts x is unknown[] {
  if (!Array.isArray(x)) throw new Error(`${where} should be an array, got ${describeValue(x)}`);
}

/** Sets `key` on `target` as an own data property (so `__proto__` could never replace its prototype). */
export function defineData(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}
