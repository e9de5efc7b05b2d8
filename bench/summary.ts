/**
 * Issue 14's own table, printed from this run's figures: each workload in gradlab beside
 * tfjs, torch (one thread, its run before this one) and the hand-written JavaScript
 * reference, with the issue's target and, for the absolute ones, that target scaled to
 * this machine by the reference (the rules in bench/targets.ts).
 */
import { figures, num } from "./timing.ts";
import { torchFigure } from "./torch.ts";

const f = (name: string): number => figures.get(name) ?? NaN;
const TEN_M = 10_000_000;

interface Line {
  workload: string;
  gradlab: number;
  tfjs: number;
  torch: number;
  hand: number;
  target: string;
}

function lines(): Line[] {
  const optimizer = (name: string, hand: "Adam" | "SGD", bound: number, handAtIssue: number, label = name): Line => ({
    workload: `${label} step, 10M params, ns/param`,
    gradlab: f(`${name} ${TEN_M} ns/param`),
    tfjs: f(`tfjs ${name} 1000000 ns/param`),
    torch: torchFigure(`${name} ${TEN_M} ns/param`),
    hand: f(`hand ${hand} ${TEN_M} ns/param, beside ${name}`),
    target: `≤ ${bound} (here ≤ ${num((f(`hand ${hand} ${TEN_M} ns/param, beside ${name}`) * bound) / handAtIssue, 0)})`,
  });
  return [
    {
      workload: "matmul 512 float32, GFLOPS",
      gradlab: f("matmul float32 512 GFLOPS"),
      tfjs: f("tfjs matmul float32 512 GFLOPS"),
      torch: torchFigure("matmul float32 512 GFLOPS"),
      hand: f("matmul float32 512 reference GFLOPS"),
      target: `≥ 6 (here ≥ ${num((f("matmul float32 512 reference GFLOPS") * 6) / 6.5, 0)})`,
    },
    optimizer("Adam", "Adam", 4, 4.1),
    optimizer("AdamW", "Adam", 4, 4.1),
    optimizer("SGD momentum 0.9", "SGD", 2.5, 2.56, "SGD-momentum"),
    {
      workload: "MLP 784-256-10, batch 128, Adam, steps/s",
      gradlab: 1 / f("784-256-10 MLP seconds/step"),
      tfjs: f("tfjs 784-256-10 MLP steps/s"),
      torch: torchFigure("784-256-10 MLP steps/s"),
      hand: NaN,
      target: "≤ 1.3× its matmuls, ≥ 8× tfjs",
    },
    {
      workload: "MLP 2-16-16-1, batch 32, steps/s",
      gradlab: f("2-16-16-1 MLP steps/s"),
      tfjs: f("tfjs 2-16-16-1 MLP steps/s"),
      torch: torchFigure("2-16-16-1 MLP steps/s"),
      hand: f("2-16-16-1 MLP hand-fused steps/s"),
      target: "≥ 4× torch, ≤ 1.6× hand-fused",
    },
  ];
}

/** Prints the table (tfjs's optimizer figures are at 1M parameters: at 10M one of its steps takes seconds). */
export function printSummary(): void {
  console.log("\nIssue 14's table, from this run (CPU time; tfjs optimizers at 1M params; hand-written = bench/reference_*.ts)");
  console.log(`  ${"workload".padEnd(42)}  gradlab      tfjs     torch   hand-written  target`);
  for (const l of lines()) {
    console.log(`  ${l.workload.padEnd(42)}${num(l.gradlab, 9)}${num(l.tfjs, 10)}${num(l.torch, 10)}${num(l.hand, 15)}  ${l.target}`);
  }
}
