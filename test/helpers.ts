import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type DType, testing } from "gradlab";
import type { TensorLike } from "../src/testing/assert_close.ts";

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

/**
 * `testing.assert_close(actual, expected, tol)` with its message prefixed by `label` (which
 * step, which parameter), for comparisons made in a loop.
 */
export function assertCloseAt(label: string, actual: TensorLike, expected: TensorLike, tol: Tolerance): void {
  try {
    testing.assert_close(actual, expected, tol);
  } catch (e) {
    if (e instanceof Error) e.message = `${label}: ${e.message}`;
    throw e;
  }
}
