import { type Tensor, nn, optim, randint, randn } from "gradlab";
import { lookup } from "./lookup.ts";
import { referenceMlpStep } from "./reference_mlp.ts";
import type { Tf } from "./tfjs.ts";
import { type MeasureOptions, figures, interleaved, lastWarmups, num, row, secondsPerCall, section } from "./timing.ts";
import { torchFigure } from "./torch.ts";

/** The parts of nn and optim a training step uses, found by name (see lookup.ts). */
export interface Parts {
  Sequential: new (...modules: unknown[]) => { forward(x: Tensor): Tensor; parameters(): Tensor[] };
  Linear: new (inFeatures: number, outFeatures: number) => unknown;
  ReLU: new () => unknown;
  Tanh: new () => unknown;
  CrossEntropyLoss: new () => { forward(x: Tensor, y: Tensor): Tensor };
  MSELoss: new () => { forward(x: Tensor, y: Tensor): Tensor };
  Adam: new (params: Tensor[], options: { lr: number }) => { step(): unknown; zero_grad(): void };
}

export async function findParts(): Promise<Parts | string> {
  const found = {
    Sequential: await lookup(nn, "Sequential", "nn/containers.ts"),
    Linear: await lookup(nn, "Linear", "nn/layers/linear.ts"),
    ReLU: await lookup(nn, "ReLU", "nn/layers/activation.ts"),
    Tanh: await lookup(nn, "Tanh", "nn/layers/activation.ts"),
    CrossEntropyLoss: await lookup(nn, "CrossEntropyLoss", "nn/losses/cross_entropy.ts"),
    MSELoss: await lookup(nn, "MSELoss", "nn/losses/mse.ts"),
    Adam: await lookup(optim, "Adam", "optim/adam.ts"),
  };
  const missing = Object.entries(found)
    .filter(([, v]) => v === undefined)
    .map(([k]) => k);
  return missing.length > 0 ? `missing ${missing.join(", ")}` : (found as unknown as Parts);
}

/**
 * Seconds per call of each step in interleaved rounds (bench/timing.ts), or NaN and the
 * reason when gradlab's step cannot be made (a piece still missing) or throws. The first
 * step is gradlab's, made from the parts; the others are given.
 */
function attempt(
  parts: Parts | string,
  makeStep: (parts: Parts) => () => void,
  others: (() => void)[],
  options: MeasureOptions,
): { seconds: number[]; note: string } {
  const alone = () => ({ seconds: [NaN, ...(others.length > 0 ? interleaved(others, options) : [])] });
  if (typeof parts === "string") return { ...alone(), note: `  (gradlab: ${parts})` };
  try {
    return { seconds: interleaved([makeStep(parts), ...others], options), note: "" };
  } catch (error) {
    return { ...alone(), note: `  (gradlab: ${(error as Error).message.split("\n")[0]})` };
  }
}

/** One gradlab training step of a 784-w-10 ReLU MLP on (x, y), cross-entropy, Adam, batch 128. */
export function mlpStep(
  { Sequential, Linear, ReLU, CrossEntropyLoss, Adam }: Parts,
  width: number,
  x = randn([128, 784]),
  y = randint(0, 10, [128]),
): () => void {
  const model = new Sequential(new Linear(784, width), new ReLU(), new Linear(width, 10));
  const opt = new Adam(model.parameters(), { lr: 1e-3 });
  const lossFn = new CrossEntropyLoss();
  return () => {
    opt.zero_grad();
    lossFn.forward(model.forward(x), y).backward();
    opt.step();
  };
}

/** A dense layer in tfjs: weights initialised like nn.Linear (uniform ±1/√fan_in). */
function tfDense(tf: Tf, inF: number, outF: number) {
  const bound = 1 / Math.sqrt(inF);
  return { w: tf.variable(tf.randomUniform([inF, outF], -bound, bound)), b: tf.variable(tf.randomUniform([outF], -bound, bound)) };
}

/**
 * Full training steps (zero_grad, forward, loss, backward, Adam step), gradlab beside the
 * same network, loss and optimizer in tfjs: a 784-256-10 ReLU MLP with cross-entropy at
 * batch 128, and a tiny 2-16-16-1 tanh MLP with MSE at batch 32. tfjs-core on its own
 * registers no gradients (they ship with the @tensorflow/tfjs bundle), so its backward pass
 * is written out by hand with tfjs ops: the same arithmetic autograd does, without a tape's
 * bookkeeping, which favours tfjs slightly.
 */
export async function benchTraining(tf: Tf): Promise<void> {
  section("Training step, float32, Adam  steps/s: gradlab     tfjs   ×tfjs    torch  ×torch  hand-fused  ÷hand");
  const parts = await findParts();
  benchWide(tf, parts);
  benchTiny(tf, parts);
}

const ratio = (theirs: number, ours: number) => num(theirs / ours, 8, 2);

