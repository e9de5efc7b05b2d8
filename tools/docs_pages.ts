/**
 * Writes docs/optim/<name>.md for every optimizer and docs/lr_scheduler/<name>.md for
 * every scheduler, with their figures in docs/figures/. Each page is built from the code,
 * so it cannot drift from it:
 *
 * - the algorithm is the ```text box of the class's doc comment, the contract its loop follows;
 * - an optimizer's options table is the `defaults` a fresh instance holds (PyTorch's, as the tests check);
 * - the example runs here, and its printed value is written into the page as the
 *   `// expected` comment that test/docs/examples.test.ts asserts when it runs the page;
 * - the figure is drawn from a real run: a trajectory on a 2-D quadratic for optimizers
 *   (the loss per step on a matrix problem for Muon, which only takes matrices), the
 *   learning rate per epoch for schedulers, from `lab.preview_schedule` (with the
 *   momentum too where the scheduler cycles it).
 *
 * It also writes docs/lab/lr_finder.md and its figure (docs_lab.ts), from a real range test,
 * and docs/lab/inspect.md (docs_inspect.ts), from real steps.
 *
 * The prose of each page (what problem the method addresses) is in docs_text.ts, and the
 * first steps of each example worked by hand are in docs_by_hand.ts.
 * Usage: tsx tools/docs_pages.ts [--check]   (--check fails if a committed page or figure differs)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as gradlab from "../src/index.ts";
import type { LRScheduler } from "../src/optim/lr_scheduler/lr_scheduler.ts";
import type { Optimizer } from "../src/optim/optimizer.ts";
import { lineChart } from "../src/plotting/index.ts";
import { declared, formatCall } from "../src/utils/signature.ts";
import { BY_HAND, TEXTBOOK } from "./docs_by_hand.ts";
import { lrFinderPage } from "./docs_lab.ts";
import { inspectPage } from "./docs_inspect.ts";
import { type OptimizerDoc, type SchedulerDoc, OPTIMIZERS, SCHEDULERS } from "./docs_text.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const { optim, tensor, no_grad } = gradlab;

/** The ```text box of the doc comment right above `export class <name>` in `file`. */
function algorithmBox(file: string, className: string): string {
  const source = readFileSync(join(root, file), "utf8");
  const at = source.indexOf(`export class ${className} `);
  if (at < 0) throw new Error(`no class ${className} in ${file}`);
  const comment = source.slice(source.lastIndexOf("/**", at), at);
  const box = /```text\n([\s\S]*?)```/.exec(comment);
  if (!box) throw new Error(`no algorithm box above ${className} in ${file}`);
  return box[1]!
    .split("\n")
    .map((line) => line.replace(/^\s*\* ?/, ""))
    .join("\n")
    .trimEnd();
}

/**
 * Runs an example body (gradlab's names in scope, no imports) and returns the page's code
 * block, with the value its last `console.log(...)` printed written as that line's comment.
 */
function example(body: string, names: string[]): string {
  const lines = body.trim().split("\n");
  const last = lines.length - 1;
  const logged = /^console\.log\((.*)\);$/.exec(lines[last]!);
  if (!logged) throw new Error(`an example must end with console.log(...);\n${body}`);
  let value: unknown;
  const capture = { log: (v: unknown) => (value = v) };
  const scope = names.map((n) => (gradlab as Record<string, unknown>)[n]);
  new Function(...names, "console", body)(...scope, capture);
  lines[last] = `${lines[last]} // ${JSON.stringify(value)}`;
  return ["```ts", `import { ${names.join(", ")} } from "gradlab";`, "", ...lines, "```"].join("\n");
}

/** A default as PyTorch's signature writes it: small numbers in exponent form (1e-6, not 0.000001). */
const formatDefault = (v: unknown): string =>
  v === null || v === undefined
    ? "`null`"
    : Array.isArray(v)
      ? `\`[${v.map(formatDefault).join(", ").replaceAll("`", "")}]\``
      : typeof v === "number" && v !== 0 && Math.abs(v) < 1e-3
        ? `\`${v.toExponential()}\``
        : `\`${String(v)}\``;

/** The path of a 2-D point from (−2.5, 1.5) on f(x, y) = x²/2 + 5y², under `make`'s optimizer. */
function quadraticPath(make: (params: gradlab.Tensor[]) => Optimizer, steps: number): { x: number[]; y: number[] } {
  const p = tensor([-2.5, 1.5], { dtype: "float64", requires_grad: true });
  const opt = make([p]);
  const scale = tensor([0.5, 5], { dtype: "float64" });
  const loss = () => {
    opt.zero_grad();
    const l = p.mul(p).mul(scale).sum();
    l.backward();
    return l;
  };
  const x = [p.tolist() as number[]];
  for (let i = 0; i < steps; i++) {
    opt.step(loss);
    x.push(no_grad(() => p.tolist()) as number[]);
  }
  return { x: x.map((q) => q[0]!), y: x.map((q) => q[1]!) };
}

