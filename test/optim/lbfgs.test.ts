import { describe, expect, it } from "vitest";
import { type Tensor, optim, tensor } from "gradlab";
import { TOL, assertCloseAt, fixture } from "../helpers.ts";
import { assertTrajectory } from "./tolerance.ts";
import { expectThrows } from "./trajectory_cases.ts";
import { cubic_interpolate } from "../../src/optim/strong_wolfe.ts";

// expected values: tools/fixtures/optim_lbfgs.py (torch 1.13, float64; its LBFGS and
// strong-Wolfe line search are current PyTorch's). Each case records, after every call of
// step(closure): the loss step returned, the parameters, func_evals and n_iter.
interface LbfgsCase {
  name: string;
  problem: "rosenbrock" | "least_squares";
  options: Record<string, unknown>;
  steps: number;
  trajectory: { loss: number; params: number[][]; func_evals: number; n_iter: number }[];
}
interface LbfgsFixture {
  problems: { rosenbrock: { init: number[][] }; least_squares: { init: number[][]; A: number[][]; b: number[] } };
  cases: LbfgsCase[];
}
const { problems, cases } = fixture<LbfgsFixture>("optim/lbfgs");

// torch's CPU `add_(other, alpha)` (θ + t·d and the two-loop recursion's axpys) rounds once,
// as a fused multiply-add; gradlab's float64 LBFGS does the same with an exact software FMA
// (fma64 in src/kernels/rounding.ts). Without it the last-bit differences grew along
// Rosenbrock's curved valley to ~1e-11 in the strong-Wolfe case; with it every case stays
// within TOL.float64. Evaluation and iteration counts agree exactly in every case.

/** The case's loss, built from tensor ops as the fixture builds it in torch. */
function lossOf(problem: LbfgsCase["problem"], params: Tensor[]): Tensor {
  if (problem === "rosenbrock") {
    const [x, y] = params as [Tensor, Tensor];
    const oneMinusX = x.neg().add(1);
    const yMinusX2 = y.sub(x.mul(x));
    return oneMinusX.mul(oneMinusX).add(yMinusX2.mul(yMinusX2).mul(100)).sum();
  }
  const [w, c] = params as [Tensor, Tensor];
  const A = tensor(problems.least_squares.A, { dtype: "float64" });
  const b = tensor(problems.least_squares.b, { dtype: "float64" });
  const r = A.mul(w).sum(1).add(c).sub(b);
  return r.mul(r).sum();
}

function run(c: LbfgsCase, options = c.options) {
  const params = problems[c.problem].init.map((v) => tensor(v, { dtype: "float64", requires_grad: true }));
  const opt = new optim.LBFGS(params, options as never);
  const closure = (): Tensor => {
    opt.zero_grad();
    const loss = lossOf(c.problem, params);
    loss.backward();
    return loss;
  };
  return { params, opt, closure };
}

