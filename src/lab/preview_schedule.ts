import { Optimizer } from "../optim/optimizer.ts";
import { Adam } from "../optim/adam.ts";
import { AdamW } from "../optim/adamw.ts";
import { NAdam } from "../optim/nadam.ts";
import { RAdam } from "../optim/radam.ts";
import { RMSprop } from "../optim/rmsprop.ts";
import { SGD } from "../optim/sgd.ts";
import type { LRScheduler, SchedulerParamGroup } from "../optim/lr_scheduler/lr_scheduler.ts";
import { ReduceLROnPlateau } from "../optim/lr_scheduler/reduce_lr_on_plateau.ts";
import { SequentialLR } from "../optim/lr_scheduler/sequential_lr.ts";
import { terminalChart } from "../plotting/terminal.ts";
import { zeros } from "../tensor/creation.ts";

/** The optimizers a preview can run on (the ones learning-rate schedules are used with). */
const OPTIMIZERS = { SGD, Adam, AdamW, NAdam, RAdam, RMSprop } as const;

/** One parameter group of the throwaway optimizer: its `lr` and any other option of it. */
export interface PreviewGroup {
  lr: number;
  [option: string]: unknown;
}

/**
 * Anything with a `step()` the loop calls: a scheduler, or your own object that steps or
 * replaces schedulers (switching schedulers by hand).
 */
export interface Stepper {
  step(): void;
}

/** One or several steppers. */
export type Steppers = LRScheduler | Stepper | readonly (LRScheduler | Stepper)[];

/**
 * What `makeScheduler` returns: one scheduler (or composition, or {@link Stepper}), stepped
 * after every optimizer step, or steppers at two cadences, after every batch and after
 * every epoch of `steps_per_epoch` batches.
 */
export type PreviewSchedule = LRScheduler | Stepper | { per_batch?: Steppers; per_epoch?: Steppers };

/** Options of {@link preview_schedule}. */
export interface PreviewScheduleOptions {
  /** How many optimizer steps (batches) to run. */
  steps: number;
  /** The throwaway optimizer's param groups (default one group with lr 0.1). */
  groups?: readonly PreviewGroup[];
  /** Batches per epoch: `per_epoch` schedulers and ReduceLROnPlateau step after each epoch (default 1). */
  steps_per_epoch?: number;
  /** ReduceLROnPlateau's metric for each epoch: an array, or a function of the epoch. */
  metrics?: readonly number[] | ((epoch: number) => number);
  /** The throwaway optimizer (default `"SGD"`, with PyTorch's defaults: no momentum). */
  optimizer?: keyof typeof OPTIMIZERS;
}

/** A point of the schedule where something other than the usual step happened. */
export type ScheduleEvent =
  | {
      kind: "switch";
      /** The first step that runs under the new scheduler. */
      step: number;
      epoch: number;
      /** The SequentialLR's schedulers' index and class name now in charge. */
      index: number;
      to: string;
    }
  | {
      kind: "plateau";
      /** The first step that runs at the reduced rate. */
      step: number;
      /** The epoch whose metric triggered the reduction. */
      epoch: number;
      from: number[];
      to: number[];
    };

/** Options of {@link SchedulePreview.toSVG}. */
export interface ScheduleSVGOptions {
  title?: string;
  /** Draw the learning rate (default) or the cycled momentum. */
  quantity?: "lr" | "momentum";
  xlabel?: string;
  /** Draw the switches and plateau reductions as vertical lines (default true). */
  events?: boolean;
  width?: number;
  height?: number;
}

/**
 * The learning rate (and cycled momentum) of every parameter group at every step of a
 * schedule, as {@link preview_schedule} returns it. Its fields are plain data
 * (`JSON.stringify` gives them all); `toString()` draws a terminal chart and `toSVG()` a figure.
 */
export class SchedulePreview {
  /** `lr[k][i]`: the learning rate group i used at step k (what `get_last_lr()` returned before it). */
  readonly lr: number[][];
  /** `momentum[k][i]`, where the schedule changes it (CyclicLR, OneCycleLR); otherwise null. */
  readonly momentum: number[][] | null;
  /** The option `momentum` holds: SGD's `momentum`, or `betas[0]` for Adam-like optimizers. */
  readonly momentum_key: "momentum" | "betas[0]" | null;
  /** Where a SequentialLR switched and where a ReduceLROnPlateau reduced, in step order. */
  readonly events: ScheduleEvent[];
  readonly steps_per_epoch: number;

  constructor(data: Pick<SchedulePreview, "lr" | "momentum" | "momentum_key" | "events" | "steps_per_epoch">) {
    this.lr = data.lr;
    this.momentum = data.momentum;
    this.momentum_key = data.momentum_key;
    this.events = data.events;
    this.steps_per_epoch = data.steps_per_epoch;
  }

