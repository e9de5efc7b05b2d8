/**
 * Writes docs/lab/lr_finder.md and its figure from a real run, for tools/docs_pages.ts: the
 * page's examples are run here, each `console.log(...)` line gets the value it printed as its
 * comment (which test/docs/examples.test.ts asserts when it runs the page), the terminal
 * chart is the example's `result.toString()`, and the figure its `result.toSVG()`.
 */
import * as gradlab from "../src/index.ts";
import type { LRFinderResult } from "../src/lab/lr_finder_result.ts";
import { RULES, RULE_TEXT } from "../src/lab/lr_finder_rules.ts";

interface Output {
  path: string;
  text: string;
}

/** A logged value as the examples test compares it: one value as JSON, several as printed text. */
const shown = (values: unknown[]): string => (values.length === 1 ? JSON.stringify(values[0]) : values.map(String).join(" "));

/**
 * Runs an example (gradlab's names in scope; its `import` line is written, not run) and returns
 * the page's code block, every `console.log(...);` line followed by what it printed, and the
 * value of `result` at the end.
 */
function runExample(body: string, names: string[]): { block: string; result: LRFinderResult } {
  const logged: string[] = [];
  const capture = { log: (...values: unknown[]) => logged.push(shown(values)) };
  const scope = names.map((n) => (gradlab as Record<string, unknown>)[n]);
  const result = new Function(...names, "console", `${body}\nreturn result;`)(...scope, capture) as LRFinderResult;
  let next = 0;
  const lines = body
    .trim()
    .split("\n")
    .map((line) => (/^console\.log\(.*\);$/.test(line) ? `${line} // ${logged[next++]}` : line));
  return { block: ["```ts", `import { ${names.join(", ")} } from "gradlab";`, "", ...lines, "```"].join("\n"), result };
}

const MOONS = `
manual_seed(0);
const [x, y] = utils.data.make_moons({ n_samples: 512, noise: 0.15 });
const loader = new utils.data.DataLoader(new utils.data.TensorDataset(x, y), { batch_size: 32, shuffle: true });
const model = new nn.Sequential(new nn.Linear(2, 32), new nn.ReLU(), new nn.Linear(32, 32), new nn.ReLU(), new nn.Linear(32, 2));
const opt = new optim.SGD(model.parameters(), { lr: 1e-5, momentum: 0.9 });
const before = model.parameters().map((p) => p.tolist());

const result = lab.lr_finder(model, opt, new nn.CrossEntropyLoss(), loader, { end_lr: 10, num_iter: 100 });
console.log(result.lr.length, result.diverged);
console.log(result.stop_reason);
console.log(Object.values(result.suggestions).map((s) => \`\${s.name} \${s.lr?.toPrecision(3)}\`));
console.log(model.parameters().every((p, i) => JSON.stringify(p.tolist()) === JSON.stringify(before[i])), opt.state.size, opt.param_groups[0]?.lr);
`;

const GROUPS = `
manual_seed(0);
const [x, y] = utils.data.make_moons({ n_samples: 256, noise: 0.15 });
const batches = new utils.data.DataLoader(new utils.data.TensorDataset(x, y), { batch_size: 8 });
const body = new nn.Linear(2, 16);
const head = new nn.Linear(16, 2);
const model = new nn.Sequential(body, new nn.ReLU(), head);
const opt = new optim.Adam([{ params: body.parameters(), lr: 1e-4 }, { params: head.parameters(), lr: 1e-3 }]);

// batches of 8, four at a time: the gradients of batches of 32
const result = lab.lr_finder(model, opt, new nn.CrossEntropyLoss(), batches, { start_lr: 1e-5, end_lr: 1, num_iter: 50, accumulation_steps: 4 });
console.log(result.lrs[0], result.lrs[49]?.map((lr) => Number(lr.toPrecision(12))));
console.log(result.suggestions.valley.lrs?.map((lr) => Number(lr.toPrecision(3))));
`;