/** The 784-256-10 ReLU MLP, cross-entropy, batch 128: gradlab, tfjs, torch. */
function benchWide(tf: Tf, parts: Parts | string): void {
  const x = randn([128, 784]);
  const y = randint(0, 10, [128]);
  const ours = attempt(parts, (found) => mlpStep(found, 256, x, y), [], { trialSeconds: 0.4, trials: 3, minCalls: 3 });

  const l1 = tfDense(tf, 784, 256);
  const l2 = tfDense(tf, 256, 10);
  const tx = tf.randomNormal([128, 784]);
  const ty = tf.oneHot(tf.tensor1d(Array.from(y.toTypedArray()), "int32"), 10);
  const tfOpt = tf.train.adam(1e-3);
  const theirs = secondsPerCall(
    () => {
      const grads = tf.tidy(() => {
        const z1 = tf.add(tf.matMul(tx, l1.w), l1.b);
        const h = tf.relu(z1);
        const z2 = tf.add(tf.matMul(h, l2.w), l2.b);
        // cross-entropy's gradient with respect to the logits: (softmax − one-hot) / batch
        const dz2 = tf.div(tf.sub(tf.softmax(z2), ty), 128);
        const dz1 = tf.mul(tf.matMul(dz2, l2.w, false, true), tf.step(z1));
        return [
          { name: l1.w.name, tensor: tf.matMul(tx, dz1, true, false) },
          { name: l1.b.name, tensor: tf.sum(dz1, 0) },
          { name: l2.w.name, tensor: tf.matMul(h, dz2, true, false) },
          { name: l2.b.name, tensor: tf.sum(dz2, 0) },
        ];
      });
      tfOpt.applyGradients(grads);
      grads.forEach((g) => g.tensor.dispose());
    },
    { trialSeconds: 0.4, trials: 3, minCalls: 3 },
  );
  const [seconds] = ours.seconds as [number];
  const torch = torchFigure("784-256-10 MLP steps/s");
  row(
    "784-256-10 MLP, batch 128",
    num(1 / seconds, 8),
    num(1 / theirs, 9),
    ratio(theirs, seconds),
    num(torch, 9),
    num(1 / seconds / torch, 8, 2),
    "      —",
    ours.note,
  );
  figures.set("784-256-10 MLP seconds/step", seconds);
  figures.set("784-256-10 MLP vs tfjs", theirs / seconds);
  figures.set("tfjs 784-256-10 MLP steps/s", 1 / theirs);
}

/**
 * The tiny 2-16-16-1 tanh MLP, MSE, batch 32: gradlab and the hand-fused loop
 * (bench/reference_mlp.ts) in interleaved rounds after at least 2 s of warm-up each, then tfjs; torch.
 */
function benchTiny(tf: Tf, parts: Parts | string): void {
  const x = randn([32, 2]);
  const y = randn([32, 1]);
  const hand = referenceMlpStep(x.toTypedArray() as Float32Array, y.toTypedArray() as Float32Array);
  // V8 needs 1–2 s (more under load) before this step's many small functions are all
  // optimised: warm 2 s at least, and until no trial has improved by 5% for 1.5 s
  const timing = { trialSeconds: 0.3, trials: 5, minCalls: 3, warmSeconds: 2, steadySeconds: 1.5 };
  const ours = attempt(
    parts,
    ({ Sequential, Linear, Tanh, MSELoss, Adam }) => {
      const model = new Sequential(new Linear(2, 16), new Tanh(), new Linear(16, 16), new Tanh(), new Linear(16, 1));
      const opt = new Adam(model.parameters(), { lr: 1e-3 });
      const lossFn = new MSELoss();
      return () => {
        opt.zero_grad();
        lossFn.forward(model.forward(x), y).backward();
        opt.step();
      };
    },
    [hand],
    timing,
  );
  const warmed = lastWarmups().map((s) => s.toFixed(1));

  const [t1, t2, t3] = [tfDense(tf, 2, 16), tfDense(tf, 16, 16), tfDense(tf, 16, 1)];
  const tx = tf.randomNormal([32, 2]);
  const ty = tf.randomNormal([32, 1]);
  const tfOpt = tf.train.adam(1e-3);
  const theirs = secondsPerCall(() => {
    const grads = tf.tidy(() => {
      const h1 = tf.tanh(tf.add(tf.matMul(tx, t1.w), t1.b));
      const h2 = tf.tanh(tf.add(tf.matMul(h1, t2.w), t2.b));
      const out = tf.add(tf.matMul(h2, t3.w), t3.b);
      // mean squared error's gradient: 2·(out − y) / N; tanh' = 1 − tanh²
      const dout = tf.mul(tf.sub(out, ty), 2 / 32);
      const dz2 = tf.mul(tf.matMul(dout, t3.w, false, true), tf.sub(1, tf.square(h2)));
      const dz1 = tf.mul(tf.matMul(dz2, t2.w, false, true), tf.sub(1, tf.square(h1)));
      return [
        { name: t1.w.name, tensor: tf.matMul(tx, dz1, true, false) },
        { name: t1.b.name, tensor: tf.sum(dz1, 0) },
        { name: t2.w.name, tensor: tf.matMul(h1, dz2, true, false) },
        { name: t2.b.name, tensor: tf.sum(dz2, 0) },
        { name: t3.w.name, tensor: tf.matMul(h2, dout, true, false) },
        { name: t3.b.name, tensor: tf.sum(dout, 0) },
      ];
    });
    tfOpt.applyGradients(grads);
    grads.forEach((g) => g.tensor.dispose());
  }, timing);
  const [seconds, handSeconds] = ours.seconds as [number, number];
  const torch = torchFigure("2-16-16-1 MLP steps/s");
  const cells = [
    num(1 / theirs, 9),
    ratio(theirs, seconds),
    num(torch, 9),
    num(1 / seconds / torch, 8, 2),
    num(1 / handSeconds, 11),
    num(seconds / handSeconds, 7, 2),
  ];
  row("2-16-16-1 MLP, batch 32", num(1 / seconds, 8), ...cells, ours.note || `  (warmed ${warmed.join(" s, ")} s)`);
  figures.set("2-16-16-1 MLP steps/s", 1 / seconds);
  figures.set("2-16-16-1 MLP vs tfjs", theirs / seconds);
  figures.set("tfjs 2-16-16-1 MLP steps/s", 1 / theirs);
  figures.set("2-16-16-1 MLP vs torch", 1 / seconds / torch);
  figures.set("2-16-16-1 MLP hand-fused steps/s", 1 / handSeconds);
  figures.set("2-16-16-1 MLP vs hand-fused", seconds / handSeconds);
}
