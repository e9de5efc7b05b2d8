import { describe, expect, it } from "vitest";
import { lab, manual_seed, nn, optim, randn } from "gradlab";
import type { LRScheduler } from "../../src/optim/lr_scheduler/lr_scheduler.ts";
import { fixture } from "../helpers.ts";

const S = optim.lr_scheduler;
type Make = (opt: optim.Optimizer) => LRScheduler;

/**
 * The reference: a real training loop (a linear model on random data, MSE, backward),
 * reading `scheduler.get_last_lr()` and the groups' momentum before every optimizer step.
 * Written here independently of preview_schedule's loop.
 */
function trainingLoop(make: Make, steps: number, groups: { lr: number }[], Ctor: typeof optim.SGD | typeof optim.Adam = optim.SGD, metrics: number[] = []) {
  manual_seed(0);
  const models = groups.map(() => new nn.Linear(2, 1));
  const opt = new Ctor(groups.map((g, i) => ({ ...g, params: models[i]!.parameters() })) as never);
  const scheduler = make(opt);
  const x = randn([8, 2]);
  const y = randn([8, 1]);
  const lr: number[][] = [];
  const momentum: number[][] = [];
  for (let k = 0; k < steps; k++) {
    lr.push(scheduler.get_last_lr().slice());
    momentum.push(opt.param_groups.map((g) => ("betas" in g ? (g.betas as number[])[0]! : (g.momentum as number))));
    opt.zero_grad();
    for (const m of models) m.forward(x).sub(y).pow(2).mean().backward();
    opt.step();
    if (scheduler instanceof S.ReduceLROnPlateau) scheduler.step(metrics[k]!);
    else scheduler.step();
  }
  return { lr, momentum };
}

const TWO = [{ lr: 0.1 }, { lr: 0.02 }];
// Every scheduler and the compositions the tutorials use, each on two param groups.
const CASES: [string, Make, number, ("SGD" | "Adam")?][] = [
  ["LambdaLR", (o) => new S.LambdaLR(o, (e) => 1 / (1 + e)), 12],
  ["MultiplicativeLR", (o) => new S.MultiplicativeLR(o, () => 0.9), 12],
  ["StepLR", (o) => new S.StepLR(o, 3, { gamma: 0.5 }), 12],
  ["MultiStepLR", (o) => new S.MultiStepLR(o, [2, 5, 5], { gamma: 0.5 }), 12],
  ["ConstantLR", (o) => new S.ConstantLR(o, { factor: 0.5, total_iters: 4 }), 12],
  ["LinearLR", (o) => new S.LinearLR(o, { start_factor: 0.25, total_iters: 6 }), 12],
  ["ExponentialLR", (o) => new S.ExponentialLR(o, 0.8), 12],
  ["PolynomialLR", (o) => new S.PolynomialLR(o, { total_iters: 8, power: 2 }), 12],
  ["CosineAnnealingLR", (o) => new S.CosineAnnealingLR(o, 5, { eta_min: 0.001 }), 24],
  ["CosineAnnealingWarmRestarts", (o) => new S.CosineAnnealingWarmRestarts(o, 3, { T_mult: 2 }), 24],
  ["CyclicLR (momentum cycles)", (o) => new S.CyclicLR(o, [0.01, 0.002], [0.1, 0.02], { step_size_up: 4, mode: "triangular2" }), 30],
  ["CyclicLR on Adam (betas[0] cycles)", (o) => new S.CyclicLR(o, 0.01, 0.1, { step_size_up: 3 }), 20, "Adam"],
  ["OneCycleLR", (o) => new S.OneCycleLR(o, [0.1, 0.02], { total_steps: 20 }), 20],
  ["OneCycleLR on Adam", (o) => new S.OneCycleLR(o, 0.1, { total_steps: 20, anneal_strategy: "linear" }), 20, "Adam"],
  ["SequentialLR, three phases", (o) => new S.SequentialLR(o, [new S.ExponentialLR(o, 0.9), new S.StepLR(o, 2), new S.CosineAnnealingLR(o, 6)], [4, 8]), 16],
  ["ChainedScheduler", (o) => new S.ChainedScheduler([new S.ConstantLR(o, { factor: 0.1, total_iters: 3 }), new S.ExponentialLR(o, 0.9)]), 12],
  [
    "SequentialLR inside ChainedScheduler",
    (o) =>
      new S.ChainedScheduler([
        new S.SequentialLR(o, [new S.LinearLR(o, { total_iters: 3 }), new S.ExponentialLR(o, 0.7)], [3]),
        new S.MultiplicativeLR(o, () => 0.95),
      ]),
    12,
  ],
  ["SWALR", (o) => new optim.swa_utils.SWALR(o, 0.05, { anneal_epochs: 5 }), 10],
];

