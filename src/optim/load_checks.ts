/**
 * What `Optimizer.load_state_dict` checks before it replaces anything: the layout of the
 * state dict, each group's options (their kinds against the optimizer's defaults, then the
 * constructor's own range checks), the parameter indices, and every state entry against
 * the state this optimizer keeps for that parameter (keys, kinds, tensor shapes).
 *
 * PyTorch loads much of this unchecked and fails at the next `step()`; gradlab refuses the
 * state dict instead, naming the group, the parameter index and the key.
 */
import type { Tensor } from "../tensor/tensor.ts";
import { expectArray, expectRecord } from "../utils/state_checks.ts";
import { describeValue } from "../utils/signature.ts";
import { checkTensorJSON } from "./state_dict.ts";

/** Keys the learning-rate schedulers add to a group (non-negative numbers, or lists of them). */
export const SCHEDULER_GROUP_KEYS: ReadonlySet<string> = new Set(["initial_lr", "max_lr", "min_lr", "max_momentum", "base_momentum", "swa_lr"]);

/** How one value of a parameter's state is checked. */
export type StateValueSpec =
  /** A tensor of this shape (`nullable`: or null, as SGD's momentum_buffer before its first step; `sparse`: or a sparse one). */
  | { kind: "tensor"; shape: readonly number[]; nullable?: boolean; sparse?: boolean }
  /** A count such as `step`: an integer ≥ 0. */
  | { kind: "count" }
  /** A finite number. */
  | { kind: "number" }
  /** A list of tensors of this shape (LBFGS's history). */
  | { kind: "tensors"; shape: readonly number[] }
  /** A list of finite numbers (`nullable`: or nulls). */
  | { kind: "numbers"; nullable?: boolean };

/**
 * The state an optimizer keeps for one parameter: each key's spec, whether it may be
 * absent, and the key whose list it must match in length.
 */
export type StateSpec = Record<string, { value: StateValueSpec; optional?: boolean; sameLengthAs?: string }>;

/** The spec of a fresh state as `initState` made it: its tensors' shapes, `step` a count, other numbers finite. */
export function specOfFreshState(fresh: object | null, param: Tensor): StateSpec | null {
  if (fresh === null) return null;
  const spec: StateSpec = {};
  for (const [key, value] of Object.entries(fresh)) {
    if (value === null) spec[key] = { value: { kind: "tensor", shape: param.shape, nullable: true } };
    else if (typeof value === "number") spec[key] = { value: key === "step" ? { kind: "count" } : { kind: "number" } };
    else spec[key] = { value: { kind: "tensor", shape: (value as Tensor).shape } };
  }
  return spec;
}

const isFiniteNumber = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);

function checkStateValue(spec: StateValueSpec, value: unknown, where: string): void {
  switch (spec.kind) {
    case "count":
      if (!(isFiniteNumber(value) && Number.isInteger(value) && value >= 0)) {
        throw new Error(`${where} should be an integer ≥ 0, got ${describeValue(value)}`);
      }
      return;
    case "number":
      if (!isFiniteNumber(value)) throw new Error(`${where} should be a finite number, got ${describeValue(value)}`);
      return;
    case "tensor":
      if (value === null && spec.nullable) return;
      checkTensorJSON(value, where, spec.shape, spec.sparse ?? false);
      return;
    case "tensors":
      expectArray(value, where);
      value.forEach((t, i) => checkTensorJSON(t, `${where}[${i}]`, spec.shape));
      return;
    case "numbers":
      expectArray(value, where);
      value.forEach((x, i) => {
        if (!isFiniteNumber(x) && !(x === null && spec.nullable)) throw new Error(`${where}[${i}] should be a finite number, got ${describeValue(x)}`);
      });
  }
}

/** Checks one loaded state entry against the spec of its parameter's state. */
export function checkStateEntry(spec: StateSpec | null, entry: unknown, where: string): void {
  const keys = expectRecord(entry, where);
  if (spec === null) throw new Error(`${where}: this optimizer keeps no state for that parameter with these options`);
  for (const key of keys) {
    if (!Object.hasOwn(spec, key)) {
      throw new Error(
        `${where} has the key '${key}', which this optimizer does not keep (it keeps ${Object.keys(spec)
          .map((k) => `'${k}'`)
          .join(", ")})`,
      );
    }
    checkStateValue(spec[key]!.value, (entry as Record<string, unknown>)[key], `${where}['${key}']`);
  }
  for (const [key, { optional, sameLengthAs }] of Object.entries(spec)) {
    if (!optional && !keys.includes(key)) throw new Error(`${where} has no '${key}'`);
    const record = entry as Record<string, unknown[] | undefined>;
    if (sameLengthAs !== undefined && record[key]?.length !== record[sameLengthAs]?.length) {
      throw new Error(`${where}['${key}'] should have as many entries as '${sameLengthAs}'`);
    }
  }
}

