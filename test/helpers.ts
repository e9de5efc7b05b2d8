import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { DType, NestedArray, Tensor } from "gradlab";

/** Tolerances by dtype: float64 agrees with a float64 reference to 1e-12 relative; float32 to float32 precision. */
export const TOL = {
  float64: { rtol: 1e-12, atol: 1e-14 },
  float32: { rtol: 2e-6, atol: 1e-7 },
} as const;

export interface Tolerance {
  rtol: number;
  atol: number;
}

/** Tolerance for a dtype, as `TOL[dtype]` (int64 compares exactly). */
export const tolFor = (dtype: DType): Tolerance => (dtype === "int64" ? { rtol: 0, atol: 0 } : TOL[dtype]);

const fixtureRoot = fileURLToPath(new URL("./fixtures/", import.meta.url));

/** Fixture strings that stand for numbers JSON cannot hold. */
const NON_FINITE: Record<string, number> = { nan: NaN, inf: Infinity, "-inf": -Infinity };

function decode(value: unknown): unknown {
  if (typeof value === "string" && value in NON_FINITE) return NON_FINITE[value];
  if (Array.isArray(value)) return value.map(decode);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
  }
  return value;
}

/** Loads test/fixtures/<path>.json (written by tools/fixtures/*.py), decoding "nan", "inf", "-inf". */
export function fixture<T = unknown>(path: string): T {
  const text = readFileSync(`${fixtureRoot}${path}.json`, "utf8");
  return decode(JSON.parse(text)) as T;
}

type Numeric = number | NestedArray | ArrayLike<number> | Tensor;

function isTensor(x: unknown): x is Tensor {
  return typeof x === "object" && x !== null && "tolist" in x && "dtype" in x;
}

/** Flattens numbers, nested arrays, typed arrays or tensors into [values, shape]. */
function flatten(x: Numeric): { values: number[]; shape: number[] } {
  if (isTensor(x)) return flatten(x.tolist());
  if (typeof x === "number") return { values: [x], shape: [] };
  const values: number[] = [];
  const shape: number[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (typeof v === "number") {
      values.push(v);
      return;
    }
    const arr = v as ArrayLike<unknown>;
    if (shape.length === depth) shape.push(arr.length);
    for (let i = 0; i < arr.length; i++) walk(arr[i], depth + 1);
  };
  walk(x, 0);
  return { values, shape };
}

/**
 * Asserts that `actual` matches `expected` elementwise: |a − e| ≤ atol + rtol·|e|, with NaN
 * matching NaN and infinities matching exactly. Shapes must agree (when both are nested).
 * The failure message names the first index out of tolerance.
 */
export function expectClose(actual: Numeric, expected: Numeric, tol: Tolerance = TOL.float64, label = ""): void {
  const a = flatten(actual);
  const e = flatten(expected);
  const where = label ? `${label}: ` : "";
  if (a.values.length !== e.values.length) {
    throw new Error(`${where}size mismatch: got ${a.values.length} elements [${a.shape}], expected ${e.values.length} [${e.shape}]`);
  }
  if (isTensor(actual) && isTensor(expected)) {
    // Two tensors: their shapes must be equal, as assert_close requires ([N, 1] against [N] fails).
    expect(a.shape, `${where}shape`).toEqual(e.shape);
  } else if (a.shape.length > 1 && e.shape.length > 1) {
    // A tensor or nested array against a fixture's values: shapes compared when both are nested.
    expect(a.shape, `${where}shape`).toEqual(e.shape);
  }
  for (let i = 0; i < a.values.length; i++) {
    const x = a.values[i]!;
    const y = e.values[i]!;
    if (Number.isNaN(y) ? Number.isNaN(x) : !Number.isFinite(y) ? x === y : Math.abs(x - y) <= tol.atol + tol.rtol * Math.abs(y)) {
      continue;
    }
    const rel = Math.abs(x - y) / Math.max(Math.abs(y), Number.MIN_VALUE);
    throw new Error(
      `${where}element ${i} (of ${a.values.length}) out of tolerance: got ${x}, expected ${y} (abs diff ${Math.abs(x - y)}, rel ${rel}; rtol ${tol.rtol}, atol ${tol.atol})`,
    );
  }
}
