/**
 * "Copy as gradlab" and "Copy as PyTorch": the Landscapes run on screen as a script a
 * learner takes home. The gradlab script is run.ts's loop written out; run with tsx it
 * prints the numbers the page shows (the browser test checks it). The PyTorch script is
 * what a PyTorch user writes for the same run; without noise it follows the same
 * algorithms (PyTorch's own random numbers differ from gradlab's, so noisy runs differ).
 */
import { optimizerEntry, schedulerEntry } from "./catalog.ts";
import type { LandscapesConfig, Slot } from "./config.ts";
import type { Landscape } from "./landscapes.ts";

export const ts = (value: unknown): string => JSON.stringify(value);

/** A value as Python writes it: True, None, (0.9, 0.999) for a tuple, [100, 200] for a list. */
export function py(value: unknown, tuple: boolean): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : value > 0 ? "float('inf')" : value < 0 ? "-float('inf')" : "float('nan')";
  if (Array.isArray(value)) {
    const items = value.map((v) => py(v, false));
    return tuple ? `(${items.join(", ")}${items.length === 1 ? "," : ""})` : `[${items.join(", ")}]`;
  }
  return JSON.stringify(value);
}

export const tsOptions = (options: Record<string, unknown>): string => {
  const entries = Object.entries(options);
  return entries.length === 0 ? "" : `, { ${entries.map(([k, v]) => `${k}: ${ts(v)}`).join(", ")} }`;
};

export function pyOptions(options: Record<string, unknown>, expected: (name: string) => string): string {
  return Object.entries(options)
    .map(([k, v]) => `, ${k}=${py(v, expected(k).startsWith("["))}`)
    .join("");
}

export const expectedOf =
  (entry: { options: readonly { name: string; expected: string }[] } | undefined) =>
  (name: string): string =>
    entry?.options.find((o) => o.name === name)?.expected ?? "";

const label = (slot: Slot): string => `${slot.optimizer}${slot.scheduler === null ? "" : ` with ${slot.scheduler}`}`;

export function gradlabCode(config: LandscapesConfig, landscape: Landscape): string {
  const noisy = config.noise !== 0;
  const lines = [
    `// ${landscape.name}: ${config.steps} steps from (${config.start[0]}, ${config.start[1]}), from gradlab's playground.`,
    "// Run it with: npx tsx playground_run.ts",
    `import { ${noisy ? "Generator, " : ""}optim, ${noisy ? "rand, " : ""}tensor, type Tensor } from "gradlab";`,
    "",
    `// ${landscape.formula}`,
    "const f = (x: Tensor, y: Tensor): Tensor =>",
    `  ${landscape.ts};`,
    "",
    `const steps = ${config.steps};`,
  ];
  if (noisy) lines.push(`const noise = ${config.noise}; // σ of the uniform noise, σ·√12·(u − 0.5), added to each gradient component`);
  for (const slot of config.slots) {
    const lbfgs = slot.optimizer === "LBFGS";
    const plateau = slot.scheduler === "ReduceLROnPlateau";
    const body: string[] = [
      `const x = tensor(${config.start[0]}, { dtype: "float64", requires_grad: true });`,
      `const y = tensor(${config.start[1]}, { dtype: "float64", requires_grad: true });`,
      `const opt = new optim.${slot.optimizer}([x, y]${tsOptions(slot.options)});`,
    ];
    if (slot.scheduler !== null) body.push(`const scheduler = new optim.lr_scheduler.${slot.scheduler}(opt${tsOptions(slot.schedulerOptions)});`);
    if (noisy) body.push(`const generator = new Generator(${config.seed});`);
    const gradient = [
      "opt.zero_grad();",
      "const loss = f(x, y);",
      "loss.backward();",
      ...(noisy
        ? [
            'x.grad!.add_(rand([], { generator, dtype: "float64" }).sub(0.5).mul(noise * Math.sqrt(12)));',
            'y.grad!.add_(rand([], { generator, dtype: "float64" }).sub(0.5).mul(noise * Math.sqrt(12)));',
          ]
        : []),
    ];
    const scheduleStep = slot.scheduler === null ? [] : [plateau ? "scheduler.step(loss.item());" : "scheduler.step();"];
    if (lbfgs) {
      body.push("const closure = (): Tensor => {", ...gradient.map((l) => `  ${l}`), "  return loss;", "};");
      body.push(
        "for (let step = 0; step < steps; step++) {",
        `  ${plateau ? "const loss = opt.step(closure) as Tensor;" : "opt.step(closure);"}`,
        ...scheduleStep.map((l) => `  ${l}`),
        "}",
      );
    } else {
      body.push("for (let step = 0; step < steps; step++) {", ...gradient.map((l) => `  ${l}`), "  opt.step();", ...scheduleStep.map((l) => `  ${l}`), "}");
    }
    body.push(`console.log(\`${slot.optimizer}  x = \${x.item()}  y = \${y.item()}  loss = \${f(x, y).item()}\`);`);
    lines.push("", `// ${label(slot)}`, "{", ...body.map((l) => `  ${l}`), "}");
  }
  return `${lines.join("\n")}\n`;
}

