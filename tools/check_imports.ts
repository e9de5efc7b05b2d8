/**
 * `npm test` runs this: the import graph of `src/` must be the architecture.
 *
 * 1. Layers. Every file belongs to one layer of {@link LAYERS}; a file imports only files of
 *    its own layer or of layers below it (type-only imports included).
 * 2. No import cycles, type-only imports included.
 * 3. Methods. A file that calls a method attached by `src/methods.ts` (`t.add(b)`) imports
 *    `methods.ts` itself, as a value import (so the methods exist when it runs); the layers
 *    below `methods.ts` call op functions instead.
 * 4. `docs/layout.md` holds the layer table below, as generated here (`--write` updates it).
 *
 * Usage: `tsx tools/check_imports.ts` (check) or `tsx tools/check_imports.ts --write`.
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

interface Layer {
  name: string;
  /** Paths under `src/` (a folder ends with `/`). */
  paths: string[];
  what: string;
}

/** The layers, bottom first. */
export const LAYERS: Layer[] = [
  { name: "math", paths: ["math/"], what: "scalar math in double-double precision (libm.ts: pow, exp, log … as PyTorch's libm rounds)" },
  {
    name: "base",
    paths: ["utils/warn.ts", "utils/suggestions.ts", "utils/signature.ts", "utils/state_checks.ts"],
    what: "importing only each other: Python-style warnings (each message once, `catch_warnings`), declared signatures and their TypeErrors (and `describeValue`, with Python's did-you-mean in suggestions.ts), checks of loaded state",
  },
  { name: "kernels", paths: ["kernels/"], what: "TypedArray loops, output first, and the strided views they read (no Tensor)" },
  { name: "tensor", paths: ["tensor/"], what: "Tensor, dtypes, storage, factories, printing, the seeded generator" },
  { name: "tape", paths: ["autograd/node.ts", "autograd/grad_mode.ts"], what: "Node and `record` (the tape), grad mode" },
  { name: "ops", paths: ["ops/"], what: "differentiable ops as functions, one family per file, backward right below forward" },
  { name: "engine", paths: ["autograd/"], what: "the backward engine, `autograd.grad`, `gradcheck`" },
  {
    name: "calls",
    paths: ["calls/"],
    what: "PyTorch's signatures of the tensor methods and torch functions, declared once: varargs, positional and by-name forms, TypeErrors",
  },
  { name: "methods", paths: ["methods.ts"], what: "the completed Tensor: every op attached as a method, from one typed table" },
  { name: "nn", paths: ["nn/"], what: "Module, Parameter, containers, layers/, functional/, losses/, init, utils/" },
  { name: "optim", paths: ["optim/"], what: "optimizers, `lr_scheduler/`, `swa_utils/`" },
  { name: "data", paths: ["utils/"], what: "Dataset, DataLoader, toy data sets" },
  { name: "plotting", paths: ["plotting/"], what: "charts as strings (`gradlab/plotting`); writing them to files, node.ts (`gradlab/plotting/node`)" },
  { name: "testing", paths: ["testing/"], what: "`gradlab/testing`: helpers for tests of code that uses gradlab (`make_tensor`)" },
  { name: "lab", paths: ["lab/"], what: "`lab`: tools for exploring optimizers (`preview_schedule`)" },
  { name: "entry", paths: ["index.ts"], what: "the public surface (`gradlab`)" },
];

const root = resolve(import.meta.dirname, "..");
const src = join(root, "src");

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? listFiles(p) : p.endsWith(".ts") ? [p] : [];
    });
}

/** The layer index of a file: the layer with the longest matching path. */
export function layerOf(file: string): number {
  const rel = relative(src, file);
  let best = -1;
  let bestLength = -1;
  LAYERS.forEach((layer, i) => {
    for (const p of layer.paths) {
      const match = p.endsWith("/") ? rel.startsWith(p) : rel === p;
      if (match && p.length > bestLength) {
        best = i;
        bestLength = p.length;
      }
    }
  });
  return best;
}

interface Import {
  target: string;
  /** False for `import type` / `export type` (erased when compiled). */
  value: boolean;
}

