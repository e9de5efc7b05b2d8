import { type Tensor, lab, optim, randn } from "gradlab";
import { lookup } from "./lookup.ts";
import { referenceAdam, referenceAdamExact } from "./reference_adam.ts";
import { referenceSgd } from "./reference_sgd.ts";
import type { Tf } from "./tfjs.ts";
import { torchFigure } from "./torch.ts";
import { figures, interleaved, num, row, secondsPerCall, section } from "./timing.ts";

/** An optimizer as the bench uses one: constructed on a list of tensors, then stepped. */
export type OptimizerClass = new (params: Tensor[], options: Record<string, unknown>) => { step(): unknown };

/** The part of a tfjs optimizer (`tf.train.Optimizer`) the bench uses. */
interface TfOptimizer {
  applyGradients(gradients: { name: string; tensor: ReturnType<Tf["randomNormal"]> }[]): void;
  dispose(): void;
}

interface Case {
  name: string;
  className: string;
  file: string;
  options: Record<string, unknown>;
  /** float32 arrays read or written per parameter per step (param, grad, state …), × 4 bytes. */
  arrays: number;
  /** The hand-fused loop it is measured against (bench/targets.ts): Adam's for the Adam family. */
  reference: "Adam" | "SGD";
  /** Also measured against the exact hand loop (referenceAdamExact: PyTorch's float32 roundings), Adam only. */
  exact?: boolean;
  /** Parameter counts it is measured at (torch has figures at 1M and 10M for the first four). */
  sizes: number[];
  /** The same update in tfjs, or null when tfjs has none. */
  tfjs: ((tf: Tf) => TfOptimizer) | null;
}

const BOTH = [1_000_000, 10_000_000];
const CASES: Case[] = [
  // Adam: reads θ, g, m, v and writes θ, m, v
  {
    name: "Adam",
    className: "Adam",
    file: "optim/adam.ts",
    options: { lr: 1e-3 },
    arrays: 7,
    reference: "Adam",
    exact: true,
    sizes: BOTH,
    tfjs: (tf) => tf.train.adam(1e-3),
  },
  { name: "AdamW", className: "AdamW", file: "optim/adamw.ts", options: { lr: 1e-3 }, arrays: 7, reference: "Adam", sizes: BOTH, tfjs: null },
  // SGD with momentum: reads θ, g, b and writes θ, b
  {
    name: "SGD momentum 0.9",
    className: "SGD",
    file: "optim/sgd.ts",
    options: { lr: 1e-3, momentum: 0.9 },
    arrays: 5,
    reference: "SGD",
    sizes: BOTH,
    tfjs: (tf) => tf.train.momentum(1e-3, 0.9),
  },
  // RMSprop: reads θ, g, v and writes θ, v
  {
    name: "RMSprop",
    className: "RMSprop",
    file: "optim/rmsprop.ts",
    options: { lr: 1e-3 },
    arrays: 5,
    reference: "Adam",
    sizes: BOTH,
    tfjs: (tf) => tf.train.rmsprop(1e-3),
  },
  // the rest of the "≤ 4 ns/param" family, at the target's size only
  { name: "NAdam", className: "NAdam", file: "optim/nadam.ts", options: { lr: 1e-3 }, arrays: 7, reference: "Adam", sizes: [10_000_000], tfjs: null },
  { name: "RAdam", className: "RAdam", file: "optim/radam.ts", options: { lr: 1e-3 }, arrays: 7, reference: "Adam", sizes: [10_000_000], tfjs: null },
  { name: "Adamax", className: "Adamax", file: "optim/adamax.ts", options: { lr: 1e-3 }, arrays: 7, reference: "Adam", sizes: [10_000_000], tfjs: null },
];

/** A parameter's first values and its gradient for each size, made once (randn of 10M numbers takes a second under load). */
const inputs = new Map<number, { theta: Tensor; grad: Tensor }>();

