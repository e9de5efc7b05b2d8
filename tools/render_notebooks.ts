/**
 * Runs every tutorial in notebooks/ and renders it to docs/tutorials/<name>.md: each
 * markdown cell as prose, each code cell followed by what it printed and the figures it
 * showed. With --check, renders into memory and a scratch folder and fails when any
 * committed page or figure differs (CI uses this to keep the pages current).
 *
 * Usage: tsx tools/render_notebooks.ts [--check] [name-filter]
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const notebooksDir = join(root, "notebooks");
const pagesDir = join(root, "docs", "tutorials");
const figuresDir = join(pagesDir, "figures");
const CELL_MARK = "\u001eGRADLAB-CELL ";

interface Cell {
  kind: "markdown" | "code";
  lines: string[];
}

export function parseCells(source: string): Cell[] {
  const cells: Cell[] = [];
  for (const line of source.split("\n")) {
    const header = /^\/\/ %%( \[markdown\])?\s*$/.exec(line);
    if (header) cells.push({ kind: header[1] ? "markdown" : "code", lines: [] });
    else if (cells.length > 0) cells.at(-1)!.lines.push(line);
  }
  return cells.map((c) => ({ ...c, lines: trimBlank(c.lines) })).filter((c) => c.lines.length > 0);
}

const trimBlank = (lines: string[]): string[] => {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]!.trim() === "") start++;
  while (end > start && lines[end - 1]!.trim() === "") end--;
  return lines.slice(start, end);
};

/** Runs a notebook with a marker printed before each code cell; returns each cell's output. */
function run(file: string, cells: Cell[], figures: string): string[] {
  const source = readFileSync(file, "utf8");
  // Keep imports (which must stay at top level) in place: markers are plain statements.
  let k = 0;
  const instrumented = source
    .split("\n")
    .map((line) => (/^\/\/ %%\s*$/.test(line) ? `${line}\nprocess.stdout.write(${JSON.stringify(`${CELL_MARK}${k++}\n`)});` : line))
    .join("\n");
  const scratch = join(notebooksDir, `.render_${basename(file)}`);
  writeFileSync(scratch, instrumented);
  try {
    const result = spawnSync(process.execPath, ["--import", "tsx", scratch], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, GRADLAB_FIGURES_DIR: figures, FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.status !== 0) throw new Error(`${basename(file)} failed (exit ${result.status}):\n${result.stdout}`);
    const outputs = new Array<string>(cells.filter((c) => c.kind === "code").length).fill("");
    for (const chunk of result.stdout.split(CELL_MARK).slice(1)) {
      const newline = chunk.indexOf("\n");
      outputs[Number(chunk.slice(0, newline))] = chunk.slice(newline + 1);
    }
    return outputs;
  } finally {
    rmSync(scratch, { force: true });
  }
}

function render(file: string, figures: string): string {
  const cells = parseCells(readFileSync(file, "utf8"));
  const outputs = run(file, cells, figures);
  const parts: string[] = [`<!-- rendered from notebooks/${basename(file)} by tools/render_notebooks.ts; do not edit -->`];
  let k = 0;
  for (const cell of cells) {
    if (cell.kind === "markdown") {
      parts.push(cell.lines.map((l) => l.replace(/^\/\/ ?/, "")).join("\n"));
      continue;
    }
    parts.push("```ts\n" + cell.lines.join("\n") + "\n```");
    const output = outputs[k++]!.replace(/\s+$/, "");
    const images: string[] = [];
    const text = output
      .split("\n")
      .filter((line) => {
        const m = /^\[figure: (.+)\]$/.exec(line);
        if (m) images.push(`![${basename(m[1]!, ".svg")}](${m[1]})`);
        return !m;
      })
      .join("\n")
      .replace(/\s+$/, "");
    if (text) parts.push("```text\n" + text + "\n```");
    parts.push(...images);
  }
  return parts.join("\n\n") + "\n";
}

function main(): void {
  const args = process.argv.slice(2);
  const check = args.includes("--check");
  const filter = args.find((a) => !a.startsWith("--")) ?? "";
  const notebooks = readdirSync(notebooksDir)
    .filter((f) => /^\d\d_.*\.ts$/.test(f) && f.includes(filter))
    .sort();
  const figures = check ? mkdtempSync(join(tmpdir(), "gradlab-figures-")) : figuresDir;
  mkdirSync(pagesDir, { recursive: true });
  const stale: string[] = [];
  for (const name of notebooks) {
    const page = join(pagesDir, name.replace(/\.ts$/, ".md"));
    const rendered = render(join(notebooksDir, name), figures);
    if (check) {
      if (!existsSync(page) || readFileSync(page, "utf8") !== rendered) stale.push(page);
    } else {
      writeFileSync(page, rendered);
    }
    process.stderr.write(`${check ? "checked" : "rendered"} ${name}\n`);
  }
  if (check) {
    for (const svg of readdirSync(figures)) {
      const committed = join(figuresDir, svg);
      if (!existsSync(committed) || readFileSync(committed, "utf8") !== readFileSync(join(figures, svg), "utf8")) {
        stale.push(committed);
      }
    }
    rmSync(figures, { recursive: true, force: true });
    if (stale.length > 0) {
      console.error(`These rendered pages are not current; run \`npm run docs\` and commit:\n${stale.join("\n")}`);
      process.exit(1);
    }
    console.log(`${notebooks.length} notebooks ran; rendered pages are current`);
  }
}

main();