/** docs/lab/lr_finder.md and docs/figures/lab_lr_finder.svg. */
export async function lrFinderPage(): Promise<Output[]> {
  const moons = runExample(MOONS, ["lab", "manual_seed", "nn", "optim", "utils"]);
  const groups = runExample(GROUPS, ["lab", "manual_seed", "nn", "optim", "utils"]);
  const svg = await moons.result.toSVG({ title: "Range test: SGD (momentum 0.9) on two moons, batches of 32" });
  const rules = RULES.map((name) => `| \`${name}\` | ${RULE_TEXT[name].rule} | ${RULE_TEXT[name].rationale} |`);
  const page = `# lab.lr_finder

\`lab.lr_finder(model, optimizer, lossFn, loader, { start_lr, end_lr, num_iter, step_mode, smooth_f, diverge_th, accumulation_steps, val_loader, skip_start, skip_end })\`
runs Leslie Smith's learning-rate range test: a short training run whose rate grows from
\`start_lr\` to \`end_lr\` over \`num_iter\` steps, recording the loss of each step. While the rate
is too small the loss barely moves, over a useful range it falls fast, and past some rate the
steps overshoot and the loss blows up. The test returns the whole curve and three suggested
rates read off it by three different rules, side by side, because any single rule is known to
be unreliable.

**PyTorch has no such tool.** fastai (\`learn.lr_find()\`) and the pytorch-lr-finder package
(\`LRFinder.range_test\`) do; gradlab's lives in the \`lab\` namespace, beside the mirror of
\`torch.optim\`, and uses your optimizer as it is, through its own \`step\`. It answers what
users of those tools complain about:

- **it gives everything back, bit for bit**: afterwards every parameter and buffer holds its old
  bits (the same tensor objects, with the same \`.grad\`), each module is back in its mode, the
  optimizer has its old param groups and per-parameter state in the same objects (Adam's moments
  and step counts, LBFGS's record), and the default generator and the loaders' own generators
  are where they were, so training afterwards runs exactly as it would have without the test.
  This holds after an exception in the middle of the test too.
- **the whole curve and three suggestions**, each with its rule and rationale;
- it **stops at divergence** (or at a loss that is not finite), ramps **every param group in
  proportion**, and supports **gradient accumulation** and a **validation loader**;
- it **plots the curve with the suggestions marked**, in the terminal and as an SVG.

## The loop

For k = 0 … num_iter − 1: every group's rate is set from the ramp; \`optimizer.step(closure)\` runs,
where the closure zeroes the gradients, puts the model in training mode, and runs
\`accumulation_steps\` batches (each loss divided by \`accumulation_steps\`, then \`backward()\`),
returning their summed loss; that loss is recorded (or, with \`val_loader\`, the mean loss per
sample over the whole validation loader, in eval mode, without gradients), then smoothed. The
loader is iterated again whenever it runs out.

\`\`\`text
ramp, step k = 0 … N−1 (N = num_iter), r = k / (N − 1):
  exp     lr_k = start · (end / start)^r
  linear  lr_k = start + r · (end − start)
  group i: lr_k,i = lr_k · (lr_i / lr_0), lr_i the group's rate when the test began
smoothing, f = smooth_f ∈ [0, 1):
  s_0 = loss_0,   s_k = f · loss_k + (1 − f) · s_(k−1)
divergence: best_k = min(s_0 … s_k); stop after step k when s_k > diverge_th · best_k,
  or when loss_k is not finite
\`\`\`

Options, with pytorch-lr-finder's defaults: \`start_lr\` (group 0's first rate; default its rate
in the optimizer), \`end_lr\` 10, \`num_iter\` 100, \`step_mode\` \`"exp"\` or \`"linear"\`, \`smooth_f\`
0.05 (0: no smoothing), \`diverge_th\` 5, \`accumulation_steps\` 1, \`val_loader\` null, and the
suggestions' window: \`skip_start\` 10 and \`skip_end\` 5 points left out at the two ends (the
defaults of pytorch-lr-finder's \`plot\`). The loss is a loss module or a function
\`(output, labels) => Tensor\`; batches are \`[inputs, labels, …]\`.

## The three suggestions

Each reads the smoothed curve over the window [skip_start, n − skip_end), cut at the first value
that is not finite:

| rule | what it computes | why |
| --- | --- | --- |
${rules.join("\n")}

\`\`\`text
minimum   m = the first index of the least s; lr at m, divided by 10
steepest  the least np.gradient of s_0 … s_m: (s_(j+1) − s_(j−1)) / 2 inside, one-sided at the ends
valley    L_j = 1 + max{L_i : i < j, s_j < s_i}, e = the first j of greatest L_j, a = e − L_e,
          p = a + ⌊(e − a)/3⌋ + ⌊(e − a)/6⌋: lr at p
\`\`\`

Each suggestion is \`{ name, rule, rationale, lr, lrs, point }\`: \`lr\` is group 0's suggested rate,
\`lrs\` every group's, and \`point\` the point of the curve the rule read (\`{ step, lr, loss }\`; for
\`minimum\` it is the minimum itself, a rate ten times the suggestion). When the window holds too
few points, \`lr\` is null and \`reason\` says why.

### Whose definitions, and where gradlab differs

The ramp, the smoothing, the divergence test and the defaults are pytorch-lr-finder's: its ramp
reaches \`end_lr\` on the last step, where fastai's stops one step short (position k / N), smooths
with a bias-corrected average (β = 0.98, divided by 1 − β^(k+1)) and stops at 4 × the best. The
\`minimum\` and \`valley\` rules are fastai's; \`steepest\` is pytorch-lr-finder's np.gradient rule.
gradlab differs in four places, each for a reason:

- **groups**: pytorch-lr-finder ramps every group from its own rate to the same \`end_lr\` (so in
  'exp' mode the groups' ratios shrink to 1); here every group keeps its ratio to group 0, so a
  layer-wise plan (a head ten times faster than the body) is tested as it will train;
- **a loss that is not finite stops the test**: in pytorch-lr-finder a NaN compares false and
  the test runs on; and no rule reads past the first non-finite point (as fastai drops them);
- **steepest reads only the descent**, up to the minimum: past it the curve is the blow-up,
  where a falling stretch is a recovery from a diverged step. On two moons (the example below,
  without \`diverge_th\` stopping it) np.gradient over the whole window picks such a stretch, at
  a rate that does not learn at all;
- **valley** takes a = e − L_e from the finished length L_e; fastai computes it inside its inner
  loop, from a length that may still grow.

## Example

A small network on two moons, SGD with momentum:

${moons.block}

\`result.toString()\` draws the smoothed loss step by step (the rate grows to the right) and marks
each suggested rate under the step whose rate is nearest it (S steepest, M minimum ÷ 10,
V valley; * where two coincide):

\`\`\`text
${moons.result.toString()}
\`\`\`

and \`await result.toSVG()\` draws the raw and smoothed loss against the rate, with a vertical line
at each suggestion:

![lr_finder on two moons](../figures/lab_lr_finder.svg)

Training from the same initial weights at each of the three rates (tutorial 8, and the tests in
\`test/lab/lr_finder.test.ts\`, which hold the claim) reaches at least 90% validation accuracy on
two moons in 15 epochs with SGD, and 28 of 30 flowers on iris in 30 epochs with Adam.

Two param groups (a head ten times faster than the body) keep their ratio along the ramp, and
gradient accumulation makes batches of 8 act as batches of 32:

${groups.block}

Source: [\`src/lab/lr_finder.ts\`](../../src/lab/lr_finder.ts) (the loop), [\`src/lab/lr_finder_rules.ts\`](../../src/lab/lr_finder_rules.ts) (the ramp, smoothing and rules), [\`src/lab/snapshot.ts\`](../../src/lab/snapshot.ts) (what is given back) · tests: \`test/lab/lr_finder.test.ts\` · tutorial: [8. The learning-rate range test](../tutorials/08_lr_range_test.md)
`;
  return [
    { path: "docs/figures/lab_lr_finder.svg", text: svg },
    { path: "docs/lab/lr_finder.md", text: page },
  ];
}
