/**
 * Runs the trajectory cases written by tools/fixtures/optim_b_common.py (Adadelta, RMSprop,
 * Rprop, ASGD, Adafactor, Muon): build the parameters and groups, then for each step set
 * every gradient from the fixture (null where the case has none), apply the hand-made lr
 * change, step, and record the parameters.
 */
import { type DType, type Tensor, tensor } from "gradlab";

/** One case of a trajectory fixture (see tools/fixtures/optim_b_common.py). */
export interface TrajectoryCase {
  name: string;
  dtype: "float32" | "float64";
  defaults: Record<string, unknown>;
  groups: ({ params: number[] } & Record<string, unknown>)[];
  shapes: number[][];
  init: number[][];
  grads: (number[] | null)[][];
  lr_change: { step: number; group: number; lr: number } | null;
  expected: number[][][];
  /** Optimizer state after every step, [step][param][key] (ASGD's eta, mu, ax). */
  state?: Record<string, number[]>[][];
  /** torch 1.13's trajectory where it differs from current PyTorch in the last bits. */
  torch113?: number[][][];
  source?: string;
}

/** What the runner needs of an optimizer: the public surface every torch.optim class has. */
export interface SteppableOptimizer {
  param_groups: Record<string, unknown>[];
  state: Map<Tensor, object>;
  step(closure?: () => Tensor): unknown;
  state_dict(): unknown;
  load_state_dict(state_dict: never): void;
}

export type GroupSpec = { params: Tensor[] } & Record<string, unknown>;
export type MakeOptimizer = (groups: GroupSpec[], options: Record<string, unknown>) => SteppableOptimizer;

/** The case's parameters, fresh leaves that require grad. */
export function makeParams(c: TrajectoryCase): Tensor[] {
  return c.init.map((values, i) =>
    tensor(values, { dtype: c.dtype as DType })
      .reshape(c.shapes[i]!)
      .detach()
      .requires_grad_(),
  );
}

/** The case's param groups over `params`, with the fixture's per-group overrides. */
export const makeGroups = (c: TrajectoryCase, params: Tensor[]): GroupSpec[] =>
  c.groups.map(({ params: indices, ...overrides }) => ({ ...overrides, params: indices.map((i) => params[i]!) }));

/** Runs steps [from, to) of the case on `opt`; returns the flat parameters after each. */
export function runSteps(c: TrajectoryCase, opt: SteppableOptimizer, params: Tensor[], from = 0, to = c.grads.length): number[][][] {
  const out: number[][][] = [];
  for (let k = from; k < to; k++) {
    if (c.lr_change !== null && c.lr_change.step === k) opt.param_groups[c.lr_change.group]!.lr = c.lr_change.lr;
    c.grads[k]!.forEach((g, i) => {
      params[i]!.grad = g === null ? null : tensor(g, { dtype: c.dtype as DType }).reshape(c.shapes[i]!);
    });
    opt.step();
    out.push(params.map((p) => Array.from(p.toTypedArray())));
  }
  return out;
}

/** The whole case from a fresh optimizer. */
export function runCase(make: MakeOptimizer, c: TrajectoryCase): { trajectory: number[][][]; opt: SteppableOptimizer; params: Tensor[] } {
  const params = makeParams(c);
  const opt = make(makeGroups(c, params), c.defaults);
  return { trajectory: runSteps(c, opt, params), opt, params };
}

/**
 * Runs `split` steps, saves state_dict through JSON, loads it into a fresh optimizer over
 * the same parameters and runs the rest; returns that trajectory beside the uninterrupted one.
 */
export function resumeThroughJson(make: MakeOptimizer, c: TrajectoryCase, split: number): { resumed: number[][][]; straight: number[][][] } {
  const straight = runCase(make, c).trajectory;
  const params = makeParams(c);
  const first = make(makeGroups(c, params), c.defaults);
  const head = runSteps(c, first, params, 0, split);
  const saved = JSON.parse(JSON.stringify(first.state_dict())) as never;
  const second = make(makeGroups(c, params), c.defaults);
  second.load_state_dict(saved);
  return { resumed: [...head, ...runSteps(c, second, params, split)], straight };
}

/** Runs `fn` and asserts it throws `message` (a TypeError or Error with exactly that text). */
export function expectThrows(fn: () => unknown, message: string): void {
  let thrown: unknown = null;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  if (!(thrown instanceof Error)) throw new Error(`expected the error "${message}", but nothing was thrown`);
  if (thrown.message !== message) throw new Error(`expected the error "${message}", got "${thrown.message}"`);
}
