/**
 * Scaling tables, so that a regression shows as a ratio that moves with size rather than
 * as one absolute figure: Adam's step from 1e3 to 1e7 parameters against the hand-fused
 * loop, and the 784-w-10 MLP step (batch 128) for widths 64 … 1024 against torch and
 * against the time its matmuls take at gradlab's own n = 256 matmul speed. (Matmul's own
 * scaling, n = 64 … 1024, is the matmul table.) Figures the optimizer and training tables
 * already took (Adam at 1M and 10M, width 256) are reused, not measured twice.
 */
import { optim } from "gradlab";
import { type OptimizerClass, gradlabStep, primeReferences } from "./optimizers.ts";
import { referenceAdam } from "./reference_adam.ts";
import { figures, interleaved, num, row, secondsPerCall, section } from "./timing.ts";
import { torchFigure } from "./torch.ts";
import { findParts, mlpStep } from "./training.ts";

/** Adam's ns/param from 1e3 to 1e7 parameters: gradlab, hand-fused, torch. */
export function benchAdamScaling(): void {
  section("Adam step, float32, scaling ns/param: gradlab   hand-fused  ÷hand     torch  ÷torch");
  primeReferences();
  for (const n of [1e3, 1e4, 1e5, 1e6, 1e7]) {
    const key = `Adam ${n} ns/param`;
    const handKey = `hand Adam ${n} ns/param, beside Adam`;
    let note = "  (from the optimizer table)";
    if (!figures.has(key) || !figures.has(handKey)) {
      const timing = { trialSeconds: n >= 1e6 ? 0.2 : 0.1, trials: 3, minCalls: 2 };
      const [ours, hand] = interleaved([gradlabStep(optim.Adam as unknown as OptimizerClass, n, { lr: 1e-3 }), referenceAdam(n)], timing);
      figures.set(key, (ours! / n) * 1e9);
      figures.set(handKey, (hand! / n) * 1e9);
      note = "";
    }
    const [ours, hand, torch] = [figures.get(key)!, figures.get(handKey)!, torchFigure(key)];
    row(`${n.toExponential(0)} params`, num(ours, 8), num(hand, 12), num(ours / hand, 7, 2), num(torch, 10), num(ours / torch, 8, 2), note);
  }
}

/** Multiply-adds ×2 of a 784-w-10 step at batch b: forward, weight gradients, and the hidden layer's input gradient. */
export const mlpFlops = (width: number, batch = 128): number => 2 * (2 * batch * 784 * width + 3 * batch * width * 10);

/**
 * The 784-w-10 MLP for w = 64 … 1024: gradlab's steps/s, torch's, and the step's time
 * over the time its matmuls take at gradlab's n = 256 matmul GFLOPS (the issue's
 * "overhead ≤ 30%" measure, target ≤ 1.3 at w = 256). tfjs is left out: its steps at the
 * larger widths take seconds (the training table compares it at w = 256).
 */
export async function benchMlpWidths(): Promise<void> {
  section("MLP 784-w-10, batch 128, Adam      steps/s: gradlab     torch  ×torch   step ÷ its matmuls");
  const parts = await findParts();
  if (typeof parts === "string") return row("n/a", `  (gradlab: ${parts})`);
  const gflops = figures.get("matmul float32 256 GFLOPS") ?? NaN;
  for (const width of [64, 128, 256, 512, 1024]) {
    const known = width === 256 ? figures.get("784-256-10 MLP seconds/step") : undefined;
    const seconds = known ?? secondsPerCall(mlpStep(parts, width), { trialSeconds: 0.3, trials: 3, minCalls: 3 });
    const torch = torchFigure(`784-${width}-10 MLP steps/s`);
    const overhead = seconds / (mlpFlops(width) / (gflops * 1e9));
    row(
      `w = ${width}`,
      num(1 / seconds, 8),
      num(torch, 10),
      num(1 / seconds / torch, 8, 2),
      num(overhead, 12, 2),
      known !== undefined ? "  (from the training table)" : "",
    );
  }
}
