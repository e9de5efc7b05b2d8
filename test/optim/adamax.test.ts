import { describe, expect, it } from "vitest";
import { optim, tensor, testing } from "gradlab";
import { TOL, fixture } from "../helpers.ts";
import { goldenChecks } from "./golden.ts";
import type { MakeOptimizer, TrajectoryCase } from "./trajectory_cases.ts";

// expected values: tools/fixtures/optim_adamax.py. `expected` comes from an independent numpy
// reference that follows current PyTorch's single-tensor Adamax (first moment by lerp);
// `torch113` is torch 1.13's Adamax, which uses mul/add for the first moment.
const { cases } = fixture<{ cases: TrajectoryCase[] }>("optim/adamax");
const make: MakeOptimizer = (groups, options) => new optim.Adamax(groups, options);

/** Steps a one-element float64 parameter through the given gradients; returns θ after each. */
function handSteps(options: Record<string, unknown>, grads: number[]): number[] {
  const theta = tensor([1], { dtype: "float64", requires_grad: true });
  const opt = new optim.Adamax([theta], options);
  return grads.map((g) => {
    theta.grad = tensor([g], { dtype: "float64" });
    opt.step();
    return theta.item();
  });
}

describe("Adamax", () => {
  goldenChecks(cases, make);

  // By hand, θ = 1, γ = 0.1, β = (0.5, 0.75), ε = 0, gradients 2 then 1:
  //   step 1: m = 0.5·2 = 1, u = max(0, |2|) = 2, γ/(1 − 0.5) = 0.2, θ = 1 − 0.2·(1/2) = 0.9
  //   step 2: m = 1 + 0.5·(1 − 1) = 1, u = max(0.75·2, |1|) = 1.5, γ/(1 − 0.25) = 0.1/0.75,
  //           θ = 0.9 − (0.1/0.75)·(1/1.5) = 0.9 − 0.0888… ≈ 0.811111
  it("matches the first two steps worked by hand", () => {
    const seen = handSteps({ lr: 0.1, betas: [0.5, 0.75], eps: 0 }, [2, 1]);
    testing.assert_close(seen, [0.9, 0.9 - 0.1 / 0.75 / 1.5], TOL.float64);
  });

  it.each([
    { options: { lr: -1 }, message: "Invalid learning rate: -1" },
    { options: { eps: -1 }, message: "Invalid epsilon value: -1" },
    { options: { betas: [-0.1, 0.9] }, message: "Invalid beta parameter at index 0: -0.1" },
    { options: { weight_decay: -1 }, message: "Invalid weight_decay value: -1" },
  ])("rejects $options with PyTorch's message", ({ options, message }) => {
    const theta = tensor([1], { requires_grad: true });
    expect(() => new optim.Adamax([theta], options as never)).toThrow(message);
    expect(theta.tolist()).toEqual([1]);
  });
});
