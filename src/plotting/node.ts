/**
 * The Node-only part of the charts: writing them to files. Imported as
 * `gradlab/plotting/node`; `gradlab/plotting` itself touches no file and bundles for the
 * browser.
 *
 * @packageDocumentation
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Writes an SVG string (from `lineChart`) to `path`, creating folders as needed.
 *
 * @example
 * ```ts
 * import { lineChart } from "gradlab/plotting";
 * import { saveSVG } from "gradlab/plotting/node";
 * import { mkdtempSync, readFileSync } from "node:fs";
 * import { join } from "node:path";
 * import { tmpdir } from "node:os";
 * const path = join(mkdtempSync(join(tmpdir(), "chart-")), "figures", "lr.svg");
 * saveSVG(path, await lineChart([{ name: "lr", x: [0, 1], y: [0.1, 0.05] }]));
 * console.log(readFileSync(path, "utf8").startsWith("<svg")); // true
 * ```
 */
export function saveSVG(path: string, svg: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, svg);
}
