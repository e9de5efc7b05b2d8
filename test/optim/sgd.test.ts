import { describe, expect, it } from "vitest";
import { optim, tensor, testing } from "gradlab";
import { TOL, fixture } from "../helpers.ts";
import { goldenChecks } from "./golden.ts";
import type { MakeOptimizer, TrajectoryCase } from "./trajectory_cases.ts";

// expected values: tools/fixtures/optim_sgd.py, torch 1.13's single-tensor SGD, which is
// current PyTorch's algorithm op for op. float32 runs round as PyTorch's kernels do and are
// checked bit for bit in float32_bits.test.ts.
const { cases } = fixture<{ cases: TrajectoryCase[] }>("optim/sgd");
const make: MakeOptimizer = (groups, options) => new optim.SGD(groups, options);

describe("SGD", () => {
  goldenChecks(cases, make);

  // By hand, θ = 1, γ = 0.1, μ = 0.9, τ = 0, λ = 0.5, gradients 1 then 2:
  //   step 1: g = 1 + 0.5·1 = 1.5, b = g = 1.5 (a clone, not μ·0 + g), θ = 1 − 0.1·1.5 = 0.85
  //   step 2: g = 2 + 0.5·0.85 = 2.425, b = 0.9·1.5 + 2.425 = 3.775, θ = 0.85 − 0.3775 = 0.4725
  // and with nesterov the step uses g + μ·b instead of b:
  //   step 1: θ = 1 − 0.1·(1.5 + 0.9·1.5) = 0.715
  //   step 2: g = 2 + 0.5·0.715 = 2.3575, b = 1.35 + 2.3575 = 3.7075,
  //           θ = 0.715 − 0.1·(2.3575 + 0.9·3.7075) = 0.715 − 0.569425 = 0.145575
  it.each([
    { nesterov: false, expected: [0.85, 0.4725] },
    { nesterov: true, expected: [0.715, 0.145575] },
  ])("matches the first two steps worked by hand (nesterov: $nesterov)", ({ nesterov, expected }) => {
    const theta = tensor([1], { dtype: "float64", requires_grad: true });
    const opt = new optim.SGD([theta], { lr: 0.1, momentum: 0.9, weight_decay: 0.5, nesterov });
    const seen: number[] = [];
    for (const g of [1, 2]) {
      theta.grad = tensor([g], { dtype: "float64" });
      opt.step();
      seen.push(theta.item());
    }
    testing.assert_close(seen, expected, TOL.float64);
  });

  it("defaults to lr 1e-3 and no momentum, so it keeps no state", () => {
    const theta = tensor([1, 2], { dtype: "float64", requires_grad: true });
    const opt = new optim.SGD([theta]);
    expect(opt.defaults.lr).toBe(1e-3);
    theta.grad = tensor([10, -10], { dtype: "float64" });
    opt.step();
    // θ − 1e-3·g = [1 − 0.01, 2 + 0.01]
    testing.assert_close(theta, [0.99, 2.01], TOL.float64);
    expect(opt.state.size).toBe(0);
    expect(opt.state_dict().state).toEqual({});
  });

  it("returns the closure's loss from step", () => {
    const theta = tensor([3], { requires_grad: true });
    const opt = new optim.SGD([theta], { lr: 0.1 });
    const loss = opt.step(() => {
      opt.zero_grad();
      const l = theta.mul(theta).sum();
      l.backward();
      return l;
    });
    expect(loss.item()).toBe(9);
    // d(θ²)/dθ = 6, θ = 3 − 0.1·6 = 2.4 (float32)
    testing.assert_close(theta, [2.4], TOL.float32);
  });

  it.each([
    { options: { lr: -1 }, message: "Invalid learning rate: -1" },
    { options: { momentum: -0.5 }, message: "Invalid momentum value: -0.5" },
    { options: { weight_decay: -1e-5 }, message: "Invalid weight_decay value: -1e-05" },
    { options: { nesterov: true }, message: "Nesterov momentum requires a momentum and zero dampening" },
    { options: { nesterov: true, momentum: 0.9, dampening: 0.1 }, message: "Nesterov momentum requires a momentum and zero dampening" },
  ])("rejects $options with PyTorch's message", ({ options, message }) => {
    const theta = tensor([1], { requires_grad: true });
    expect(() => new optim.SGD([theta], options)).toThrow(message);
    expect(theta.tolist()).toEqual([1]);
  });
});
