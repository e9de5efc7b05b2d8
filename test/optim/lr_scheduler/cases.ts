// Builds and runs the cases of test/fixtures/optim/lr_scheduler.json (written by
// tools/fixtures/lr_scheduler.py), so the tests read like the Python loop that made them.
import { libm, optim, tensor, type Tensor } from "gradlab";
import type { LRScheduler } from "../../../src/optim/lr_scheduler/lr_scheduler.ts";
import type { Optimizer } from "../../../src/optim/optimizer.ts";

/** The same functions as FUNCTIONS in tools/fixtures/lr_scheduler.py (Python's ** is libm.pow). */
export const FUNCTIONS: Record<string, (x: number) => number> = {
  warmup5_then_097: (e) => (e < 5 ? (e + 1) / 5 : libm.pow(0.97, e - 5)),
  halve_every_10: (e) => libm.pow(0.5, Math.floor(e / 10)),
  times_095: () => 0.95,
  alternate_09_102: (e) => (e % 2 === 1 ? 0.9 : 1.02),
  inverse_sqrt: (x) => 1 / Math.sqrt(x),
  decay_by_iteration: (x) => 1 / (1 + 0.01 * x),
};

export interface SchedulerSpec {
  scheduler: string;
  args?: unknown[];
  options?: Record<string, unknown>;
}

export interface Trajectory {
  lr?: number[][];
  momentum?: number[][];
  beta1?: number[][];
  last_lr?: number[][];
}

export interface SchedulerCase extends SchedulerSpec {
  name: string;
  optimizer: "SGD" | "Adam";
  groups: Array<{ lr: number }>;
  optimizer_options?: Record<string, unknown>;
  steps: number;
  metrics?: number[];
  epochs?: number[];
  record?: string[];
  source?: string;
  expected: Trajectory;
}

type SchedulerClass = new (...args: unknown[]) => LRScheduler;
const classes = optim.lr_scheduler as unknown as Record<string, SchedulerClass>;

function resolve(value: unknown, opt: Optimizer): unknown {
  if (value === "$optimizer") return opt;
  if (Array.isArray(value)) return value.map((v) => resolve(v, opt));
  if (value !== null && typeof value === "object") {
    if ("fn" in value) return FUNCTIONS[(value as { fn: string }).fn];
    if ("scheduler" in value) return build(opt, value as SchedulerSpec);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, opt)]));
  }
  return value;
}

/** `new lr_scheduler[spec.scheduler](optimizer, ...args, options)`, as the Python `build`. */
export function build(opt: Optimizer, spec: SchedulerSpec): LRScheduler {
  const cls = classes[spec.scheduler]!;
  const args = (spec.args ?? []).map((a) => resolve(a, opt));
  const options = resolve(spec.options ?? {}, opt);
  if (spec.scheduler === "ChainedScheduler") return new cls(...args, options);
  return new cls(opt, ...args, options);
}

/** The two-group optimizer of the case, over float64 parameters of sizes 3 and 2. */
export function makeOptimizer(c: SchedulerCase): { opt: Optimizer; params: Tensor[] } {
  const params = [tensor([0, 0, 0], { dtype: "float64", requires_grad: true }), tensor([0, 0], { dtype: "float64", requires_grad: true })];
  const groups = c.groups.map((g, i) => ({ params: [params[i]!], ...g }));
  const ctor = (optim as unknown as Record<string, new (p: unknown, o: unknown) => Optimizer>)[c.optimizer]!;
  return { opt: new ctor(groups, c.optimizer_options ?? {}), params };
}

function record(opt: Optimizer, c: SchedulerCase, sched: LRScheduler, out: Required<Trajectory>): void {
  const groups = opt.param_groups as unknown as Array<Record<string, unknown>>;
  out.lr.push(groups.map((g) => g.lr as number));
  if (c.record?.includes("momentum")) out.momentum.push(groups.map((g) => g.momentum as number));
  if (c.record?.includes("beta1")) out.beta1.push(groups.map((g) => (g.betas as number[])[0]!));
  if (c.record?.includes("last_lr")) out.last_lr.push(sched.get_last_lr().slice());
}

/** Runs steps [from, to) of the standard loop: optimizer.step(), then scheduler.step(). */
export function runSteps(c: SchedulerCase, opt: Optimizer, params: Tensor[], sched: LRScheduler, from: number, to: number, out: Required<Trajectory>): void {
  for (let i = from; i < to; i++) {
    for (const p of params) p.grad = tensor(new Array<number>(p.numel()).fill(1), { dtype: "float64" });
    opt.step();
    if (c.metrics) (sched.step as (m: number) => void)(c.metrics[i]!);
    else if (c.epochs) sched.step(c.epochs[i]);
    else sched.step();
    record(opt, c, sched, out);
  }
}

const empty = (): Required<Trajectory> => ({ lr: [], momentum: [], beta1: [], last_lr: [] });

/** Only the keys the fixture recorded. */
function pick(t: Required<Trajectory>, expected: Trajectory): Trajectory {
  return Object.fromEntries(Object.keys(expected).map((k) => [k, t[k as keyof Trajectory]]));
}

/** The whole run: the groups after construction (except for ReduceLROnPlateau), then after each step. */
export function runCase(c: SchedulerCase): Trajectory {
  const { opt, params } = makeOptimizer(c);
  const sched = build(opt, c);
  const out = empty();
  if (!c.record?.includes("last_lr")) record(opt, c, sched, out);
  runSteps(c, opt, params, sched, 0, c.steps, out);
  return pick(out, c.expected);
}

/**
 * Runs `k` steps, saves optimizer and scheduler through JSON, builds both afresh, loads the
 * saved states and runs the remaining steps: returns the rows recorded after resuming.
 */
export function resumeThroughJson(c: SchedulerCase, k: number): Trajectory {
  const first = makeOptimizer(c);
  const sched = build(first.opt, c);
  runSteps(c, first.opt, first.params, sched, 0, k, empty());
  const savedOpt = JSON.parse(JSON.stringify(first.opt.state_dict()));
  const savedSched = JSON.parse(JSON.stringify(sched.state_dict()));
  const second = makeOptimizer(c);
  const resumed = build(second.opt, c);
  second.opt.load_state_dict(savedOpt);
  resumed.load_state_dict(savedSched);
  const out = empty();
  runSteps(c, second.opt, second.params, resumed, k, c.steps, out);
  return pick(out, c.expected);
}
