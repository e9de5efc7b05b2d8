/**
 * Timing helpers for the benchmarks: warm up, then time several trials and keep the fastest
 * (the machine is shared, so the fastest trial is the one least disturbed by others).
 */

/** Options of {@link secondsPerCall}. */
export interface MeasureOptions {
  /** Seconds each trial runs at least (default 0.15). */
  trialSeconds?: number;
  /** Number of timed trials (default 5). */
  trials?: number;
  /** Calls per trial at least (default 1), for calls slower than a trial. */
  minCalls?: number;
}

/** Seconds one call of `fn` takes: the fastest trial's mean, after a warm-up trial. */
export function secondsPerCall(fn: () => void, options: MeasureOptions = {}): number {
  const { trialSeconds = 0.15, trials = 5, minCalls = 1 } = options;
  const trial = (): number => {
    let calls = 0;
    const start = performance.now();
    let elapsed = 0;
    while (calls < minCalls || elapsed < trialSeconds * 1000) {
      fn();
      calls++;
      elapsed = performance.now() - start;
    }
    return elapsed / 1000 / calls;
  };
  trial();
  let best = Infinity;
  for (let t = 0; t < trials; t++) best = Math.min(best, trial());
  return best;
}

/** A number with `digits` significant digits, right-aligned in `width` columns. */
export const num = (x: number, width = 9, digits = 3): string =>
  (Number.isFinite(x) ? x.toPrecision(digits) : "n/a").padStart(width);

/** Prints one table row: a label column, then the cells. */
export const row = (label: string, ...cells: string[]): void => console.log(`  ${label.padEnd(34)}${cells.join("")}`);

/** Prints a section heading. */
export const section = (title: string): void => console.log(`\n${title}`);