  /** The values of one group at every step: its lr, or its momentum. */
  group(i: number, quantity: "lr" | "momentum" = "lr"): number[] {
    const rows = quantity === "lr" ? this.lr : this.momentum;
    if (rows === null) throw new Error("this schedule does not change the momentum");
    return rows.map((row) => row[i]!);
  }

  /** A terminal chart of each group's learning rate, with the events listed below it. */
  toString(): string {
    const groups = this.lr[0]?.length ?? 0;
    const lines = [
      terminalChart(
        Array.from({ length: groups }, (_, i) => this.group(i)),
        { height: 10 },
      ),
    ];
    lines.push(`${this.lr.length} steps${this.steps_per_epoch > 1 ? ` (${this.steps_per_epoch} per epoch)` : ""}, ${groups} group${groups === 1 ? "" : "s"}`);
    if (this.momentum !== null) {
      const m = this.group(0, "momentum");
      lines.push(`${this.momentum_key} cycles between ${Math.min(...m)} and ${Math.max(...m)}`);
    }
    for (const e of this.events) lines.push(describeEvent(e));
    return lines.join("\n");
  }

  /** The schedule as an SVG string (Vega-Lite, loaded on first use), one line per group. */
  async toSVG(options: ScheduleSVGOptions = {}): Promise<string> {
    const { lineChart } = await import("../plotting/line_chart.ts");
    const quantity = options.quantity ?? "lr";
    const rows = quantity === "lr" ? this.lr : this.momentum;
    if (rows === null) throw new Error("this schedule does not change the momentum");
    const groups = rows[0]?.length ?? 0;
    const name = quantity === "lr" ? "lr" : this.momentum_key!;
    const x = rows.map((_, k) => k);
    const series = Array.from({ length: groups }, (_, i) => ({ name: groups === 1 ? name : `group ${i} ${name}`, x, y: rows.map((r) => r[i]!) }));
    if (options.events ?? true) {
      const all = rows.flat();
      const [lo, hi] = [Math.min(...all), Math.max(...all)];
      for (const e of this.events) series.push({ name: describeEvent(e), x: [e.step, e.step], y: [lo, hi] });
    }
    return lineChart(series, {
      title: options.title,
      xlabel: options.xlabel ?? (this.steps_per_epoch > 1 ? "step (batch)" : "step"),
      ylabel: quantity === "lr" ? "learning rate" : name,
      width: options.width,
      height: options.height,
    });
  }
}

const describeEvent = (e: ScheduleEvent): string =>
  e.kind === "switch"
    ? `step ${e.step}: SequentialLR switches to ${e.to} (scheduler ${e.index})`
    : `step ${e.step}: ReduceLROnPlateau cuts lr ${e.from.map(short).join(", ")} → ${e.to.map(short).join(", ")} after epoch ${e.epoch}`;
const short = (v: number): string => String(Number(v.toPrecision(6)));

/** Every SequentialLR inside `s`, through nested SequentialLR and ChainedScheduler. */
function sequentials(s: LRScheduler): SequentialLR[] {
  const inner = "_schedulers" in s ? (s as SequentialLR)._schedulers.flatMap(sequentials) : [];
  return s instanceof SequentialLR ? [s, ...inner] : inner;
}

/** The index of the scheduler a SequentialLR has in charge (bisect_right on its milestones). */
const activeIndex = (s: SequentialLR): number => s._milestones.filter((m) => m <= s.last_epoch).length;

const asList = (s: Steppers | undefined): Stepper[] => (s === undefined ? [] : Array.isArray(s) ? [...(s as readonly Stepper[])] : [s as Stepper]);

/** True for a scheduler (it holds an optimizer), false for another stepper. */
const isScheduler = (s: Stepper): s is LRScheduler => "optimizer" in s && "last_epoch" in s;

/**
 * Runs a learning-rate schedule on a throwaway optimizer and returns the rate of every
 * parameter group at every step, the momentum where the schedule cycles it, and the steps
 * where a SequentialLR switched or a ReduceLROnPlateau reduced. PyTorch has no such tool:
 * it is gradlab's, beside the mirror, and changes nothing in how a scheduler behaves.
 *
 * The loop is the standard one: before step k the groups' rates are recorded (what
 * `get_last_lr()` returns then), then `optimizer.step()`, then `step()` of each
 * `per_batch` scheduler (or of the one scheduler returned); after every `steps_per_epoch`
 * steps, `step()` of each `per_epoch` scheduler, and `step(metrics[epoch])` of a
 * ReduceLROnPlateau wherever it is given. The optimizer's parameters have no gradient, so
 * its steps change nothing but let the schedulers see a real training loop.
 *
 * @param makeScheduler builds the schedule on the optimizer it is given.
 *
 * @example
 * ```ts
 * import { lab, optim } from "gradlab";
 * const S = optim.lr_scheduler;
 * const preview = lab.preview_schedule(
 *   (opt) => new S.SequentialLR(opt, [new S.ExponentialLR(opt, 0.5), new S.StepLR(opt, 2)], [3]),
 *   { steps: 6, groups: [{ lr: 0.8 }] },
 * );
 * console.log(preview.group(0)); // [0.8, 0.4, 0.2, 0.8, 0.8, 0.08000000000000002]
 * console.log(preview.events); // [{"kind":"switch","step":3,"epoch":3,"index":1,"to":"StepLR"}]
 * ```
 */