/** A JSON-decoded number: "inf", "-inf" and "nan" as the numbers they stand for (toPlain's encoding). */
const decodeNumber = (x: unknown): unknown => (x === "inf" ? Infinity : x === "-inf" ? -Infinity : x === "nan" ? NaN : x);

/** Whether a loaded option has the kind of the optimizer's default for it. */
function sameKind(expected: unknown, value: unknown): boolean {
  if (expected === null || expected === undefined) return value === null || ["number", "string", "boolean"].includes(typeof value);
  if (typeof expected === "number") return typeof value === "number" && !Number.isNaN(value);
  if (Array.isArray(expected)) {
    return Array.isArray(value) && value.length === expected.length && expected.every((e, i) => sameKind(e, value[i]));
  }
  return typeof value === typeof expected;
}

/** Decodes the non-finite spellings in a loaded option (numbers, and numbers in tuples). */
export function decodeOption(value: unknown): unknown {
  return Array.isArray(value) ? Array.from(value, decodeNumber) : decodeNumber(value);
}

/**
 * Checks the options of loaded group `i` (given without `params` and `param_names`):
 * every option of `defaults` present with the default's kind, scheduler keys non-negative
 * numbers; any other key is left for the constructor's check (an unexpected keyword).
 */
export function checkOptionKinds(defaults: object, options: Record<string, unknown>, where: string): void {
  for (const [key, expected] of Object.entries(defaults)) {
    if (!Object.hasOwn(options, key)) throw new Error(`${where} has no '${key}'`);
    if (!sameKind(expected, options[key])) {
      throw new Error(`${where}['${key}'] should be ${kindText(expected)}, got ${describeValue(options[key])}`);
    }
  }
  for (const key of SCHEDULER_GROUP_KEYS) {
    if (!Object.hasOwn(options, key)) continue;
    const value = options[key];
    const ok = (x: unknown): boolean => typeof x === "number" && x >= 0;
    if (!(ok(value) || (key.endsWith("momentum") && Array.isArray(value) && value.every(ok)))) {
      throw new Error(`${where}['${key}'] should be a number ≥ 0, got ${describeValue(value)}`);
    }
  }
}

function kindText(expected: unknown): string {
  if (expected === null || expected === undefined) return "null, a number, a string or a boolean";
  if (typeof expected === "number") return "a number";
  if (Array.isArray(expected)) return `an array of ${expected.length}`;
  return `a ${typeof expected}`;
}

/**
 * Checks the `params` of every loaded group and returns, for each group, the parameter each
 * index stands for: indices are integers in range, and one index means one parameter.
 */
export function checkParamIndices(groups: readonly { params: readonly Tensor[] }[], saved: readonly Record<string, unknown>[]): Map<number, Tensor> {
  const total = new Set(groups.flatMap((g) => g.params)).size;
  const byIndex = new Map<number, Tensor>();
  const indexOf = new Map<Tensor, number>();
  saved.forEach((g, i) => {
    const params = g.params as unknown[];
    params.forEach((index, j) => {
      const where = `loaded state dict: param_groups[${i}]['params'][${j}]`;
      if (!(typeof index === "number" && Number.isInteger(index))) throw new Error(`${where} should be an integer index, got ${describeValue(index)}`);
      if (index < 0 || index >= total) throw new Error(`${where} is ${index}, out of range for an optimizer of ${total} parameters`);
      const param = groups[i]!.params[j]!;
      if (byIndex.has(index) && byIndex.get(index) !== param) throw new Error(`${where} repeats the index ${index}, which stands for another parameter`);
      if (indexOf.has(param) && indexOf.get(param) !== index)
        throw new Error(`${where} gives the index ${index} to a parameter already numbered ${indexOf.get(param)}`);
      byIndex.set(index, param);
      indexOf.set(param, index);
    });
  });
  return byIndex;
}

/** Throws unless `sd` has the layout of an optimizer state dict: `state` an object, `param_groups` an array of objects with `params` arrays. */
export function checkLayout(sd: unknown): asserts sd is { state: Record<string, unknown>; param_groups: Record<string, unknown>[] } {
  const keys = expectRecord(sd, "loaded state dict");
  for (const key of keys) {
    if (key !== "state" && key !== "param_groups")
      throw new Error(`loaded state dict has the key '${key}'; an optimizer state dict holds only 'state' and 'param_groups'`);
  }
  const { state, param_groups } = sd as Record<string, unknown>;
  if (!keys.includes("param_groups")) throw new Error("loaded state dict has no 'param_groups'");
  if (!keys.includes("state")) throw new Error("loaded state dict has no 'state'");
  expectArray(param_groups, "loaded state dict: param_groups");
  expectRecord(state, "loaded state dict: state");
  param_groups.forEach((g, i) => {
    const where = `loaded state dict: param_groups[${i}]`;
    const keys = expectRecord(g, where);
    if (!keys.includes("params")) throw new Error(`${where} has no 'params'`);
    expectArray((g as Record<string, unknown>).params, `${where}['params']`);
  });
}
