import { no_grad } from "../autograd/grad_mode.ts";
import { Module } from "../nn/module.ts";
import { Optimizer } from "../optim/optimizer.ts";
import { tensor } from "../tensor/creation.ts";
import { Tensor } from "../methods.ts";
import { Generator, default_generator } from "../tensor/generator.ts";
import { integer, keyword, kind, nullable, number, oneOf, signature } from "../utils/signature.ts";
import { LRFinderResult } from "./lr_finder_result.ts";
import { type StepMode, rampLr, smoothLoss } from "./lr_finder_rules.ts";
import { saveTrainingState } from "./snapshot.ts";

/** A batch as the loader yields it: `[inputs, labels, …]` (anything after the labels is ignored). */
export type Batch = readonly unknown[];

/** The labels of a batch: a tensor, or class indices as plain numbers. */
export type Target = Tensor | number[];

/**
 * The loss: a loss module (`new nn.CrossEntropyLoss()`) or a function of the model's
 * output and the batch's labels, returning a scalar tensor averaged over the batch.
 */
export type LossFunction = { forward(output: Tensor, target: Target): Tensor } | { loss(output: Tensor, target: Target): Tensor }["loss"];

/** Options of {@link lr_finder}, with pytorch-lr-finder's names and defaults. */
export interface LRFinderOptions {
  /** Group 0's first rate (default: its rate in the optimizer); the other groups keep their ratio to it. */
  start_lr?: number | null;
  /** Group 0's rate on the last step (default 10). */
  end_lr?: number;
  /** Steps of the ramp (default 100); the test stops earlier if the loss diverges. */
  num_iter?: number;
  /** `"exp"` (default): a geometric ramp; `"linear"`: an arithmetic one. */
  step_mode?: StepMode;
  /** Weight of the new loss in the smoothed curve, in [0, 1) (default 0.05; 0: no smoothing). */
  smooth_f?: number;
  /** Stop once the smoothed loss exceeds this many times its best (default 5). */
  diverge_th?: number;
  /** Batches whose gradients are summed (each loss divided by this) before each step (default 1). */
  accumulation_steps?: number;
  /** If given, the loss of each step is the mean loss over this whole loader, without gradients, in eval mode. */
  val_loader?: Iterable<Batch> | null;
  /** Points at the start of the curve the suggestions ignore (default 10). */
  skip_start?: number;
  /** Points at the end of the curve the suggestions ignore (default 5). */
  skip_end?: number;
}

const iterable = kind<Iterable<Batch>>("an iterable of batches", (v) => typeof (v as { [Symbol.iterator]?: unknown } | null)?.[Symbol.iterator] === "function");

const LR_FINDER = signature("lr_finder", [
  keyword("start_lr", nullable(number), null),
  keyword("end_lr", number, 10),
  keyword("num_iter", integer, 100),
  keyword("step_mode", oneOf("exp", "linear"), "exp"),
  keyword("smooth_f", number, 0.05),
  keyword("diverge_th", number, 5),
  keyword("accumulation_steps", integer, 1),
  keyword("val_loader", nullable(iterable), null),
  keyword("skip_start", integer, 10),
  keyword("skip_end", integer, 5),
]);

/** Batches from `loader` without end: when it runs out, it is iterated again (a new epoch). */
function endless(loader: Iterable<Batch>): () => Batch {
  let it = loader[Symbol.iterator]();
  return () => {
    let next = it.next();
    if (next.done) {
      it = loader[Symbol.iterator]();
      next = it.next();
      if (next.done) throw new Error("lr_finder: the loader gave no batches");
    }
    return next.value;
  };
}

/** The inputs and labels of a batch. */
function unpack(batch: Batch): [Tensor, Target] {
  if (!Array.isArray(batch) || batch.length < 2) throw new Error("lr_finder: each batch must be an array [inputs, labels, …]");
  return [batch[0] as Tensor, batch[1] as Target];
}

/** How many samples a batch's labels hold. */
const samples = (labels: Target): number => (labels instanceof Tensor ? (labels.shape[0] ?? 1) : labels.length);

/** The loader's own generator (a DataLoader made with `generator`), if it has one. */
const generatorOf = (loader: unknown): Generator[] => {
  const g = (loader as { generator?: unknown } | null)?.generator;
  return g instanceof Generator ? [g] : [];
};

