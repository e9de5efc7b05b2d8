import { describe, expect, it } from "vitest";
import { optim, tensor, testing } from "gradlab";
import { TOL, fixture } from "../helpers.ts";
import { type MakeOptimizer, type TrajectoryCase, expectThrows, resumeThroughJson, runCase } from "./trajectory_cases.ts";
import { assertTrajectory, trajectoryTol } from "./tolerance.ts";

// expected values: tools/fixtures/optim_rprop.py (torch 1.13, single-tensor path; its
// Rprop step is current PyTorch's), including gradients with exact zeros (sign 0 branch).
const cases = fixture<{ cases: TrajectoryCase[] }>("optim/rprop").cases;
const make: MakeOptimizer = (groups, options) => new optim.Rprop(groups as never, options);

describe("Rprop", () => {
  it.each(cases)("follows PyTorch for 20 steps: $name", (c) => {
    assertTrajectory(runCase(make, c).trajectory, c.expected, trajectoryTol(c.dtype));
  });

  // By hand, θ = [1, 1], lr 0.1, etas (0.5, 1.2):
  //   step 1, g = [3, −2]: g·g_prev = 0, η stays 0.1;  θ = [1 − 0.1, 1 + 0.1] = [0.9, 1.1]
  //   step 2, g = [5, 4]: signs [+, −]: η = [0.12, 0.05], the second g zeroed;  θ = [0.78, 1.1]
  it("matches the first two steps worked by hand", () => {
    const w = tensor([1, 1], { dtype: "float64", requires_grad: true });
    const opt = new optim.Rprop([w], { lr: 0.1 });
    const seen: number[][] = [];
    for (const g of [
      [3, -2],
      [5, 4],
    ]) {
      w.grad = tensor(g, { dtype: "float64" });
      opt.step();
      seen.push(w.tolist() as number[]);
    }
    testing.assert_close(
      seen,
      [
        [0.9, 1.1],
        [0.9 - 0.1 * 1.2, 1.1],
      ],
      TOL.float64,
    );
    testing.assert_close(opt.state.get(w)!.prev, [5, 0], TOL.float64);
  });

  it.each(cases)("resumes bit-identically from a JSON state_dict: $name", (c) => {
    const { resumed, straight } = resumeThroughJson(make, c, 7);
    expect(resumed).toEqual(straight);
  });

  it.each([
    [{ lr: -1 }, "Invalid learning rate: -1"],
    [{ etas: [1.5, 1.2] }, "Invalid eta values: 1.5, 1.2"],
    [{ etas: [0.5, 0.9] }, "Invalid eta values: 0.5, 0.9"],
  ])("rejects %o with PyTorch's message, leaving the parameter alone", (options, message) => {
    const w = tensor([1, 2], { requires_grad: true });
    expectThrows(() => new optim.Rprop([w], options as never), message);
    expect(w.tolist()).toEqual([1, 2]);
  });
});
