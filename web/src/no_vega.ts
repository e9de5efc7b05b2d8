/**
 * What the page's bundle has in place of `vega` and `vega-lite` (web/vite.config.ts aliases
 * both here). The library reaches them only through `toSVG()` of lab.preview_schedule's and
 * lab.lr_finder's results (gradlab/plotting, loaded on demand), which the page never calls:
 * it draws its own charts on canvas (chart.ts). Bundled, they were 1.65 MB of chunks (Vega
 * 1.09 MB, Vega-Lite 0.56 MB) that the page never loads; here a call says why it cannot draw.
 */
const refuse = (): never => {
  throw new Error("toSVG() is not available in the playground: its bundle leaves out Vega (the page draws its charts on canvas, chart.ts)");
};

/** vega-lite's compile: refuses. */
export const compile = refuse;
/** vega's parse: refuses. */
export const parse = refuse;
/** vega's View: refuses. */
export class View {
  constructor() {
    refuse();
  }
}
