// Reading float64 values bit for bit from the fixtures (tools/fixtures/libm.py and others).

/** The float64 array stored as the base64 of its little-endian bytes. */
export function decodeFloat64(b64: string): Float64Array {
  const bytes = Buffer.from(b64, "base64");
  const out = new Float64Array(bytes.length / 8);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(8 * i, true);
  return out;
}

/** Parses a hex float as Python's `float.hex()` writes it ("0x1.8000000000000p+1", "-0x0.0p+0", "inf", "nan"). */
export function parseHexFloat(s: string): number {
  if (s === "inf") return Infinity;
  if (s === "-inf") return -Infinity;
  if (s === "nan") return NaN;
  const m = /^(-?)0x([01])\.([0-9a-f]+)p([+-]\d+)$/.exec(s);
  if (m === null) throw new Error(`not a hex float: ${s}`);
  const mantissa = Number.parseInt(m[2]! + m[3]!, 16) / 16 ** m[3]!.length;
  return (m[1] === "-" ? -1 : 1) * mantissa * 2 ** Number(m[4]!);
}

/** Bit equality of two float64s, except that every NaN equals every NaN (+0 and −0 differ). */
export const sameBits = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

/** One table of tools/fixtures/libm.py: inputs, correctly rounded outputs, glibc's differences. */
export interface LibmTable {
  x: string;
  y?: string;
  correctly_rounded: string;
  glibc_differs: [number, string][];
}

/** Outputs of `f` over a table, with the correctly rounded and the glibc (CPython) expectations. */
export function evaluate(
  table: LibmTable,
  f: (x: number, y: number) => number,
): { x: Float64Array; y: Float64Array; actual: Float64Array; correctlyRounded: Float64Array; glibc: Float64Array } {
  const x = decodeFloat64(table.x);
  const y = table.y === undefined ? new Float64Array(x.length) : decodeFloat64(table.y);
  const correctlyRounded = decodeFloat64(table.correctly_rounded);
  const glibc = Float64Array.from(correctlyRounded);
  for (const [i, hex] of table.glibc_differs) glibc[i] = parseHexFloat(hex);
  const actual = x.map((xi, i) => f(xi, y[i]!));
  return { x, y, actual, correctlyRounded, glibc };
}

/** How many entries of a and b are bit-identical. */
export function countSame(a: Float64Array, b: Float64Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (sameBits(a[i]!, b[i]!)) n++;
  return n;
}
