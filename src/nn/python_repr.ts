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

/** Indents every line but the first, as PyTorch's module repr nests children. */
const addIndent = (text: string, spaces: number): string => text.split("\n").join(`\n${" ".repeat(spaces)}`);

/**
 * A module's repr as PyTorch prints it: `name(extra)` on one line, or the lines of `extra`
 * and one `(child): repr` line per child, indented, between the parentheses.
 */
export function moduleRepr(name: string, extra: string, children: readonly [string, string][]): string {
  const extraLines = extra ? extra.split("\n") : [];
  const childLines = children.map(([childName, repr]) => `(${childName}): ${addIndent(repr, 2)}`);
  const lines = [...extraLines, ...childLines];
  let main = `${name}(`;
  if (lines.length > 0) {
    main += extraLines.length === 1 && childLines.length === 0 ? extraLines[0] : `\n  ${lines.join("\n  ")}\n`;
  }
  return `${main})`;
}

/** A value's type as Python's `torch.typename` names it in messages: `int`, `float`, `str`, `list`, `dict`, `function`, `Tensor`. */
export function pythonTypeName(x: unknown): string {
  if (x === null || x === undefined) return "NoneType";
  if (typeof x === "number") return Number.isInteger(x) ? "int" : "float";
  if (typeof x === "string") return "str";
  if (typeof x === "boolean") return "bool";
  if (typeof x === "function") return "function";
  if (Array.isArray(x)) return "list";
  const name = (x as object).constructor?.name;
  return name === undefined || name === "Object" ? "dict" : name;
}
