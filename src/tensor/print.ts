import { Tensor, type View } from "./tensor.ts";

/**
 * `Tensor.prototype.toString()`: the repr PyTorch prints, following torch/_tensor_str.py
 * with its default print options (precision 4, linewidth 80, threshold 1000, edgeitems 3):
 *
 * - one format for every element, chosen from the nonzero finite values: integers print as
 *   `1.`; otherwise `0.1234`, or scientific `1.2346e-05` when max/min > 1000, max > 1e8
 *   or (non-integers) min < 1e-4; all elements are padded to the widest;
 * - rows wrap at 80 columns; tensors with more than 1000 elements show only the first and
 *   last 3 entries of each dim, with `...` between;
 * - suffixes `dtype=torch.float64` (float32 and int64 are defaults), `grad_fn=<…>` or
 *   `requires_grad=True`, wrapped onto a new line when they would pass column 80.
 */
const PRECISION = 4;
const LINEWIDTH = 80;
const THRESHOLD = 1000;
const EDGEITEMS = 3;

/** Python's `'{:.{p}f}'` / `'{:.{p}e}'` for a finite number: as JavaScript's, but ties round half to even. */
function pythonFormat(x: number, digits: number, scientific: boolean): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  const a = Math.abs(x);
  const render = (d: number): string => (scientific ? a.toExponential(d) : a.toFixed(d));
  let s = render(digits);
  // JavaScript rounds an exact tie up; Python rounds it to the even digit. The exact binary
  // value's expansion (toFixed/toExponential accept up to 100 digits) tells a tie apart.
  const exact = render(Math.min(100, digits + 40));
  const mantissaEnd = scientific ? exact.indexOf("e") : exact.length;
  const point = exact.indexOf(".");
  const tail = exact.slice(point + 1 + digits, mantissaEnd);
  if (/^50*$/.test(tail)) {
    const truncated = exact.slice(0, digits === 0 ? point : point + 1 + digits);
    const lastDigit = Number(truncated[truncated.length - 1]);
    if (lastDigit % 2 === 0) s = scientific ? truncated + exact.slice(mantissaEnd) : truncated;
  }
  if (scientific) {
    // Python writes at least two exponent digits: 1.0000e+08, not 1.0000e+8.
    s = s.replace(/e([+-])(\d)$/, "e$10$2");
  }
  return sign + s;
}

/** The shared element format of a tensor (PyTorch's `_Formatter`). */
class Formatter {
  private readonly floating: boolean;
  private intMode = true;
  private sciMode = false;
  width = 1;

  constructor(values: readonly number[], floating: boolean) {
    this.floating = floating;
    if (!floating) {
      for (const v of values) this.width = Math.max(this.width, String(v).length);
      return;
    }
    const finite = values.filter((v) => Number.isFinite(v) && v !== 0);
    if (finite.length === 0) return;
    let min = Infinity;
    let max = 0;
    for (const v of finite) {
      const a = Math.abs(v);
      if (a < min) min = a;
      if (a > max) max = a;
      if (v !== Math.ceil(v)) this.intMode = false;
    }
    if (this.intMode) {
      this.sciMode = max / min > 1000 || max > 1e8;
      for (const v of finite) {
        const s = this.sciMode ? pythonFormat(v, PRECISION, true) : pythonFormat(v, 0, false) + ".";
        this.width = Math.max(this.width, s.length);
      }
    } else {
      this.sciMode = max / min > 1000 || max > 1e8 || min < 1e-4;
      for (const v of finite) this.width = Math.max(this.width, pythonFormat(v, PRECISION, this.sciMode).length);
    }
  }

  format(v: number): string {
    let s: string;
    if (!this.floating) s = String(v);
    else if (this.sciMode) s = pythonFormat(v, PRECISION, true);
    else if (this.intMode) s = pythonFormat(v, 0, false) + (Number.isFinite(v) ? "." : "");
    else s = pythonFormat(v, PRECISION, false);
    return s.padStart(this.width);
  }
}

