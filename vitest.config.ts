import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: [
      { find: /^gradlab\/testing$/, replacement: fileURLToPath(new URL("./src/testing/index.ts", import.meta.url)) },
      { find: /^gradlab\/plotting$/, replacement: fileURLToPath(new URL("./src/plotting/index.ts", import.meta.url)) },
      { find: /^gradlab$/, replacement: fileURLToPath(new URL("./src/index.ts", import.meta.url)) },
    ],
  },
  test: { include: ["test/**/*.test.ts"], testTimeout: 60_000, pool: "threads" },
});
