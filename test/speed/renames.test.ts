import { describe, expect, it } from "vitest";
import { runUnderTsx } from "./run_under_tsx.ts";

// Under tsx (esbuild's keepNames) a named closure made inside a function is renamed with an
// Object.defineProperty call each time the function runs; vitest and the bundle do not do
// this, so only a tsx run shows it. renames_probe.ts trains (the tiny tanh MLP with MSE, Adam,
// SequentialLR and tolist(); a ReLU classifier with cross-entropy, SGD with momentum,
// clip_grad_norm_ and StepLR)
// and prints the functions renamed during 10 steps after 8 warm-up steps.
const runProbe = (...args: string[]): string => runUnderTsx("./renames_probe.ts", ...args);

describe("named closures on the training path under tsx", () => {
  it("no function is renamed during a training step", () => {
    const out = runProbe();
    expect(out).toContain("steps: 10");
    expect(out).toContain("renamed: [] (0 calls)");
  });

  it("are seen by the probe when a step makes one", () => {
    const out = runProbe("--named-closure");
    expect(out).toContain('renamed: ["twice"] (10 calls)');
  });
});
