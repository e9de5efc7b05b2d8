import { describe, expect, it } from "vitest";
import { optim, tensor, testing } from "gradlab";
import { EPOCH_DEPRECATION_WARNING, GET_LR_WARNING, LRScheduler } from "../../../src/optim/lr_scheduler/lr_scheduler.ts";
import { catch_warnings } from "../../../src/utils/warn.ts";
import { TOL } from "../../helpers.ts";
import { oneGroup, twoGroups } from "./helpers.ts";

const { StepLR, ExponentialLR, LinearLR, LambdaLR, SequentialLR, CosineAnnealingWarmRestarts, ReduceLROnPlateau, OneCycleLR } = optim.lr_scheduler;

const ORDER_WARNING =
  "Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, you should call them in the opposite order: " +
  "`optimizer.step()` before `lr_scheduler.step()`.  Failure to do this will result in PyTorch skipping the first value of the learning rate " +
  "schedule. See more details at https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate";
const OVERRIDDEN_WARNING =
  "Seems like `optimizer.step()` has been overridden after learning rate scheduler initialization. Please, make sure to call " +
  "`optimizer.step()` before `lr_scheduler.step()`. See more details at https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate";

const messages = (ws: Array<{ message: string }>): string[] => ws.map((w) => w.message);

describe("LRScheduler construction", () => {
  it("sets initial_lr in every group, stores base_lrs and takes the epoch-0 step", () => {
    const opt = twoGroups();
    const sched = new LinearLR(opt, { start_factor: 0.5 });
    // epoch 0 of LinearLR is lr · start_factor: 0.1·0.5 and 0.05·0.5.
    expect(opt.param_groups.map((g) => g.initial_lr)).toEqual([0.1, 0.05]);
    expect(sched.base_lrs).toEqual([0.1, 0.05]);
    expect(sched.last_epoch).toBe(0);
    expect(opt.param_groups.map((g) => g.lr)).toEqual([0.05, 0.025]);
    expect(sched.get_last_lr()).toEqual([0.05, 0.025]);
  });

  it("keeps an existing initial_lr, so a second scheduler starts from the first one's base", () => {
    const opt = oneGroup(0.1);
    new LinearLR(opt, { start_factor: 0.5 });
    const second = new StepLR(opt, 3);
    expect(opt.param_groups[0]!.initial_lr).toBe(0.1);
    expect(second.base_lrs).toEqual([0.1]);
  });

  it("resumes from last_epoch when initial_lr is present, without moving the rate one step ahead", () => {
    const opt = oneGroup(0.1);
    opt.param_groups[0]!.initial_lr = 0.8;
    const sched = new ExponentialLR(opt, 0.5, { last_epoch: 3 });
    // The initial step advances last_epoch 3 → 4 and keeps lr (ExponentialLR's _is_initial branch).
    expect(sched.last_epoch).toBe(4);
    expect(sched.base_lrs).toEqual([0.8]);
    expect(opt.param_groups[0]!.lr).toBe(0.1);
    opt.step();
    sched.step();
    expect(opt.param_groups[0]!.lr).toBe(0.05);
  });

  it("does not wrap optimizer.step twice when several schedulers share an optimizer", () => {
    const opt = oneGroup(0.1);
    new StepLR(opt, 2);
    const wrapped = opt.step;
    new ExponentialLR(opt, 0.9);
    expect(opt.step).toBe(wrapped);
  });
});

describe("LRScheduler warnings", () => {
  it("warns once when scheduler.step() comes before optimizer.step()", () => {
    const opt = oneGroup(0.1);
    const sched = new StepLR(opt, 2);
    const { warnings } = catch_warnings(() => {
      sched.step();
      sched.step();
      sched.step();
    });
    expect(messages(warnings)).toEqual([ORDER_WARNING]);
    expect(warnings[0]!.category).toBe("UserWarning");
  });

  it("gives no warning in the standard loop", () => {
    const opt = oneGroup(0.1);
    const sched = new StepLR(opt, 2);
    const { warnings } = catch_warnings(() => {
      for (let i = 0; i < 3; i++) {
        opt.step();
        sched.step();
      }
    });
    expect(warnings).toEqual([]);
  });

  it("warns when optimizer.step was replaced after the scheduler was made", () => {
    const opt = oneGroup(0.1);
    const sched = new StepLR(opt, 2);
    opt.step = (() => null) as typeof opt.step;
    const { warnings } = catch_warnings(() => sched.step());
    expect(messages(warnings)).toEqual([OVERRIDDEN_WARNING]);
  });

  it("warns that step(epoch) is deprecated and uses the closed form", () => {
    const opt = oneGroup(0.1);
    const sched = new StepLR(opt, 2, { gamma: 0.5 });
    opt.step();
    const { warnings } = catch_warnings(() => sched.step(5));
    expect(messages(warnings)).toEqual([EPOCH_DEPRECATION_WARNING]);
    // closed form: 0.1 · 0.5^⌊5/2⌋ = 0.025
    expect(opt.param_groups[0]!.lr).toBe(0.025);
    expect(sched.last_epoch).toBe(5);
  });

  it("warns when get_lr() is called outside step(), and returns the chainable value", () => {
    const opt = oneGroup(0.1);
    const sched = new ExponentialLR(opt, 0.5);
    const { result, warnings } = catch_warnings(() => sched.get_lr());
    expect(messages(warnings)).toEqual([GET_LR_WARNING]);
    expect(result).toEqual([0.05]);
    expect(GET_LR_WARNING).toBe("To get the last learning rate computed by the scheduler, please use `get_last_lr()`.");
  });

  it("gives no deprecation warning when SequentialLR switches schedulers (current PyTorch)", () => {
    const opt = oneGroup(0.1);
    const sched = new SequentialLR(opt, [new LinearLR(opt, { total_iters: 2 }), new ExponentialLR(opt, 0.9)], [2]);
    const { warnings } = catch_warnings(() => {
      for (let i = 0; i < 4; i++) {
        opt.step();
        sched.step();
      }
    });
    expect(warnings).toEqual([]);
  });

  it("gives no deprecation warning for CosineAnnealingWarmRestarts.step(epoch), its documented use", () => {
    const opt = oneGroup(0.1);
    const sched = new CosineAnnealingWarmRestarts(opt, 4);
    opt.step();
    const { warnings } = catch_warnings(() => sched.step(0.5));
    expect(warnings).toEqual([]);
  });
});

