import * as asciichart from "asciichart";
import cliProgress from "cli-progress";

/**
 * A line chart drawn with characters for the terminal (asciichart), one or more series.
 *
 * @example
 * ```ts
 * import { terminalChart } from "gradlab/plotting";
 * const chart = terminalChart([1, 0.5, 0.25, 0.125], { height: 3 });
 * console.log(chart.split("\n").length); // 4
 * ```
 */
export function terminalChart(series: readonly number[] | readonly (readonly number[])[], options: { height?: number } = {}): string {
  const lines = (typeof series[0] === "number" ? [series] : series) as number[][];
  return asciichart.plot(lines, { height: options.height ?? 10, format: (x: number) => x.toPrecision(3).padStart(9) });
}

/** A progress bar on stderr (shown only in a terminal, so captured outputs stay deterministic). */
export interface ProgressBar {
  update(step: number, values?: Record<string, string | number>): void;
  stop(): void;
}

/** Starts a progress bar over `total` steps (cli-progress), with optional extra fields such as loss. */
export function progressBar(total: number, label = "training"): ProgressBar {
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total} {extra}`, hideCursor: false, stream: process.stderr, noTTYOutput: false },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { extra: "" });
  return {
    update: (step, values = {}) =>
      bar.update(step, { extra: Object.entries(values).map(([k, v]) => `${k} ${typeof v === "number" ? v.toPrecision(4) : v}`).join(" ") }),
    stop: () => bar.stop(),
  };
}
