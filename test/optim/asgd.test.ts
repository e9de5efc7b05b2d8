import { describe, expect, it } from "vitest";
import { type Tensor, optim, tensor } from "gradlab";
import { assertCloseAt, fixture } from "../helpers.ts";
import { type MakeOptimizer, type TrajectoryCase, expectThrows, makeGroups, makeParams, resumeThroughJson, runCase, runSteps } from "./trajectory_cases.ts";
import { assertTrajectory, trajectoryTol } from "./tolerance.ts";

// expected values: tools/fixtures/optim_asgd.py (torch 1.13, single-tensor path; its ASGD
// step is current PyTorch's), parameters and the state eta, mu, ax after every step.
const cases = fixture<{ cases: TrajectoryCase[] }>("optim/asgd").cases;
const make: MakeOptimizer = (groups, options) => new optim.ASGD(groups as never, options);

describe("ASGD", () => {
  it.each(cases)("follows PyTorch for 20 steps: $name", (c) => {
    assertTrajectory(runCase(make, c).trajectory, c.expected, trajectoryTol(c.dtype));
  });

  it.each(cases)("keeps eta, mu and ax as PyTorch does: $name", (c) => {
    const params = makeParams(c);
    const opt = make(makeGroups(c, params), c.defaults);
    for (let k = 0; k < c.grads.length; k++) {
      runSteps(c, opt, params, k, k + 1);
      params.forEach((p, i) => {
        const expected = c.state![k]![i]!;
        const s = opt.state.get(p) as { eta: number; mu: number; ax: unknown } | undefined;
        if (expected.eta === undefined) return expect(s).toBe(undefined);
        // eta and mu are float32 in PyTorch (scalar state tensors), so they agree exactly.
        expect([s!.eta, s!.mu]).toEqual([expected.eta[0], expected.mu![0]]);
        // The fixture records ax flattened; ax has the parameter's shape.
        const ax = s!.ax as Tensor;
        expect(ax.shape).toEqual(p.shape);
        assertCloseAt(`step ${k} param ${i} ax`, ax.flatten().tolist(), expected.ax!, trajectoryTol(c.dtype));
      });
    }
  });

  // By hand, θ = 1, g = 1, lr 0.5, λ 0, t0 1:
  //   step 1: θ = 1 − 0.5 = 0.5;  μ = 1 so ax = θ = 0.5;  then η = 0.5, μ = 1/max(1, 1 − 1) = 1
  //   step 2: θ = 0;  ax = 0;  then μ = 1/max(1, 2 − 1) = 1
  //   step 3: θ = −0.5;  ax = −0.5;  then μ = 1/2, so averaging starts on step 4:
  //   step 4: θ = −1;  ax = −0.5 + (−1 + 0.5)·0.5 = −0.75
  it("matches the first steps worked by hand", () => {
    const w = tensor([1], { dtype: "float64", requires_grad: true });
    const opt = new optim.ASGD([w], { lr: 0.5, lambd: 0, t0: 1 });
    const seen: number[][] = [];
    for (let k = 0; k < 4; k++) {
      w.grad = tensor([1], { dtype: "float64" });
      opt.step();
      seen.push([w.item(), opt.state.get(w)!.ax.item()]);
    }
    expect(seen).toEqual([
      [0.5, 0.5],
      [0, 0],
      [-0.5, -0.5],
      [-1, -0.75],
    ]);
  });

  it.each(cases)("resumes bit-identically from a JSON state_dict: $name", (c) => {
    const { resumed, straight } = resumeThroughJson(make, c, 7);
    expect(resumed).toEqual(straight);
  });

  it.each([
    [{ lr: -1 }, "Invalid learning rate: -1"],
    [{ weight_decay: -1 }, "Invalid weight_decay value: -1"],
  ])("rejects %o with PyTorch's message, leaving the parameter alone", (options, message) => {
    const w = tensor([1, 2], { requires_grad: true });
    expectThrows(() => new optim.ASGD([w], options), message);
    expect(w.tolist()).toEqual([1, 2]);
  });
});
