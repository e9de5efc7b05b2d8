import { describe, expect, it } from "vitest";
import { ROUNDING } from "../../src/kernels/rounding.ts";
import { type Tensor, lab, optim, tensor } from "../../src/index.ts";
import { Optimizer } from "../../src/optim/optimizer.ts";
import type { InspectedStep } from "../../src/lab/inspect.ts";

type DType = "float32" | "float64";

// Deterministic values, different per step and element (no generator involved).
const initial = [0.8, -1.3, 0.25, 2.1, -0.6, 1.7];
const gradient = (step: number): number[] => initial.map((x, i) => Math.sin(3 * step + i) * (0.5 + i / 4) + 0.1 * x);

interface Case {
  name: string;
  make: (params: Tensor[]) => Optimizer;
}

const ADAM_CASES: Case[] = [
  { name: "Adam", make: (p) => new optim.Adam(p, 0.1) },
  { name: "Adam amsgrad", make: (p) => new optim.Adam(p, { lr: 0.05, amsgrad: true }) },
  { name: "Adam weight_decay", make: (p) => new optim.Adam(p, { lr: 0.05, weight_decay: 0.1 }) },
  {
    name: "Adam decoupled_weight_decay maximize",
    make: (p) => new optim.Adam(p, { lr: 0.05, weight_decay: 0.1, decoupled_weight_decay: true, maximize: true }),
  },
  { name: "Adam betas (0.3, 0.9) (lerp's second form)", make: (p) => new optim.Adam(p, { lr: 0.05, betas: [0.3, 0.9] }) },
  { name: "AdamW amsgrad", make: (p) => new optim.AdamW(p, { lr: 0.05, amsgrad: true }) },
  {
    name: "Adam foreach capturable differentiable fused: false",
    make: (p) => new optim.Adam(p, { lr: 0.05, foreach: true, capturable: true, differentiable: true, fused: false }),
  },
];

const SGD_CASES: Case[] = [
  { name: "SGD", make: (p) => new optim.SGD(p, 0.1) },
  { name: "SGD momentum", make: (p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9 }) },
  { name: "SGD momentum dampening weight_decay", make: (p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9, dampening: 0.3, weight_decay: 0.01 }) },
  { name: "SGD nesterov maximize", make: (p) => new optim.SGD(p, { lr: 0.1, momentum: 0.8, nesterov: true, maximize: true }) },
  {
    name: "SGD momentum foreach differentiable fused: false",
    make: (p) => new optim.SGD(p, { lr: 0.1, momentum: 0.5, foreach: true, differentiable: true, fused: false }),
  },
];

/** Runs `steps` steps on a fresh parameter, inspected or not; returns the parameter, the optimizer and the steps recorded. */
function run(c: Case, dtype: DType, steps: number, indices?: number[]) {
  const w = tensor(initial, { dtype, requires_grad: true });
  const opt = c.make([w]);
  const watch = indices === undefined ? null : lab.inspect(opt, { indices });
  const after: number[][] = [];
  for (let k = 0; k < steps; k++) {
    w.grad = tensor(gradient(k), { dtype });
    opt.step();
    after.push([...w.data.data]);
  }
  return { w, opt, watch, after };
}

