/**
 * The playground's build: a static site in web/dist/ (`npm run build:web`), served while
 * editing by `npm run web`. Everything it needs is bundled: no CDN, no request at run time.
 *
 * `gradlab` is the package as a user installs it: its built `dist/` (`npm run build`, which
 * both scripts run first), resolved through package.json's `exports` as Node resolves a
 * package importing itself. So the numbers on screen are the library's build, not its
 * sources. While changing the library, `npx tsc -p tsconfig.build.json --watch` beside
 * `npm run web` rebuilds `dist/`, and the page reloads.
 *
 * `vega` and `vega-lite` resolve to a stub (src/no_vega.ts): only `toSVG()` of the lab's
 * results reaches them, and the page never calls it, so their 1.65 MB stay out of web/dist.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** package.json's `exports`: `"."`, `"./plotting"` … → the built file a browser bundle imports. */
const exports = (JSON.parse(readFileSync(here("../package.json"), "utf8")) as { exports: Record<string, { import?: string }> }).exports;
const packageEntries = Object.entries(exports)
  .filter(([, target]) => typeof target === "object" && target.import !== undefined)
  .map(([subpath, target]) => ({
    find: new RegExp(`^gradlab${subpath.slice(1).replace(/\//g, "\\/")}$`),
    replacement: here(`../${target.import!}`),
  }));

export default defineConfig({
  root: here("."),
  base: "./",
  resolve: { alias: [...packageEntries, ...["vega", "vega-lite"].map((name) => ({ find: new RegExp(`^${name}$`), replacement: here("src/no_vega.ts") }))] },
  // Not minified: the library names classes in its messages and events (constructor.name), which mangling would rename.
  build: { outDir: here("dist"), emptyOutDir: true, target: "es2022", minify: false, chunkSizeWarningLimit: 4096 },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});
