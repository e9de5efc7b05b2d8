import { describe, expect, it } from "vitest";
import { optim, tensor, testing } from "gradlab";
import { TOL, fixture } from "../helpers.ts";
import { goldenChecks } from "./golden.ts";
import type { MakeOptimizer, TrajectoryCase } from "./trajectory_cases.ts";

// expected values: tools/fixtures/optim_adam.py. `expected` comes from an independent numpy
// reference that follows current PyTorch's single-tensor Adam op for op (first moment by
// lerp); `torch113` is torch 1.13's own trajectory, which updates the first moment with
// mul/add instead of lerp, so it agrees with current PyTorch only to the last few bits
// (the generator measured at most 2e-13 relative in float64): golden.ts checks it at 1e-10.
// decoupled_weight_decay is newer than 1.13, so those cases have no torch113 trajectory.
const { cases } = fixture<{ cases: TrajectoryCase[] }>("optim/adam");
const make: MakeOptimizer = (groups, options) => new optim.Adam(groups, options);

describe("Adam", () => {
  goldenChecks(cases, make);

  // By hand, θ = 1, γ = 0.1, β = (0.5, 0.75), ε = 0, gradients 2 then 1:
  //   step 1: m = 0 + 0.5·(2 − 0) = 1, v = 0.25·4 = 1, γ/(1 − 0.5) = 0.2, √(1 − 0.75) = 0.5,
  //           θ = 1 − 0.2·(1 / (1/0.5)) = 0.9
  //   step 2: m = 1 + 0.5·(1 − 1) = 1, v = 0.75 + 0.25 = 1, γ/(1 − 0.25) = 0.1/0.75,
  //           θ = 0.9 − (0.1/0.75)·(1 / (1/√0.4375)) = 0.9 − (0.1/0.75)·√0.4375 ≈ 0.811808
  it("matches the first two steps worked by hand", () => {
    const theta = tensor([1], { dtype: "float64", requires_grad: true });
    const opt = new optim.Adam([theta], { lr: 0.1, betas: [0.5, 0.75], eps: 0 });
    const seen: number[] = [];
    for (const g of [2, 1]) {
      theta.grad = tensor([g], { dtype: "float64" });
      opt.step();
      seen.push(theta.item());
    }
    testing.assert_close(seen, [0.9, 0.9 - (0.1 / 0.75) * Math.sqrt(0.4375)], TOL.float64);
  });

  it("keeps PyTorch's state keys, max_exp_avg_sq only with amsgrad", () => {
    for (const amsgrad of [false, true]) {
      const theta = tensor([1, 2], { requires_grad: true });
      const opt = new optim.Adam([theta], { amsgrad });
      theta.grad = tensor([1, 1]);
      opt.step();
      const keys = amsgrad ? ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"] : ["step", "exp_avg", "exp_avg_sq"];
      expect(Object.keys(opt.state_dict().state[0]!)).toEqual(keys);
      expect(opt.state.get(theta)!.step).toBe(1);
    }
  });

  it("returns the closure's loss from step", () => {
    const theta = tensor([3], { dtype: "float64", requires_grad: true });
    const opt = new optim.Adam([theta], { lr: 0.1 });
    const loss = opt.step(() => {
      opt.zero_grad();
      const l = theta.mul(theta).sum();
      l.backward();
      return l;
    });
    expect(loss.item()).toBe(9);
    // first step, g = 2θ = 6: m = 0.1·6 = 0.6, v = 0.001·36, γ/(1 − 0.9) = 1,
    // √v / √(1 − 0.999) = 6, so θ = 3 − 1·(0.6 / (6 + 1e-8))
    testing.assert_close(theta, [3 - 0.6 / (6 + 1e-8)], TOL.float64);
  });

  it.each([
    { options: { lr: -1 }, message: "Invalid learning rate: -1" },
    { options: { eps: -1e-8 }, message: "Invalid epsilon value: -1e-08" },
    { options: { betas: [1, 0.999] }, message: "Invalid beta parameter at index 0: 1" },
    { options: { betas: [0.9, -0.5] }, message: "Invalid beta parameter at index 1: -0.5" },
    { options: { weight_decay: -0.1 }, message: "Invalid weight_decay value: -0.1" },
    { options: { fused: true, differentiable: true }, message: "`fused` does not support `differentiable`" },
    { options: { fused: true, foreach: true }, message: "`fused` and `foreach` cannot be `True` together." },
    { options: { lrr: 0.1 }, message: "Adam.__init__() got an unexpected keyword argument 'lrr'" },
  ])("rejects $options with PyTorch's message", ({ options, message }) => {
    const theta = tensor([1], { requires_grad: true });
    expect(() => new optim.Adam([theta], options as never)).toThrow(message);
    expect(theta.tolist()).toEqual([1]);
  });
});