/** Every state tensor's elements, in a fixed order. */
function stateOf(opt: Optimizer): number[][] {
  const out: number[][] = [];
  for (const s of opt.state.values()) {
    for (const [_k, v] of Object.entries(s as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) {
      if (v !== null && typeof v === "object" && "data" in v) out.push([...(v as Tensor).data.data]);
      else out.push([Number(v)]);
    }
  }
  return out;
}

/** Compares bit for bit (Object.is: −0 and NaN too). */
const sameBits = (a: number[][], b: number[][]): boolean =>
  a.length === b.length && a.every((row, i) => row.length === b[i]!.length && row.every((x, j) => Object.is(x, b[i]![j])));

/** Adam's loop, rebuilt from the recorded terms of one element: each term from the ones before it. */
function rebuildAdam(dtype: DType, group: Record<string, unknown>, s: Record<string, number>, t: Record<string, number>): void {
  const { round, fma, lerp } = ROUNDING[dtype];
  const [beta1, beta2] = group.betas as [number, number];
  const lambda = group.weight_decay as number;
  let g = group.maximize ? -t.grad! : t.grad!;
  let theta = t.theta!;
  if (lambda !== 0 && group.decoupled_weight_decay) {
    theta = round(theta * round(1 - (group.lr as number) * lambda));
    expect(t.theta_decayed).toBe(theta);
  } else if (lambda !== 0) {
    g = fma(theta, round(lambda), g);
  }
  expect(t.g).toBe(g);
  expect(t.m).toBe(lerp(t.m_prev!, g, round(1 - beta1)));
  let v = fma(round(round(1 - beta2) * g), g, round(t.v_prev! * round(beta2)));
  expect(t.v).toBe(v);
  if (group.amsgrad) {
    v = Math.max(t.vmax_prev!, v);
    expect(t.vmax).toBe(v);
  }
  expect(t.denom).toBe(round(round(round(Math.sqrt(v)) / s.bias_correction2_sqrt!) + s.eps!));
  expect(t.update).toBe(round(round(-s.step_size! * t.m!) / t.denom!));
  expect(t.theta_after).toBe(round(theta + t.update!));
}

/** SGD's loop, rebuilt from the recorded terms of one element. */
function rebuildSGD(dtype: DType, group: Record<string, unknown>, t: Record<string, number>): void {
  const { round, fma } = ROUNDING[dtype];
  const mu = group.momentum as number;
  const lambda = group.weight_decay as number;
  let g = group.maximize ? -t.grad! : t.grad!;
  expect(t.g).toBe(g);
  if (lambda !== 0) {
    g = fma(t.theta!, round(lambda), g);
    expect(t.g_decayed).toBe(g);
  }
  let direction = g;
  if (mu !== 0) {
    const buf = t.buf_prev === undefined ? g : fma(g, round(1 - (group.dampening as number)), round(t.buf_prev * round(mu)));
    expect(t.buf).toBe(buf);
    direction = group.nesterov ? fma(buf, round(mu), g) : buf;
  }
  expect(t.direction).toBe(direction);
  expect(t.theta_after).toBe(fma(direction, round(-(group.lr as number)), t.theta!));
}

describe.each(["float32", "float64"] as const)("lab.inspect in %s", (dtype) => {
  describe.each([...ADAM_CASES, ...SGD_CASES].map((c) => [c.name, c] as const))("%s", (_name, c) => {
    it("gives the same bits traced and untraced, and the terms rebuild θ after from θ before", () => {
      const plain = run(c, dtype, 4);
      const traced = run(c, dtype, 4, [0, 3, 5]);
      expect(sameBits(traced.after, plain.after)).toBe(true);
      expect(sameBits(stateOf(traced.opt), stateOf(plain.opt))).toBe(true);
      const steps = traced.watch!.steps;
      expect(steps.map((s) => s.step)).toEqual([1, 2, 3, 4]);
      const group = traced.opt.param_groups[0] as unknown as Record<string, unknown>;
      steps.forEach((s, k) => {
        const [p] = s.params;
        expect(p!.elements.map((e) => e.index)).toEqual([0, 3, 5]);
        for (const e of p!.elements) {
          // the recorded θ before and after are the parameter's values before and after the step
          expect(e.terms.theta).toBe(k === 0 ? tensor(initial, { dtype }).data.data[e.index] : traced.after[k - 1]![e.index]);
          expect(e.terms.theta_after).toBe(traced.after[k]![e.index]);
          expect(e.terms.grad).toBe(tensor(gradient(k), { dtype }).data.data[e.index]);
          if (c.name.startsWith("SGD")) rebuildSGD(dtype, group, e.terms);
          else rebuildAdam(dtype, group, p!.scalars, e.terms);
        }
      });
      if (!c.name.startsWith("SGD")) {
        // the moments recorded at the last step are the state the optimizer keeps
        const state = [...traced.opt.state.values()][0] as { exp_avg: Tensor; exp_avg_sq: Tensor };
        const last = steps[3]!.params[0]!;
        for (const e of last.elements) {
          expect(e.terms.m).toBe(state.exp_avg.data.data[e.index]);
          expect(e.terms.v).toBe(state.exp_avg_sq.data.data[e.index]);
        }
        expect(last.scalars.t).toBe(4);
      }
    });
  });
});

describe("lab.inspect", () => {
  it("records each group's own lr, the lr a scheduler set, and steps taken with a closure", () => {
    const a = tensor([1, 2], { dtype: "float64", requires_grad: true });
    const b = tensor([3], { dtype: "float64", requires_grad: true });
    const opt = new optim.SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1, momentum: 0.9 });
    const scheduler = new optim.lr_scheduler.StepLR(opt, 1, 0.5);
    const watch = lab.inspect(opt);
    const used: number[][] = [];
    for (let k = 0; k < 3; k++) {
      used.push(opt.param_groups.map((g) => g.lr));
      opt.step(() => {
        a.grad = tensor([1, -1], { dtype: "float64" });
        b.grad = tensor([2], { dtype: "float64" });
        return 0;
      });
      scheduler.step();
    }
    expect(watch.steps.map((s) => s.params.map((p) => p.scalars.lr))).toEqual(used);
    expect(used).toEqual([
      [0.1, 0.5],
      [0.05, 0.25],
      [0.025, 0.125],
    ]);
    expect(watch.steps[0]!.params.map((p) => [p.param, p.group, p.shape])).toEqual([
      [0, 0, [2]],
      [1, 1, [1]],
    ]);
    // θ after = θ − γ·b, with γ the recorded lr: 3 − 0.5·2 on the first step
    expect(watch.steps[0]!.params[1]!.elements[0]!.terms.theta_after).toBe(2);
  });

  it("is plain data: JSON keeps every field", () => {
    const w = tensor([0.5, -0.25, 1], { requires_grad: true });
    const opt = new optim.Adam([w], 0.01);
    const watch = lab.inspect(opt, { indices: [1] });
    w.grad = tensor([1, 2, 3]);
    opt.step();
    const data = JSON.parse(JSON.stringify(watch)) as { optimizer: string; steps: InspectedStep[]; explanations: Record<string, string> };
    expect(data.optimizer).toBe("Adam");
    expect(data.steps).toEqual(watch.steps);
    expect(data.explanations.denom).toBe(watch.explain("denom"));
    expect(Object.keys(data.steps[0]!.params[0]!.elements[0]!.terms)).toEqual([
      "theta",
      "grad",
      "g",
      "m_prev",
      "m",
      "v_prev",
      "v",
      "denom",
      "update",
      "theta_after",
    ]);
  });

  it("prints a table of the last step, with a line per term saying what it is", () => {
    const w = tensor([1, -1], { dtype: "float64", requires_grad: true });
    const opt = new optim.Adam([w], 0.1);
    const watch = lab.inspect(opt);
    expect(watch.toString()).toBe("Adam: no step recorded yet");
    w.grad = tensor([0.5, -2], { dtype: "float64" });
    opt.step();
    const text = watch.toString();
    expect(text.split("\n").slice(0, 4)).toEqual([
      "Adam, step 1",
      "parameter 0 (group 0, shape [2])",
      "  t = 1 · lr = 0.1 · beta1 = 0.9 · beta2 = 0.999 · eps = 1e-8 · weight_decay = 0 · step_size = 1 · bias_correction2_sqrt = 0.0316228",
      "  term             [0]    [1]",
    ]);
    // one row per term, one column per element: m = (1 − β1)·g, v = (1 − β2)·g², θ moves by lr
    expect(text).toContain("\n  m_prev             0      0\n  m               0.05   -0.2\n  v_prev             0      0\n  v            0.00025  0.004\n");
    expect(text).toContain("\n  update          -0.1    0.1\n  theta_after      0.9   -0.9\nwhere\n");
    expect(text).toContain(`  m                      ${watch.explain("m")}`);
  });

  it("stops at close(), and refuses bad arguments without attaching", () => {
    const w = tensor([1, 2, 3], { requires_grad: true });
    const other = tensor([1], { requires_grad: true });
    const opt = new optim.SGD([w], 0.1);
    expect(() => lab.inspect(opt, { indices: [3] })).toThrow("lab.inspect: index 3 is out of range for a parameter of 3 elements");
    expect(() => lab.inspect(opt, { params: [other] })).toThrow("lab.inspect: a watched parameter is not one of the optimizer's parameters");
    const watch = lab.inspect(opt, { indices: [2] });
    expect(() => lab.inspect(opt)).toThrow("lab.inspect: this optimizer is already inspected; close() the other inspector first");
    expect(() => watch.explain("vmax")).toThrow('SGD records no term "vmax"');
    w.grad = tensor([1, 1, 1]);
    opt.step();
    watch.close();
    opt.step();
    expect(watch.steps.length).toBe(1);
    class Plain extends Optimizer {}
    expect(() => lab.inspect(new Plain([other], { lr: 0.1 }))).toThrow("lab.inspect does not trace Plain (it traces SGD, Adagrad");
  });
});