describe("lab.preview_schedule against the real scheduler in a training loop", () => {
  it.each(CASES)("%s: every group's lr (and momentum) at every step", (_name, make, steps, optimizer = "SGD") => {
    const preview = lab.preview_schedule(make, { steps, groups: TWO, optimizer });
    const real = trainingLoop(make, steps, TWO, optimizer === "Adam" ? optim.Adam : optim.SGD);
    expect(preview.lr).toEqual(real.lr);
    const cycles = real.momentum.some((row) => row.some((v, i) => v !== real.momentum[0]![i]));
    expect(preview.momentum).toEqual(cycles ? real.momentum : null);
    expect(preview.momentum_key).toBe(cycles ? (optimizer === "Adam" ? "betas[0]" : "momentum") : null);
  });

  it("ReduceLROnPlateau: the rates, and an event at each reduction", () => {
    const metrics = [5, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3];
    const make: Make = (o) => new S.ReduceLROnPlateau(o, { patience: 2, factor: 0.5 });
    const preview = lab.preview_schedule(make, { steps: 12, groups: TWO, metrics });
    expect(preview.lr).toEqual(trainingLoop(make, 12, TWO, optim.SGD, metrics).lr);
    // bad epochs: 2, 3, 4 → reduced after epoch 4 (3 > patience 2); best 3 at epoch 5; 6, 7, 8 → after 8; 9, 10, 11 → after 11 (step 12, beyond the preview)
    expect(preview.events).toEqual([
      { kind: "plateau", step: 5, epoch: 4, from: [0.1, 0.02], to: [0.05, 0.01] },
      { kind: "plateau", step: 9, epoch: 8, from: [0.05, 0.01], to: [0.025, 0.005] },
    ]);
  });

  it("leaves a scheduler's behaviour as it is: the same class stepped after a preview gives the same rates", () => {
    const make: Make = (o) => new S.OneCycleLR(o, 0.1, { total_steps: 10 });
    const before = trainingLoop(make, 10, TWO).lr;
    lab.preview_schedule(make, { steps: 10, groups: TWO });
    expect(trainingLoop(make, 10, TWO).lr).toEqual(before);
  });
});

describe("lab.preview_schedule's events", () => {
  it("marks each SequentialLR switch at the first step of the new phase", () => {
    const preview = lab.preview_schedule(CASES[14]![1], { steps: 16 });
    expect(preview.events).toEqual([
      { kind: "switch", step: 4, epoch: 4, index: 1, to: "StepLR" },
      { kind: "switch", step: 8, epoch: 8, index: 2, to: "CosineAnnealingLR" },
    ]);
  });

  it("finds a SequentialLR nested in a ChainedScheduler", () => {
    const preview = lab.preview_schedule(CASES[16]![1], { steps: 12 });
    expect(preview.events).toEqual([{ kind: "switch", step: 3, epoch: 3, index: 1, to: "ExponentialLR" }]);
  });

  it("counts a per-epoch SequentialLR's switch in batches", () => {
    const preview = lab.preview_schedule(
      (o) => ({ per_epoch: new S.SequentialLR(o, [new S.ConstantLR(o, { factor: 0.5, total_iters: 2 }), new S.ExponentialLR(o, 0.5)], [2]) }),
      { steps: 12, steps_per_epoch: 3 },
    );
    expect(preview.events).toEqual([{ kind: "switch", step: 6, epoch: 2, index: 1, to: "ExponentialLR" }]);
    expect(preview.group(0).map((v) => Number(v.toFixed(6)))).toEqual([0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05]);
  });
});

