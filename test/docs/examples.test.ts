import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";

/**
 * Runs every `@example` block of the TSDoc comments in src/ and every ```ts block of
 * README.md and docs/ that imports "gradlab", so the docs cannot drift from the code.
 * A `console.log(x); // expected` line asserts that what is printed equals the comment:
 * the comment parsed as JSON and compared deeply, or else compared as text.
 */
const root = fileURLToPath(new URL("../../", import.meta.url));
const scratch = join(root, "test", ".examples");

function files(dir: string, ext: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== "node_modules" && name !== "api" && !name.startsWith(".")) out = out.concat(files(path, ext));
    } else if (name.endsWith(ext)) out.push(path);
  }
  return out;
}

interface Example {
  where: string;
  code: string;
}

function tsdocExamples(path: string): Example[] {
  const text = readFileSync(path, "utf8");
  const out: Example[] = [];
  const re = /@example\s*\n((?:\s*\*.*\n)*?)\s*\*\s*```ts\n((?:\s*\*.*\n)*?)\s*\*\s*```/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const line = text.slice(0, m.index).split("\n").length;
    const code = m[2]!
      .split("\n")
      .map((l) => l.replace(/^\s*\* ?/, ""))
      .join("\n");
    out.push({ where: `${relative(root, path)}:${line}`, code });
  }
  return out;
}

function markdownExamples(path: string): Example[] {
  const text = readFileSync(path, "utf8");
  const out: Example[] = [];
  const re = /```ts\n([\s\S]*?)```/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (!/from "gradlab(\/\w+)?"/.test(m[1]!)) continue;
    const line = text.slice(0, m.index).split("\n").length;
    out.push({ where: `${relative(root, path)}:${line}`, code: m[1]! });
  }
  return out;
}

const docsDir = join(root, "docs");
const examples: Example[] = [
  ...files(join(root, "src"), ".ts").flatMap(tsdocExamples),
  ...markdownExamples(join(root, "README.md")),
  ...(statSync(docsDir, { throwIfNoEntry: false })?.isDirectory() ? files(docsDir, ".md").flatMap(markdownExamples) : []),
];

/** Rewrites `console.log(expr); // expected` into a call that records both. */
function instrument(code: string): string {
  const entry = (sub: string | undefined): string => JSON.stringify(join(root, "src", sub ?? "", "index.ts"));
  return code
    .replace(/from "gradlab(?:\/(\w+))?"/g, (_m, sub: string | undefined) => `from ${entry(sub)}`)
    .split("\n")
    .map((line) => {
      const m = /^(\s*)console\.log\((.*)\);\s*\/\/\s*(.+)$/.exec(line);
      return m ? `${m[1]}__check([${m[2]}], ${JSON.stringify(m[3]!.trim())});` : line;
    })
    .join("\n");
}

type Check = (values: unknown[], expected: string) => void;
const globals = globalThis as unknown as { __check: Check };

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("documentation examples run and print what they say", () => {
  it("finds examples to run", () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples.map((e, i) => [e.where, e, i] as const))("%s", async (_where, example, i) => {
    mkdirSync(scratch, { recursive: true });
    const file = join(scratch, `example_${i}.ts`);
    writeFileSync(file, `${instrument(example.code)}\nexport {};\n`);
    const checks: [unknown, string][] = [];
    // One logged value compares to the comment as JSON (or text); several, as printed text.
    globals.__check = (values, expected) =>
      checks.push(values.length === 1 ? [values[0], expected] : [values.map(String).join(" "), expected]);
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      await import(/* @vite-ignore */ file);
    } finally {
      log.mockRestore();
    }
    for (const [value, expected] of checks) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(expected);
      } catch {
        expect(String(value)).toBe(expected);
        continue;
      }
      expect(value).toEqual(parsed);
    }
  });
});
