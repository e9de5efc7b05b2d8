// lab.inspect on every elementwise optimizer beyond Adam and SGD (test/lab/inspect.test.ts):
// a traced run is bit-identical to an untraced one (parameters and state, float32 and
// float64), the recorded terms rebuild θ after from θ before op by op (inspect_rebuild.ts),
// the terms chain from step to step as the state does, and the last step's terms are the
// state the optimizer keeps. Gradients are deterministic (no generator), as in inspect.test.ts.
import { describe, expect, it } from "vitest";
import { type Tensor, lab, optim, tensor } from "../../src/index.ts";
import type { Optimizer } from "../../src/optim/optimizer.ts";
import {
  type DType,
  type Group,
  type Rebuild,
  rebuildASGD,
  rebuildAdadelta,
  rebuildAdagrad,
  rebuildAdamax,
  rebuildNAdam,
  rebuildRAdam,
  rebuildRMSprop,
  rebuildRprop,
} from "./inspect_rebuild.ts";

const initial = [0.8, -1.3, 0.25, 2.1, -0.6, 1.7];
const gradient = (step: number): number[] => initial.map((x, i) => Math.sin(3 * step + i) * (0.5 + i / 4) + 0.1 * x);
const STEPS = 8;
const WATCH = [0, 3, 5];

interface Case {
  name: string;
  make: (params: Tensor[]) => Optimizer;
  rebuild: Rebuild;
  /** Term (after the step) → the state key that holds it. */
  state: Record<string, string>;
  /** Term before the step → the term after it that the next step starts from. */
  chain: Record<string, string>;
}

const adagrad = (name: string, make: Case["make"]): Case => ({ name, make, rebuild: rebuildAdagrad, state: { s: "sum" }, chain: { s_prev: "s" } });
const adadelta = (name: string, make: Case["make"]): Case => ({
  name,
  make,
  rebuild: rebuildAdadelta,
  state: { v: "square_avg", u: "acc_delta" },
  chain: { v_prev: "v", u_prev: "u" },
});
const adamax = (name: string, make: Case["make"]): Case => ({
  name,
  make,
  rebuild: rebuildAdamax,
  state: { m: "exp_avg", u: "exp_inf" },
  chain: { m_prev: "m", u_prev: "u" },
});
const moments = { state: { m: "exp_avg", v: "exp_avg_sq" }, chain: { m_prev: "m", v_prev: "v" } };
const rmsprop = (name: string, make: Case["make"], centered: boolean, momentum: boolean): Case => ({
  name,
  make,
  rebuild: rebuildRMSprop,
  state: { v: "square_avg", ...(centered ? { gbar: "grad_avg" } : {}), ...(momentum ? { buf: "momentum_buffer" } : {}) },
  chain: { v_prev: "v", ...(centered ? { gbar_prev: "gbar" } : {}), ...(momentum ? { buf_prev: "buf" } : {}) },
});
const rprop = (name: string, make: Case["make"]): Case => ({
  name,
  make,
  rebuild: rebuildRprop,
  state: { eta: "step_size", g_kept: "prev" },
  chain: { eta_prev: "eta", g_prev: "g_kept" },
});
const asgd = (name: string, make: Case["make"]): Case => ({ name, make, rebuild: rebuildASGD, state: { ax: "ax" }, chain: { ax_prev: "ax" } });

