/**
 * The checks every optimizer of tools/fixtures/optim_<name>.py gets, registered inside
 * its `describe`: the trajectory against `expected` (the fixture's reference), against
 * `torch113` where the fixture records torch 1.13's own trajectory, a state_dict →
 * JSON → load_state_dict round trip mid-run that continues bit-identically, and
 * `step(closure)` returning the closure's loss.
 */
import { expect, it } from "vitest";
import { type Tensor, tensor } from "gradlab";
import { TOL } from "../helpers.ts";
import { assertTrajectory, trajectoryTol } from "./tolerance.ts";
import { type MakeOptimizer, type TrajectoryCase, resumeThroughJson, runCase } from "./trajectory_cases.ts";

/**
 * torch 1.13 updates the first moment with mul/add where current PyTorch uses lerp: a
 * different op sequence, so the two trajectories agree only to the last few bits,
 * compounded over 20 steps (float64: the generators print at most 2e-13 relative; 1e-10
 * leaves room; float32: a few float32 ulps, TOL.float32). This compares two algorithms,
 * not gradlab's rounding: the `expected` check above is the exact one.
 */
export const TORCH113 = { float64: { rtol: 1e-10, atol: 1e-14 }, float32: TOL.float32 };

export function goldenChecks(cases: TrajectoryCase[], make: MakeOptimizer): void {
  it.each(cases)("follows its reference for $grads.length steps: $name", (c) => {
    assertTrajectory(runCase(make, c).trajectory, c.expected, trajectoryTol(c.dtype));
  });

  const with113 = cases.filter((c) => c.torch113 !== undefined);
  if (with113.length > 0) {
    it.each(with113)("agrees with torch 1.13 up to its mul/add rounding: $name", (c) => {
      assertTrajectory(runCase(make, c).trajectory, c.torch113!, TORCH113[c.dtype]);
    });
  }

  it.each(cases)("resumes bit-identically from a JSON state_dict at step 7: $name", (c) => {
    const { resumed, straight } = resumeThroughJson(make, c, 7);
    expect(resumed).toEqual(straight);
  });

  it("returns the closure's loss from step, computed with grad enabled", () => {
    const theta = tensor([3, -1], { dtype: "float64", requires_grad: true });
    const opt = make([{ params: [theta] }], {});
    let loss: Tensor | null = null;
    const returned = opt.step(() => {
      theta.grad = null;
      loss = theta.mul(theta).sum();
      loss.backward();
      return loss;
    });
    expect(returned).toBe(loss);
    expect(loss!.item()).toBe(10); // 3² + (−1)², before the update
    expect(theta.grad!.tolist()).toEqual([6, -2]); // 2θ: the closure's backward reached θ
  });
}
