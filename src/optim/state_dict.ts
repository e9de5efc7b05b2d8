/**
 * The JSON form of an optimizer's state_dict: tensors become plain objects, so that
 * `JSON.stringify` → `JSON.parse` → `load_state_dict` restores every bit.
 *
 * A tensor is written as `{ dtype, shape, data }` with `data` its elements in row-major
 * order. JSON prints each number with the shortest digits that read back as the same
 * double, and a float32 value is a double that float32 holds exactly, so both dtypes
 * round-trip exactly. JSON has no NaN or ±Infinity: they are written as the strings
 * "nan", "inf", "-inf" (as the fixtures do) and read back as numbers.
 *
 * A sparse COO tensor (SGD's momentum buffer after sparse gradients, which PyTorch's
 * state_dict holds as the sparse tensor itself) is written as a {@link SparseTensorJSON}:
 * its entries as they are, uncoalesced and in order, so that a loaded optimizer continues
 * exactly as PyTorch's does.
 */
import { type DType, assertDType } from "../tensor/dtype.ts";
import { Tensor } from "../methods.ts";
import { SparseTensor } from "../ops/sparse.ts";
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

/** A sparse COO tensor in a state_dict: `indices` [sparse_dim][nnz], `values` the [nnz, …dense dims] values in row-major order. */
export interface SparseTensorJSON {
  layout: "sparse_coo";
  dtype: DType;
  shape: number[];
  indices: number[][];
  values: (number | string)[];
  coalesced: boolean;
}

const SPARSE_KEYS = ["layout", "dtype", "shape", "indices", "values", "coalesced"] as const;

const NON_FINITE: Record<string, number> = { nan: NaN, inf: Infinity, "-inf": -Infinity };

/** A number as JSON can hold it: itself, or "nan" / "inf" / "-inf". */
export function encodeNumber(x: number): number | string {
  if (Number.isFinite(x)) return x;
  return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
}

