import { afterAll, describe, expect, it } from "vitest";
import { optim, tensor, testing } from "gradlab";
import { ROUNDING } from "../../src/kernels/rounding.ts";
import { TOL, fixture } from "../helpers.ts";
import { assertTrajectory } from "./tolerance.ts";
import { type MakeOptimizer, type TrajectoryCase, expectThrows, resumeThroughJson, runCase } from "./trajectory_cases.ts";

// expected values: tools/fixtures/optim_adafactor.py. torch 1.13 has no Adafactor, so the
// float64 cases come from a numpy reference of current PyTorch's torch/optim/_adafactor.py
// (_single_tensor_adafactor), compared at 1e-12; the float32 cases from that function
// transcribed line by line onto torch 1.13's own tensor ops (each op rounded, fused and
// reduced as 1.13's CPU kernels do on this machine), compared bit for bit.
const cases = fixture<{ cases: TrajectoryCase[] }>("optim/adafactor").cases;
const make: MakeOptimizer = (groups, options) => new optim.Adafactor(groups as never, options);

const bits = { same: 0, total: 0 };
afterAll(() => {
  const share = ((100 * bits.same) / bits.total).toFixed(2);
  console.log(`float32 Adafactor steps, bit-identical elements: adafactor.json ${bits.same}/${bits.total} = ${share}%`);
});

describe("Adafactor", () => {
  it.each(cases.filter((c) => c.dtype === "float64"))("follows current PyTorch for 20 steps: $name", (c) => {
    assertTrajectory(runCase(make, c).trajectory, c.expected, TOL[c.dtype]);
  });

  it.each(cases.filter((c) => c.dtype === "float32"))("is bit-identical to current PyTorch's ops on torch 1.13's kernels at every step: $name", (c) => {
    const got = runCase(make, c).trajectory.flat(2);
    const want = c.expected.flat(2).map(Math.fround);
    const differ = got.flatMap((x, i) => (Object.is(x, want[i]) ? [] : [i]));
    bits.same += got.length - differ.length;
    bits.total += got.length;
    expect(differ.slice(0, 5)).toEqual([]);
  });

  // By hand, a 2×2 parameter θ = [[1, 1], [1, 1]], lr 0.1, defaults otherwise (ε1 = 2⁻⁵² in float64):
  //   step 1, g = [[1, 2], [2, 4]]: w = 1^−0.8 = 1, so R = row means of g² = [2.5, 10], C = column means = [2.5, 10];
  //     mean R = 6.25;  V̂ = R_i·C_j / 6.25 = [[1, 4], [4, 16]] = g², so U = sign(g) = all ones, RMS(U) = 1;
  //     ρ = min(0.1, 1) = 0.1;  a = RMS(θ)·ρ = 0.1;  θ = 1 − 0.1 = 0.9 everywhere
  //   step 2, same g: w = 2^−0.8 = 0.574349…; R and C stay (lerp of equal values), U = ones again;
  //     ρ = min(0.1, 1/√2) = 0.1;  a = 0.9·0.1 = 0.09;  θ = 0.81
  it("matches the first two steps worked by hand", () => {
    const w = tensor(
      [
        [1, 1],
        [1, 1],
      ],
      { dtype: "float64", requires_grad: true },
    );
    const opt = new optim.Adafactor([w], { lr: 0.1 });
    const seen: number[] = [];
    for (let k = 0; k < 2; k++) {
      w.grad = tensor(
        [
          [1, 2],
          [2, 4],
        ],
        { dtype: "float64" },
      );
      opt.step();
      seen.push(...(w.tolist() as number[][]).flat());
    }
    testing.assert_close(seen, [0.9, 0.9, 0.9, 0.9, 0.81, 0.81, 0.81, 0.81], TOL.float64);
    const s = opt.state.get(w)!;
    expect(s.row_var!.shape).toEqual([2, 1]);
    expect(s.col_var!.shape).toEqual([1, 2]);
    expect(s.variance).toBe(undefined);
  });

  // By hand, step 1 (w = 1^τ = 1, so lerp gives its end exactly): C_j = ‖g_:,j‖² / n, the norm
  // one fused square after the other down the column, in the dtype. 1500 columns: more than
  // the 1024 that the loop sums at a time, so a column past the first block is checked too.
  it.each(["float32", "float64"] as const)("keeps the column means of a matrix 1500 columns wide (%s)", (dtype) => {
    const { round, fma } = ROUNDING[dtype];
    const [n, m] = [3, 1500];
    const grad = Array.from({ length: n * m }, (_, e) => round(Math.sin(e) * (1 + (e % 7))));
    const w = tensor(new Array(n * m).fill(1), { dtype })
      .reshape([n, m])
      .detach()
      .requires_grad_();
    const opt = new optim.Adafactor([w], { lr: 0.01 });
    w.grad = tensor(grad, { dtype }).reshape([n, m]);
    opt.step();
    const want = Array.from({ length: m }, (_, j) => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum = fma(grad[i * m + j]!, grad[i * m + j]!, sum);
      const norm = round(Math.sqrt(sum));
      return round(round(norm * norm) / n);
    });
    expect([...opt.state.get(w)!.col_var!.data.data]).toEqual(want);
  });

  it.each(cases)("resumes bit-identically from a JSON state_dict: $name", (c) => {
    const { resumed, straight } = resumeThroughJson(make, c, 7);
    expect(resumed).toEqual(straight);
  });

  it.each([
    [{ lr: -1 }, "Learning rate should be >= 0 but is: -1"],
    [{ beta2_decay: 0.5 }, "beta2_decay should be <= 0 but is: 0.5"],
    [{ eps: [-1, 1e-3] }, "epsilon1 should be >= 0 but is: -1"],
    [{ eps: [null, -1] }, "epsilon2 should be >= 0 but is: -1"],
    [{ d: 0.5 }, "Clipping threshold d should be >= 1 but is: 0.5"],
    [{ weight_decay: -1 }, "weight_decay should be >= 0 but is: -1"],
  ])("rejects %o with PyTorch's message, leaving the parameter alone", (options, message) => {
    const w = tensor([1, 2], { requires_grad: true });
    expectThrows(() => new optim.Adafactor([w], options as never), message);
    expect(w.tolist()).toEqual([1, 2]);
  });
});
