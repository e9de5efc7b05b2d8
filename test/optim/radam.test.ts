import { describe, expect, it } from "vitest";
import { optim, tensor, testing } from "gradlab";
import { TOL, fixture } from "../helpers.ts";
import { goldenChecks } from "./golden.ts";
import type { MakeOptimizer, TrajectoryCase } from "./trajectory_cases.ts";

// expected values: tools/fixtures/optim_radam.py. `expected` comes from an independent numpy
// reference that follows current PyTorch's single-tensor RAdam (first moment by lerp);
// `torch113` is torch 1.13's RAdam (mul/add first moment), recorded for the cases whose
// options 1.13 has (it lacks maximize and decoupled_weight_decay).
const { cases } = fixture<{ cases: TrajectoryCase[] }>("optim/radam");
const make: MakeOptimizer = (groups, options) => new optim.RAdam(groups, options);

/** Steps a one-element float64 parameter through the given gradients; returns θ after each. */
function handSteps(options: Record<string, unknown>, grads: number[]): number[] {
  const theta = tensor([1], { dtype: "float64", requires_grad: true });
  const opt = new optim.RAdam([theta], options);
  return grads.map((g) => {
    theta.grad = tensor([g], { dtype: "float64" });
    opt.step();
    return theta.item();
  });
}

describe("RAdam", () => {
  goldenChecks(cases, make);

  // By hand, θ = 1, γ = 0.1, β = (0.5, 0.75), so ρ∞ = 2/0.25 − 1 = 7, gradients 2 then 1:
  //   step 1: m = 1, ρ₁ = 7 − 2·1·0.75/0.25 = 1 ≤ 5, so a plain step: θ = 1 − (1/0.5)·0.1 = 0.8
  //   step 2: m = 1, ρ₂ = 7 − 2·2·0.5625/0.4375 ≈ 1.857 ≤ 5: θ = 0.8 − (1/0.75)·0.1 ≈ 0.666667
  // (the rectified branch, from step 6 with the default betas, is covered by the fixtures)
  it("matches the first two steps worked by hand", () => {
    const seen = handSteps({ lr: 0.1, betas: [0.5, 0.75] }, [2, 1]);
    testing.assert_close(seen, [0.8, 0.8 - 0.1 / 0.75], TOL.float64);
  });

  it.each([
    { options: { lr: -1 }, message: "Invalid learning rate: -1" },
    { options: { eps: -1 }, message: "Invalid epsilon value: -1" },
    { options: { betas: [1, 0.9] }, message: "Invalid beta parameter at index 0: 1" },
    { options: { weight_decay: -1 }, message: "Invalid weight_decay value: -1" },
  ])("rejects $options with PyTorch's message", ({ options, message }) => {
    const theta = tensor([1], { requires_grad: true });
    expect(() => new optim.RAdam([theta], options as never)).toThrow(message);
    expect(theta.tolist()).toEqual([1]);
  });
});
