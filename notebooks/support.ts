/**
 * What the tutorials share besides gradlab itself: figures saved beside the rendered page,
 * and a progress bar that coexists with the rows a training loop prints.
 *
 * Not a tutorial (tools/render_notebooks.ts renders only `NN_name.ts`); the tutorials import
 * it as `./support.ts`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** docs/tutorials/figures/, found from this file, so a notebook run from any folder writes there. */
const FIGURES_DIR = fileURLToPath(new URL("../docs/tutorials/figures/", import.meta.url));

/**
 * Saves a tutorial's figure and prints the marker that tools/render_notebooks.ts turns into
 * an image in the rendered page (`figures/<name>.svg`, relative to docs/tutorials/). Figures
 * go to docs/tutorials/figures/ whatever the current folder is, or to the folder in
 * `GRADLAB_FIGURES_DIR`, which the renderer sets when it only checks that pages are current.
 */
export function showFigure(name: string, svg: string): void {
  const path = figurePath(name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, svg);
  console.log(`[figure: figures/${name}.svg]`);
}

/** Where `showFigure(name, …)` writes: docs/tutorials/figures/<name>.svg, or under `GRADLAB_FIGURES_DIR`. */
export function figurePath(name: string): string {
  return join(process.env.GRADLAB_FIGURES_DIR ?? FIGURES_DIR, `${name}.svg`);
}

/** A progress bar over a training loop; rows printed with `log` stay above it. */
export interface ProgressBar {
  /** Moves the bar to `step` of its total, with optional fields such as the loss. */
  update(step: number, values?: Record<string, string | number>): void;
  /** Prints `line` on stdout (as console.log does), above the bar when the bar is drawn. */
  log(line: string): void;
  /** Erases the bar, leaving exactly the rows that were printed. */
  stop(): void;
}

const CLEAR_LINE = "\r\u001b[2K";
const BAR_WIDTH = 30;

/**
 * Starts a progress bar over `total` steps. It is drawn on stderr only when stderr is a
 * terminal, on one line kept shorter than the terminal is wide (a line that wraps could not
 * be redrawn in place), and it is redrawn below each row printed through `log`. Piped or
 * captured output (the rendered pages, CI logs) gets only the rows: no bar, no escape codes.
 * test/notebooks/terminal.test.ts runs the tutorials that use it in a pseudo-terminal.
 */
export function progressBar(total: number, label = "training"): ProgressBar {
  const terminal = process.stderr;
  let drawn = terminal.isTTY === true;
  let step = 0;
  let extra = "";
  let shown = "";
  const line = (): string => {
    const done = total > 0 ? Math.min(BAR_WIDTH, Math.round((BAR_WIDTH * step) / total)) : BAR_WIDTH;
    const text = `${label} [${"█".repeat(done)}${"░".repeat(BAR_WIDTH - done)}] ${step}/${total}${extra ? ` ${extra}` : ""}`;
    // One column short of the width, so the cursor never reaches the margin and wraps.
    return [...text].slice(0, Math.max(1, (terminal.columns || 80) - 1)).join("");
  };
  const draw = (): void => {
    shown = line();
    terminal.write(CLEAR_LINE + shown);
  };
  const erase = (): void => {
    if (shown) terminal.write(CLEAR_LINE);
    shown = "";
  };
  if (drawn) draw();
  return {
    update(next, values = {}) {
      step = next;
      extra = Object.entries(values)
        .map(([k, v]) => `${k} ${typeof v === "number" ? v.toPrecision(4) : v}`)
        .join(" ");
      if (drawn && line() !== shown) draw();
    },
    log(text) {
      if (!drawn) {
        console.log(text);
        return;
      }
      erase();
      console.log(text);
      draw();
    },
    stop() {
      if (drawn) erase();
      drawn = false;
    },
  };
}
