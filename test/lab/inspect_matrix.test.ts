// lab.inspect on Adafactor and Muon, whose update of an element depends on its whole
// parameter: traced runs are bit-identical to untraced ones (float32, float64), and the
// recorded terms, with every element watched, rebuild θ after from θ before: the norms
// and means over the parameter from the recorded elements, each element's update from them
// (Adafactor op by op in the dtype, its norms in the order torch 1.13's kernels sum them).
import { describe, expect, it } from "vitest";
import { type Tensor, lab, optim, tensor } from "../../src/index.ts";
import { ROUNDING } from "../../src/kernels/rounding.ts";
import * as libm from "../../src/math/libm.ts";
import type { Optimizer } from "../../src/optim/optimizer.ts";
import type { InspectedParam } from "../../src/lab/inspect.ts";
import type { DType } from "./inspect_rebuild.ts";

const initial = [0.8, -1.3, 0.25, 2.1, -0.6, 1.7];
const gradient = (step: number): number[] => initial.map((x, i) => Math.sin(3 * step + i) * (0.5 + i / 4) + 0.1 * x);
const STEPS = 5;

/** PyTorch's lerp kernel, in doubles, as both optimizers compute it before storing. */
const lerp = (x: number, y: number, w: number): number => (Math.abs(w) < 0.5 ? x + w * (y - x) : y - (y - x) * (1 - w));
const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);

function run(make: (p: Tensor[]) => Optimizer, shape: number[], dtype: DType, inspected: boolean) {
  const w = tensor(initial, { dtype, requires_grad: true }).reshape(shape).detach().requires_grad_();
  const opt = make([w]);
  const watch = inspected ? lab.inspect(opt) : null;
  const after: number[][] = [];
  for (let k = 0; k < STEPS; k++) {
    w.grad = tensor(gradient(k), { dtype }).reshape(shape);
    opt.step();
    after.push([...w.data.data]);
  }
  const state = [...opt.state.values()].flatMap((s) => Object.values(s as object).map((v) => (typeof v === "number" ? [v] : [...(v as Tensor).data.data])));
  return { opt, watch, after, state };
}

const sameBits = (a: number[][], b: number[][]): boolean =>
  a.length === b.length && a.every((row, i) => row.length === b[i]!.length && row.every((x, j) => Object.is(x, b[i]![j])));

const terms = (p: InspectedParam, name: string): number[] => p.elements.map((e) => e.terms[name]!);

type Matrix = number[][];
const matmul = (P: Matrix, Q: Matrix): Matrix => P.map((row) => Q[0]!.map((_, j) => row.reduce((acc, x, k) => acc + x * Q[k]![j]!, 0)));
const transpose = (P: Matrix): Matrix => P[0]!.map((_, j) => P.map((row) => row[j]!));
const combine = (a: number, P: Matrix, Q: Matrix): Matrix => P.map((row, i) => row.map((x, j) => a * x + Q[i]![j]!));
const scale = (a: number, P: Matrix): Matrix => P.map((row) => row.map((x) => a * x));

/**
 * Muon's orthogonalised update O, rebuilt from the recorded x (U / max(‖U‖, ε), every element
 * watched) by PyTorch's `zeropower_via_newtonschulz` written out on nested arrays, in its own
 * operation order: X = Uᵀ when r > s; k times A = X@X.T, B = b·A + (c·A)@A, X = a·X + B@X;
 * O = X, or Xᵀ. A separate computation from muon.ts's flat loops, in doubles as gradlab runs
 * it (PyTorch's own runs in bfloat16: gradlab agrees with it to ~3 digits only).
 */
function newtonSchulzO(p: InspectedParam, [a, b, c]: number[], steps: number): Matrix {
  const [r, s] = p.shape as [number, number];
  const x = terms(p, "x");
  const U: Matrix = Array.from({ length: r }, (_, i) => x.slice(i * s, (i + 1) * s));
  let X = r > s ? transpose(U) : U;
  for (let k = 0; k < steps; k++) {
    const A = matmul(X, transpose(X));
    const B = combine(b!, A, matmul(scale(c!, A), A));
    X = combine(a!, X, matmul(B, X));
  }
  return r > s ? transpose(X) : X;
}

