/**
 * The "tsx ÷ bundle" table that bench/run.ts prints after both of its runs: each figure of
 * the tsx run over the same figure of the bundle run, as a ratio of times (above 1: slower
 * under tsx). The two runs are separate processes, minutes apart; their figures are CPU
 * time (bench/timing.ts), so a change in the machine's load between them does not show as
 * a change of speed, as it did by wall clock (0.61× where interleaved CPU time gives 0.98×).
 *
 * gradlab's figures are listed one by one. The hand-written references (compiled by tsx
 * too) and tfjs (one prebundled file, the same in both runs: a control that should read
 * about 1) are summed up in one line each. Ratios of ratios ("vs tfjs") are left out.
 */
import { readFileSync } from "node:fs";
import { median, num } from "./timing.ts";

/** A figure's unit, from the end of its name: a time per call, or a rate (its inverse). */
const TIME_UNITS = ["ns/param", "seconds/step", "µs/call"];
const RATE_UNITS = ["GFLOPS", "steps/s", "GB/s"];

/** Time under tsx over time from the bundle for one figure, or undefined for a figure that is a ratio. */
function timeRatio(name: string, bundle: number, tsx: number): number | undefined {
  if (TIME_UNITS.some((unit) => name.includes(unit))) return tsx / bundle;
  if (RATE_UNITS.some((unit) => name.includes(unit))) return bundle / tsx;
  return undefined;
}

const isTfjs = (name: string): boolean => name.startsWith("tfjs ");
const isReference = (name: string): boolean => /^(exact )?hand |reference|hand-fused|^triad /.test(name);

/** A run's figures as bench/cases.ts wrote them (NaN became null in JSON), or undefined when the file is missing or unreadable. */
function readFigures(file: string): Map<string, number> | undefined {
  try {
    const { figures } = JSON.parse(readFileSync(file, "utf8")) as { figures: Record<string, number | null> };
    return new Map(Object.entries(figures).flatMap(([k, v]) => (v !== null && Number.isFinite(v) ? [[k, v] as const] : [])));
  } catch {
    return undefined;
  }
}

/** One line for a group of ratios: median and range. */
const summary = (label: string, ratios: number[]): string =>
  ratios.length === 0
    ? `  ${label}: none measured`
    : `  ${label}: median ${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) over ${ratios.length}`;

/** Prints the table from the figure files of the bundle run and the tsx run (nothing when either is missing). */
export function printRuntimeRatios(bundleFile: string, tsxFile: string): void {
  const bundle = readFigures(bundleFile);
  const tsx = readFigures(tsxFile);
  if (bundle === undefined || tsx === undefined) return;
  const groups = { gradlab: [] as number[], reference: [] as number[], tfjs: [] as number[] };
  console.log("tsx ÷ bundle, by CPU time: the tsx run's time per call over the bundle's (above 1: slower under tsx)");
  console.log(`  ${"figure".padEnd(46)}   bundle       tsx  tsx ÷ bundle`);
  for (const [name, b] of bundle) {
    const t = tsx.get(name);
    const ratio = t === undefined ? undefined : timeRatio(name, b, t);
    if (t === undefined || ratio === undefined) continue;
    if (isTfjs(name)) groups.tfjs.push(ratio);
    else if (isReference(name)) groups.reference.push(ratio);
    else {
      groups.gradlab.push(ratio);
      console.log(`  ${name.padEnd(46)}${num(b, 9)}${num(t, 10)}${num(ratio, 14, 3)}`);
    }
  }
  console.log(summary("gradlab, all of the above", groups.gradlab));
  console.log(summary("hand-written references (tsx compiles them too)", groups.reference));
  console.log(summary("tfjs (the same prebundled file in both runs: a control)", groups.tfjs));
}
