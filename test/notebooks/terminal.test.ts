/**
 * The tutorials with a progress bar, run as a newcomer runs them: in a real pseudo-terminal
 * (util-linux `script`) at 80, 120 and 160 columns, and piped. The raw bytes of the terminal
 * run go through a headless terminal emulator (@xterm/headless); its final screen plus
 * scrollback must read exactly as the rows the tutorial prints, the ones its rendered page in
 * docs/tutorials/ shows (kept current by `render_notebooks.ts --check`): every row there, in
 * order, and nothing of the bar left in or between them. Piped, the output must be the same
 * rows with no escape sequence or carriage return, and nothing on stderr.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type * as Xterm from "@xterm/headless";
import { afterAll, describe, expect, it } from "vitest";

// The package's "module" entry names a file it does not ship; its CommonJS build is complete.
const { Terminal } = createRequire(import.meta.url)("@xterm/headless") as typeof Xterm;

const root = fileURLToPath(new URL("../../", import.meta.url));
const WIDTHS = [80, 120, 160];
const ROWS = 24;
const BAR_GLYPHS = /[█░]/;
const figures = mkdtempSync(join(tmpdir(), "gradlab-terminal-figures-"));
afterAll(() => rmSync(figures, { recursive: true, force: true }));

/** Every tutorial that draws a progress bar (found from the sources, so a new one is tested too). */
const notebooks = readdirSync(join(root, "notebooks"))
  .filter((f) => /^\d\d_.*\.ts$/.test(f) && readFileSync(join(root, "notebooks", f), "utf8").includes("progressBar("))
  .map((f) => f.replace(/\.ts$/, ""))
  .sort();

/** The command a reader types for a tutorial: the demo through npm, the others through tsx. */
const command = (name: string): string => (name === "00_demo" ? "npm run --silent demo" : `node_modules/.bin/tsx notebooks/${name}.ts`);

/** At most two notebooks run at a time (they are CPU-bound and CI has two cores). */
let running = 0;
const waiting: (() => void)[] = [];
async function inSlot<T>(work: () => Promise<T>): Promise<T> {
  while (running >= 2) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

interface Output {
  stdout: string;
  stderr: string;
}
const env = { ...process.env, GRADLAB_FIGURES_DIR: figures, TERM: "xterm-256color", NO_UPDATE_NOTIFIER: "1", FORCE_COLOR: "0" };
const exec = (file: string, args: string[]): Promise<Output> =>
  inSlot(
    () =>
      new Promise((resolve, reject) => {
        const child = execFile(file, args, { cwd: root, env, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" }, (error, stdout, stderr) =>
          error ? reject(new Error(`${file} ${args.join(" ")} failed: ${error.message}\n${stderr}`)) : resolve({ stdout, stderr }),
        );
        child.stdin?.end();
      }),
  );

/** Runs in a pseudo-terminal of the given width: what the terminal received, byte for byte. */
const inTerminal = async (name: string, cols: number): Promise<string> =>
  (await exec("script", ["--quiet", "--flush", "--return", "--command", `stty cols ${cols} rows ${ROWS} && exec ${command(name)}`, "/dev/null"])).stdout;

/** The lines an emulated terminal of that width shows, screen and scrollback, wrapped lines joined. */
async function screen(raw: string, cols: number): Promise<string[]> {
  const term = new Terminal({ cols, rows: ROWS, scrollback: 100_000, allowProposedApi: true });
  await new Promise<void>((resolve) => term.write(raw, resolve));
  const buffer = term.buffer.active;
  const lines: string[] = [];
  for (let i = 0; i < buffer.length; i++) {
    const line = buffer.getLine(i)!;
    const text = line.translateToString(false);
    if (line.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
    else lines.push(text);
  }
  term.dispose();
  return rowsOf(lines.join("\n"));
}

/** Non-blank lines, right-trimmed, without the figure markers the renderer turns into images. */
const rowsOf = (text: string): string[] =>
  text
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line !== "" && !/^\[figure: .+\]$/.test(line));

/** What the rendered page shows as printed: each ```text block that follows a ```ts block. */
function renderedRows(name: string): string[] {
  const page = readFileSync(join(root, "docs", "tutorials", `${name}.md`), "utf8");
  const printed: string[] = [];
  const fence = /```(\w*)\n([\s\S]*?)\n```/g;
  let previous: { lang: string; end: number } | null = null;
  for (let m = fence.exec(page); m; m = fence.exec(page)) {
    const lang = m[1]!;
    if (lang === "text" && previous?.lang === "ts" && page.slice(previous.end, m.index).trim() === "") printed.push(m[2]!);
    previous = { lang, end: m.index + m[0].length };
  }
  return rowsOf(printed.join("\n"));
}

describe("the tutorials with a progress bar", () => {
  it("are found: the demo and tutorials 7, 11 and 13 at least", () => {
    expect(notebooks).toEqual(expect.arrayContaining(["00_demo", "07_plateaus_and_overfitting", "11_comparing_optimizers", "13_swa_ema"]));
  });
});

describe.concurrent.each(notebooks)("%s", (name) => {
  const expected = renderedRows(name);

  it("prints, when piped, exactly the rows of its rendered page, with no escape sequence and nothing on stderr", async () => {
    const { stdout, stderr } = await exec(process.execPath, ["--import", "tsx", join("notebooks", `${name}.ts`)]);
    expect(stdout).not.toMatch(/[\u001b\r]/);
    expect(stderr).toBe("");
    expect(rowsOf(stdout)).toEqual(expected);
  }, 600_000);

  it.each(WIDTHS)(
    "leaves, in a %i-column terminal, every row on screen or in scrollback and no bar fragment",
    async (cols) => {
      const raw = await inTerminal(name, cols);
      expect(raw).toMatch(BAR_GLYPHS); // the bar was drawn: this run did exercise it
      const lines = await screen(raw, cols);
      expect(lines.filter((line) => BAR_GLYPHS.test(line))).toEqual([]);
      expect(lines).toEqual(expected);
    },
    600_000,
  );
});