/** A gradlab optimizer's step over one float32 parameter of n elements with a fixed gradient (copies of shared random ones). */
export function gradlabStep(Ctor: OptimizerClass, n: number, options: Record<string, unknown>): () => void {
  let made = inputs.get(n);
  if (made === undefined) inputs.set(n, (made = { theta: randn([n]), grad: randn([n]) }));
  const p = made.theta.clone().requires_grad_();
  p.grad = made.grad.clone();
  const opt = new Ctor([p], options);
  return () => opt.step();
}

const referenceStep = (kind: "Adam" | "SGD", n: number): (() => void) => (kind === "Adam" ? referenceAdam(n) : referenceSgd(n));

/**
 * Steps each hand-written reference a few hundred times at a small size, so that every
 * measured instance runs the same code: V8's regular compile of the step, made with full
 * feedback. Otherwise the first instance measured runs the code V8 compiled on stack
 * replacement in the middle of its first, long loop, specialised to that one closure's
 * arrays, and keeps running it: seen here as the hand-fused Adam at 3.6 ns/param for its
 * first instance and 7.0 for every later one at 1M, and the exact loop at 90–100 ns/param
 * instead of 17 when it is the first to run.
 */
export function primeReferences(): void {
  for (const make of [referenceAdam, referenceAdamExact, referenceSgd]) {
    const step = make(4096);
    for (let i = 0; i < 300; i++) step();
  }
}

/** Seconds per step of tfjs's optimizer (`applyGradients`, which allocates its temporaries). */
function tfjsSeconds(tf: Tf, make: (tf: Tf) => TfOptimizer, n: number): number {
  const v = tf.variable(tf.randomNormal([n]));
  const g = tf.randomNormal([n]);
  const opt = make(tf);
  const seconds = secondsPerCall(() => opt.applyGradients([{ name: v.name, tensor: g }]), { trialSeconds: 0.2, trials: 2 });
  opt.dispose();
  v.dispose();
  g.dispose();
  return seconds;
}

/**
 * One optimizer step over a single float32 parameter of 1M and 10M elements: gradlab's
 * ns per parameter beside the hand-fused loop it is held to (bench/reference_adam.ts or
 * reference_sgd.ts) and, for Adam, the exact hand loop (referenceAdamExact: PyTorch's
 * float32 roundings in one plain loop, the same bits as gradlab's), all in interleaved
 * rounds; the step's memory traffic as a fraction of the triad bandwidth, tfjs's optimizer
 * (at 1M only: at 10M one tfjs step takes seconds, and its ns/param is the same), and
 * torch's figure from its run before this one. ÷hand and ÷exact are gradlab's time over
 * the loop's: hand-fused ÷ exact is what exact rounding costs, ÷exact what gradlab adds.
 */
export async function benchOptimizers(tf: Tf, bandwidth: number): Promise<void> {
  section("Optimizer step, float32     ns/param: gradlab   hand-fused  ÷hand  exact hand  ÷exact  of bandwidth   tfjs   ×tfjs    torch");
  primeReferences();
  for (const c of CASES) {
    const Ctor = await lookup<OptimizerClass>(optim, c.className, c.file);
    for (const n of c.sizes) {
      const label = `${c.name}, ${n / 1e6}M params`;
      // at 10M one step is a long trial already (0.1–0.5 s): one call per trial at least
      const timing = { trialSeconds: 0.2, trials: 3, minCalls: n >= 10_000_000 ? 1 : 2, maxWarmSeconds: 2 };
      const references = [referenceStep(c.reference, n), ...(c.exact === true ? [referenceAdamExact(n)] : [])];
      const [ours, theirs, exact = NaN] =
        Ctor !== undefined ? interleaved([gradlabStep(Ctor, n, c.options), ...references], timing) : [NaN, ...interleaved(references, timing)];
      const tfjs = c.tfjs !== null && n < 10_000_000 ? tfjsSeconds(tf, c.tfjs, n) : NaN;
      const fraction = (c.arrays * 4 * n) / ours! / 1e9 / bandwidth;
      const ns = (s: number) => (s / n) * 1e9;
      figures.set(`${c.name} ${n} ns/param`, ns(ours!));
      figures.set(`tfjs ${c.name} ${n} ns/param`, ns(tfjs));
      figures.set(`hand ${c.reference} ${n} ns/param, beside ${c.name}`, ns(theirs!));
      if (c.exact === true) figures.set(`exact hand Adam ${n} ns/param`, ns(exact));
      const torch = torchFigure(`${c.name} ${n} ns/param`);
      row(
        label,
        num(ns(ours!), 8),
        num(ns(theirs!), 12),
        num(ours! / theirs!, 7, 2),
        c.exact === true ? num(ns(exact), 12) : "—".padStart(12),
        c.exact === true ? num(ours! / exact, 8, 2) : "—".padStart(8),
        num(fraction, 14, 2),
        num(ns(tfjs), 7),
        num(tfjs / ours!, 8, 2),
        num(torch, 9),
      );
    }
  }
}

