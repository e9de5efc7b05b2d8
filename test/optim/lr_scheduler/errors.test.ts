import { describe, expect, it } from "vitest";
import { optim, tensor } from "gradlab";
import { Adadelta } from "../../../src/optim/adadelta.ts";
import type { Optimizer } from "../../../src/optim/optimizer.ts";
import { snapshot, twoGroups } from "./helpers.ts";

const S = optim.lr_scheduler;
const noMomentum = (): Optimizer => new Adadelta([tensor([1], { requires_grad: true })]) as unknown as Optimizer;
const WRONG_MILESTONES =
  "Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, " +
  "but got number of schedulers 2 and the number of milestones to be equal to 2";
const NO_MOMENTUM = "optimizer must support momentum or beta1 with `cycle_momentum` option enabled";

// Messages: current PyTorch's torch/optim/lr_scheduler.py. `prepare` makes what the call
// needs (sub-schedulers change the groups themselves), then returns the failing call.
const cases: Array<{ name: string; message: string; make?: () => Optimizer; prepare: (opt: Optimizer) => () => unknown }> = [
  {
    name: "OneCycleLR without total_steps or epochs",
    message: "You must define either total_steps OR (epochs AND steps_per_epoch)",
    prepare: (o) => () => new S.OneCycleLR(o, 0.1),
  },
  {
    name: "OneCycleLR with epochs but no steps_per_epoch",
    message: "You must define either total_steps OR (epochs AND steps_per_epoch)",
    prepare: (o) => () => new S.OneCycleLR(o, 0.1, { epochs: 3 }),
  },
  {
    name: "OneCycleLR with total_steps 0",
    message: "Expected positive integer total_steps, but got 0",
    prepare: (o) => () => new S.OneCycleLR(o, 0.1, { total_steps: 0 }),
  },
  {
    name: "OneCycleLR with epochs 0",
    message: "Expected positive integer epochs, but got 0",
    prepare: (o) => () => new S.OneCycleLR(o, 0.1, { epochs: 0, steps_per_epoch: 4 }),
  },
  {
    name: "OneCycleLR with fractional steps_per_epoch",
    message: "Expected positive integer steps_per_epoch, but got 2.5",
    prepare: (o) => () => new S.OneCycleLR(o, 0.1, { epochs: 2, steps_per_epoch: 2.5 }),
  },
  {
    name: "OneCycleLR with pct_start 1.5",
    message: "Expected float between 0 and 1 pct_start, but got 1.5",
    prepare: (o) => () => new S.OneCycleLR(o, 0.1, { total_steps: 10, pct_start: 1.5 }),
  },
  {
    name: "OneCycleLR with an unknown anneal_strategy",
    message: "anneal_strategy must be one of 'cos' or 'linear', instead got exp",
    prepare: (o) => () => new S.OneCycleLR(o, 0.1, { total_steps: 10, anneal_strategy: "exp" as "cos" }),
  },
  {
    name: "OneCycleLR with three max_lrs for two groups",
    message: "max_lr must have the same length as optimizer.param_groups. max_lr has 3 values, param_groups has 2.",
    prepare: (o) => () => new S.OneCycleLR(o, [0.1, 0.2, 0.3], { total_steps: 10 }),
  },
  {
    name: "OneCycleLR cycling momentum the optimizer lacks",
    message: NO_MOMENTUM,
    make: noMomentum,
    prepare: (o) => () => new S.OneCycleLR(o, 0.1, { total_steps: 10 }),
  },
  {
    name: "CyclicLR with an unknown mode",
    message: "mode is invalid and scale_fn is None",
    prepare: (o) => () => new S.CyclicLR(o, 0.01, 0.1, { mode: "sawtooth" as "triangular" }),
  },
  {
    name: "CyclicLR with three base_lrs for two groups",
    message: "base_lr must have the same length as optimizer.param_groups. base_lr has 3 values, param_groups has 2.",
    prepare: (o) => () => new S.CyclicLR(o, [0.01, 0.02, 0.03], 0.1),
  },
  { name: "CyclicLR cycling momentum the optimizer lacks", message: NO_MOMENTUM, make: noMomentum, prepare: (o) => () => new S.CyclicLR(o, 0.01, 0.1) },
  {
    name: "SequentialLR with as many milestones as schedulers",
    message: WRONG_MILESTONES,
    prepare: (o) => {
      const inner = [new S.ConstantLR(o), new S.ExponentialLR(o, 0.9)];
      return () => new S.SequentialLR(o, inner, [2, 4]);
    },
  },
  {
    name: "SequentialLR with no schedulers",
    message: "SequentialLR expects at least one scheduler, but got no scheduler.",
    prepare: (o) => () => new S.SequentialLR(o, [], []),
  },
  {
    name: "SequentialLR with ReduceLROnPlateau",
    message:
      "SequentialLR does not support `ReduceLROnPlateau` scheduler as it requires additional kwargs to be specified when calling `step`, but got one at index 1 in the given schedulers sequence.",
    prepare: (o) => {
      const inner = [new S.ConstantLR(o), new S.ReduceLROnPlateau(o)];
      return () => new S.SequentialLR(o, inner, [2]);
    },
  },
  {
    name: "SequentialLR with a scheduler of another optimizer",
    message:
      "SequentialLR expects all schedulers to belong to the same optimizer, but got scheduler ExponentialLR at index 1 has SGD, which is different from SGD.",
    prepare: (o) => {
      const inner = [new S.ConstantLR(o), new S.ExponentialLR(twoGroups(), 0.9)];
      return () => new S.SequentialLR(o, inner, [2]);
    },
  },
  {
    name: "ChainedScheduler with no schedulers",
    message: "ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.",
    prepare: () => () => new S.ChainedScheduler([]),
  },
  {
    name: "ChainedScheduler whose optimizer differs from its schedulers'",
    message:
      "ChainedScheduler expects all schedulers to belong to the same optimizer, but got scheduler StepLR at index 0 has SGD, which is different from SGD.",
    prepare: (o) => {
      const inner = [new S.StepLR(twoGroups(), 2)];
      return () => new S.ChainedScheduler(inner, { optimizer: o });
    },
  },
  { name: "ReduceLROnPlateau with factor 1", message: "Factor should be < 1.0.", prepare: (o) => () => new S.ReduceLROnPlateau(o, { factor: 1.0 }) },
  {
    name: "ReduceLROnPlateau with an unknown mode",
    message: "mode avg is unknown!",
    prepare: (o) => () => new S.ReduceLROnPlateau(o, { mode: "avg" as "min" }),
  },
  {
    name: "ReduceLROnPlateau with an unknown threshold mode",
    message: "threshold mode pct is unknown!",
    prepare: (o) => () => new S.ReduceLROnPlateau(o, { threshold_mode: "pct" as "rel" }),
  },
  {
    name: "ReduceLROnPlateau with three min_lrs for two groups",
    message: "expected 2 min_lrs, got 3",
    prepare: (o) => () => new S.ReduceLROnPlateau(o, { min_lr: [0, 0, 0] }),
  },
  {
    name: "ConstantLR with factor 1.5",
    message: "Constant multiplicative factor expected to be between 0 and 1.",
    prepare: (o) => () => new S.ConstantLR(o, { factor: 1.5 }),
  },
  {
    name: "LinearLR with start_factor 0",
    message: "Starting multiplicative factor expected to be greater than 0 and less or equal to 1.",
    prepare: (o) => () => new S.LinearLR(o, { start_factor: 0 }),
  },
  {
    name: "LinearLR with end_factor 1.5",
    message: "Ending multiplicative factor expected to be between 0 and 1.",
    prepare: (o) => () => new S.LinearLR(o, { end_factor: 1.5 }),
  },
  {
    name: "CosineAnnealingWarmRestarts with T_0 0",
    message: "Expected positive integer T_0, but got 0",
    prepare: (o) => () => new S.CosineAnnealingWarmRestarts(o, 0),
  },
  {
    name: "CosineAnnealingWarmRestarts with T_mult 0.5",
    message: "Expected integer T_mult >= 1, but got 0.5",
    prepare: (o) => () => new S.CosineAnnealingWarmRestarts(o, 5, { T_mult: 0.5 }),
  },
  {
    name: "LambdaLR with three functions for two groups",
    message: "Expected 2 lr_lambdas, but got 3",
    prepare: (o) => () => new S.LambdaLR(o, [() => 1, () => 1, () => 1]),
  },
  {
    name: "a scheduler resuming without initial_lr",
    message: "param 'initial_lr' is not specified in param_groups[0] when resuming an optimizer",
    prepare: (o) => () => new S.StepLR(o, 2, { last_epoch: 5 }),
  },
  {
    name: "CyclicLR resuming without initial_lr",
    message: "param 'initial_lr' is not specified in param_groups[0] when resuming an optimizer",
    prepare: (o) => () => new S.CyclicLR(o, 0.01, 0.1, { last_epoch: 5 }),
  },
  {
    name: "a scheduler given something that is not an optimizer",
    message: "Object is not an Optimizer",
    prepare: () => () => new S.StepLR({} as Optimizer, 2),
  },
];

describe("lr_scheduler argument errors", () => {
  it.each(cases)("$name: throws PyTorch's message and leaves the optimizer untouched", ({ message, make, prepare }) => {
    const opt = (make ?? twoGroups)();
    const call = prepare(opt);
    const before = snapshot(opt);
    expect(call).toThrow(message);
    expect(snapshot(opt)).toEqual(before);
  });

  it("adds no initial_lr when construction fails", () => {
    const opt = twoGroups();
    expect(() => new S.OneCycleLR(opt, 0.1, { total_steps: 10, pct_start: -0.1 })).toThrow();
    expect(opt.param_groups.some((g) => "initial_lr" in g)).toBe(false);
  });
});