/** A deep copy of `value` with every tensor written as a {@link TensorJSON}. */
export function toPlain(value: unknown): Plain {
  if (value instanceof SparseTensor) {
    const values = value._values();
    const json: SparseTensorJSON = {
      layout: "sparse_coo",
      dtype: value.dtype,
      shape: value.shape.slice(),
      indices: value._indices().tolist() as number[][],
      values: Array.from(contiguousBuffer(values.data, values.dtype), encodeNumber),
      coalesced: value.is_coalesced(),
    };
    return json as unknown as Plain;
  }
  if (value instanceof Tensor) {
    const data = Array.from(contiguousBuffer(value.data, value.dtype), encodeNumber);
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

function isSparseTensorJSON(value: object): value is SparseTensorJSON {
  const keys = Object.keys(value);
  return keys.length === SPARSE_KEYS.length && SPARSE_KEYS.every((k) => k in value) && (value as { layout?: unknown }).layout === "sparse_coo";
}

/** A fresh SparseTensor from its JSON entries (or a copy of a SparseTensor), its values cast to `castTo`. */
function sparseFrom(
  indices: readonly (readonly number[])[],
  values: ArrayLike<number>,
  shape: readonly number[],
  dtype: DType,
  castTo: DType | null,
  coalesced: boolean,
): SparseTensor {
  const nnz = indices[0]?.length ?? 0;
  const idx = tensorFrom(indices.flat(), [indices.length, nnz], "int64", null);
  return new SparseTensor(idx, tensorFrom(values, [nnz, ...shape.slice(indices.length)], dtype, castTo), shape, coalesced);
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
  if (value instanceof SparseTensor) {
    const values = value._values();
    return sparseFrom(
      value._indices().tolist() as number[][],
      contiguousBuffer(values.data, values.dtype),
      value.shape,
      value.dtype,
      target,
      value.is_coalesced(),
    );
  }
  if (value instanceof Tensor) return tensorFrom(value.toTypedArray(), value.shape, value.dtype, target);
  if (typeof value === "string" && value in NON_FINITE) return NON_FINITE[value];
  if (Array.isArray(value)) return Array.from(value, (v) => fromPlain(v, castTo));
  if (value !== null && typeof value === "object") {
    if (isSparseTensorJSON(value)) {
      assertDType(value.dtype);
      const data = Array.from(value.values, (x) => (typeof x === "string" ? NON_FINITE[x]! : x));
      return sparseFrom(value.indices, data, value.shape, value.dtype, target, value.coalesced);
    }
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
 * or "nan" / "inf" / "-inf"; where `sparse` allows it, also a SparseTensor or a
 * {@link SparseTensorJSON}. `where` names it in the message.
 */
export function checkTensorJSON(value: unknown, where: string, shape: readonly number[], sparse = false): void {
  const isSparse = value instanceof SparseTensor || (value !== null && typeof value === "object" && "layout" in value);
  if (isSparse && !sparse) throw new Error(`${where} is a sparse tensor, but this optimizer keeps a dense tensor there`);
  if (isSparse) {
    checkSparseTensorJSON(value, where, shape);
    return;
  }
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

const isIndex = (x: unknown, size: number): boolean => typeof x === "number" && Number.isInteger(x) && x >= 0 && x < size;

/**
 * The checks of {@link checkTensorJSON} for a sparse tensor: layout, dtype and shape, then
 * `indices` (sparse_dim rows of nnz positions within the shape), `values` (nnz times the
 * dense dims' size, numbers), and `coalesced` (a boolean, true only for sorted distinct positions).
 */
function checkSparseTensorJSON(value: unknown, where: string, shape: readonly number[]): void {
  if (value instanceof SparseTensor) {
    const dims = value.shape;
    if (dims.length !== shape.length || dims.some((d, i) => d !== shape[i])) {
      throw new Error(`${where} has the shape ${shapeText(dims)}, but its parameter's state has the shape ${shapeText(shape)}`);
    }
    return;
  }
  const keys = expectRecord(value, where);
  const json = value as Record<string, unknown>;
  if (keys.length !== SPARSE_KEYS.length || !SPARSE_KEYS.every((k) => keys.includes(k)) || json.layout !== "sparse_coo") {
    throw new Error(
      `${where} should be a sparse tensor { ${SPARSE_KEYS.join(", ")} } with layout 'sparse_coo', got an object with keys ${keys.map((k) => `'${k}'`).join(", ")}`,
    );
  }
  if (json.dtype !== "float32" && json.dtype !== "float64")
    throw new Error(`${where} should be a float32 or float64 tensor, got the dtype ${describeValue(json.dtype)}`);
  expectArray(json.shape, `${where}.shape`);
  const dims = json.shape as unknown[];
  if (dims.length !== shape.length || dims.some((d, i) => d !== shape[i])) {
    const text = dims.every((d) => typeof d === "number") ? shapeText(dims as number[]) : describeValue(json.shape);
    throw new Error(`${where} has the shape ${text}, but its parameter's state has the shape ${shapeText(shape)}`);
  }
  const indices = json.indices;
  expectArray(indices, `${where}.indices`);
  if (indices.length < 1 || indices.length > shape.length)
    throw new Error(`${where}.indices should have between 1 and ${shape.length} rows (one per sparse dim), got ${indices.length}`);
  const rows = indices.map((row, d) => {
    expectArray(row, `${where}.indices[${d}]`);
    row.forEach((x, k) => {
      if (!isIndex(x, shape[d]!)) throw new Error(`${where}.indices[${d}][${k}] should be an integer in [0, ${shape[d]}), got ${describeValue(x)}`);
    });
    return row as number[];
  });
  const nnz = rows[0]!.length;
  if (rows.some((row) => row.length !== nnz)) throw new Error(`${where}.indices should have rows of one length (nnz)`);
  expectArray(json.values, `${where}.values`);
  const expected = nnz * shape.slice(rows.length).reduce((a, b) => a * b, 1);
  if (json.values.length !== expected) throw new Error(`${where}.values holds ${json.values.length} values; ${nnz} entries need ${expected}`);
  json.values.forEach((x, i) => {
    if (typeof x !== "number" && !(typeof x === "string" && x in NON_FINITE))
      throw new Error(`${where}.values[${i}] should be a number, got ${describeValue(x)}`);
  });
  if (typeof json.coalesced !== "boolean") throw new Error(`${where}.coalesced should be a boolean, got ${describeValue(json.coalesced)}`);
  if (json.coalesced && !strictlyIncreasing(rows, nnz)) throw new Error(`${where} is marked coalesced, but its positions are not sorted and distinct`);
}

/** Whether the positions (columns of `rows`) increase strictly in row-major order. */
function strictlyIncreasing(rows: number[][], nnz: number): boolean {
  for (let k = 1; k < nnz; k++) {
    let d = 0;
    while (d < rows.length && rows[d]![k] === rows[d]![k - 1]) d++;
    if (d === rows.length || rows[d]![k]! < rows[d]![k - 1]!) return false;
  }
  return true;
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
