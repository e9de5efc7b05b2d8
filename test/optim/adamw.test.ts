import { describe, expect, it } from "vitest";
import { optim, tensor, testing } from "gradlab";
import { TOL, fixture } from "../helpers.ts";
import { goldenChecks } from "./golden.ts";
import type { MakeOptimizer, TrajectoryCase } from "./trajectory_cases.ts";

// expected values: tools/fixtures/optim_adamw.py. `expected` comes from an independent numpy
// reference that follows current PyTorch (AdamW is Adam with decoupled_weight_decay; first
// moment by lerp); `torch113` is torch 1.13's AdamW, which uses mul/add for the first moment.
const { cases } = fixture<{ cases: TrajectoryCase[] }>("optim/adamw");
const make: MakeOptimizer = (groups, options) => new optim.AdamW(groups, options);

/** Steps a one-element float64 parameter through the given gradients; returns θ after each. */
function handSteps(options: Record<string, unknown>, grads: number[]): number[] {
  const theta = tensor([1], { dtype: "float64", requires_grad: true });
  const opt = new optim.AdamW([theta], options);
  return grads.map((g) => {
    theta.grad = tensor([g], { dtype: "float64" });
    opt.step();
    return theta.item();
  });
}

describe("AdamW", () => {
  goldenChecks(cases, make);

  // By hand, θ = 1, γ = 0.1, λ = 0.5, β = (0.5, 0.75), ε = 0, gradients 2 then 1:
  //   step 1: θ ← 1·(1 − 0.05) = 0.95; m = 1, v = 1, γ/(1 − 0.5) = 0.2, √v/√0.25 = 2,
  //           θ = 0.95 − 0.2·(1/2) = 0.85
  //   step 2: θ ← 0.85·0.95 = 0.8075; m = 1, v = 1, γ/(1 − 0.25) = 0.1/0.75, √v/√0.4375,
  //           θ = 0.8075 − (0.1/0.75)·√0.4375
  it("matches the first two steps worked by hand", () => {
    const seen = handSteps({ lr: 0.1, weight_decay: 0.5, betas: [0.5, 0.75], eps: 0 }, [2, 1]);
    testing.assert_close(seen, [0.85, 0.8075 - (0.1 / 0.75) * Math.sqrt(0.4375)], TOL.float64);
  });

  it("is Adam with decoupled weight decay and weight_decay 1e-2 by default", () => {
    const opt = new optim.AdamW([tensor([1], { requires_grad: true })]);
    expect(opt).toBeInstanceOf(optim.Adam);
    expect(opt.defaults.weight_decay).toBe(1e-2);
    expect(opt.param_groups[0]!.decoupled_weight_decay).toBe(true);
  });

  it.each([
    { options: { lr: -1 }, message: "Invalid learning rate: -1" },
    { options: { eps: -1 }, message: "Invalid epsilon value: -1" },
    { options: { betas: [0.9, 1] }, message: "Invalid beta parameter at index 1: 1" },
    { options: { weight_decay: -0.01 }, message: "Invalid weight_decay value: -0.01" },
    { options: { decoupled_weight_decay: false }, message: "AdamW.__init__() got an unexpected keyword argument 'decoupled_weight_decay'" },
  ])("rejects $options with PyTorch's message", ({ options, message }) => {
    const theta = tensor([1], { requires_grad: true });
    expect(() => new optim.AdamW([theta], options as never)).toThrow(message);
    expect(theta.tolist()).toEqual([1]);
  });
});