interface Case {
  steps: number;
  steps_per_epoch: number;
  lr: number[];
  momentum?: number[];
  metrics?: number[];
}
// expected values: tools/fixtures/lab_schedules.py (torch 1.13, Python floats; see its doc for current PyTorch)
const cases = fixture<{ cases: Record<string, Case> }>("lab/schedules").cases;
const close = (actual: number[], expected: number[]) => {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(1e-15 * Math.abs(expected[i]!)));
};

/** ExponentialLR, then a StepLR made at epoch 10 and a CosineAnnealingLR made at epoch 20: switching by hand. */
const byHand = (opt: optim.Optimizer) => {
  let current: LRScheduler = new S.ExponentialLR(opt, 0.9);
  let epoch = 0;
  return {
    step() {
      epoch += 1;
      if (epoch === 10) current = new S.StepLR(opt, 5, { gamma: 0.5 });
      else if (epoch === 20) current = new S.CosineAnnealingLR(opt, 10);
      else current.step();
    },
  };
};

describe("lab.preview_schedule against PyTorch's rates for the tutorials' schedules", () => {
  it("three phases with SequentialLR: each phase starts from the initial lr", () => {
    const preview = lab.preview_schedule(
      (o) => new S.SequentialLR(o, [new S.ExponentialLR(o, 0.9), new S.StepLR(o, 5, { gamma: 0.5 }), new S.CosineAnnealingLR(o, 10)], [10, 20]),
      { steps: 30 },
    );
    close(preview.group(0), cases.three_phase_sequential!.lr);
    expect(preview.events.map((e) => e.step)).toEqual([10, 20]);
  });

  it("three phases switched by hand: each new scheduler starts from the current lr", () => {
    close(lab.preview_schedule(byHand, { steps: 30 }).group(0), cases.three_phase_by_hand!.lr);
  });

  it("SequentialLR with a MultiplicativeLR phase continues from the current lr; with a LambdaLR phase restarts", () => {
    const seq = (second: Make) => lab.preview_schedule((o) => new S.SequentialLR(o, [new S.ExponentialLR(o, 0.9), second(o)], [3]), { steps: 6 }).group(0);
    close(
      seq((o) => new S.MultiplicativeLR(o, () => 0.5)),
      cases.sequential_then_multiplicative!.lr,
    );
    close(
      seq((o) => new S.LambdaLR(o, (e) => 0.5 ** e)),
      cases.sequential_then_lambda!.lr,
    );
  });

  it("a LambdaLR made by hand mid-run restarts from the initial lr", () => {
    const preview = lab.preview_schedule(
      (o) => {
        let current: LRScheduler = new S.ExponentialLR(o, 0.9);
        let epoch = 0;
        return { step: () => (++epoch === 3 ? (current = new S.LambdaLR(o, (e) => 0.5 ** e)) : current.step()) };
      },
      { steps: 6 },
    );
    close(preview.group(0), cases.by_hand_then_lambda!.lr);
  });

  it("warm-up per batch with decay per epoch, from the first epoch and after the warm-up", () => {
    const fromStart = lab.preview_schedule(
      (o) => ({ per_batch: new S.LinearLR(o, { start_factor: 0.1, total_iters: 8 }), per_epoch: new S.ExponentialLR(o, 0.5) }),
      { steps: 16, steps_per_epoch: 4 },
    );
    close(fromStart.group(0), cases.warmup_per_batch_decay_per_epoch!.lr);
    const afterWarmup = lab.preview_schedule(
      (o) => {
        const decay = new S.ExponentialLR(o, 0.5);
        let epoch = 0;
        return { per_batch: new S.LinearLR(o, { start_factor: 0.1, total_iters: 8 }), per_epoch: { step: () => (epoch++ >= 2 ? decay.step() : undefined) } };
      },
      { steps: 24, steps_per_epoch: 4 },
    );
    close(afterWarmup.group(0), cases.warmup_per_batch_decay_after_warmup!.lr);
  });

  it("warm-up then plateau, both per epoch", () => {
    const c = cases.warmup_then_plateau!;
    const preview = lab.preview_schedule(
      (o) => ({ per_epoch: [new S.LinearLR(o, { start_factor: 0.1, total_iters: 3 }), new S.ReduceLROnPlateau(o, { factor: 0.5, patience: 1 })] }),
      { steps: 10, metrics: c.metrics! },
    );
    close(preview.group(0), c.lr);
    expect(preview.events.map((e) => [e.kind, e.step])).toEqual([
      ["plateau", 6],
      ["plateau", 9],
    ]);
  });

  it("CyclicLR gives plain SGD (momentum 0) a momentum cycling between 0.9 and 0.8", () => {
    const c = cases.cyclic_momentum_plain_sgd!;
    const preview = lab.preview_schedule((o) => new S.CyclicLR(o, 0.01, 0.1, { step_size_up: 5 }), { steps: 21 });
    close(preview.group(0), c.lr);
    close(preview.group(0, "momentum"), c.momentum!);
    expect(preview.momentum_key).toBe("momentum");
  });
});