/** The parsed options, every argument checked before anything changes. */
function checkedArguments(model: Module, optimizer: Optimizer, lossFn: LossFunction, loader: Iterable<Batch>, options: LRFinderOptions) {
  if (!(model instanceof Module)) throw new TypeError("lr_finder: model must be an nn.Module");
  if (!(optimizer instanceof Optimizer)) throw new TypeError("lr_finder: optimizer must be an optim.Optimizer");
  if (typeof lossFn !== "function" && typeof (lossFn as { forward?: unknown } | null)?.forward !== "function") {
    throw new TypeError("lr_finder: lossFn must be a loss module (with forward) or a function (output, labels) => Tensor");
  }
  if (!iterable.test(loader)) throw new TypeError("lr_finder: loader must be an iterable of batches [inputs, labels]");
  const o = LR_FINDER.parse([options]);
  const groups = optimizer.param_groups;
  const lr0 = groups[0]!.lr as number;
  const start = o.start_lr ?? lr0;
  if (o.num_iter <= 1) throw new Error(`lr_finder: num_iter must be larger than 1, got ${o.num_iter}`);
  if (o.smooth_f < 0 || o.smooth_f >= 1) throw new Error(`lr_finder: smooth_f is outside the range [0, 1[, got ${o.smooth_f}`);
  if (!(o.diverge_th > 1))
    throw new Error(`lr_finder: diverge_th must be larger than 1 (the test stops when the smoothed loss exceeds diverge_th × its best), got ${o.diverge_th}`);
  if (o.accumulation_steps < 1) throw new Error(`lr_finder: accumulation_steps must be at least 1, got ${o.accumulation_steps}`);
  if (o.skip_start < 0 || o.skip_end < 0) throw new Error(`lr_finder: skip_start and skip_end must not be negative, got ${o.skip_start} and ${o.skip_end}`);
  if (groups.length > 1 && !(lr0 > 0)) {
    throw new Error(`lr_finder: group 0's lr is ${lr0}; the other groups are ramped in proportion to it, so it must be positive`);
  }
  const lowest = o.step_mode === "exp" ? "positive" : "non-negative";
  if (!(o.step_mode === "exp" ? start > 0 : start >= 0) || !Number.isFinite(start)) {
    throw new Error(
      `lr_finder: the start rate must be ${lowest} and finite in '${o.step_mode}' mode, got ${start}${o.start_lr === null ? " (group 0's lr; give start_lr)" : ""}`,
    );
  }
  if (!(o.end_lr > start) || !Number.isFinite(o.end_lr))
    throw new Error(`lr_finder: end_lr must be finite and larger than the start rate ${start}, got ${o.end_lr}`);
  return { o, groups, lr0, start };
}

/** The loss of one batch, a one-element tensor, from the model and the loss function or module. */
function lossOfBatch(model: Module, lossFn: LossFunction): (inputs: Tensor, labels: Target) => Tensor {
  return (inputs, labels) => {
    const output = model.forward(inputs) as Tensor;
    const loss = typeof lossFn === "function" ? lossFn(output, labels) : lossFn.forward(output, labels);
    if (!(loss instanceof Tensor) || loss.numel() !== 1) throw new Error("lr_finder: the loss must be a tensor with one element");
    return loss;
  };
}

