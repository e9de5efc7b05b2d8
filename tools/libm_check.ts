/**
 * Compares gradlab's libm (src/math/libm.ts) and V8's Math.* with a table written by
 * tools/fixtures/libm.py, and prints how many outputs are bit-identical to the correctly
 * rounded value and to CPython's (glibc's), with the time per call.
 *
 * Run: npx tsx tools/libm_check.ts [table.json]   (default: test/fixtures/math/libm.json;
 *      `/usr/bin/python3 tools/fixtures/libm.py --big 200000` writes /tmp/libm_big.json)
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { cos, log, pow } from "../src/math/libm.ts";
import { type LibmTable, countSame, evaluate } from "../test/math/bits.ts";

const path = process.argv[2] ?? fileURLToPath(new URL("../test/fixtures/math/libm.json", import.meta.url));
const data = JSON.parse(readFileSync(path, "utf8")) as Record<"log" | "cos" | "pow", LibmTable> & { source: string };
console.log(`table: ${path} (${data.source})`);
const rows: [string, LibmTable, (x: number, y: number) => number][] = [
  ["libm.log", data.log, (x) => log(x)],
  ["Math.log", data.log, (x) => Math.log(x)],
  ["libm.cos", data.cos, (x) => cos(x)],
  ["Math.cos", data.cos, (x) => Math.cos(x)],
  ["libm.pow", data.pow, (x, y) => pow(x, y)],
  ["x ** y", data.pow, (x, y) => x ** y],
];
for (const [name, table, f] of rows) {
  evaluate(table, f); // warm up
  const t0 = performance.now();
  const r = evaluate(table, f);
  const us = ((performance.now() - t0) * 1000) / r.x.length;
  const glibcCorrect = r.x.length - table.glibc_differs.length;
  console.log(
    `${name.padEnd(9)} ${r.x.length} inputs: correctly rounded ${countSame(r.actual, r.correctlyRounded)} · ` +
      `same as CPython/glibc ${countSame(r.actual, r.glibc)} (glibc correctly rounded on ${glibcCorrect}) · ${us.toFixed(2)} µs/call`,
  );
}