export function pytorchCode(config: LandscapesConfig, landscape: Landscape): string {
  const noisy = config.noise !== 0;
  const lines = [
    `# ${landscape.name}: ${config.steps} steps from (${config.start[0]}, ${config.start[1]}), from gradlab's playground.`,
    "import torch",
    "",
    `# ${landscape.formula}`,
    "def f(x, y):",
    `    return ${landscape.py}`,
    "",
    `steps = ${config.steps}`,
  ];
  if (noisy) {
    lines.push(`noise = ${py(config.noise, false)}  # σ of the uniform noise, σ·√12·(u − 0.5), added to each gradient component`);
    lines.push("# torch.Generator draws other numbers than gradlab's Generator: with noise, the path differs from the page's.");
  }
  for (const slot of config.slots) {
    const lbfgs = slot.optimizer === "LBFGS";
    const plateau = slot.scheduler === "ReduceLROnPlateau";
    const optExpected = expectedOf(optimizerEntry(slot.optimizer));
    const body: string[] = [
      `x = torch.tensor(${py(config.start[0], false)}, dtype=torch.float64, requires_grad=True)`,
      `y = torch.tensor(${py(config.start[1], false)}, dtype=torch.float64, requires_grad=True)`,
      `opt = torch.optim.${slot.optimizer}([x, y]${pyOptions(slot.options, optExpected)})`,
    ];
    if (slot.scheduler !== null) {
      body.push(`scheduler = torch.optim.lr_scheduler.${slot.scheduler}(opt${pyOptions(slot.schedulerOptions, expectedOf(schedulerEntry(slot.scheduler)))})`);
    }
    if (noisy) body.push(`generator = torch.Generator().manual_seed(${config.seed})`);
    const gradient = [
      "opt.zero_grad()",
      "loss = f(x, y)",
      "loss.backward()",
      ...(noisy
        ? [
            "x.grad.add_((torch.rand((), generator=generator, dtype=torch.float64) - 0.5) * (noise * 12 ** 0.5))",
            "y.grad.add_((torch.rand((), generator=generator, dtype=torch.float64) - 0.5) * (noise * 12 ** 0.5))",
          ]
        : []),
    ];
    const scheduleStep = slot.scheduler === null ? [] : [plateau ? "scheduler.step(loss.item())" : "scheduler.step()"];
    if (lbfgs) {
      body.push("def closure():", ...gradient.map((l) => `    ${l}`), "    return loss", "");
      body.push("for step in range(steps):", `    ${plateau ? "loss = opt.step(closure)" : "opt.step(closure)"}`, ...scheduleStep.map((l) => `    ${l}`));
    } else {
      body.push("for step in range(steps):", ...gradient.map((l) => `    ${l}`), "    opt.step()", ...scheduleStep.map((l) => `    ${l}`));
    }
    body.push(`print("${slot.optimizer}", " x =", repr(x.item()), " y =", repr(y.item()), " loss =", repr(f(x, y).item()))`);
    lines.push("", `# ${label(slot)}`, ...body);
  }
  return `${lines.join("\n")}\n`;
}
