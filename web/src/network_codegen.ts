/**
 * "Copy as gradlab" and "Copy as PyTorch" for the Tiny network panel: the run's setup as a
 * script. The gradlab script is network.ts's loop written out (data, model, optimizer,
 * schedule, batches), so run with tsx it prints the batch loss and accuracy the page shows
 * after the last step (the browser test checks it). The PyTorch script is what a PyTorch user
 * writes for the same run; PyTorch draws other random numbers (data, initial weights), so
 * its numbers differ while the model, loss, optimizer, schedule and loop are the same.
 */
import { expectedOf, py, pyOptions, tsOptions } from "./codegen.ts";
import { optimizerEntry, schedulerEntry } from "./catalog.ts";
import type { NetworkConfig } from "./config.ts";

const classesOf = (config: NetworkConfig): number => (config.dataset === "moons" ? 2 : 3);

const describe = (config: NetworkConfig, comment: string): string => {
  const data = config.dataset === "moons" ? `two moons (${config.samples} points` : `three spirals (${config.samples} points per class`;
  const schedule = config.slot.scheduler === null ? "" : ` with ${config.slot.scheduler}`;
  return `${comment} Tiny network: ${data}, noise ${config.noise}), MLP of width ${config.width}, ${config.slot.optimizer}${schedule}, ${config.steps} steps of batch ${config.batch}, from gradlab's playground.`;
};

export function gradlabNetworkCode(config: NetworkConfig): string {
  const { slot } = config;
  const lbfgs = slot.optimizer === "LBFGS";
  const plateau = slot.scheduler === "ReduceLROnPlateau";
  const data =
    config.dataset === "moons"
      ? `utils.data.make_moons({ n_samples: ${config.samples}, noise: ${config.noise}, dtype: "float64", generator })`
      : `utils.data.make_spirals({ n_samples_per_class: ${config.samples}, n_classes: 3, noise: ${config.noise}, dtype: "float64", generator })`;
  const w = config.width;
  const lines = [
    describe(config, "//"),
    "// Run it with: npx tsx playground_network.ts",
    'import { Generator, nn, no_grad, optim, type Tensor, utils } from "gradlab";',
    "",
    "// One generator draws the data, then each layer's initial weights, in this order.",
    `const generator = new Generator(${config.seed});`,
    `const [X, y] = ${data};`,
    'const layer = (a: number, b: number): nn.Linear => new nn.Linear(a, b, { dtype: "float64", generator });',
    `const model = new nn.Sequential(layer(2, ${w}), new nn.ReLU(), layer(${w}, ${w}), new nn.ReLU(), layer(${w}, ${classesOf(config)}));`,
    "const lossFn = new nn.CrossEntropyLoss();",
    `const opt = new optim.${slot.optimizer}(model.parameters()${tsOptions(slot.options)});`,
    ...(slot.scheduler === null ? [] : [`const scheduler = new optim.lr_scheduler.${slot.scheduler}(opt${tsOptions(slot.schedulerOptions)});`]),
    "",
    "const n = X.shape[0]!;",
    `const steps = ${config.steps};`,
    "let loss = Number.NaN;",
    "for (let step = 0; step < steps; step++) {",
    "  // The next batch of the (already shuffled) points, going round them in order.",
    `  const rows = Array.from({ length: Math.min(${config.batch}, n) }, (_, i) => (step * ${config.batch} + i) % n);`,
    "  const xb = X.index_select(0, rows);",
    "  const yb = y.index_select(0, rows);",
    "  const closure = (): Tensor => {",
    "    opt.zero_grad();",
    "    const batchLoss = lossFn.forward(model.forward(xb), yb);",
    "    batchLoss.backward();",
    "    return batchLoss;",
    "  };",
    ...(lbfgs ? ["  loss = (opt.step(closure) as Tensor).item();"] : ["  loss = closure().item();", "  opt.step();"]),
    ...(slot.scheduler === null ? [] : [plateau ? "  scheduler.step(loss);" : "  scheduler.step();"]),
    "}",
    "const labels = y.tolist() as number[];",
    "const predicted = no_grad(() => model.forward(X).argmax(1).tolist() as number[]);",
    "const accuracy = predicted.filter((c, i) => c === labels[i]).length / n;",
    `console.log(\`After step \${steps}: batch loss \${loss}, accuracy \${accuracy}\`);`,
  ];
  return `${lines.join("\n")}\n`;
}

