import { join } from "node:path";
import { saveSVG } from "./line_chart.ts";

/**
 * Saves a tutorial's figure and prints the marker the notebook renderer turns into an
 * image in the rendered page. Figures go to `docs/tutorials/figures/` (or to the folder
 * in `GRADLAB_FIGURES_DIR`, which the renderer sets when it checks pages are current).
 */
export function showFigure(name: string, svg: string): void {
  const dir = process.env.GRADLAB_FIGURES_DIR ?? join("docs", "tutorials", "figures");
  saveSVG(join(dir, `${name}.svg`), svg);
  console.log(`[figure: figures/${name}.svg]`);
}
