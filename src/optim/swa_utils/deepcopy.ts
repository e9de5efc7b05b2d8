import { Module } from "../../nn/module.ts";
import { Parameter } from "../../nn/parameter.ts";
import { Tensor } from "../../methods.ts";

/**
 * A deep copy of a module, as Python's `copy.deepcopy(model)`: the same classes and
 * structure with every parameter and buffer cloned (parameters stay parameters, with their
 * `requires_grad`); a tensor or module reached twice is copied once and shared, as the memo
 * of `deepcopy` does. Functions and other values are shared.
 */
export function deepcopyModule<M extends Module>(model: M): M {
  return copyValue(model, new Map()) as M;
}

function copyValue(value: unknown, memo: Map<unknown, unknown>): unknown {
  if (value === null || typeof value !== "object") return value;
  if (memo.has(value)) return memo.get(value);
  if (value instanceof Tensor) {
    const data = value.detach().clone();
    const copy = value instanceof Parameter ? new Parameter(data, { requires_grad: value.requires_grad }) : data.requires_grad_(value.requires_grad);
    memo.set(value, copy);
    return copy;
  }
  if (value instanceof Set) {
    const copy = new Set();
    memo.set(value, copy);
    for (const v of value) copy.add(copyValue(v, memo));
    return copy;
  }
  if (value instanceof Map) {
    const copy = new Map();
    memo.set(value, copy);
    for (const [k, v] of value) copy.set(k, copyValue(v, memo));
    return copy;
  }
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    memo.set(value, copy);
    for (const v of value) copy.push(copyValue(v, memo));
    return copy;
  }
  if (!(value instanceof Module) && Object.getPrototypeOf(value) !== Object.prototype) return value;
  const copy = Object.create(Object.getPrototypeOf(value) as object) as Record<string, unknown>;
  memo.set(value, copy);
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key)!;
    if ("value" in descriptor) descriptor.value = copyValue(descriptor.value, memo);
    Object.defineProperty(copy, key, descriptor);
  }
  return copy;
}
