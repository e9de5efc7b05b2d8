/**
 * Writes docs/lab/inspect.md from a real run, for tools/docs_pages.ts: the page's examples
 * run here (runExample in docs_lab.ts), each `console.log(...)` line gets what it printed as
 * its comment (test/docs/examples.test.ts asserts it when it runs the page), and the tables
 * are the examples' `watch.toString()`.
 */
import type { StepInspector } from "../src/lab/inspect.ts";
import { termTables } from "../src/lab/inspect_terms.ts";
import { runExample } from "./docs_lab.ts";

interface Output {
  path: string;
  text: string;
}

const ADAM = `
const w = tensor([1, -1], { dtype: "float64", requires_grad: true });
const opt = new optim.Adam([w], 0.1);
const result = lab.inspect(opt);
w.grad = tensor([0.5, -2], { dtype: "float64" });
opt.step();
const [first, second] = result.last.params[0].elements;
console.log(first.terms.m, first.terms.v, first.terms.update);
console.log(second.terms.m, second.terms.v, second.terms.update);
console.log(result.last.params[0].scalars.step_size, w.tolist());
`;

const SGD = `
const w = tensor([0.5, 2], { dtype: "float64", requires_grad: true });
const opt = new optim.SGD([w], { lr: 0.1, momentum: 0.9, nesterov: true });
const result = lab.inspect(opt, { indices: [1] });
for (let k = 0; k < 2; k++) {
  w.grad = w.detach().mul(2); // the gradient of the loss w·w
  opt.step();
}
const [one, two] = result.steps.map((s) => s.params[0].elements[0].terms);
console.log(one.buf, one.direction, one.theta_after);
console.log(two.buf_prev, two.buf, two.direction, two.theta_after);
`;

const LBFGS = `
const w = tensor([3, -1], { dtype: "float64", requires_grad: true });
const opt = new optim.LBFGS([w], { line_search_fn: "strong_wolfe" });
const result = lab.inspect(opt);
opt.step(() => {
  opt.zero_grad();
  const loss = w.sub(1).pow(2).mul(tensor([1, 10], { dtype: "float64" })).sum(); // (w₀ − 1)² + 10·(w₁ − 1)²
  loss.backward();
  return loss;
});
const iterations = result.last.iterations;
console.log(iterations[0].scalars.t_init, iterations[0].scalars.t, iterations[0].evaluations.length);
console.log(iterations.length, iterations.at(-1).stop);
console.log(w.tolist(), result.last.params[0].scalars.func_evals);
`;

