import { type Tensor, lab, optim, randn } from "gradlab";
import { lookup } from "./lookup.ts";
import type { Tf } from "./tfjs.ts";
import { figures, interleaved, num, row, secondsPerCall, section } from "./timing.ts";

/** An optimizer as the bench uses one: constructed on a list of tensors, then stepped. */
type OptimizerClass = new (params: Tensor[], options: Record<string, unknown>) => { step(): unknown };

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
  /** The same update in tfjs, or null when tfjs has none. */
  tfjs: ((tf: Tf) => TfOptimizer) | null;
}

const CASES: Case[] = [
  // Adam: reads θ, g, m, v and writes θ, m, v
  { name: "Adam", className: "Adam", file: "optim/adam.ts", options: { lr: 1e-3 }, arrays: 7, tfjs: (tf) => tf.train.adam(1e-3) },
  { name: "AdamW", className: "AdamW", file: "optim/adamw.ts", options: { lr: 1e-3 }, arrays: 7, tfjs: null },
  // SGD with momentum: reads θ, g, b and writes θ, b
  {
    name: "SGD momentum 0.9",
    className: "SGD",
    file: "optim/sgd.ts",
    options: { lr: 1e-3, momentum: 0.9 },
    arrays: 5,
    tfjs: (tf) => tf.train.momentum(1e-3, 0.9),
  },
  // RMSprop: reads θ, g, v and writes θ, v
  { name: "RMSprop", className: "RMSprop", file: "optim/rmsprop.ts", options: { lr: 1e-3 }, arrays: 5, tfjs: (tf) => tf.train.rmsprop(1e-3) },
];

/**
 * One optimizer step over a single float32 parameter of 1M and 10M elements: ns per
 * parameter, the step's memory traffic as a fraction of the triad bandwidth, and tfjs's
 * optimizer on the same sizes (`applyGradients`, which allocates its temporaries).
 */
export async function benchOptimizers(tf: Tf, bandwidth: number): Promise<void> {
  section("Optimizer step, float32                 gradlab ns/param  of bandwidth  tfjs ns/param  ratio");
  for (const c of CASES) {
    const Ctor = await lookup<OptimizerClass>(optim, c.className, c.file);
    for (const n of [1_000_000, 10_000_000]) {
      const label = `${c.name}, ${n / 1e6}M params`;
      let ours = NaN;
      if (Ctor !== undefined) {
        const p = randn([n]).requires_grad_();
        p.grad = randn([n]);
        const opt = new Ctor([p], c.options);
        ours = secondsPerCall(() => opt.step(), { trialSeconds: 0.2, trials: 3, minCalls: 2 });
      }
      let theirs = NaN;
      if (c.tfjs !== null) {
        const v = tf.variable(tf.randomNormal([n]));
        const g = tf.randomNormal([n]);
        const opt = c.tfjs(tf);
        theirs = secondsPerCall(() => opt.applyGradients([{ name: v.name, tensor: g }]), { trialSeconds: 0.2, trials: 2, minCalls: n >= 10_000_000 ? 1 : 2 });
        opt.dispose();
        v.dispose();
        g.dispose();
      }
      const fraction = (c.arrays * 4 * n) / ours / 1e9 / bandwidth;
      figures.set(`${label} ns/param`, (ours / n) * 1e9);
      row(label, num((ours / n) * 1e9, 12), num(fraction, 14, 2), num((theirs / n) * 1e9, 15), num(theirs / ours, 7, 2));
    }
  }
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