/** The elements a repr shows, nested by dim; `null` stands where a summary prints `...`. */
type Shown = number | null | Shown[];

/**
 * The shown elements of a view, read straight from its buffer: every element, or, when
 * summarising, the first and last `EDGEITEMS` of each dim longer than 2·EDGEITEMS with a
 * `null` between them (so printing a huge tensor reads only what it shows).
 */
function shownElements(view: View, summarize: boolean): Shown {
  const { shape, stride, data } = view;
  const build = (dim: number, offset: number): Shown => {
    if (dim === shape.length) return data[offset]!;
    const n = shape[dim]!;
    const positions: (number | null)[] =
      summarize && n > 2 * EDGEITEMS
        ? [...Array.from({ length: EDGEITEMS }, (_, i) => i), null, ...Array.from({ length: EDGEITEMS }, (_, i) => n - EDGEITEMS + i)]
        : Array.from({ length: n }, (_, i) => i);
    return positions.map((i) => (i === null ? null : build(dim + 1, offset + i * stride[dim]!)));
  };
  return build(0, view.offset);
}

/** The shown numbers in row-major order, which choose the common format (PyTorch formats from the summary too). */
function shownValues(x: Shown, out: number[]): number[] {
  if (typeof x === "number") out.push(x);
  else if (x !== null) for (const sub of x) shownValues(sub, out);
  return out;
}

function vectorString(row: Shown[], indent: number, f: Formatter): string {
  const perLine = Math.max(1, Math.floor((LINEWIDTH - indent) / (f.width + 2)));
  const items = row.map((v) => (typeof v === "number" ? f.format(v) : " ..."));
  const lines: string[] = [];
  for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(", "));
  return "[" + lines.join(",\n" + " ".repeat(indent + 1)) + "]";
}

function nestedString(x: Shown, ndim: number, indent: number, f: Formatter): string {
  if (typeof x === "number") return f.format(x);
  const rows = x as Shown[];
  if (ndim === 1) return vectorString(rows, indent, f);
  const slices = rows.map((sub) => (sub === null ? "..." : nestedString(sub, ndim - 1, indent + 1, f)));
  return "[" + slices.join("," + "\n".repeat(ndim - 1) + " ".repeat(indent + 1)) + "]";
}

/** Appends `, suffix` items, starting a new line when one would pass the line width (PyTorch's `_add_suffixes`). */
function addSuffixes(body: string, suffixes: readonly string[], indent: number): string {
  // PyTorch's own count: length after the last newline, plus one (plus two without a newline).
  let lastLineLength = body.length - body.lastIndexOf("\n") + 1;
  let s = body;
  for (const suffix of suffixes) {
    if (lastLineLength + suffix.length + 2 > LINEWIDTH) {
      s += ",\n" + " ".repeat(indent) + suffix;
      lastLineLength = indent + suffix.length;
    } else {
      s += ", " + suffix;
      lastLineLength += suffix.length + 2;
    }
  }
  return s + ")";
}

/** The repr of a tensor, as `repr(t)` prints it in PyTorch. */
export function tensorRepr(t: Tensor): string {
  const prefix = "tensor(";
  const indent = prefix.length;
  const suffixes: string[] = [];
  let body: string;
  if (t.numel() === 0) {
    if (t.ndim !== 1) suffixes.push(`size=(${t.shape.join(", ")}${t.ndim === 1 ? "," : ""})`);
    if (t.dtype !== "float32") suffixes.push(`dtype=torch.${t.dtype}`);
    body = "[]";
  } else {
    if (t.dtype === "float64") suffixes.push("dtype=torch.float64");
    const shown = shownElements(t.data, t.numel() > THRESHOLD);
    const f = new Formatter(shownValues(shown, []), t.dtype !== "int64");
    body = nestedString(shown, t.ndim, indent, f);
  }
  if (t.grad_fn !== null) suffixes.push(`grad_fn=<${t.grad_fn.name}>`);
  else if (t.requires_grad) suffixes.push("requires_grad=True");
  return addSuffixes(prefix + body, suffixes, indent);
}