/** The data set in Python: scikit-learn's make_moons, or the CS231n spirals written out in torch. */
function pythonData(config: NetworkConfig): string[] {
  if (config.dataset === "moons") {
    return [
      "from sklearn.datasets import make_moons",
      "",
      `torch.manual_seed(${config.seed})`,
      `X, y = make_moons(n_samples=${config.samples}, noise=${py(config.noise, false)}, random_state=${config.seed})`,
      "X, y = torch.tensor(X, dtype=torch.float64), torch.tensor(y)",
    ];
  }
  return [
    "",
    "def make_spirals(n, classes, noise):",
    "    # class j, i = 0 … n−1: radius i/(n−1), angle 4j + 4i/(n−1) + noise·z, z ~ N(0, 1); the point (r·sin t, r·cos t)",
    "    r = torch.linspace(0, 1, n, dtype=torch.float64)",
    "    X, y = [], []",
    "    for j in range(classes):",
    "        t = torch.linspace(4 * j, 4 * (j + 1), n, dtype=torch.float64) + noise * torch.randn(n, dtype=torch.float64)",
    "        X.append(torch.stack([r * torch.sin(t), r * torch.cos(t)], 1))",
    "        y.append(torch.full((n,), j))",
    "    order = torch.randperm(n * classes)",
    "    return torch.cat(X)[order], torch.cat(y)[order]",
    "",
    `torch.manual_seed(${config.seed})`,
    `X, y = make_spirals(${config.samples}, 3, ${py(config.noise, false)})`,
  ];
}

export function pytorchNetworkCode(config: NetworkConfig): string {
  const { slot } = config;
  const lbfgs = slot.optimizer === "LBFGS";
  const plateau = slot.scheduler === "ReduceLROnPlateau";
  const w = config.width;
  const lines = [
    describe(config, "#"),
    "# torch's random numbers are not gradlab's: the data and the initial weights, so the numbers, differ from the page's.",
    "import torch",
    "from torch import nn",
    ...pythonData(config),
    `model = nn.Sequential(nn.Linear(2, ${w}), nn.ReLU(), nn.Linear(${w}, ${w}), nn.ReLU(), nn.Linear(${w}, ${classesOf(config)})).double()`,
    "loss_fn = nn.CrossEntropyLoss()",
    `opt = torch.optim.${slot.optimizer}(model.parameters()${pyOptions(slot.options, expectedOf(optimizerEntry(slot.optimizer)))})`,
    ...(slot.scheduler === null
      ? []
      : [`scheduler = torch.optim.lr_scheduler.${slot.scheduler}(opt${pyOptions(slot.schedulerOptions, expectedOf(schedulerEntry(slot.scheduler)))})`]),
    "",
    "n = len(X)",
    `steps = ${config.steps}`,
    "for step in range(steps):",
    "    # The next batch of the (already shuffled) points, going round them in order.",
    `    rows = [(step * ${config.batch} + i) % n for i in range(min(${config.batch}, n))]`,
    "    xb, yb = X[rows], y[rows]",
    "",
    "    def closure():",
    "        opt.zero_grad()",
    "        batch_loss = loss_fn(model(xb), yb)",
    "        batch_loss.backward()",
    "        return batch_loss",
    "",
    ...(lbfgs ? ["    loss = opt.step(closure)"] : ["    loss = closure()", "    opt.step()"]),
    ...(slot.scheduler === null ? [] : [plateau ? "    scheduler.step(loss.item())" : "    scheduler.step()"]),
    "with torch.no_grad():",
    "    accuracy = (model(X).argmax(1) == y).double().mean().item()",
    'print(f"After step {steps}: batch loss {loss.item()}, accuracy {accuracy}")',
  ];
  return `${lines.join("\n")}\n`;
}
