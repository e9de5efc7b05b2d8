/**
 * Timing helpers for the benchmarks. The machine may be shared, so every case is warmed
 * until two trials in a row agree (V8 has finished optimising it), timed as the median
 * of several trials, and printed beside the machine's load average at that moment.
 * Agreement alone can be fooled: under load V8's background compiler falls behind, and a
 * step made of many small functions (the tiny MLP) climbs through plateaus — 2.4k, then
 * 4.1k steps/s after 4.5 s in one loaded run — so such cases also ask for a minimum
 * warm-up and for no trial to have improved by more than 5% for `steadySeconds`.
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
  /**
   * Seconds of warm-up at least before two agreeing trials count as steady (default 0):
   * for cases whose many small functions V8 keeps re-optimising for a second or two.
   */
  warmSeconds?: number;
  /** Seconds without a trial more than 5% faster than the best before, before steady (default 0). */
  steadySeconds?: number;
  /** Seconds of warm-up at most (default max(3, 3·(warmSeconds + steadySeconds))); at least two trials run. */
  maxWarmSeconds?: number;
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
 * Runs trials until two in a row are within 5% of each other, at least `warmSeconds` have
 * passed and no trial has beaten the best before it by more than 5% for `steadySeconds`;
 * or until `cap` seconds have passed. At least two trials (a slow call's first trial
 * already warms it). Returns the seconds it took.
 */
function warm(fn: () => void, trialSeconds: number, minCalls: number, warmSeconds: number, steadySeconds: number, cap: number): number {
  const start = performance.now();
  let previous = trial(fn, trialSeconds, minCalls);
  let best = previous;
  let improvedAt = performance.now();
  for (;;) {
    const t = trial(fn, trialSeconds, minCalls);
    const now = performance.now();
    if (t < 0.95 * best) improvedAt = now;
    best = Math.min(best, t);
    const elapsed = (now - start) / 1000;
    const agree = Math.abs(t - previous) <= 0.05 * Math.min(t, previous);
    if ((agree && elapsed >= warmSeconds && (now - improvedAt) / 1000 >= steadySeconds) || elapsed > cap) return elapsed;
    previous = t;
  }
}

let warmups: number[] = [];

/** Seconds each function of the last {@link interleaved} (or {@link secondsPerCall}) call took to warm up. */
export const lastWarmups = (): readonly number[] => warmups;

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
  const { trialSeconds = 0.15, trials = 5, minCalls = 1, warmSeconds = 0, steadySeconds = 0 } = options;
  const cap = options.maxWarmSeconds ?? Math.max(3, 3 * (warmSeconds + steadySeconds));
  warmups = fns.map((fn) => warm(fn, trialSeconds, minCalls, warmSeconds, steadySeconds, cap));
  const times = fns.map((): number[] => []);
  for (let r = 0; r < trials; r++) fns.forEach((fn, i) => times[i]!.push(trial(fn, trialSeconds, minCalls)));
  return times.map(median);
}

/** A number with `digits` significant digits, right-aligned in `width` columns. */
export const num = (x: number, width = 9, digits = 3): string =>
  (Number.isFinite(x) ? (Math.abs(x) >= 10 ** digits ? x.toFixed(0) : x.toPrecision(digits)) : "n/a").padStart(width);

/** The 1-minute load average, as printed beside every figure. */
export const load = (): string => `load ${os.loadavg()[0]!.toFixed(1)}`.padStart(10);

/** Prints one table row: a label column, then the cells, then the machine's load. */
export const row = (label: string, ...cells: string[]): void => console.log(`  ${label.padEnd(34)}${cells.join("")}${load()}`);

/** Prints a section heading. */
export const section = (title: string): void => console.log(`\n${title}`);

/** Figures kept for the targets table at the end of the run, by name. */
export const figures = new Map<string, number>();
