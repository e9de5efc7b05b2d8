import { describe, expect, it } from "vitest";
import { optim, tensor, testing } from "gradlab";
import { TOL, fixture } from "../helpers.ts";
import { goldenChecks } from "./golden.ts";
import type { MakeOptimizer, TrajectoryCase } from "./trajectory_cases.ts";

// expected values: tools/fixtures/optim_adagrad.py: torch 1.13's single-tensor Adagrad,
// which is current PyTorch's algorithm op for op.
const { cases } = fixture<{ cases: TrajectoryCase[] }>("optim/adagrad");
const make: MakeOptimizer = (groups, options) => new optim.Adagrad(groups, options);

/** Steps a one-element float64 parameter through the given gradients; returns θ after each. */
function handSteps(options: Record<string, unknown>, grads: number[]): number[] {
  const theta = tensor([1], { dtype: "float64", requires_grad: true });
  const opt = new optim.Adagrad([theta], options);
  return grads.map((g) => {
    theta.grad = tensor([g], { dtype: "float64" });
    opt.step();
    return theta.item();
  });
}

describe("Adagrad", () => {
  goldenChecks(cases, make);

  // By hand, θ = 1, γ = 0.1, η = 0.5, s₀ = 0.5, ε = 0, gradients 2 then 1:
  //   step 1: γ' = 0.1/(1 + 0) = 0.1, s = 0.5 + 4 = 4.5, θ = 1 − 0.1·(2/√4.5) ≈ 0.905719
  //   step 2: γ' = 0.1/(1 + 0.5) , s = 5.5,      θ = θ₁ − (0.1/1.5)·(1/√5.5) ≈ 0.877292
  it("matches the first two steps worked by hand", () => {
    const seen = handSteps({ lr: 0.1, lr_decay: 0.5, initial_accumulator_value: 0.5, eps: 0 }, [2, 1]);
    const first = 1 - 0.2 / Math.sqrt(4.5);
    testing.assert_close(seen, [first, first - 0.1 / 1.5 / Math.sqrt(5.5)], TOL.float64);
  });

  it("creates its state at construction, from the constructor's initial_accumulator_value", () => {
    const a = tensor([1, 2], { requires_grad: true });
    const b = tensor([3], { requires_grad: true });
    const opt = new optim.Adagrad([{ params: [a] }, { params: [b], initial_accumulator_value: 9 }], { initial_accumulator_value: 0.25 });
    expect(opt.state_dict().state).toEqual({
      0: { step: 0, sum: { dtype: "float32", shape: [2], data: [0.25, 0.25] } },
      1: { step: 0, sum: { dtype: "float32", shape: [1], data: [0.25] } },
    });
  });

  it.each([
    { options: { lr: -1 }, message: "Invalid learning rate: -1" },
    { options: { lr_decay: -1 }, message: "Invalid lr_decay value: -1" },
    { options: { weight_decay: -1 }, message: "Invalid weight_decay value: -1" },
    { options: { initial_accumulator_value: -1 }, message: "Invalid initial_accumulator_value value: -1" },
    { options: { eps: -1 }, message: "Invalid epsilon value: -1" },
  ])("rejects $options with PyTorch's message", ({ options, message }) => {
    const theta = tensor([1], { requires_grad: true });
    expect(() => new optim.Adagrad([theta], options as never)).toThrow(message);
    expect(theta.tolist()).toEqual([1]);
  });
});
