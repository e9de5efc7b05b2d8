import { describe, expect, it } from "vitest";
import { optim, tensor, testing } from "gradlab";
import { TOL, fixture } from "../helpers.ts";
import { assertTrajectory } from "./tolerance.ts";
import { type MakeOptimizer, type TrajectoryCase, expectThrows, resumeThroughJson, runCase } from "./trajectory_cases.ts";

// expected values: tools/fixtures/optim_muon.py, a numpy reference of current PyTorch's
// torch/optim/_muon.py (torch 1.13 has no Muon), with the Newton–Schulz iteration in
// float64 where PyTorch uses bfloat16 (gradlab has no bfloat16; see muon.ts).
const cases = fixture<{ cases: TrajectoryCase[] }>("optim/muon").cases;
const make: MakeOptimizer = (groups, options) => new optim.Muon(groups as never, options);

describe("Muon", () => {
  it.each(cases)("follows current PyTorch for 20 steps: $name", (c) => {
    assertTrajectory(runCase(make, c).trajectory, c.expected, TOL[c.dtype]);
  });

  // By hand, θ = [[1, 0], [0, 1]], momentum 0.5 without nesterov, lr 0.1, weight_decay 0.5,
  // Newton–Schulz with (a, b, c) = (1.5, −0.5, 0) and one step (the cubic X ← 1.5·X − 0.5·X·Xᵀ·X):
  //   step 1, g = [[3, 0], [0, 4]]: B = 0.5·g = [[1.5, 0], [0, 2]];  X = B/‖B‖ = [[0.6, 0], [0, 0.8]]
  //     X ← 1.5·X − 0.5·X³ = [[0.792, 0], [0, 0.944]];  θ ← θ·(1 − 0.05) − 0.1·X = [[0.8708, 0], [0, 0.8556]]
  //   step 2, same g: B = 0.5·B + 0.5·g = [[2.25, 0], [0, 3]];  X = [[0.6, 0], [0, 0.8]] again
  //     θ ← 0.95·θ − 0.1·X = [[0.748060, 0], [0, 0.718420]]
  it("matches the first two steps worked by hand", () => {
    const w = tensor(
      [
        [1, 0],
        [0, 1],
      ],
      { dtype: "float64", requires_grad: true },
    );
    const opt = new optim.Muon([w], { lr: 0.1, weight_decay: 0.5, momentum: 0.5, nesterov: false, ns_coefficients: [1.5, -0.5, 0], ns_steps: 1 });
    const seen: number[] = [];
    for (let k = 0; k < 2; k++) {
      w.grad = tensor(
        [
          [3, 0],
          [0, 4],
        ],
        { dtype: "float64" },
      );
      opt.step();
      seen.push(...(w.tolist() as number[][]).flat());
    }
    testing.assert_close(seen, [0.8708, 0, 0, 0.8556, 0.8708 * 0.95 - 0.0792, 0, 0, 0.8556 * 0.95 - 0.0944], TOL.float64);
  });

  it.each(cases)("resumes bit-identically from a JSON state_dict: $name", (c) => {
    const { resumed, straight } = resumeThroughJson(make, c, 7);
    expect(resumed).toEqual(straight);
  });

  it.each([
    [{ lr: -1 }, "Learning rate should be >= 0 but is: -1"],
    [{ momentum: -1 }, "momentum should be >= 0 but is: -1"],
    [{ weight_decay: -1 }, "weight decay should be >= 0 but is: -1"],
    [{ adjust_lr_fn: "spectral" }, "Adjust learning rate function spectral is not supported"],
  ])("rejects %o with PyTorch's message, leaving the parameter alone", (options, message) => {
    const w = tensor([[1, 2]], { requires_grad: true });
    expectThrows(() => new optim.Muon([w], options as never), message);
    expect(w.tolist()).toEqual([[1, 2]]);
  });

  it("rejects parameters that are not matrices, with PyTorch's message", () => {
    expectThrows(
      () => new optim.Muon([tensor([1, 2, 3], { requires_grad: true })]),
      "Muon only supports 2D parameters whereas we found a parameter with size: torch.Size([3])",
    );
  });

  it.each([
    [{ ns_steps: 100 }, "Number of steps must be less than 100 for computational efficiency"],
    [{ ns_coefficients: [1, 2] }, "Coefficients must be a tuple of exactly 3 values"],
  ])("rejects %o at step time, before the momentum buffer or the parameter changes", (options, message) => {
    const w = tensor([[1, 2]], { dtype: "float64", requires_grad: true });
    const opt = new optim.Muon([w], options as never);
    w.grad = tensor([[1, 1]], { dtype: "float64" });
    expectThrows(() => opt.step(), message);
    expect(w.tolist()).toEqual([[1, 2]]);
    expect(opt.state.get(w)!.momentum_buffer.tolist()).toEqual([[0, 0]]);
  });
});
