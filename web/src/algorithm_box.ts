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
