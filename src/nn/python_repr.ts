/**
 * Python's spelling of values in module reprs, so `toString()` matches PyTorch's repr:
 * floats as `repr(float)` (1 → "1.0", 1e-5 → "1e-05"), booleans as True/False, null as None.
 */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const [mantissa, exp] = x.toExponential().split("e") as [string, string];
  const e = Number(exp);
  if (e < -4 || e >= 16) return `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  const text = String(x);
  return text.includes(".") ? text : `${text}.0`;
}

export const pythonBool = (b: boolean): string => (b ? "True" : "False");

/** A Python tuple of ints: (2,) or (2, 3). */
export const pythonTuple = (xs: readonly number[]): string => (xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(", ")})`);