const CASES: Case[] = [
  adagrad("Adagrad", (p) => new optim.Adagrad(p, 0.1)),
  adagrad("Adagrad lr_decay weight_decay initial_accumulator_value", (p) => new optim.Adagrad(p, 0.1, 0.05, 0.1, 0.3)),
  adagrad("Adagrad maximize foreach differentiable", (p) => new optim.Adagrad(p, { lr: 0.1, maximize: true, foreach: true, differentiable: true })),
  adadelta("Adadelta", (p) => new optim.Adadelta(p, { eps: 1e-2 })),
  adadelta("Adadelta rho weight_decay maximize", (p) => new optim.Adadelta(p, 0.5, 0.5, 1e-3, 0.1, { maximize: true })),
  adadelta("Adadelta foreach capturable differentiable", (p) => new optim.Adadelta(p, { foreach: false, capturable: true, differentiable: true })),
  adamax("Adamax", (p) => new optim.Adamax(p, 0.05)),
  adamax("Adamax weight_decay maximize", (p) => new optim.Adamax(p, { lr: 0.05, weight_decay: 0.1, maximize: true })),
  adamax("Adamax betas (0.3, 0.9) (lerp's second form) foreach", (p) => new optim.Adamax(p, { lr: 0.05, betas: [0.3, 0.9], foreach: true })),
  { name: "NAdam", make: (p) => new optim.NAdam(p, 0.05), rebuild: rebuildNAdam, ...moments },
  { name: "NAdam weight_decay momentum_decay", make: (p) => new optim.NAdam(p, 0.05, [0.9, 0.99], 1e-8, 0.1, 0.01), rebuild: rebuildNAdam, ...moments },
  {
    name: "NAdam decoupled_weight_decay maximize",
    make: (p) => new optim.NAdam(p, { lr: 0.05, weight_decay: 0.1, decoupled_weight_decay: true, maximize: true }),
    rebuild: rebuildNAdam,
    ...moments,
  },
  {
    name: "NAdam betas (0.3, 0.9) capturable differentiable",
    make: (p) => new optim.NAdam(p, { lr: 0.05, betas: [0.3, 0.9], capturable: true, differentiable: true }),
    rebuild: rebuildNAdam,
    ...moments,
  },
  { name: "RAdam (rectified from step 6)", make: (p) => new optim.RAdam(p, 0.05), rebuild: rebuildRAdam, ...moments },
  { name: "RAdam weight_decay", make: (p) => new optim.RAdam(p, { lr: 0.05, weight_decay: 0.1 }), rebuild: rebuildRAdam, ...moments },
  {
    name: "RAdam decoupled_weight_decay maximize",
    make: (p) => new optim.RAdam(p, 0.05, [0.9, 0.999], 1e-8, 0.1, true, { maximize: true }),
    rebuild: rebuildRAdam,
    ...moments,
  },
  {
    name: "RAdam betas (0.3, 0.9) foreach",
    make: (p) => new optim.RAdam(p, { lr: 0.05, betas: [0.3, 0.9], foreach: true }),
    rebuild: rebuildRAdam,
    ...moments,
  },
  rmsprop("RMSprop", (p) => new optim.RMSprop(p, 0.01), false, false),
  rmsprop("RMSprop centered", (p) => new optim.RMSprop(p, { lr: 0.01, centered: true }), true, false),
  rmsprop("RMSprop momentum", (p) => new optim.RMSprop(p, { lr: 0.01, momentum: 0.9 }), false, true),
  rmsprop(
    "RMSprop centered momentum weight_decay maximize alpha 0.3 (lerp's second form)",
    (p) => new optim.RMSprop(p, 0.01, 0.3, 1e-8, 0.1, 0.5, true, { maximize: true }),
    true,
    true,
  ),
  rmsprop("RMSprop capturable foreach differentiable", (p) => new optim.RMSprop(p, { capturable: true, foreach: true, differentiable: true }), false, false),
  rprop("Rprop", (p) => new optim.Rprop(p, 0.1)),
  rprop("Rprop etas step_sizes (clamped) maximize", (p) => new optim.Rprop(p, 0.1, [0.3, 1.5], [0.05, 0.2], { maximize: true })),
  rprop("Rprop capturable foreach differentiable", (p) => new optim.Rprop(p, { capturable: true, foreach: true, differentiable: true })),
  asgd("ASGD averaging from t0 = 2", (p) => new optim.ASGD(p, { lr: 0.1, lambd: 0.01, t0: 2 })),
  asgd("ASGD weight_decay maximize alpha", (p) => new optim.ASGD(p, 0.1, 0.05, 0.5, 3, 0.1, null, true)),
  asgd("ASGD foreach differentiable capturable", (p) => new optim.ASGD(p, { foreach: true, differentiable: true, capturable: true })),
];