/**
 * The "every other optimizer within 2× of Adam": each remaining elementwise
 * optimizer's step at 1M float32 parameters over Adam's, in interleaved rounds. Left out:
 * LBFGS (a closure-driven line search, not a per-element step), SparseAdam (sparse
 * gradients) and Muon (2-D parameters, Newton–Schulz matmuls).
 */
export async function benchOtherOptimizers(): Promise<void> {
  section("Other optimizers, 1M params  ns/param: gradlab       Adam   ÷Adam");
  const n = 1_000_000;
  const others: [string, Record<string, unknown>][] = [
    ["SGD", { lr: 1e-3 }],
    ["Adagrad", { lr: 1e-2 }],
    ["Adadelta", {}],
    ["ASGD", { lr: 1e-2 }],
    ["Rprop", { lr: 1e-2 }],
    ["Adafactor", { lr: 1e-2 }],
  ];
  const adam = gradlabStep(optim.Adam as unknown as OptimizerClass, n, { lr: 1e-3 });
  let worst = 0;
  for (const [name, options] of others) {
    const Ctor = await lookup<OptimizerClass>(optim, name, `optim/${name.toLowerCase()}.ts`);
    if (Ctor === undefined) continue;
    const [ours, base] = interleaved([gradlabStep(Ctor, n, options), adam], { trialSeconds: 0.1, trials: 3, minCalls: 2 });
    worst = Math.max(worst, ours! / base!);
    row(name, num((ours! / n) * 1e9, 8), num((base! / n) * 1e9, 11), num(ours! / base!, 8, 2));
  }
  figures.set("other optimizers, worst ratio to Adam", worst === 0 ? NaN : worst);
}

/** The part of `lab.inspect` the bench uses (it may be missing in an older tree). */
type Inspect = (optimizer: unknown, options: { indices: number[] }) => { close(): void };

/**
 * Issue 15's cost of watching: a 10M-parameter float32 Adam step with `lab.inspect`
 * watching 8 elements, against the same step unwatched, in interleaved rounds.
 */
export async function benchInspect(): Promise<void> {
  section("Step inspector (lab.inspect)            watched / unwatched");
  const inspect = await lookup<Inspect>(lab, "inspect", "lab/inspect.ts");
  const n = 10_000_000;
  const make = () => {
    const p = randn([n]).requires_grad_();
    p.grad = randn([n]);
    return new optim.Adam([p], { lr: 1e-3 });
  };
  const plain = make();
  const watched = make();
  let ratio = NaN;
  if (inspect !== undefined) {
    const watch = inspect(watched, { indices: [0, 1, 2, 3, n / 2, n - 3, n - 2, n - 1] });
    const [untraced, traced] = interleaved([() => plain.step(), () => watched.step()], { trialSeconds: 0.3, trials: 5, minCalls: 2 });
    watch.close();
    ratio = traced! / untraced!;
  }
  figures.set("inspect 8 of 10M, ratio", ratio);
  row("Adam, 10M params, 8 elements watched", num(ratio, 12, 3));
}
