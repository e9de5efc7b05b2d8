import { describe, expect, it } from "vitest";
import { optim, tensor, testing } from "gradlab";
import { TOL, fixture } from "../helpers.ts";
import { type MakeOptimizer, type TrajectoryCase, expectThrows, resumeThroughJson, runCase } from "./trajectory_cases.ts";
import { assertTrajectory, trajectoryTol } from "./tolerance.ts";

// expected values: tools/fixtures/optim_adadelta.py (torch 1.13, single-tensor path; its
// Adadelta step is current PyTorch's). float32 runs round after every op as PyTorch's
// kernels do and are checked bit for bit in float32_bits.test.ts.
const cases = fixture<{ cases: TrajectoryCase[] }>("optim/adadelta").cases;
const make: MakeOptimizer = (groups, options) => new optim.Adadelta(groups as never, options);

describe("Adadelta", () => {
  it.each(cases)("follows PyTorch for 20 steps: $name", (c) => {
    const { trajectory } = runCase(make, c);
    assertTrajectory(trajectory, c.expected, trajectoryTol(c.dtype));
  });

  // By hand, θ = 1, g = 1 on both steps, lr 1, ρ 0.9, ε 1e-2:
  //   step 1: v = 0.1·1 = 0.1;  Δ = √0.01/√0.11 = 0.30151134;  u = 0.1·Δ² = 0.00909091;  θ = 0.69848866
  //   step 2: v = 0.09 + 0.1 = 0.19;  Δ = √0.01909091/√0.2 = 0.30895719;  θ = 0.69848866 − 0.30895719 = 0.38953147
  it("matches the first two steps worked by hand", () => {
    const w = tensor([1], { dtype: "float64", requires_grad: true });
    const opt = new optim.Adadelta([w], { eps: 1e-2 });
    const seen: number[] = [];
    for (let k = 0; k < 2; k++) {
      w.grad = tensor([1], { dtype: "float64" });
      opt.step();
      seen.push(w.item());
    }
    testing.assert_close(
      seen,
      [1 - Math.sqrt(0.01) / Math.sqrt(0.11), 1 - Math.sqrt(0.01) / Math.sqrt(0.11) - Math.sqrt(0.01 + 0.1 / 11) / Math.sqrt(0.2)],
      TOL.float64,
    );
    expect(opt.state.get(w)!.step).toBe(2);
  });

  it.each(cases)("resumes bit-identically from a JSON state_dict: $name", (c) => {
    const { resumed, straight } = resumeThroughJson(make, c, 7);
    expect(resumed).toEqual(straight);
  });

  it.each([
    [{ lr: -1 }, "Invalid learning rate: -1"],
    [{ rho: 1.5 }, "Invalid rho value: 1.5"],
    [{ eps: -0.1 }, "Invalid epsilon value: -0.1"],
    [{ weight_decay: -1e-5 }, "Invalid weight_decay value: -1e-05"],
  ])("rejects %o with PyTorch's message, leaving the parameter alone", (options, message) => {
    const w = tensor([1, 2], { requires_grad: true });
    expectThrows(() => new optim.Adadelta([w], options), message);
    expect(w.tolist()).toEqual([1, 2]);
    expect(w.grad).toBe(null);
  });
});
