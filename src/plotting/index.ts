/**
 * Charts for tutorials and docs: SVG line charts (Vega-Lite), terminal charts
 * (asciichart) and progress bars (cli-progress). Imported as `gradlab/plotting`.
 *
 * @packageDocumentation
 */
export { lineChart, saveSVG, type LineChartOptions, type Series } from "./line_chart.ts";
export { progressBar, terminalChart, type ProgressBar } from "./terminal.ts";
export { showFigure } from "./figure.ts";
