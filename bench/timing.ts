/**
 * Timing helpers for the benchmarks. The machine may be shared (two cores, other processes
 * on them), so every figure is the measuring thread's CPU time per call, not wall time: a
 * thread that waits for a core does not run, and wall time counts that wait as if the code
 * were slow. (A tsx run read 0.61× the bundle's speed by wall clock, one after the other,
 * where CPU time in interleaved rounds gives 0.98×.) Wall time is kept beside it: each row
 * ends with wall ÷ CPU time of its timed rounds, and the machine's load average.
 *
 * CPU time misses work done for the thread elsewhere (V8's concurrent marking and compiler
 * threads), and a neighbour still shares caches and memory bandwidth with it; comparisons
 * therefore also run their sides in interleaved rounds, so both see the same conditions.
 *
 * Every case is warmed until two trials in a row agree (V8 has finished optimising it),
 * then timed as the median of several trials. Agreement alone can be fooled: under load
 * V8's background compiler falls behind, and a step made of many small functions (the tiny
 * MLP) climbs through plateaus — 2.4k, then 4.1k steps/s after 4.5 s in one loaded run —
 * so such cases also ask for a minimum warm-up and for no trial to have improved by more
 * than 5% for `steadySeconds`.
 */
import { readFileSync } from "node:fs";
import os from "node:os";

const SCHEDSTAT = "/proc/thread-self/schedstat";
const hasSchedstat = ((): boolean => {
  try {
    return readFileSync(SCHEDSTAT, "utf8").length > 0;
  } catch {
    return false;
  }
})();

/** What the figures are measured by, for the run's header. */
export const cpuClock = hasSchedstat ? `this thread's CPU time (${SCHEDSTAT})` : "the process's CPU time (process.cpuUsage: no /proc here)";

/**
 * Seconds of CPU time so far: this thread's on Linux (the first field of its schedstat,
 * nanoseconds on a CPU), the whole process's elsewhere. The kernel brings that field up to
 * date only at a scheduler tick or switch (4 ms apart here); getrusage, which
 * process.cpuUsage calls, first adds the calling thread's pending time to it (Linux's
 * thread_group_cputime calls task_sched_runtime(current)), so the figure read right after
 * is exact to the microsecond.
 */
export function cpuSeconds(): number {
  const usage = process.cpuUsage();
  if (!hasSchedstat) return (usage.user + usage.system) / 1e6;
  return Number(readFileSync(SCHEDSTAT, "utf8").split(" ")[0]) / 1e9;
}

/** Options of {@link secondsPerCall} and {@link interleaved}. */
export interface MeasureOptions {
  /** Wall seconds each trial runs at least (default 0.15). */
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

/** One trial: CPU and wall seconds per call, and the calls it made. */
interface Trial {
  cpu: number;
  wall: number;
  calls: number;
}

/** One trial of `fn`: at least `trialSeconds` of wall time and `minCalls` calls. */
function trial(fn: () => void, trialSeconds: number, minCalls: number): Trial {
  let calls = 0;
  const cpuStart = cpuSeconds();
  const start = performance.now();
  let elapsed = 0;
  while (calls < minCalls || elapsed < trialSeconds * 1000) {
    fn();
    calls++;
    elapsed = performance.now() - start;
  }
  return { cpu: (cpuSeconds() - cpuStart) / calls, wall: elapsed / 1000 / calls, calls };
}

/**
 * Runs trials until two in a row are within 5% of each other (in CPU time), at least
 * `warmSeconds` have passed and no trial has beaten the best before it by more than 5%
 * for `steadySeconds`; or until `cap` seconds have passed. At least two trials (a slow
 * call's first trial already warms it). Returns the wall seconds it took.
 */
function warm(fn: () => void, trialSeconds: number, minCalls: number, warmSeconds: number, steadySeconds: number, cap: number): number {
  const start = performance.now();
  let previous = trial(fn, trialSeconds, minCalls).cpu;
  let best = previous;
  let improvedAt = performance.now();
  for (;;) {
    const t = trial(fn, trialSeconds, minCalls).cpu;
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
let walls: number[] = [];
/** CPU and wall seconds of the timed trials since the last {@link row} printed them. */
const pending = { cpu: 0, wall: 0 };

/** Seconds each function of the last {@link interleaved} (or {@link secondsPerCall}) call took to warm up. */
export const lastWarmups = (): readonly number[] => warmups;

/** Wall seconds per call (median trial) of each function of the last {@link interleaved} call, beside the CPU figures it returned. */
export const lastWalls = (): readonly number[] => walls;

/** The median of `xs` (the mean of the middle two for an even count). */
export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** CPU seconds one call of `fn` takes: the median trial, once warm. */
export function secondsPerCall(fn: () => void, options: MeasureOptions = {}): number {
  return interleaved([fn], options)[0]!;
}

/**
 * CPU seconds per call of each function, measured side by side: each is warmed until
 * steady, then every round runs one trial of each in turn; the result is each one's median
 * (the wall-time medians are {@link lastWalls}).
 */
export function interleaved(fns: readonly (() => void)[], options: MeasureOptions = {}): number[] {
  const { trialSeconds = 0.15, trials = 5, minCalls = 1, warmSeconds = 0, steadySeconds = 0 } = options;
  const cap = options.maxWarmSeconds ?? Math.max(3, 3 * (warmSeconds + steadySeconds));
  warmups = fns.map((fn) => warm(fn, trialSeconds, minCalls, warmSeconds, steadySeconds, cap));
  const times = fns.map((): Trial[] => []);
  for (let r = 0; r < trials; r++) fns.forEach((fn, i) => times[i]!.push(trial(fn, trialSeconds, minCalls)));
  for (const t of times.flat()) {
    pending.cpu += t.cpu * t.calls;
    pending.wall += t.wall * t.calls;
  }
  walls = times.map((ts) => median(ts.map((t) => t.wall)));
  return times.map((ts) => median(ts.map((t) => t.cpu)));
}

/** A number with `digits` significant digits, right-aligned in `width` columns. */
export const num = (x: number, width = 9, digits = 3): string =>
  (Number.isFinite(x) ? (Math.abs(x) >= 10 ** digits ? x.toFixed(0) : x.toPrecision(digits)) : "n/a").padStart(width);

/** The 1-minute load average (/proc/loadavg), as printed beside every figure. */
export const load = (): string => `load ${os.loadavg()[0]!.toFixed(1)}`.padStart(10);

/**
 * Wall time over CPU time of the timed trials since the last row (1.00: the thread never
 * waited for a core; 2.00: it ran half the time), then starts counting afresh.
 */
function wallOverCpu(): string {
  const ratio = pending.cpu > 0 ? pending.wall / pending.cpu : NaN;
  pending.cpu = pending.wall = 0;
  return Number.isFinite(ratio) ? `wall ${ratio.toFixed(2)}×`.padStart(13) : "wall —".padStart(13);
}

/** Prints one table row: a label column, then the cells, then wall ÷ CPU time of its trials and the machine's load. */
export const row = (label: string, ...cells: string[]): void => console.log(`  ${label.padEnd(34)}${cells.join("")}${wallOverCpu()}${load()}`);

/** Prints a section heading. */
export const section = (title: string): void => console.log(`\n${title}`);

/** Figures kept for the targets table at the end of the run (and for bench/run.ts's tsx ÷ bundle table), by name. */
export const figures = new Map<string, number>();