describe("custom schedulers", () => {
  it("runs a subclass that overrides get_lr, from its first step", () => {
    class Halving extends LRScheduler {
      override get_lr(): number[] {
        return this.base_lrs.map((lr) => lr / 2 ** this.last_epoch);
      }
    }
    const opt = oneGroup(0.8);
    const sched = new Halving(opt);
    const seen = [opt.param_groups[0]!.lr];
    for (let i = 0; i < 3; i++) {
      opt.step();
      sched.step();
      seen.push(...sched.get_last_lr());
    }
    // 0.8 / 2^epoch for epochs 0..3
    expect(seen).toEqual([0.8, 0.4, 0.2, 0.1]);
  });

  it("gives a subclass its settings before the initial step", () => {
    class Warmup extends LRScheduler {
      declare warmup: number;
      constructor(opt: ConstructorParameters<typeof LRScheduler>[0], warmup: number) {
        super(opt, -1, { warmup });
      }
      override get_lr(): number[] {
        return this.base_lrs.map((lr) => (lr * Math.min(this.last_epoch + 1, this.warmup)) / this.warmup);
      }
    }
    const opt = oneGroup(0.4);
    const sched = new Warmup(opt, 4);
    const seen = [opt.param_groups[0]!.lr];
    for (let i = 0; i < 4; i++) {
      opt.step();
      sched.step();
      seen.push(opt.param_groups[0]!.lr);
    }
    // 0.4 · min(e + 1, 4) / 4 for epochs 0..4
    testing.assert_close(seen, [0.1, 0.2, 0.3, 0.4, 0.4], TOL.float64);
    expect(sched.state_dict().warmup).toBe(4);
  });
});

describe("state_dict", () => {
  it("holds every field but the optimizer, and survives JSON", () => {
    const opt = oneGroup(0.1);
    const sched = new StepLR(opt, 3, { gamma: 0.5 });
    const state = sched.state_dict();
    expect(state).not.toHaveProperty("optimizer");
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    expect(state).toMatchObject({ step_size: 3, gamma: 0.5, base_lrs: [0.1], last_epoch: 0, _step_count: 1, _last_lr: [0.1] });
  });

  it("does not save lambdas (their slots are null) and keeps the scheduler's own on load", () => {
    const opt = twoGroups();
    const f = (e: number): number => 0.5 ** e;
    const sched = new LambdaLR(opt, f);
    opt.step();
    sched.step();
    const state = sched.state_dict();
    expect(state.lr_lambdas).toEqual([null, null]);
    const other = new LambdaLR(twoGroups(), f);
    other.load_state_dict(JSON.parse(JSON.stringify(state)));
    expect(other.lr_lambdas).toEqual([f, f]);
    expect(other.last_epoch).toBe(1);
  });

  it("brings ReduceLROnPlateau's infinite best back through JSON", () => {
    const opt = oneGroup(0.1);
    const sched = new ReduceLROnPlateau(opt, { mode: "max" });
    expect(sched.get_last_lr()).toEqual([0.1]);
    const other = new ReduceLROnPlateau(oneGroup(0.1), { mode: "max" });
    other.load_state_dict(JSON.parse(JSON.stringify(sched.state_dict())));
    expect(other.best).toBe(-Infinity);
    expect(other.mode_worse).toBe(-Infinity);
  });
});

describe("OneCycleLR past its last step", () => {
  it("throws PyTorch's message on step total_steps + 1", () => {
    const opt = oneGroup(0.1);
    const sched = new OneCycleLR(opt, 0.5, { total_steps: 10 });
    for (let i = 0; i < 10; i++) {
      opt.step();
      sched.step();
    }
    opt.step();
    expect(() => sched.step()).toThrow("Tried to step 11 times. The specified number of total steps is 10");
  });
});

describe("ReduceLROnPlateau", () => {
  it("accepts a one-element tensor as the metric", () => {
    const opt = oneGroup(0.1);
    const sched = new ReduceLROnPlateau(opt, { patience: 0 });
    sched.step(tensor(1.0));
    sched.step(tensor(2.0));
    // patience 0: the first worse epoch reduces 0.1 → 0.1·0.1
    testing.assert_close(sched.get_last_lr(), [0.01], TOL.float64);
  });
});