function rebuildMuon(dtype: DType, group: Record<string, unknown>, p: InspectedParam): void {
  const O = newtonSchulzO(p, group.ns_coefficients as number[], group.ns_steps as number);
  expect(terms(p, "o")).toEqual(O.flat());
  const { round } = ROUNDING[dtype];
  const [lr, mu, lambda] = [group.lr, group.momentum, group.weight_decay] as number[];
  for (const { terms: e } of p.elements) {
    expect(e.buf).toBe(round(lerp(e.buf_prev!, e.grad!, 1 - mu!)));
    expect(e.u).toBe(group.nesterov ? lerp(e.grad!, e.buf!, mu!) : e.buf);
    expect(e.x).toBe(e.u! / p.scalars.norm!);
    expect(e.theta_decayed).toBe(round(e.theta! * (1 - lr! * lambda!)));
    expect(e.theta_after).toBe(round(e.theta_decayed! - p.scalars.adjusted_lr! * e.o!));
  }
  const u = terms(p, "u");
  expect(p.scalars.norm).toBe(Math.max(Math.sqrt(sum(u.map((x) => x * x))), group.eps as number));
  const [r, c] = p.shape as [number, number];
  expect(p.scalars.adjusted_lr).toBe(group.adjust_lr_fn === "match_rms_adamw" ? lr! * (0.2 * Math.sqrt(Math.max(r, c))) : lr! * Math.sqrt(Math.max(1, r / c)));
}

/**
 * ‖x‖ in the dtype, summed as torch 1.13's CPU vector_norm was measured to sum a contiguous
 * float32 run (tools/fixtures/optim_adafactor.py): eight fused lanes over the blocks of 8,
 * the lanes added in order, then a block of 4 rounded squares, then the rest fused; one
 * fused square after the other across rows (dim=-2) and in float64.
 */
function normOf(x: number[], dtype: DType, contiguous = true): number {
  const { round, fma } = ROUNDING[dtype];
  if (dtype === "float64" || !contiguous) return round(Math.sqrt(x.reduce((acc, v) => fma(v, v, acc), 0)));
  const body = x.length - (x.length % 8);
  const lanes = [0, 1, 2, 3, 4, 5, 6, 7].map((j) => x.slice(0, body).reduce((acc, v, k) => (k % 8 === j ? fma(v, v, acc) : acc), 0));
  let sum = body === 0 ? 0 : lanes.slice(1).reduce((acc, lane) => round(acc + lane), lanes[0]!);
  const fours = x.length - ((x.length - body) % 4);
  for (const v of x.slice(body, fours)) sum = round(sum + round(v * v));
  for (const v of x.slice(fours)) sum = fma(v, v, sum);
  return round(Math.sqrt(sum));
}

/** Σ R over the rows, as the contiguous sum kernel adds them (fewer than 8 rows here: the block of 4, if any, after the rest). */
function rowSum(rows: number[], dtype: DType): number {
  const { round } = ROUNDING[dtype];
  if (dtype === "float64") return rows.reduce((acc, v) => acc + v, 0);
  const body = rows.length - (rows.length % 4);
  return rows.slice(0, body).reduce(
    (acc, v) => round(acc + v),
    rows.slice(body).reduce((acc, v) => round(acc + v), 0),
  );
}

