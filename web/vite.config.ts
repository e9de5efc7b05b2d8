/**
 * The playground's build: a static site in web/dist/ (`npm run build:web`), served while
 * editing by `npm run web`. Everything it needs is bundled: no CDN, no request at run time.
 *
 * `gradlab` resolves to the library's own sources (src/index.ts), so the numbers on screen
 * are the library's. `#signatures` is the table of declared PyTorch signatures
 * (src/utils/signature.ts, internal to the package): the page reads each optimizer's and
 * scheduler's options, kinds and defaults from it instead of keeping a copy of its own.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here("."),
  base: "./",
  resolve: {
    alias: [
      { find: /^gradlab$/, replacement: here("../src/index.ts") },
      { find: /^#signatures$/, replacement: here("../src/utils/signature.ts") },
    ],
  },
  // Not minified: the library names classes in its messages and events (constructor.name), which mangling would rename.
  build: { outDir: here("dist"), emptyOutDir: true, target: "es2022", minify: false, chunkSizeWarningLimit: 4096 },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});
