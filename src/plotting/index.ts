/**
 * Charts for tutorials and docs: SVG line charts (Vega-Lite) and terminal charts
 * (asciichart). Imported as `gradlab/plotting`.
 *
 * @packageDocumentation
 */
export { lineChart, saveSVG, type LineChartOptions, type Series } from "./line_chart.ts";
export { terminalChart } from "./terminal.ts";
