import { describe, expect, it } from "vitest";
import { optim, tensor, testing } from "gradlab";
import { TOL, fixture } from "../helpers.ts";
import { goldenChecks } from "./golden.ts";
import type { MakeOptimizer, TrajectoryCase } from "./trajectory_cases.ts";

// expected values: tools/fixtures/optim_nadam.py: an independent numpy reference that follows
// current PyTorch's single-tensor NAdam (torch/optim/nadam.py), including its float32
// mu_product. No torch 1.13 trajectory: 1.13's NAdam is known to be wrong (fixed in 2.0)
// and has no decoupled_weight_decay.
const { cases } = fixture<{ cases: TrajectoryCase[] }>("optim/nadam");
const make: MakeOptimizer = (groups, options) => new optim.NAdam(groups, options);

/** Steps a one-element float64 parameter through the given gradients; returns θ after each. */
function handSteps(options: Record<string, unknown>, grads: number[]): number[] {
  const theta = tensor([1], { dtype: "float64", requires_grad: true });
  const opt = new optim.NAdam([theta], options);
  return grads.map((g) => {
    theta.grad = tensor([g], { dtype: "float64" });
    opt.step();
    return theta.item();
  });
}

describe("NAdam", () => {
  goldenChecks(cases, make);

  // By hand, θ = 1, γ = 0.1, β = (0.5, 0.75), ε = 0, ψ = 0 (so μ = μ' = 0.5·(1 − 0.5) = 0.25):
  //   step 1 (g = 2): Π = 0.25, m = 1, v = 1, d = √(1/0.25) = 2,
  //     θ = 1 − (0.1·0.75/0.75)·(2/2) − (0.1·0.25/(1 − 0.0625))·(1/2) = 0.9 − 1/75
  //   step 2 (g = 1): Π = 0.0625, m = 1, v = 1, d = √(1/0.4375) = 1/√0.4375,
  //     θ −= (0.1·0.75/0.9375)·√0.4375 + (0.1·0.25/(1 − 0.015625))·√0.4375
  it("matches the first two steps worked by hand", () => {
    const seen = handSteps({ lr: 0.1, betas: [0.5, 0.75], eps: 0, momentum_decay: 0 }, [2, 1]);
    const first = 0.9 - 1 / 75;
    testing.assert_close(seen, [first, first - (0.08 + 0.025 / 0.984375) * Math.sqrt(0.4375)], TOL.float64);
  });

  it("keeps mu_product rounded to float32, as PyTorch's float32 scalar tensor", () => {
    const theta = tensor([1], { dtype: "float64", requires_grad: true });
    const opt = new optim.NAdam([theta], { betas: [0.9, 0.999] });
    theta.grad = tensor([1], { dtype: "float64" });
    opt.step();
    // μ₁ = 0.9·(1 − 0.5·0.96^0.004), held as a float32
    expect(opt.state.get(theta)!.mu_product).toBe(Math.fround(0.9 * (1 - 0.5 * 0.96 ** 0.004)));
  });

  it.each([
    { options: { lr: -1 }, message: "Invalid learning rate: -1" },
    { options: { eps: -1 }, message: "Invalid epsilon value: -1" },
    { options: { betas: [0.9, 1.5] }, message: "Invalid beta parameter at index 1: 1.5" },
    { options: { weight_decay: -1 }, message: "Invalid weight_decay value: -1" },
    { options: { momentum_decay: -1 }, message: "Invalid momentum_decay value: -1" },
  ])("rejects $options with PyTorch's message", ({ options, message }) => {
    const theta = tensor([1], { requires_grad: true });
    expect(() => new optim.NAdam([theta], options as never)).toThrow(message);
    expect(theta.tolist()).toEqual([1]);
  });
});
