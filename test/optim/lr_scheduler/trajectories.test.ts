import { describe, expect, it } from "vitest";
import { testing } from "gradlab";
import { TOL, fixture } from "../../helpers.ts";
import { type SchedulerCase, type Trajectory, resumeThroughJson, runCase } from "./cases.ts";

// expected values: tools/fixtures/lr_scheduler.py. torch 1.13 (float64 Python floats, the
// same numbers current PyTorch computes for these loops), except the cases with a "source":
// CyclicLR cycling Adam's beta1 comes from a float64 Python transcription of current
// PyTorch's CyclicLR.get_lr (checked against torch 1.13 on SGD), ChainedScheduler's newer
// `optimizer` argument does not change 1.13's trajectory, and ReduceLROnPlateau's
// get_last_lr() is 1.13's `_last_lr`.
const { cases } = fixture<{ cases: SchedulerCase[] }>("optim/lr_scheduler");

describe("lr_scheduler trajectories", () => {
  it("covers every scheduler", () => {
    const names = new Set(cases.map((c) => c.scheduler));
    for (const s of [
      "LambdaLR",
      "MultiplicativeLR",
      "StepLR",
      "MultiStepLR",
      "ConstantLR",
      "LinearLR",
      "ExponentialLR",
      "PolynomialLR",
      "CosineAnnealingLR",
      "CosineAnnealingWarmRestarts",
      "CyclicLR",
      "OneCycleLR",
      "SequentialLR",
      "ChainedScheduler",
      "ReduceLROnPlateau",
    ]) {
      expect(names.has(s), s).toBe(true);
    }
  });

  it.each(cases)("follows PyTorch: $name", (c) => {
    const actual = runCase(c);
    for (const key of Object.keys(c.expected) as Array<keyof Trajectory>) {
      testing.assert_close(actual[key]!, c.expected[key]!, TOL.float64);
    }
  });

  // Python floats in, Python floats out: with libm's log, pow and cos where PyTorch calls
  // math.log, ** and math.cos, every rate is PyTorch's to the last bit.
  it.each(cases)("is bit-identical to PyTorch: $name", (c) => {
    const actual = runCase(c);
    for (const key of Object.keys(c.expected) as Array<keyof Trajectory>) {
      const a = actual[key]!.flat();
      const firstDifferent = c.expected[key]!.flat().findIndex((e, i) => !Object.is(e, a[i]));
      expect(firstDifferent, `${key}: first rate that is not bit-identical`).toBe(-1);
    }
  });

  it.each(cases)("continues identically after a state_dict round trip through JSON mid-run: $name", (c) => {
    const k = Math.floor(c.steps / 2) + 1;
    const actual = resumeThroughJson(c, k);
    for (const key of Object.keys(c.expected) as Array<keyof Trajectory>) {
      // Row 0 of a fixture is the state after construction, except for ReduceLROnPlateau.
      const offset = c.scheduler === "ReduceLROnPlateau" ? 0 : 1;
      testing.assert_close(actual[key]!, c.expected[key]!.slice(k + offset), TOL.float64);
    }
  });
});