/**
 * The loss before each of `steps` steps on f(W) = ½‖W‖²_F for a fixed 3×4 matrix W₀, under
 * `make`'s optimizer: a matrix problem for optimizers of matrices (Muon). The gradient is W
 * itself, so the singular values of W are the distances left to go in each direction.
 */
function matrixLoss(make: (params: gradlab.Tensor[]) => Optimizer, steps: number): { x: number[]; y: number[] } {
  const W = tensor(
    [
      [2, -1, 0.5, 0],
      [-0.5, 1, 1, 0.2],
      [0.3, 0.2, -0.1, 0.05],
    ],
    { dtype: "float64", requires_grad: true },
  );
  const opt = make([W]);
  const y: number[] = [];
  for (let i = 0; i < steps; i++) {
    opt.zero_grad();
    const loss = W.mul(W).sum().mul(0.5);
    loss.backward();
    y.push(loss.item());
    opt.step();
  }
  return { x: y.map((_, i) => i), y };
}

interface Output {
  path: string;
  text: string;
}

async function optimizerPage(doc: OptimizerDoc): Promise<Output[]> {
  const file = `src/optim/${doc.file}.ts`;
  const Ctor = (optim as unknown as Record<string, new (p: gradlab.Tensor[], o?: object) => Optimizer>)[doc.name]!;
  const sections = [`# ${doc.name}`, doc.intro.trim()];
  {
    sections.push("## The algorithm, as gradlab computes it", "```text\n" + algorithmBox(file, doc.name) + "\n```");
    const defaults = Object.entries(
      new Ctor(doc.name === "Muon" ? [gradlab.zeros([2, 2], { requires_grad: true })] : [gradlab.zeros(1, { requires_grad: true })]).defaults,
    );
    sections.push(
      "## Options and their defaults",
      "`" + formatCall(declared.get(`${doc.name}.__init__`)!) + "`",
      "PyTorch's names, order and defaults: the parameters before the braces go positionally in this order, and any parameter not given positionally (those in braces are keyword-only) can be named in one trailing options object, as Python's keyword arguments. `foreach`, `fused`, `capturable` and `differentiable` only choose a kernel in PyTorch: gradlab accepts and ignores them.",
      ["| option | default |", "| --- | --- |", ...defaults.map(([k, v]) => `| \`${k}\` | ${formatDefault(v)} |`)].join("\n"),
    );
  }
  if (doc.notes) sections.push(doc.notes.trim());
  if (TEXTBOOK[doc.name]) sections.push(TEXTBOOK[doc.name]!.trim());
  sections.push("## Example", doc.exampleIntro.trim(), example(doc.example, doc.names ?? ["optim", "tensor"]));
  if (BY_HAND[doc.name]) sections.push("### By hand", BY_HAND[doc.name]!.trim());
  const outputs: Output[] = [];
  if (doc.figure) {
    const series = doc.figure.map(([label, make]) => ({ name: label, ...quadraticPath(make, 40) }));
    const svg = await lineChart(series, {
      title: `${doc.name} on f(x, y) = x²/2 + 5y², 40 steps from (−2.5, 1.5)`,
      xlabel: "x",
      ylabel: "y",
      points: true,
    });
    outputs.push({ path: `docs/figures/optim_${doc.file}.svg`, text: svg });
    sections.push(
      "## Trajectory",
      "Forty steps on an ill-conditioned quadratic (curvature 1 along x, 10 along y), from (−2.5, 1.5) towards the minimum at the origin; drawn by tools/docs_pages.ts from a real run.",
      `![${doc.name} trajectory](../figures/optim_${doc.file}.svg)`,
    );
  }
  if (doc.matrixFigure) {
    const series = doc.matrixFigure.map(([label, make]) => ({ name: label, ...matrixLoss(make, 60) }));
    const svg = await lineChart(series, {
      title: `${doc.name} on f(W) = ½‖W‖² for a 3×4 matrix W, 60 steps`,
      xlabel: "step",
      ylabel: "loss",
      logY: true,
    });
    outputs.push({ path: `docs/figures/optim_${doc.file}.svg`, text: svg });
    sections.push("## Loss per step", doc.figureText ?? "", `![${doc.name} loss per step](../figures/optim_${doc.file}.svg)`);
  }
  sections.push(`Source: [\`${file}\`](../../${file}) · tests: \`test/optim/${doc.file}.test.ts\` · PyTorch: \`torch.optim.${doc.name}\``);
  outputs.push({ path: `docs/optim/${doc.file}.md`, text: sections.join("\n\n") + "\n" });
  return outputs;
}