describe("LBFGS", () => {
  it.each(cases)("follows PyTorch's trajectory: $name", (c) => {
    const { params, opt, closure } = run(c);
    for (const [k, expected] of c.trajectory.entries()) {
      const loss = opt.step(closure);
      const tol = TOL.float64;
      assertCloseAt(`step ${k} loss`, loss.item(), expected.loss, tol);
      assertTrajectory([params.map((p) => p.tolist() as number[])], [expected.params], tol);
      const s = opt.state.get(params[0]!)!;
      expect([s.func_evals, s.n_iter], `step ${k} evaluations`).toEqual([expected.func_evals, expected.n_iter]);
    }
  });

  it.each(cases)("resumes bit-identically from a JSON state_dict: $name", (c) => {
    const straight = run(c);
    const resumed = run(c);
    for (let k = 0; k < 2; k++) {
      straight.opt.step(straight.closure);
      resumed.opt.step(resumed.closure);
    }
    const saved = JSON.parse(JSON.stringify(resumed.opt.state_dict()));
    const fresh = new optim.LBFGS(resumed.params, c.options as never);
    fresh.load_state_dict(saved);
    const closure = (): Tensor => {
      fresh.zero_grad();
      const loss = lossOf(c.problem, resumed.params);
      loss.backward();
      return loss;
    };
    for (let k = 2; k < c.steps; k++) {
      expect(fresh.step(closure).item()).toBe(straight.opt.step(straight.closure).item());
    }
    expect(resumed.params.map((p) => p.tolist())).toEqual(straight.params.map((p) => p.tolist()));
  });

  // By hand, one step on f(x) = (x − 1)² from x = 3 with lr 1, max_iter 2 (max_eval 10, so
  // the default ⌊2·5/4⌋ = 2 evaluations does not stop it after one iteration), no line search:
  //   iteration 1: g = 4, d = −4, t = min(1, 1/4)·1 = 0.25;  x ← 3 − 1 = 2;  f = 1, g = 2
  //   iteration 2: y = 2 − 4 = −2, s = 0.25·(−4) = −1, yᵀs = 2 > 1e-10, so ρ = 0.5, H₀ = 2/4 = 0.5
  //     q = −2;  α = s·q·ρ = 1;  q ← −2 − 1·(−2) = 0;  d = 0.5·0 = 0;  β = 0;  d ← 0 + (1 − 0)·(−1) = −1
  //     t = 1;  x ← 2 − 1 = 1, the minimum (the secant step is exact on a quadratic)
  it("matches one step worked by hand", () => {
    const x = tensor([3], { dtype: "float64", requires_grad: true });
    const opt = new optim.LBFGS([x], { max_iter: 2, max_eval: 10 });
    const loss = opt.step(() => {
      opt.zero_grad();
      const l = x.sub(1).mul(x.sub(1)).sum();
      l.backward();
      return l;
    });
    expect([loss.item(), x.item()]).toEqual([4, 1]);
    const s = opt.state.get(x)!;
    expect([s.ro, s.H_diag, s.t, s.func_evals, s.n_iter]).toEqual([[0.5], 0.5, 1, 2, 2]);
  });

  // The cubic through (0, f 1, slope −1) and (1, f 1, slope 1) is x³ − … symmetric about 0.5:
  // d1 = −1 + 1 − 3·0/(−1) = 0, d2 = √(0 + 1) = 1, min = 1 − 1·((1 + 1 − 0)/(1 + 1 + 2)) = 0.5.
  it("interpolates the cubic's minimiser by hand", () => {
    expect(cubic_interpolate(0, 1, -1, 1, 1, 1)).toBe(0.5);
    // No real minimiser: d1 = 1 + 1 − 3·(0 − 0.9)/(0 − 1) = −0.7, d1² − g1·g2 = 0.49 − 1 < 0,
    // so the midpoint of the bounds.
    expect(cubic_interpolate(0, 0, 1, 1, 0.9, 1, [2, 4])).toBe(3);
  });

  it("returns the loss of the first closure call, before the parameters move", () => {
    const x = tensor([3], { dtype: "float64", requires_grad: true });
    const opt = new optim.LBFGS([x], { line_search_fn: "strong_wolfe" });
    const loss = opt.step(() => {
      opt.zero_grad();
      const l = x.sub(1).mul(x.sub(1)).sum();
      l.backward();
      return l;
    });
    expect(loss.item()).toBe(4);
  });

  it("rejects more than one param group, with PyTorch's message", () => {
    const [a, b] = [tensor([1], { requires_grad: true }), tensor([2], { requires_grad: true })];
    expectThrows(() => new optim.LBFGS([{ params: [a] }, { params: [b] }]), "LBFGS doesn't support per-parameter options (parameter groups)");
  });

  it("rejects a negative lr and an unknown line search, leaving the parameter alone", () => {
    const x = tensor([3], { dtype: "float64", requires_grad: true });
    expectThrows(() => new optim.LBFGS([x], { lr: -1 }), "Invalid learning rate: -1");
    const opt = new optim.LBFGS([x], { line_search_fn: "backtracking" as never });
    expectThrows(() => opt.step(() => x.mul(x).sum()), "only 'strong_wolfe' is supported");
    expect(x.item()).toBe(3);
  });

  it("fills max_eval from max_iter as PyTorch does", () => {
    const x = tensor([3], { requires_grad: true });
    expect(new optim.LBFGS([x], { max_iter: 7 }).param_groups[0]!.max_eval).toBe(8);
    expect(new optim.LBFGS([x]).param_groups[0]!.max_eval).toBe(25);
  });
});