/** The supported optimizers and what each records: its scalars, then its element terms in loop order. */
function supportTable(): string {
  const rows = termTables().map(([name, table]) => {
    const scalars = Object.keys(table.terms).filter((k) => !table.order.includes(k));
    const label = name === "Adam" ? "Adam, AdamW" : name;
    return `| ${label} | ${scalars.map((k) => `\`${k}\``).join(", ")} | ${table.order.map((k) => `\`${k}\``).join(", ")} |`;
  });
  return ["| optimizer | scalars (per parameter and step) | element terms, in loop order |", "| --- | --- | --- |", ...rows].join("\n");
}

/** docs/lab/inspect.md. */
export function inspectPage(): Output[] {
  const adam = runExample<StepInspector>(ADAM, ["lab", "optim", "tensor"]);
  const sgd = runExample<StepInspector>(SGD, ["lab", "optim", "tensor"]);
  const lbfgs = runExample<StepInspector>(LBFGS, ["lab", "optim", "tensor"]);
  const page = `# lab.inspect

\`lab.inspect(optimizer, { params?, indices? })\` attaches a step inspector to a real optimizer:
from then on, every \`optimizer.step()\` records, for a few watched elements, the named terms of
their update exactly as the optimizer's loop computes them: for Adam the gradient, m and v
before and after, the denominator, the update and θ before and after, with the step's t, lr,
step size and bias correction; for SGD the gradient, its weight decay, the momentum buffer
before and after, the direction and θ before and after; and so on for every optimizer of
\`torch.optim\` that gradlab mirrors, LBFGS included, at the level of its iterations.

**PyTorch has no such tool.** It lives in gradlab's \`lab\` namespace, beside the mirror of
\`torch.optim\`, and changes nothing about the optimizer:

- **the terms are the loop's own.** Each optimizer's loop is made from one source for every
  option set (src/kernels/specialise.ts); the inspector makes one more variant of it whose only
  difference is that, at a watched element, it copies the values it has just computed into a
  record. So a step with the inspector attached gives bit for bit the parameters and state it
  gives without (the tests check this for every option set, in float32 and float64), and the
  recorded terms rebuild θ after from θ before exactly, op by op.
- **the lr it records is the lr the step used**: read from the group as the step runs, after
  any scheduler set it; param groups and closures work as in any step.
- **watching costs little**: the step still runs the untraced loop over every element; the
  traced loop runs after it over copies of the watched elements as they were before the step
  (the loops are elementwise, so the copies go through exactly the same arithmetic).
  \`npm run bench\` measures a 10M-parameter Adam step with 8 watched elements against the
  same step unwatched.

\`params\` are the parameters to watch (default: all of them) and \`indices\` their elements
(row-major; default the first eight, or all of a smaller parameter). One inspector per
optimizer at a time; \`close()\` detaches it.

## What each optimizer records

Every name is explained in one line by \`explain(name)\`, in the symbols of the optimizer's
algorithm box (its class's doc comment, after PyTorch's docs). A term that only an option
computes (\`vmax\` with amsgrad, \`gbar\` with centered, \`theta_decayed\` with decoupled weight
decay, \`adaptive_lr\` once RAdam's ρ_t > 5 …) is recorded only when it is computed. Options
that only choose a kernel (\`foreach\`, \`capturable\`, \`differentiable\`, \`fused\`) change nothing.

${supportTable()}

- **Sparse gradients** (\`nn.Embedding(…, { sparse: true })\`): SparseAdam and Adagrad record the
  terms of the rows the gradient names (\`g\` is the gradient's entry, repeated rows summed), and
  only θ for the elements of other rows; SGD records at every watched element the value there
  of each sparse tensor its step makes (\`g\`, \`buf_prev\`, \`buf\`, \`direction\`: the entries
  there summed, as \`to_dense()\` sums them) and the direction's stored entries \`direction_1\` …
  \`direction_n\` (\`entries\` of them), which θ ← θ − γ·direction_k adds one after the other, as
  PyTorch's dense \`add_(sparse)\` does: a row the gradient names twice moves twice.
- **LBFGS** records each step's θ before and after, and its \`iterations\`: for each, θ, the flat
  gradient g and the direction d at the watched elements, θ after (= θ + t·d exactly), the
  scalars of the table, every evaluation of the closure (\`evaluations\`: the step length tried
  and the loss there, the line search's trials with strong_wolfe), and on the last iteration the
  test that ended the step (\`stop\`).
- **Rprop** records the group's \`lr\` at each step, but η starts at it only on a parameter's
  first step (\`eta_prev\` there is lr), as in PyTorch, where a scheduler's lr reaches only new state.
- **Adafactor and Muon** update an element from its whole parameter (Adafactor's factored
  second moment and the RMS of its update, Muon's Frobenius norm and Newton–Schulz iteration):
  their scalars include those norms (\`u_rms\`, \`scale\`, \`norm\`), and their element terms what
  the loops computed at the element (Muon's \`o\` is the orthogonalised momentum there).
- An optimizer written outside gradlab is not traced: \`lab.inspect\` throws, naming the ones it traces.

## What it returns

A \`StepInspector\`, whose \`steps\` are plain data (\`JSON.stringify\` keeps every field):

| field | holds |
| --- | --- |
| \`steps[k].step\` | the inspector's count of steps, 1, 2, … |
| \`steps[k].params[j]\` | one watched parameter: \`param\` (its position across the groups, as in \`state_dict\`), \`group\`, \`shape\`, \`scalars\` and \`elements\` |
| \`steps[k].iterations\` | LBFGS only: each iteration's \`scalars\`, \`evaluations\`, \`params\` and, on the last, \`stop\` |
| \`…scalars\` | the step's scalars for that parameter (Adam: t, lr, beta1, beta2, eps, weight_decay, step_size, bias_correction2_sqrt), as the loop used them: rounded to the parameter's dtype where the loop rounds them |
| \`…elements[i]\` | \`{ index, terms }\`: a watched element and its terms by name |

and \`last\` (the last step), \`explain(term)\` (one line per term, in the symbols of the
optimizer's algorithm box), \`explanations\` (all of them), \`toString(step?)\` (the table below)
and \`toJSON()\`.

## Example: one Adam step

${adam.block}

On the first step m = (1 − β1)·g and v = (1 − β2)·g², so m / √(v / (1 − β2)) = g / |g| and each
weight moves by about lr against its gradient's sign, whatever the gradient's size. The last
digits are float64's, as in PyTorch: 1 − 0.9 is 0.09999999999999998, so m is not exactly 0.05,
and ε keeps the update a little short of 0.1.
\`result.toString()\` shows the step term by term, with what each term is:

\`\`\`text
${adam.result.toString()}
\`\`\`

## Example: SGD with Nesterov momentum

Two steps on the loss w·w, watching the second weight:

${sgd.block}

\`\`\`text
${sgd.result.toString()}
\`\`\`

## Example: LBFGS, iteration by iteration

One step on (w₀ − 1)² + 10·(w₁ − 1)² with the strong-Wolfe line search:

${lbfgs.block}

The first iteration ever goes down the gradient, d = −g, with the cautious first guess
t_init = min(1, 1/Σ|g|)·lr = 1/44, which the line search accepts at its first evaluation. From
the second on, the two-loop recursion scales d by the curvature pairs (y, s) gathered so far
(\`history\`, \`H_diag\`) and the line search accepts t = 1 each time: after six iterations θ is
[1, 1] to six digits, and the seventh finds gᵀd ≈ −5·10⁻¹³, no longer a descent worth taking
(gᵀd > −tolerance_change), and ends the step. Seven closure calls in all: the step's first,
then one per iteration.

\`\`\`text
${lbfgs.result.toString()}
\`\`\`

Source: [\`src/lab/inspect.ts\`](../../src/lab/inspect.ts) (the inspector), [\`src/lab/inspect_terms.ts\`](../../src/lab/inspect_terms.ts) (the tables by family: \`terms_*.ts\`), [\`src/optim/step_trace.ts\`](../../src/optim/step_trace.ts) (how a loop records), [\`src/optim/lbfgs_trace.ts\`](../../src/optim/lbfgs_trace.ts) (LBFGS's iterations) · tests: \`test/lab/inspect*.test.ts\`
`;
  return [{ path: "docs/lab/inspect.md", text: page }];
}
