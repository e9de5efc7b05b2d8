/** The tutorials' shared helper (notebooks/support.ts): where figures go, and the bar when output is piped. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const tsx = join(root, "node_modules", ".bin", "tsx");

/** Runs `body` (with notebooks/support.ts imported as `support`) in a fresh process whose cwd is a scratch folder. */
function runElsewhere(body: string, env: Record<string, string | undefined> = {}): string {
  const scratch = mkdtempSync(join(tmpdir(), "gradlab-support-"));
  try {
    const script = join(scratch, "probe.ts");
    writeFileSync(script, `import * as support from ${JSON.stringify(pathToFileURL(join(root, "notebooks", "support.ts")).href)};\n${body}\n`);
    const { GRADLAB_FIGURES_DIR: _, ...inherited } = process.env;
    return execFileSync(tsx, [script], { cwd: scratch, env: { ...inherited, ...env }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

describe("notebooks/support.ts", () => {
  it("puts figures in docs/tutorials/figures/ of the repository whatever the current folder", () => {
    expect(runElsewhere(`console.log(support.figurePath("02_learning_rates"));`).trim()).toBe(
      join(root, "docs", "tutorials", "figures", "02_learning_rates.svg"),
    );
  });

  it("puts figures under GRADLAB_FIGURES_DIR when the renderer sets it", () => {
    expect(runElsewhere(`console.log(support.figurePath("x"));`, { GRADLAB_FIGURES_DIR: "/tmp/elsewhere" }).trim()).toBe("/tmp/elsewhere/x.svg");
  });

  it("prints the rows given to log, and nothing else, when output is piped", () => {
    const out = runElsewhere(`const bar = support.progressBar(3, "run");
for (let i = 1; i <= 3; i++) { bar.update(i, { loss: 1 / i }); bar.log("row " + i); }
bar.stop();
console.log("after");`);
    expect(out).toBe("row 1\nrow 2\nrow 3\nafter\n");
  });
});
