/**
 * Timing helpers for the benchmarks. The machine may be shared, so every case is warmed
 * until two trials in a row agree (V8 has finished optimising it), timed as the median
 * of several trials, and printed beside the machine's load average at that moment.
 * Comparisons run their sides in interleaved rounds, so both see the same load.
 */
import os from "node:os";

/** Options of {@link secondsPerCall} and {@link interleaved}. */
export interface MeasureOptions {
  /** Seconds each trial runs at least (default 0.15). */
  trialSeconds?: number;
  /** Number of timed trials or rounds (default 5). */
  trials?: number;
  /** Calls per trial at least (default 1), for calls slower than a trial. */
  minCalls?: number;
}

/** Seconds per call of `fn` over one trial of at least `trialSeconds` and `minCalls` calls. */
function trial(fn: () => void, trialSeconds: number, minCalls: number): number {
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (calls < minCalls || elapsed < trialSeconds * 1000) {
    fn();
    calls++;
    elapsed = performance.now() - start;
  }
  return elapsed / 1000 / calls;
}

/**
 * Runs trials until two in a row are within 5% of each other, or 3 s have passed (after
 * two trials at least: a slow call's first trial already warms it).
 */
function warm(fn: () => void, trialSeconds: number, minCalls: number): void {
  const start = performance.now();
  let previous = trial(fn, trialSeconds, minCalls);
  for (;;) {
    const t = trial(fn, trialSeconds, minCalls);
    if (Math.abs(t - previous) <= 0.05 * Math.min(t, previous) || performance.now() - start > 3000) return;
    previous = t;
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Seconds one call of `fn` takes: the median trial, once warm. */
export function secondsPerCall(fn: () => void, options: MeasureOptions = {}): number {
  return interleaved([fn], options)[0]!;
}

/**
 * Seconds per call of each function, measured side by side: each is warmed until steady,
 * then every round runs one trial of each in turn; the result is each one's median.
 */
export function interleaved(fns: readonly (() => void)[], options: MeasureOptions = {}): number[] {
  const { trialSeconds = 0.15, trials = 5, minCalls = 1 } = options;
  for (const fn of fns) warm(fn, trialSeconds, minCalls);
  const times = fns.map((): number[] => []);
  for (let r = 0; r < trials; r++) fns.forEach((fn, i) => times[i]!.push(trial(fn, trialSeconds, minCalls)));
  return times.map(median);
}

/** A number with `digits` significant digits, right-aligned in `width` columns. */
export const num = (x: number, width = 9, digits = 3): string => (Number.isFinite(x) ? x.toPrecision(digits) : "n/a").padStart(width);

/** The 1-minute load average, as printed beside every figure. */
export const load = (): string => `load ${os.loadavg()[0]!.toFixed(1)}`.padStart(10);

/** Prints one table row: a label column, then the cells, then the machine's load. */
export const row = (label: string, ...cells: string[]): void => console.log(`  ${label.padEnd(34)}${cells.join("")}${load()}`);

/** Prints a section heading. */
export const section = (title: string): void => console.log(`\n${title}`);

/** Figures kept for the targets table at the end of the run, by name. */
export const figures = new Map<string, number>();