describe("lab.preview_schedule's output and errors", () => {
  it("is plain data: a JSON round trip keeps every field", () => {
    const preview = lab.preview_schedule(CASES[14]![1], { steps: 10, groups: TWO });
    const json = JSON.parse(JSON.stringify(preview));
    expect(Object.keys(json).sort()).toEqual(["events", "lr", "momentum", "momentum_key", "steps_per_epoch"]);
    expect(json.lr).toEqual(preview.lr);
  });

  it("draws a terminal chart with the events listed", () => {
    const text = String(lab.preview_schedule(CASES[14]![1], { steps: 16 }));
    expect(text).toContain("step 4: SequentialLR switches to StepLR (scheduler 1)");
    expect(text.split("\n").filter((l) => l.includes("┤") || l.includes("┼"))).toHaveLength(11);
  });

  it("draws an SVG with one line per group and one per event, and the momentum on request", async () => {
    const preview = lab.preview_schedule((o) => new S.CyclicLR(o, 0.01, 0.1, { step_size_up: 5 }), { steps: 21 });
    expect(await preview.toSVG({ title: "CyclicLR" })).toMatch(/^<svg[\s\S]*CyclicLR/);
    expect(await preview.toSVG({ quantity: "momentum" })).toContain("momentum");
    expect(() => lab.preview_schedule((o) => new S.StepLR(o, 2), { steps: 4 }).group(0, "momentum")).toThrow("does not change the momentum");
  });

  it.each([
    [{ steps: -1 }, "steps must be a non-negative integer, got -1"],
    [{ steps: 4, steps_per_epoch: 0 }, "steps_per_epoch must be a positive integer, got 0"],
    [{ steps: 4, groups: [] }, "groups must hold at least one param group"],
  ])("rejects %j", (options, message) => {
    expect(() => lab.preview_schedule((o) => new S.StepLR(o, 2), options)).toThrow(message);
  });

  it("asks for a metric per epoch when a ReduceLROnPlateau is in the schedule", () => {
    expect(() => lab.preview_schedule((o) => new S.ReduceLROnPlateau(o), { steps: 4, metrics: [1, 2] })).toThrow(
      "ReduceLROnPlateau needs a metric for each of the 4 epochs",
    );
  });

  it("refuses a scheduler made on another optimizer", () => {
    const other = new optim.SGD([randn(1).requires_grad_()], { lr: 0.1 });
    expect(() => lab.preview_schedule(() => new S.StepLR(other, 2), { steps: 4 })).toThrow(
      "every scheduler must be made on the optimizer makeScheduler is given",
    );
  });
});
