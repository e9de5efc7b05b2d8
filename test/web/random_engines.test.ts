/**
 * Seeded normals are the same bits in Chromium as in Node: gradlab's Generator draws its
 * Box–Muller normals with correctly rounded ln, sin(2πu) and cos(2πu) (src/math), where the
 * engines' Math.log, Math.cos and Math.sin differ in the last bit. The generator is bundled
 * by esbuild, run in Debian's Chromium (playwright-core) and in a Node context, and 20000 draws of each
 * are compared; the same Box–Muller with Math.* is counted for contrast (printed, not asserted).
 */
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";

const entry = `
import { Generator } from ${JSON.stringify(fileURLToPath(new URL("../../src/tensor/generator.ts", import.meta.url)))};
globalThis.draws = (n) => {
  const g = new Generator(123);
  const gradlab = Array.from({ length: n }, () => g.normal());
  const h = new Generator(123);
  const math = [];
  for (let i = 0; i < n; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - h.uniform()));
    const angle = 2 * Math.PI * h.uniform();
    math.push(radius * Math.cos(angle), radius * Math.sin(angle));
  }
  return { gradlab, math };
};`;

type Draws = { gradlab: number[]; math: number[] };

describe("Generator.normal across engines", () => {
  it("gives Chromium and Node the same 20000 normals, bit for bit", async () => {
    const bundle = await build({ stdin: { contents: entry, loader: "ts", resolveDir: process.cwd() }, bundle: true, format: "iife", write: false });
    const code = bundle.outputFiles[0]!.text;
    const context: { draws?: (n: number) => Draws } = {};
    runInNewContext(code, context);
    const node = context.draws!(20000);
    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"], headless: true });
    try {
      const page = await browser.newPage();
      await page.addScriptTag({ content: code });
      const web = await page.evaluate(() => (globalThis as unknown as { draws: (n: number) => Draws }).draws(20000));
      const differ = (a: number[], b: number[]): number => a.filter((v, i) => !Object.is(v, b[i])).length;
      console.log(
        `normals differing between Node and Chromium, of 20000: Math.* Box–Muller ${differ(node.math, web.math)}, gradlab ${differ(node.gradlab, web.gradlab)}`,
      );
      expect(differ(node.gradlab, web.gradlab)).toBe(0);
    } finally {
      await browser.close();
    }
  });
});