async function schedulerPage(doc: SchedulerDoc): Promise<Output[]> {
  const file = doc.name === "SWALR" ? "src/optim/swa_utils/swalr.ts" : `src/optim/lr_scheduler/${doc.file}.ts`;
  const sections = [
    `# ${doc.name}`,
    doc.intro.trim(),
    "## The schedule, as gradlab computes it",
    "```text\n" + algorithmBox(file, doc.name) + "\n```",
    "## Arguments and their defaults",
    "`" + formatCall(declared.get(`${doc.name}.__init__`)!) + "`",
    "As in PyTorch, the parameters go positionally in this order, and any of them not given positionally can be named in one trailing options object, as Python's keyword arguments.",
  ];
  if (doc.notes) sections.push(doc.notes.trim());
  if (TEXTBOOK[doc.name]) sections.push(TEXTBOOK[doc.name]!.trim());
  sections.push("## Example", doc.exampleIntro.trim(), example(doc.example, ["optim", "tensor"]));
  if (BY_HAND[doc.name]) sections.push("### By hand", BY_HAND[doc.name]!.trim());
  // The figure: lab.preview_schedule runs the standard loop for 60 epochs (plus the momentum where it cycles).
  const epochs = doc.epochs ?? 60;
  const preview = gradlab.lab.preview_schedule((o) => doc.make(o as gradlab.optim.SGD) as LRScheduler, {
    steps: epochs,
    groups: [{ lr: 0.1, momentum: 0.9 }],
    metrics: doc.metric,
  });
  const svg = await preview.toSVG({ title: `${doc.name}: ${doc.figureCaption}`, xlabel: "epoch" });
  sections.push(
    "## The curve",
    `The learning rate of SGD (initial lr 0.1, momentum 0.9) before each of ${epochs} epochs with ${doc.figureCaption}, drawn by tools/docs_pages.ts from a real run with [\`lab.preview_schedule\`](../lab/preview_schedule.md).`,
    `![${doc.name} learning rate](../figures/lr_${doc.file}.svg)`,
  );
  const figures = [{ path: `docs/figures/lr_${doc.file}.svg`, text: svg }];
  if (preview.momentum !== null) {
    const m = preview.group(0, "momentum");
    figures.push({
      path: `docs/figures/lr_${doc.file}_momentum.svg`,
      text: await preview.toSVG({ title: `${doc.name}: SGD's momentum`, xlabel: "epoch", quantity: "momentum" }),
    });
    sections.push(
      `The same run changes the optimizer's \`${preview.momentum_key}\` too, between ${Math.min(...m)} and ${Math.max(...m)}, against the learning rate:`,
      `![${doc.name} momentum](../figures/lr_${doc.file}_momentum.svg)`,
    );
  }
  sections.push(`Source: [\`${file}\`](../../${file}) · PyTorch: \`torch.optim.${doc.name === "SWALR" ? "swa_utils" : "lr_scheduler"}.${doc.name}\``);
  return [...figures, { path: `docs/lr_scheduler/${doc.file}.md`, text: sections.join("\n\n") + "\n" }];
}

async function main(): Promise<void> {
  const check = process.argv.includes("--check");
  const outputs: Output[] = [];
  for (const doc of OPTIMIZERS) outputs.push(...(await optimizerPage(doc)));
  for (const doc of SCHEDULERS) outputs.push(...(await schedulerPage(doc)));
  outputs.push(...(await lrFinderPage()));
  outputs.push(...inspectPage());
  const stale: string[] = [];
  for (const { path, text } of outputs) {
    const full = join(root, path);
    if (check) {
      if (!existsSync(full) || readFileSync(full, "utf8") !== text) stale.push(path);
    } else {
      mkdirSync(join(full, ".."), { recursive: true });
      writeFileSync(full, text);
    }
  }
  if (stale.length > 0) {
    console.error(`These docs pages are not current; run \`npm run docs\` and commit:\n${stale.join("\n")}`);
    process.exit(1);
  }
  console.log(`${outputs.length} docs pages and figures ${check ? "are current" : "written"}`);
}

await main();
