/// <reference types="vite/client" />
/**
 * Each optimizer's algorithm box, the `text` block of its class's doc comment (the contract
 * its loop follows, see shared/STYLE.md), read from the package's own declaration files
 * (`dist/optim/*.d.ts`, which keep the doc comments). Vite reads them when it builds the page,
 * so an optimizer added to the library brings its box with it; nothing is copied here.
 */
const declarations = import.meta.glob<string>("../../dist/optim/*.d.ts", { query: "?raw", import: "default", eager: true });

/** The doc comment right before `export declare class <name>`, and in it the first text fence. */
function boxIn(source: string, name: string): string | undefined {
  const at = source.search(new RegExp(`^export declare class ${name}\\b`, "m"));
  if (at < 0) return undefined;
  const comment = source.slice(source.lastIndexOf("/**", at), at);
  const fence = /```text\n([\s\S]*?)\n\s*\*\s*```/.exec(comment);
  if (fence === null) return undefined;
  return fence[1]!
    .split("\n")
    .map((line) => line.replace(/^\s*\* ?/, ""))
    .join("\n");
}

/** The algorithm box of the optimizer class `name`, as its doc comment writes it (undefined if it has none). */
export function algorithmBox(name: string): string | undefined {
  for (const source of Object.values(declarations)) {
    const box = boxIn(source, name);
    if (box !== undefined) return box;
  }
  return undefined;
}

/** The symbol a term's one-line explanation opens with (`m ← …`, `g: …`), when it is one symbol. */
function symbolOf(meaning: string): string | undefined {
  const head = /^(\S{1,8}?)(?: ←|:| \()/.exec(meaning);
  return head?.[1];
}

/** Whether `line` assigns `symbol` (`  m ← …`, `  g ← −g …`). */
const assigns = (line: string, symbol: string): boolean => line.trimStart().startsWith(`${symbol} ← `);

/** Whether `line` names `symbol` as a word (not inside a longer name). */
const names = (line: string, symbol: string): boolean => new RegExp(`(^|[\\s(·,])${symbol.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[\\s),·])`).test(line);

/**
 * The lines of an algorithm box (0-based) that a recorded term comes from, found from the term's
 * name and its explanation (what lab.inspect says it is), so every optimizer's box works unchanged:
 *
 * ```text
 * theta, grad         the "for each parameter θ that has a gradient g" line
 * theta_decayed       the θ ← θ·(1 − …) line of the weight decay
 * theta_after         the last line that assigns θ
 * x_prev              the lines that assign x (where the old value is read)
 * a term "s ← …/s: …" the lines that assign s
 * a term "formula: …"  the lines that contain the formula (Adam's step_size "γ / (1 − β1^t)")
 * a scalar "s: …"      the options or state line naming s
 * other element terms the last line that assigns θ (they are parts of the update)
 * ```
 * Nothing when no line fits.
 */
export function boxLinesOf(box: string, term: string, meaning: string, scalar: boolean): number[] {
  const lines = box.split("\n");
  const where = (test: (line: string) => boolean): number[] => lines.flatMap((line, i) => (test(line) ? [i] : []));
  const thetaLines = where((line) => assigns(line, "θ"));
  const last = thetaLines.length ? [thetaLines[thetaLines.length - 1]!] : [];
  if (term === "theta" || term === "grad") return where((line) => line.trimStart().startsWith("for each"));
  if (term === "theta_decayed") return where((line) => assigns(line, "θ") && line.includes("θ·(1"));
  if (term === "theta_after") return last;
  const symbol = symbolOf(term.endsWith("_prev") ? meaning.replace(/ before the step.*$/, ":") : meaning);
  if (symbol !== undefined) {
    const assigning = where((line) => assigns(line, symbol));
    if (assigning.length) return assigning;
  }
  const formula = meaning.split(":")[0]!;
  const quoting = formula.length >= 3 ? where((line) => line.includes(formula)) : [];
  if (quoting.length) return quoting;
  if (symbol !== undefined) {
    if (scalar) return where((line) => /^\s*(options|state)\b/.test(line) && names(line, symbol)).slice(0, 1);
  }
  return scalar ? [] : last;
}
