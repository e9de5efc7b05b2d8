import * as asciichart from "asciichart";

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
