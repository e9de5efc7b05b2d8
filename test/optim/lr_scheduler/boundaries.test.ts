import { describe, expect, it } from "vitest";
import { optim } from "gradlab";
import { fixture } from "../../helpers.ts";
import { parseHexFloat } from "../../math/bits.ts";
import { oneGroup } from "./helpers.ts";

// expected values: tools/fixtures/lr_scheduler_boundaries.py (torch 1.13; current PyTorch's
// CosineAnnealingWarmRestarts.step(epoch) computes the same formulas). Matched bit for bit:
// at a cycle boundary the cycle index is int(log(x) / log(T_mult)) of an exact power, and
// which side of the integer the quotient falls on is decided by the last bit of glibc's log.
interface BoundaryCase {
  T_0: number;
  T_mult: number;
  base_lr: number;
  eta_min: number;
  steps: { epoch: string; T_cur: string; T_i: string; lr: string }[];
}
const { cases } = fixture<{ cases: BoundaryCase[] }>("optim/lr_scheduler_boundaries");

describe("CosineAnnealingWarmRestarts at its cycle boundaries (step(epoch))", () => {
  it.each(cases)("matches PyTorch bit for bit: T_0 $T_0, T_mult $T_mult", (c) => {
    const opt = oneGroup(c.base_lr);
    const sched = new optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, c.T_0, { T_mult: c.T_mult, eta_min: c.eta_min });
    const actual = c.steps.map((s) => {
      sched.step(parseHexFloat(s.epoch));
      return { epoch: s.epoch, T_cur: sched.T_cur.toString(), T_i: sched.T_i.toString(), lr: opt.param_groups[0]!.lr.toString() };
    });
    const expected = c.steps.map((s) => ({
      epoch: s.epoch,
      T_cur: parseHexFloat(s.T_cur).toString(),
      T_i: parseHexFloat(s.T_i).toString(),
      lr: parseHexFloat(s.lr).toString(),
    }));
    expect(actual).toEqual(expected);
  });

  it("stays at the end of the old cycle at epoch 242 with T_0 = 2, T_mult = 3, as PyTorch does", () => {
    const opt = oneGroup(0.1);
    const sched = new optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, 2, { T_mult: 3, eta_min: 0.001 });
    sched.step(242);
    expect([sched.T_cur, sched.T_i, opt.param_groups[0]!.lr]).toEqual([162, 162, 0.001]);
  });
});
