import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { renderSVG } from "./svg_renderer.ts";

/** One named line of a chart. */
export interface Series {
  name: string;
  x: readonly number[];
  y: readonly number[];
}

/** Options of `lineChart`. */
export interface LineChartOptions {
  title?: string;
  xlabel?: string;
  ylabel?: string;
  /** Plot y on a logarithmic axis (loss curves). */
  logY?: boolean;
  /** Plot x on a logarithmic axis (learning-rate range tests). */
  logX?: boolean;
  width?: number;
  height?: number;
  /** The y axis runs over exactly this range; what falls outside is clipped. */
  yDomain?: readonly [number, number];
  /** Draw points instead of connecting lines (2-D trajectories use `x`/`y` as coordinates). */
  points?: boolean;
}

/**
 * Renders line series as an SVG string with Vega-Lite (no browser needed; Vega runs on a
 * worker thread, see `svg_renderer.ts`). The output is
 * deterministic: the same series give the same bytes, so rendered pages can be checked in.
 *
 * @example
 * ```ts
 * import { lineChart } from "gradlab/plotting";
 * const svg = await lineChart([{ name: "lr", x: [0, 1, 2], y: [0.1, 0.05, 0.025] }], { title: "StepLR" });
 * console.log(svg.startsWith("<svg")); // true
 * ```
 */
export async function lineChart(series: readonly Series[], options: LineChartOptions = {}): Promise<string> {
  const values = series.flatMap((s) => s.x.map((x, i) => ({ series: s.name, x, y: s.y[i]!, i })));
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: options.width ?? 480,
    height: options.height ?? 240,
    ...(options.title ? { title: options.title } : {}),
    data: { values },
    mark: { type: "line", ...(options.points ? { point: true } : {}), ...(options.yDomain ? { clip: true } : {}) },
    encoding: {
      x: { field: "x", type: "quantitative", title: options.xlabel ?? "x", ...(options.logX ? { scale: { type: "log" } } : {}) },
      y: {
        field: "y",
        type: "quantitative",
        title: options.ylabel ?? "y",
        scale: { ...(options.logY ? { type: "log" } : { zero: false }), ...(options.yDomain ? { domain: [...options.yDomain] } : {}) },
      },
      order: { field: "i", type: "quantitative" },
      color: { field: "series", type: "nominal", title: null, legend: { labelLimit: 400 } },
    },
  };
  return renderSVG(spec);
}

/** Writes an SVG string to `path`, creating folders as needed. */
export function saveSVG(path: string, svg: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, svg);
}
