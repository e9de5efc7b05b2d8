/**
 * `npm test` runs this: no file of `src/` longer than 400 lines, no function longer than 80
 * (counted from its first line to its last), except the few listed in {@link ALLOWED},
 * each with the reason it stays whole.
 *
 * Usage: `tsx tools/check_sizes.ts`.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import ts from "typescript";

export const MAX_FILE_LINES = 400;
export const MAX_FUNCTION_LINES = 80;

/** `path` (under src/) or `path:function`, and why it may be longer. */
export const ALLOWED: Record<string, string> = {
  "kernels/matmul.ts:packedKernels":
    "one closure that holds the packing buffers as constants of its context, so V8 compiles the micro-kernel and the packing loops inside it with fixed addresses; split into separate functions, every loop reloads and rechecks the buffers",
  "optim/lbfgs.ts:performStep":
    "LBFGS's step is PyTorch's one algorithm box (two-loop recursion, line search, the stopping tests); split, it no longer reads beside torch/optim/lbfgs.py",
  "optim/strong_wolfe.ts:strong_wolfe":
    "PyTorch's _strong_wolfe line search as one function: the bracketing and zoom phases share their state, as in torch/optim/lbfgs.py",
};

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

/** A readable name for a function-like node: its own name, or the variable or property it is assigned to. */
function nameOf(node: ts.Node): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name && (ts.isIdentifier(named.name) || ts.isPrivateIdentifier(named.name))) return named.name.text;
  if (ts.isConstructorDeclaration(node)) return "constructor";
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))) {
    if (ts.isIdentifier(parent.name)) return parent.name.text;
  }
  return "(anonymous)";
}

export interface Oversize {
  key: string;
  lines: number;
  limit: number;
}

/** The files and functions of `src/` over the limits. */
export function oversize(): Oversize[] {
  const found: Oversize[] = [];
  for (const file of listFiles(src)) {
    const rel = relative(src, file);
    const text = readFileSync(file, "utf8");
    const fileLines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
    if (fileLines > MAX_FILE_LINES) found.push({ key: rel, lines: fileLines, limit: MAX_FILE_LINES });
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && "body" in node && node.body) {
        const first = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
        const last = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
        const lines = last - first + 1;
        if (lines > MAX_FUNCTION_LINES) found.push({ key: `${rel}:${nameOf(node)}`, lines, limit: MAX_FUNCTION_LINES });
      }
      node.forEachChild(visit);
    };
    visit(sf);
  }
  return found;
}

function main(): void {
  const found = oversize();
  const problems = found
    .filter((o) => !(o.key in ALLOWED))
    .map((o) => `src/${o.key}: ${o.lines} lines (limit ${o.limit}); split it, or add it to ALLOWED in tools/check_sizes.ts with the reason`);
  const stale = Object.keys(ALLOWED).filter((key) => !found.some((o) => o.key === key));
  problems.push(...stale.map((key) => `tools/check_sizes.ts: ALLOWED lists ${key}, which is within the limits now; remove it`));
  if (problems.length > 0) {
    console.error(problems.join("\n"));
    process.exit(1);
  }
  console.log(`sizes: every src/ file within ${MAX_FILE_LINES} lines, every function within ${MAX_FUNCTION_LINES} (${Object.keys(ALLOWED).length} allowed)`);
}

main();