/** Runs STEPS steps on a fresh parameter, inspected or not. */
function run(c: Case, dtype: DType, inspected: boolean) {
  const w = tensor(initial, { dtype, requires_grad: true });
  const opt = c.make([w]);
  const watch = inspected ? lab.inspect(opt, { indices: WATCH }) : null;
  const after: number[][] = [];
  for (let k = 0; k < STEPS; k++) {
    w.grad = tensor(gradient(k), { dtype });
    opt.step();
    after.push([...w.data.data]);
  }
  return { opt, watch, after };
}

/** Every state entry's elements, by key. */
function stateOf(opt: Optimizer): Record<string, number[]> {
  const [s] = [...opt.state.values()] as Record<string, unknown>[];
  return Object.fromEntries(
    Object.entries(s!).map(([k, v]) => [k, v !== null && typeof v === "object" && "data" in v ? [...(v as Tensor).data.data] : [Number(v)]]),
  );
}

/** Bit for bit (Object.is: −0 and NaN too). */
const sameBits = (a: unknown, b: unknown): boolean => {
  if (typeof a === "number" && typeof b === "number") return Object.is(a, b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameBits(x, b[i]));
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    const [ka, kb] = [Object.keys(a).sort(), Object.keys(b).sort()];
    return sameBits(ka.length, kb.length) && ka.every((k, i) => k === kb[i] && sameBits((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
};

describe.each(["float32", "float64"] as const)("lab.inspect in %s", (dtype) => {
  describe.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const plain = run(c, dtype, false);
    const traced = run(c, dtype, true);
    const steps = traced.watch!.steps;
    const group = traced.opt.param_groups[0] as unknown as Group;

    it("gives the same bits traced and untraced: parameters after every step, and the state", () => {
      expect(sameBits(traced.after, plain.after)).toBe(true);
      expect(sameBits(stateOf(traced.opt), stateOf(plain.opt))).toBe(true);
    });

    it("records terms that rebuild θ after from θ before, op by op, at every step", () => {
      expect(steps.map((s) => s.step)).toEqual(Array.from({ length: STEPS }, (_, k) => k + 1));
      steps.forEach((s, k) => {
        const [p] = s.params;
        expect(p!.elements.map((e) => e.index)).toEqual(WATCH);
        expect(p!.scalars.t).toBe(k + 1);
        for (const e of p!.elements) {
          expect(e.terms.theta).toBe(k === 0 ? tensor(initial, { dtype }).data.data[e.index] : traced.after[k - 1]![e.index]);
          expect(e.terms.grad).toBe(tensor(gradient(k), { dtype }).data.data[e.index]);
          expect(e.terms.theta_after).toBe(traced.after[k]![e.index]);
          c.rebuild(dtype, group, p!.scalars, e.terms);
        }
      });
    });

    it("records terms that chain from step to step, and end as the state the optimizer keeps", () => {
      for (let k = 1; k < STEPS; k++) {
        const [before, now] = [steps[k - 1]!.params[0]!.elements, steps[k]!.params[0]!.elements];
        now.forEach((e, i) => {
          for (const [prev, next] of Object.entries(c.chain)) expect(e.terms[prev]).toBe(before[i]!.terms[next]);
        });
      }
      const state = stateOf(traced.opt);
      for (const e of steps[STEPS - 1]!.params[0]!.elements) {
        for (const [term, key] of Object.entries(c.state)) expect(e.terms[term]).toBe(state[key]![e.index]);
      }
    });

    it("explains every term and scalar it records, in one line", () => {
      const names = new Set(steps.flatMap((s) => s.params.flatMap((p) => [...Object.keys(p.scalars), ...p.elements.flatMap((e) => Object.keys(e.terms))])));
      for (const n of names) expect(traced.watch!.explain(n)).toMatch(/^[^\n]+$/);
    });
  });
});
