import { describe, expect, it } from "vitest";
import { optim, tensor, testing } from "gradlab";
import { TOL, fixture } from "../helpers.ts";
import { type MakeOptimizer, type TrajectoryCase, expectThrows, resumeThroughJson, runCase } from "./trajectory_cases.ts";
import { assertTrajectory, trajectoryTol } from "./tolerance.ts";
import { TORCH113 } from "./golden.ts";

// expected values: tools/fixtures/optim_rmsprop.py. Non-centered cases: torch 1.13 (its
// RMSprop step is current PyTorch's). Centered cases: a numpy reference of current PyTorch,
// which updates grad_avg by lerp where torch 1.13 used mul_/add_ (case.source says which).
const cases = fixture<{ cases: TrajectoryCase[] }>("optim/rmsprop").cases;
const make: MakeOptimizer = (groups, options) => new optim.RMSprop(groups as never, options);
// torch 1.13's centered trajectory differs from current PyTorch's in the last bits of
// grad_avg (mul/add versus lerp); over 20 steps that stays below 1e-13 relative in float64.

describe("RMSprop", () => {
  it.each(cases)("follows PyTorch for 20 steps: $name", (c) => {
    assertTrajectory(runCase(make, c).trajectory, c.expected, trajectoryTol(c.dtype));
  });

  it.each(cases.filter((c) => c.torch113 !== undefined))("agrees with torch 1.13 at a looser tolerance: $name", (c) => {
    assertTrajectory(runCase(make, c).trajectory, c.torch113!, TORCH113[c.dtype]);
  });

  // By hand, θ = 1, g = 2 then 1, lr 0.01, α 0.75, centered, ε 0:
  //   step 1: v = 0.25·4 = 1;  ḡ = 0.25·2 = 0.5;  avg = √(1 − 0.25) = 0.8660254;  θ = 1 − 0.02/0.8660254 = 0.97690598
  //   step 2: v = 0.75 + 0.25 = 1;  ḡ = 0.5 + 0.25·(1 − 0.5) = 0.625;  avg = √(1 − 0.390625) = 0.78062475
  //           θ = 0.97690598 − 0.01/0.78062475 = 0.96409578
  it("matches the first two steps worked by hand", () => {
    const w = tensor([1], { dtype: "float64", requires_grad: true });
    const opt = new optim.RMSprop([w], { lr: 0.01, alpha: 0.75, eps: 0, centered: true });
    const seen: number[] = [];
    for (const g of [2, 1]) {
      w.grad = tensor([g], { dtype: "float64" });
      opt.step();
      seen.push(w.item());
    }
    const first = 1 - 0.02 / Math.sqrt(0.75);
    testing.assert_close(seen, [first, first - 0.01 / Math.sqrt(1 - 0.625 ** 2)], TOL.float64);
  });

  it.each(cases)("resumes bit-identically from a JSON state_dict: $name", (c) => {
    const { resumed, straight } = resumeThroughJson(make, c, 7);
    expect(resumed).toEqual(straight);
  });

  it("keeps momentum_buffer and grad_avg only with their options, as PyTorch's state", () => {
    const w = tensor([1], { requires_grad: true });
    const opt = new optim.RMSprop([w], { momentum: 0.9 });
    w.grad = tensor([1]);
    opt.step();
    expect(Object.keys(opt.state.get(w)!).sort()).toEqual(["momentum_buffer", "square_avg", "step"]);
  });

  it.each([
    [{ lr: -1 }, "Invalid learning rate: -1"],
    [{ eps: -1 }, "Invalid epsilon value: -1"],
    [{ momentum: -0.5 }, "Invalid momentum value: -0.5"],
    [{ weight_decay: -1 }, "Invalid weight_decay value: -1"],
    [{ alpha: -0.1 }, "Invalid alpha value: -0.1"],
  ])("rejects %o with PyTorch's message, leaving the parameter alone", (options, message) => {
    const w = tensor([1, 2], { requires_grad: true });
    expectThrows(() => new optim.RMSprop([w], options), message);
    expect(w.tolist()).toEqual([1, 2]);
  });
});