export function preview_schedule(makeScheduler: (optimizer: Optimizer) => PreviewSchedule, options: PreviewScheduleOptions): SchedulePreview {
  const { steps, groups = [{ lr: 0.1 }], steps_per_epoch = 1, metrics, optimizer = "SGD" } = options;
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`preview_schedule: steps must be a non-negative integer, got ${steps}`);
  if (!Number.isInteger(steps_per_epoch) || steps_per_epoch < 1) {
    throw new Error(`preview_schedule: steps_per_epoch must be a positive integer, got ${steps_per_epoch}`);
  }
  if (groups.length < 1) throw new Error("preview_schedule: groups must hold at least one param group");
  const Ctor = OPTIMIZERS[optimizer];
  if (Ctor === undefined) throw new Error(`preview_schedule: optimizer must be one of ${Object.keys(OPTIMIZERS).join(", ")}, got ${optimizer}`);
  const opt: Optimizer = new Ctor(groups.map((g) => ({ ...g, params: [zeros(1, { requires_grad: true })] })) as never);
  const made = makeScheduler(opt);
  const schedule: { per_batch?: Steppers; per_epoch?: Steppers } =
    typeof (made as Stepper).step === "function" ? { per_batch: made as Stepper } : (made as { per_batch?: Steppers; per_epoch?: Steppers });
  const perBatch = asList(schedule.per_batch);
  const perEpoch = asList(schedule.per_epoch);
  const all = [...perBatch, ...perEpoch];
  for (const s of all) {
    if (typeof s?.step !== "function")
      throw new Error("preview_schedule: makeScheduler must return a scheduler, an object with step(), or { per_batch, per_epoch } of them");
    if (isScheduler(s) && s.optimizer !== opt) throw new Error("preview_schedule: every scheduler must be made on the optimizer makeScheduler is given");
  }
  const epochs = Math.floor(steps / steps_per_epoch);
  const metricAt = (epoch: number): number => {
    if (typeof metrics === "function") return metrics(epoch);
    if (metrics === undefined || epoch >= metrics.length) {
      throw new Error(`preview_schedule: ReduceLROnPlateau needs a metric for each of the ${epochs} epochs (metrics: an array or a function of the epoch)`);
    }
    return metrics[epoch]!;
  };
  if (all.some((s) => s instanceof ReduceLROnPlateau) && typeof metrics !== "function") metricAt(epochs - 1);

  const paramGroups = opt.param_groups as SchedulerParamGroup[];
  const momentum_key = "betas" in opt.defaults ? "betas[0]" : "momentum" in opt.defaults ? "momentum" : null;
  const readMomentum = (g: SchedulerParamGroup): number => (momentum_key === "betas[0]" ? (g.betas as number[])[0]! : (g.momentum as number));
  const lr: number[][] = [];
  const momentum: number[][] = [];
  const events: ScheduleEvent[] = [];
  const watched = all.filter(isScheduler).flatMap(sequentials);
  const stepOne = (s: Stepper, epoch: number, at: number): void => {
    if (!(s instanceof ReduceLROnPlateau)) return s.step();
    const before = paramGroups.map((g) => g.lr);
    s.step(metricAt(epoch));
    const after = paramGroups.map((g) => g.lr);
    if (after.some((v, i) => v !== before[i])) events.push({ kind: "plateau", step: at, epoch, from: before, to: after });
  };
  for (let k = 0; k < steps; k++) {
    lr.push(paramGroups.map((g) => g.lr));
    if (momentum_key !== null) momentum.push(paramGroups.map(readMomentum));
    const active = watched.map(activeIndex);
    opt.step();
    const epochEnds = (k + 1) % steps_per_epoch === 0;
    const epoch = Math.floor(k / steps_per_epoch);
    for (const s of perBatch) stepOne(s, epoch, k + 1);
    if (epochEnds) for (const s of perEpoch) stepOne(s, epoch, k + 1);
    watched.forEach((s, j) => {
      const index = activeIndex(s);
      if (index !== active[j]) events.push({ kind: "switch", step: k + 1, epoch: s.last_epoch, index, to: s._schedulers[index]!.constructor.name });
    });
  }
  const cycles = momentum.some((row) => row.some((v, i) => v !== momentum[0]![i]));
  return new SchedulePreview({
    lr,
    momentum: cycles ? momentum : null,
    momentum_key: cycles ? momentum_key : null,
    events: events.filter((e) => e.step < steps),
    steps_per_epoch,
  });
}
