/**
 * Charts for tutorials and docs: SVG line charts (Vega-Lite) and terminal charts
 * (asciichart), as strings, in Node and in the browser. Imported as `gradlab/plotting`;
 * writing them to files is `saveSVG` of `gradlab/plotting/node`.
 *
 * @packageDocumentation
 */
export { lineChart, type LineChartOptions, type Series } from "./line_chart.ts";
export { terminalChart } from "./terminal.ts";