/** Adafactor's step rebuilt op by op as current PyTorch's _single_tensor_adafactor runs it, each tensor op rounded to the dtype. */
function rebuildAdafactor(dtype: DType, group: Record<string, unknown>, p: InspectedParam): void {
  const { round, fma, lerp: lerpIn } = ROUNDING[dtype];
  const s = p.scalars;
  const [lr, lambda, d] = [group.lr, group.weight_decay, group.d] as number[];
  expect(s.w).toBe(libm.pow(s.t!, group.beta2_decay as number));
  expect(s.rho).toBe(Math.min(lr!, 1 / Math.sqrt(s.t!)));
  const theta = terms(p, "theta");
  expect(s.a).toBe(Math.max(s.eps2!, normOf(theta, dtype) / Math.sqrt(theta.length)) * s.rho!);
  const floor = round(s.eps1! * s.eps1!);
  const vector = p.shape.length === 1;
  if (!vector) {
    const [n, m] = p.shape.slice(-2) as [number, number];
    const rows = p.elements.filter((e) => e.index % m === 0).map((e) => e.terms.row_var!); // one element per row
    expect(new Set(terms(p, "row_mean")).size).toBe(1);
    expect(p.elements[0]!.terms.row_mean).toBe(Math.max(round(rowSum(rows, dtype) / n), round(s.eps1!)));
  }
  for (const { terms: e } of p.elements) {
    expect(e.g).toBe(group.maximize ? -e.grad! : e.grad!);
    const decayed = lambda === 0 ? e.theta! : round(e.theta! * round(1 - lr! * lambda!));
    if (lambda !== 0) expect(e.theta_decayed).toBe(decayed);
    if (vector) expect(e.v).toBe(lerpIn(e.v_prev!, round(e.g! * e.g!), round(s.w!)));
    else expect(e.vhat).toBe(round(round(e.row_var! * e.col_var!) / e.row_mean!));
    expect(e.u).toBe(round(round(1 / round(Math.sqrt(Math.max(vector ? e.v! : e.vhat!, floor)))) * e.g!));
    expect(e.theta_after).toBe(fma(e.u!, round(-s.scale!), decayed));
  }
  const uNorm = normOf(terms(p, "u"), dtype);
  expect(s.u_rms).toBe(uNorm / Math.sqrt(p.elements.length));
  expect(s.scale).toBe(s.a! / Math.max(1, uNorm / (Math.sqrt(p.elements.length) * d!)));
}

const CASES: [string, (p: Tensor[]) => Optimizer, number[]][] = [
  ["Muon 2×3", (p) => new optim.Muon(p, { lr: 0.05, weight_decay: 0.1 }), [2, 3]],
  ["Muon 3×2 (transposed) nesterov off, match_rms_adamw", (p) => new optim.Muon(p, { lr: 0.05, nesterov: false, adjust_lr_fn: "match_rms_adamw" }), [3, 2]],
  ["Muon 2×3 ns_steps 3, ns_coefficients (2, −1.5, 0.5)", (p) => new optim.Muon(p, { lr: 0.05, ns_steps: 3, ns_coefficients: [2, -1.5, 0.5] }), [2, 3]],
  ["Adafactor vector", (p) => new optim.Adafactor(p, { lr: 0.05 }), [6]],
  ["Adafactor vector weight_decay maximize", (p) => new optim.Adafactor(p, { lr: 0.05, weight_decay: 0.1, maximize: true }), [6]],
  ["Adafactor matrix 2×3", (p) => new optim.Adafactor(p, { lr: 0.05, weight_decay: 0.1 }), [2, 3]],
  ["Adafactor matrix 3×2, d = 1 (clipped)", (p) => new optim.Adafactor(p, { lr: 0.05, d: 1 }), [3, 2]],
];

describe.each(["float32", "float64"] as const)("lab.inspect on Adafactor and Muon, in %s", (dtype) => {
  describe.each(CASES)("%s", (name, make, shape) => {
    const plain = run(make, shape, dtype, false);
    const traced = run(make, shape, dtype, true);

    it("gives the same bits traced and untraced", () => {
      expect(sameBits(traced.after, plain.after)).toBe(true);
      expect(sameBits(traced.state, plain.state)).toBe(true);
    });

    it("records terms that rebuild θ after from θ before, with the parameter's norms from its elements", () => {
      const group = traced.opt.param_groups[0] as unknown as Record<string, unknown>;
      traced.watch!.steps.forEach((s, k) => {
        const [p] = s.params;
        expect(terms(p!, "theta_after")).toEqual(traced.after[k]);
        if (name.startsWith("Muon")) rebuildMuon(dtype, group, p!);
        else rebuildAdafactor(dtype, group, p!);
        for (const n of [...Object.keys(p!.scalars), ...Object.keys(p!.elements[0]!.terms)]) expect(traced.watch!.explain(n)).toMatch(/^[^\n]+$/);
      });
    });
  });
});