/**
 * Runs Leslie Smith's learning-rate range test and gives back the model, the optimizer and
 * the random streams exactly as they were. PyTorch has no such tool (fastai's `lr_find` and
 * the pytorch-lr-finder package do); it is gradlab's, beside the mirror, and uses the
 * optimizer as it is, with its own `step`.
 *
 * For k = 0 … num_iter − 1: set every group's rate to the ramp's (group 0's ramp, each other
 * group at its ratio to group 0), call `optimizer.step(closure)` where the closure zeroes the
 * gradients, runs `accumulation_steps` batches in training mode (each loss divided by
 * `accumulation_steps`, then `backward()`) and returns their summed loss; record that loss (or,
 * with `val_loader`, the mean loss over it in eval mode, without gradients) and its smoothed
 * value, and stop once the smoothed loss passes `diverge_th` times its best or a loss is not
 * finite. The ramp, smoothing and stop rule, the three suggestions, and whose definitions they
 * follow (pytorch-lr-finder's ramp and smoothing, fastai's `minimum` and `valley`) are in
 * lr_finder_rules.ts and docs/lab/lr_finder.md.
 *
 * Afterwards, whatever happened (an exception included), every parameter and buffer holds its
 * old bits, the same tensors sit in the same slots with the same `.grad`, each module is back
 * in its mode, the optimizer has its old groups and per-parameter state (Adam's moments and
 * step counts included, in the same objects), and the default generator and the loaders'
 * generators are where they were, so training afterwards runs exactly as it would have run
 * without the test. Bad arguments throw before anything runs.
 *
 * @param model the model, called as `model.forward(inputs)`.
 * @param optimizer the optimizer whose rates are ramped (a closure is passed, so LBFGS works too).
 * @param lossFn a loss module or a function `(output, labels) => Tensor`.
 * @param loader batches `[inputs, labels]`, iterated again whenever it runs out.
 *
 * @example
 * ```ts
 * import { lab, manual_seed, nn, optim, tensor } from "gradlab";
 * manual_seed(0);
 * const model = new nn.Linear(1, 1);
 * const opt = new optim.SGD(model.parameters(), 1e-3);
 * const batches = [[tensor([[1], [2], [3]]), tensor([[2], [4], [6]])]];
 * const result = lab.lr_finder(model, opt, new nn.MSELoss(), batches, { end_lr: 10, num_iter: 50 });
 * console.log(result.lr.length < 50, result.diverged); // true true
 * console.log(opt.param_groups[0]!.lr); // 0.001
 * ```
 */
export function lr_finder(model: Module, optimizer: Optimizer, lossFn: LossFunction, loader: Iterable<Batch>, options: LRFinderOptions = {}): LRFinderResult {
  const { o, groups, lr0, start } = checkedArguments(model, optimizer, lossFn, loader, options);
  const ratios = groups.map((g, i) => (i === 0 ? 1 : (g.lr as number) / lr0));
  const restore = saveTrainingState(model, optimizer, [default_generator, ...generatorOf(loader), ...generatorOf(o.val_loader)]);
  try {
    const lossOf = lossOfBatch(model, lossFn);
    const validate = (val: Iterable<Batch>): number => {
      model.eval();
      let sum = 0;
      let count = 0;
      no_grad(() => {
        for (const batch of val) {
          const [inputs, labels] = unpack(batch);
          const n = samples(labels);
          sum += lossOf(inputs, labels).item() * n;
          count += n;
        }
      });
      if (count === 0) throw new Error("lr_finder: val_loader gave no batches");
      return sum / count;
    };
    const next = endless(loader);
    const lr: number[] = [];
    const lrs: number[][] = [];
    const loss: number[] = [];
    const smoothed: number[] = [];
    let best = Infinity;
    let stop_reason: string | null = null;
    for (let k = 0; k < o.num_iter; k++) {
      const rate = rampLr(o.step_mode, start, o.end_lr, k, o.num_iter);
      const rates = ratios.map((r) => rate * r);
      groups.forEach((g, i) => (g.lr = rates[i]!));
      const micro = Array.from({ length: o.accumulation_steps }, () => unpack(next()));
      let first: number | null = null;
      optimizer.step(() => {
        optimizer.zero_grad();
        model.train();
        let total = 0;
        for (const [inputs, labels] of micro) {
          const part = lossOf(inputs, labels).div(o.accumulation_steps);
          part.backward();
          total += part.item();
        }
        first ??= total;
        return tensor(total);
      });
      const value = o.val_loader === null ? first! : validate(o.val_loader);
      const s = smoothLoss(value, smoothed.length === 0 ? null : smoothed[smoothed.length - 1]!, o.smooth_f);
      lr.push(rate);
      lrs.push(rates);
      loss.push(value);
      smoothed.push(s);
      if (s < best) best = s;
      if (!Number.isFinite(value) || !Number.isFinite(s)) {
        stop_reason = `the loss at step ${k} is ${value}`;
        break;
      }
      if (s > o.diverge_th * best) {
        stop_reason = `the smoothed loss ${short(s)} at step ${k} passed ${o.diverge_th} × its best ${short(best)}`;
        break;
      }
    }
    return new LRFinderResult({
      lr,
      lrs,
      loss,
      smoothed,
      best_loss: best,
      diverged: stop_reason !== null,
      stop_reason,
      step_mode: o.step_mode,
      num_iter: o.num_iter,
      skip_start: o.skip_start,
      skip_end: o.skip_end,
    });
  } finally {
    restore();
  }
}

const short = (v: number): string => String(Number(v.toPrecision(4)));
