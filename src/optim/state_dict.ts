/**
 * The JSON form of an optimizer's state_dict: tensors become plain objects, so that
 * `JSON.stringify` → `JSON.parse` → `load_state_dict` restores every bit.
 *
 * A tensor is written as `{ dtype, shape, data }` with `data` its elements in row-major
 * order. JSON prints each number with the shortest digits that read back as the same
 * double, and a float32 value is a double that float32 holds exactly, so both dtypes
 * round-trip exactly. JSON has no NaN or ±Infinity: they are written as the strings
 * "nan", "inf", "-inf" (as the fixtures do) and read back as numbers.
 */
import { type DType, assertDType } from "../tensor/dtype.ts";
import { Tensor } from "../methods.ts";
import { contiguousBuffer, emptyTensor } from "../tensor/tensor.ts";
import { defineData, expectArray, expectRecord, safeKeys } from "../utils/state_checks.ts";
import { describeValue } from "../utils/signature.ts";

/** A JSON value: what a state_dict holds once its tensors are written as plain objects. */
export type Plain = number | string | boolean | null | Plain[] | { [key: string]: Plain };

/** A tensor in a state_dict: its dtype, shape and row-major elements. */
export interface TensorJSON {
  dtype: DType;
  shape: number[];
  data: (number | string)[];
}

const NON_FINITE: Record<string, number> = { nan: NaN, inf: Infinity, "-inf": -Infinity };

/** A number as JSON can hold it: itself, or "nan" / "inf" / "-inf". */
export function encodeNumber(x: number): number | string {
  if (Number.isFinite(x)) return x;
  return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
}

/** A deep copy of `value` with every tensor written as a {@link TensorJSON}. */
export function toPlain(value: unknown): Plain {
  if (value instanceof Tensor) {
    const dense = value.to_dense(); // a sparse momentum buffer (SGD on sparse gradients) is saved dense
    const data = Array.from(contiguousBuffer(dense.data, dense.dtype), encodeNumber);
    const json: TensorJSON = { dtype: value.dtype, shape: value.shape.slice(), data };
    return json as unknown as Plain;
  }
  if (typeof value === "number") return encodeNumber(value);
  if (typeof value === "string" || typeof value === "boolean" || value === null) return value;
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === "object") {
    const out: { [key: string]: Plain } = {};
    for (const [k, v] of Object.entries(value)) out[k] = toPlain(v);
    return out;
  }
  throw new TypeError(`cannot put a ${typeof value} into a state_dict`);
}

function isTensorJSON(value: object): value is TensorJSON {
  const keys = Object.keys(value);
  return keys.length === 3 && "dtype" in value && "shape" in value && "data" in value && Array.isArray(value.data);
}

/**
 * A deep copy of a plain value with every {@link TensorJSON} (or Tensor) made a fresh
 * tensor. `castTo` gives the dtype floating tensors take (the parameter's, as PyTorch
 * casts loaded state to its parameter), except under the key `step`.
 */
export function fromPlain(value: unknown, castTo: DType | null = null, key: string | null = null): unknown {
  const target = key === "step" ? null : castTo;
  if (value instanceof Tensor) return tensorFrom(value.toTypedArray(), value.shape, value.dtype, target);
  if (typeof value === "string" && value in NON_FINITE) return NON_FINITE[value];
  if (Array.isArray(value)) return Array.from(value, (v) => fromPlain(v, castTo));
  if (value !== null && typeof value === "object") {
    if (isTensorJSON(value)) {
      assertDType(value.dtype);
      const data = Array.from(value.data, (x) => (typeof x === "string" ? NON_FINITE[x]! : x));
      return tensorFrom(data, value.shape, value.dtype, target);
    }
    const out: Record<string, unknown> = {};
    for (const k of safeKeys(value as Record<string, unknown>, "a loaded state"))
      defineData(out, k, fromPlain((value as Record<string, unknown>)[k], castTo, k));
    return out;
  }
  return value;
}

const shapeText = (shape: readonly number[]): string => `[${shape.join(", ")}]`;

/**
 * Throws unless `value` is a floating-point tensor of `shape`: a Tensor, or a
 * {@link TensorJSON} with exactly `dtype`, `shape` and `data`, whose elements are numbers
 * or "nan" / "inf" / "-inf". `where` names it in the message.
 */
export function checkTensorJSON(value: unknown, where: string, shape: readonly number[]): void {
  let dtype: unknown;
  let given: unknown;
  if (value instanceof Tensor) {
    dtype = value.dtype;
    given = value.shape;
  } else {
    const keys = expectRecord(value, where);
    const json = value as Record<string, unknown>;
    if (keys.length !== 3 || !["dtype", "shape", "data"].every((k) => keys.includes(k))) {
      throw new Error(`${where} should be a tensor { dtype, shape, data }, got an object with keys ${keys.map((k) => `'${k}'`).join(", ")}`);
    }
    ({ dtype, shape: given } = json);
    expectArray(given, `${where}.shape`);
    const data = json.data;
    expectArray(data, `${where}.data`);
    const expectedLength = shape.reduce((a, b) => a * b, 1);
    if (data.length !== expectedLength) throw new Error(`${where} holds ${data.length} values; its parameter's state needs ${expectedLength}`);
    data.forEach((x, i) => {
      if (typeof x !== "number" && !(typeof x === "string" && x in NON_FINITE)) {
        throw new Error(`${where}.data[${i}] should be a number, got ${describeValue(x)}`);
      }
    });
  }
  if (dtype !== "float32" && dtype !== "float64")
    throw new Error(
      `${where} should be a float32 or float64 tensor, got the dtype ${typeof dtype === "string" ? JSON.stringify(dtype) : describeValue(dtype)}`,
    );
  const dims = given as unknown[];
  if (dims.length !== shape.length || dims.some((d, i) => d !== shape[i])) {
    const text = dims.every((d) => typeof d === "number") ? shapeText(dims as number[]) : describeValue(given);
    throw new Error(`${where} has the shape ${text}, but its parameter's state has the shape ${shapeText(shape)}`);
  }
}

function tensorFrom(data: ArrayLike<number>, shape: readonly number[], dtype: DType, castTo: DType | null): Tensor {
  const as = castTo !== null && dtype !== "int64" && castTo !== "int64" ? castTo : dtype;
  const t = emptyTensor(as, shape);
  const buffer = t.data.data;
  if (buffer.length !== data.length) {
    throw new Error(`state_dict tensor of shape [${shape.join(", ")}] holds ${data.length} values`);
  }
  for (let i = 0; i < buffer.length; i++) buffer[i] = data[i]!;
  return t;
}