/** The `src/` files each file imports (relative specifiers), whether type-only or not. */
export function importGraph(files: readonly string[]): Map<string, Import[]> {
  const graph = new Map<string, Import[]>();
  for (const file of files) {
    const sf = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, false);
    const imports: Import[] = [];
    for (const st of sf.statements) {
      let spec: ts.Expression | undefined;
      let value = true;
      if (ts.isImportDeclaration(st)) {
        spec = st.moduleSpecifier;
        value = !st.importClause?.isTypeOnly;
      } else if (ts.isExportDeclaration(st) && st.moduleSpecifier) {
        spec = st.moduleSpecifier;
        value = !st.isTypeOnly;
      }
      if (spec && ts.isStringLiteral(spec) && spec.text.startsWith(".")) {
        imports.push({ target: resolve(dirname(file), spec.text), value });
      }
    }
    // `declare module "../x.ts"` augmentations depend on their module too.
    sf.forEachChild(function visit(node) {
      if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name) && node.name.text.startsWith(".")) {
        imports.push({ target: resolve(dirname(file), node.name.text), value: false });
      }
    });
    graph.set(file, imports);
  }
  return graph;
}

/** The import cycles (strongly connected components of more than one file, or a self-import). */
export function findCycles(graph: Map<string, Import[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (v: string): void => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const { target: w } of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!indices.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indices.get(w)!));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfImport = (graph.get(v) ?? []).some((i) => i.target === v);
      if (component.length > 1 || selfImport) cycles.push(component.reverse());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) connect(v);
  return cycles;
}

/** Files that call methods attached by methods.ts without a value import of it. */
function methodUsesWithoutImport(files: readonly string[], graph: Map<string, Import[]>): string[] {
  const methodsFile = join(src, "methods.ts");
  const program = ts.createProgram([join(src, "index.ts"), ...files], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    types: [],
    lib: ["lib.es2022.d.ts"],
  });
  const checker = program.getTypeChecker();
  const problems: string[] = [];
  for (const file of files) {
    if (file === methodsFile) continue;
    const sf = program.getSourceFile(file);
    if (!sf) continue;
    const imports = (graph.get(file) ?? []).some((i) => i.target === methodsFile && i.value);
    if (imports) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAccessExpression(node)) {
        const symbol = checker.getSymbolAtLocation(node.name);
        const declaration = symbol?.declarations?.[0];
        if (declaration?.getSourceFile().fileName === methodsFile) {
          const { line } = sf.getLineAndCharacterOfPosition(node.name.getStart(sf));
          problems.push(`${relative(root, file)}:${line + 1}: calls .${node.name.text}() but does not import src/methods.ts`);
        }
      }
      node.forEachChild(visit);
    };
    visit(sf);
  }
  return problems;
}

/** The layer table of docs/layout.md, generated from {@link LAYERS}. */
export function layerTable(): string {
  const rows = LAYERS.slice()
    .reverse()
    .map(
      (l) =>
        `${l.name.padEnd(9)} ${l.paths
          .map((p) => `src/${p}`)
          .join(", ")
          .padEnd(50)} ${l.what}`,
    );
  return ["```text", "layer     files                                              what", ...rows, "```"].join("\n");
}

const BEGIN = "<!-- layers: generated by tools/check_imports.ts -->";
const END = "<!-- end of layers -->";

function main(): void {
  const files = listFiles(src);
  const graph = importGraph(files);
  const problems: string[] = [];
  for (const file of files) {
    const layer = layerOf(file);
    if (layer < 0) {
      problems.push(`${relative(root, file)}: in no layer of tools/check_imports.ts`);
      continue;
    }
    for (const { target } of graph.get(file)!) {
      const targetLayer = layerOf(target);
      if (targetLayer > layer) {
        problems.push(`${relative(root, file)} (${LAYERS[layer]!.name}) imports ${relative(root, target)} (${LAYERS[targetLayer]!.name}, a layer above)`);
      }
    }
  }
  for (const cycle of findCycles(graph)) problems.push(`import cycle: ${cycle.map((f) => relative(root, f)).join(" → ")}`);
  problems.push(...methodUsesWithoutImport(files, graph));

  const layoutPath = join(root, "docs/layout.md");
  const layout = readFileSync(layoutPath, "utf8");
  const a = layout.indexOf(BEGIN);
  const b = layout.indexOf(END);
  if (a < 0 || b < a) problems.push(`docs/layout.md: no ${BEGIN} … ${END} block`);
  else {
    const current = layout.slice(0, a + BEGIN.length) + "\n" + layerTable() + "\n" + layout.slice(b);
    if (process.argv.includes("--write")) writeFileSync(layoutPath, current);
    else if (current !== layout) problems.push("docs/layout.md: the layer table is stale (run `npx tsx tools/check_imports.ts --write`)");
  }
  if (problems.length > 0) {
    console.error(problems.join("\n"));
    process.exit(1);
  }
  console.log(`imports: ${files.length} files in ${LAYERS.length} layers, no upward import, no cycle`);
}

if (import.meta.filename === process.argv[1] || process.argv[1]?.endsWith("check_imports.ts")) main();
