// lab.inspect with what real training loops do: param groups with their own lr, a scheduler
// changing it between steps, steps taken with a closure (every traced optimizer); SparseAdam's
// sparse gradients; LBFGS's iterations, with and without strong_wolfe. In every case a traced
// run is bit-identical to an untraced one (float32 and float64) and the records add up.
import { describe, expect, it } from "vitest";
import { type Tensor, lab, nn, optim, tensor } from "../../src/index.ts";
import { ROUNDING, fma64, mulAdd } from "../../src/kernels/rounding.ts";
import type { Optimizer } from "../../src/optim/optimizer.ts";
import type { InspectedStep, StepInspector } from "../../src/lab/inspect.ts";
import { type DType, type Group, rebuildSparseAdam } from "./inspect_rebuild.ts";

type Groups = { params: Tensor[]; lr?: number }[];

/** Every traced per-parameter optimizer, on two groups (the second with its own lr). */
const MAKERS: [string, (groups: Groups) => Optimizer][] = [
  ["SGD", (g) => new optim.SGD(g, { lr: 0.1, momentum: 0.9 })],
  ["Adagrad", (g) => new optim.Adagrad(g, 0.1)],
  ["RMSprop", (g) => new optim.RMSprop(g, { lr: 0.01, centered: true })],
  ["Adadelta", (g) => new optim.Adadelta(g, 1)],
  ["Adam", (g) => new optim.Adam(g, 0.1)],
  ["AdamW", (g) => new optim.AdamW(g, 0.1)],
  ["Adamax", (g) => new optim.Adamax(g, 0.1)],
  ["NAdam", (g) => new optim.NAdam(g, 0.1)],
  ["RAdam", (g) => new optim.RAdam(g, 0.1)],
  ["ASGD", (g) => new optim.ASGD(g, { lr: 0.1, t0: 1 })],
  ["Rprop", (g) => new optim.Rprop(g, 0.1)],
  ["Adafactor", (g) => new optim.Adafactor(g, { lr: 0.1 })],
  ["Muon", (g) => new optim.Muon(g, { lr: 0.1 })],
];

const sameBits = (a: number[][], b: number[][]): boolean =>
  a.length === b.length && a.every((row, i) => row.length === b[i]!.length && row.every((x, j) => Object.is(x, b[i]![j])));

/** Four closure steps of two groups under StepLR(γ = 0.5); returns θ after each step, the lrs used and what step returned. */
function trainGroups(make: (groups: Groups) => Optimizer, dtype: DType, inspected: boolean) {
  const a = tensor([[0.5, -1.5, 2]], { dtype, requires_grad: true }); // 2-D, for Muon
  const b = tensor([[1, -0.25]], { dtype, requires_grad: true });
  const opt = make([{ params: [a] }, { params: [b], lr: 0.03 }]);
  const scheduler = new optim.lr_scheduler.StepLR(opt, 1, 0.5);
  const watch = inspected ? lab.inspect(opt, { indices: [0, 1] }) : null;
  const after: number[][] = [];
  const lrs: number[][] = [];
  const losses: number[] = [];
  for (let k = 0; k < 4; k++) {
    lrs.push(opt.param_groups.map((g) => g.lr));
    const loss = opt.step(() => {
      opt.zero_grad();
      const l = a
        .mul(a)
        .mul(a.tanh())
        .sum()
        .add(b.mul(b.add(k)).sum());
      l.backward();
      return l;
    });
    losses.push(loss.item());
    scheduler.step();
    after.push([...a.data.data, ...b.data.data]);
  }
  return { watch, after, lrs, losses };
}

describe.each(["float32", "float64"] as const)("lab.inspect with groups, a scheduler and a closure, in %s", (dtype) => {
  it.each(MAKERS)("%s: same bits, each group's own lr as the scheduler set it, the closure's loss", (name, make) => {
    const plain = trainGroups(make, dtype, false);
    const traced = trainGroups(make, dtype, true);
    expect(sameBits(traced.after, plain.after)).toBe(true);
    expect(traced.losses).toEqual(plain.losses);
    const steps = traced.watch!.steps;
    expect(steps.map((s) => s.params.map((p) => [p.param, p.group, p.shape]))).toEqual(
      Array(4).fill([
        [0, 0, [1, 3]],
        [1, 1, [1, 2]],
      ]),
    );
    expect(steps.map((s) => s.params.map((p) => p.scalars.lr))).toEqual(traced.lrs);
    expect(traced.lrs[3]).toEqual(traced.lrs[0]!.map((lr) => lr / 8));
    if (name === "Rprop") {
      // Rprop's η starts at the lr of its first step (PyTorch reads it once, at the state's creation);
      // the scheduler's later lrs are recorded but do not move η
      expect(steps[0]!.params.map((p) => p.elements[0]!.terms.eta_prev)).toEqual([0.1, 0.03].map(ROUNDING[dtype].round));
    }
    steps.forEach((s, k) => {
      for (const p of s.params) {
        for (const e of p.elements) expect(e.terms.theta_after).toBe(traced.after[k]![p.param * 3 + e.index]);
      }
    });
  });
});

/** Four steps of two sparse embeddings (second group lr 0.05) under StepLR, each step naming other rows. */
function trainSparse(make: (groups: Groups) => Optimizer, dtype: DType, inspected: boolean) {
  const embeddings = [0, 1].map((k) => {
    const e = new nn.Embedding(4, 2, { sparse: true, dtype });
    e.weight.data.data.set([0.5, -1, 1.5, 2, -0.5, 0.25, 1, -2].map((x) => x + k));
    return e;
  });
  const opt = make([{ params: [embeddings[0]!.weight] }, { params: [embeddings[1]!.weight], lr: 0.05 }]);
  const scheduler = new optim.lr_scheduler.StepLR(opt, 1, 0.5);
  const watch = inspected ? lab.inspect(opt, { indices: [0, 3, 4, 7] }) : null;
  const after: number[][] = [];
  const rows = [[0, 2, 0], [1, 2], [3], [0, 1, 2, 3]];
  for (let k = 0; k < 4; k++) {
    opt.zero_grad();
    for (const e of embeddings)
      e.forward(rows[k]!)
        .mul(tensor([[1, -2]], { dtype }).mul(k + 1))
        .sum()
        .backward();
    opt.step();
    scheduler.step();
    after.push(embeddings.flatMap((e) => [...e.weight.data.data]));
  }
  return { opt, watch, after };
}

/** Adagrad's sparse branch, rebuilt: s ← s + g², σ = √s + ε, θ ← fma(−γ̃, g/σ, θ) (an exact FMA in either dtype). */
function rebuildSparseAdagrad(dtype: DType, s: Record<string, number>, e: Record<string, number>): void {
  const { round, fma } = dtype === "float64" ? { round: (x: number) => x, fma: fma64 } : ROUNDING.float32;
  if (e.g === undefined) return expect(e.theta_after).toBe(e.theta);
  expect(e.s).toBe(round(e.s_prev! + round(e.g * e.g)));
  expect(e.std).toBe(round(round(Math.sqrt(e.s!)) + s.eps!));
  expect(e.g_std).toBe(round(e.g / e.std!));
  expect(e.theta_after).toBe(fma(round(-s.clr!), e.g_std!, e.theta!));
}

/**
 * SGD's sparse path, rebuilt: the direction's entries at the element, added one after the other
 * (θ ← fma(−γ, direction_k, θ), exact in either dtype), give θ after; they sum (in order, as
 * to_dense) to the direction, which is g, b, or g + μ·b; b is g on the first step, else
 * μ·b_prev + (1 − τ)·g up to the rounding of the entries it is summed from.
 */
function rebuildSparseSGD(dtype: DType, group: Group, s: Record<string, number>, e: Record<string, number>): void {
  const { round, fma } = dtype === "float64" ? { round: (x: number) => x, fma: fma64 } : ROUNDING.float32;
  const [mu, tau] = [group.momentum as number, group.dampening as number];
  // a sparse tensor's value where it has no entry is +0 (to_dense's zeros), −grad's too
  expect(e.g).toBe(group.maximize && e.grad !== 0 ? -e.grad! : e.grad!);
  const entries = Array.from({ length: e.entries! }, (_, k) => e[`direction_${k + 1}`]!);
  expect(Object.keys(e).filter((k) => k.startsWith("direction_"))).toHaveLength(e.entries!);
  expect(e.direction).toBe(entries.reduce((acc, d) => round(acc + d), 0));
  expect(e.theta_after).toBe(entries.reduce((theta, d) => fma(round(-s.lr!), d, theta), e.theta!));
  const close = (x: number, y: number) => expect(Math.abs(x - y)).toBeLessThanOrEqual((dtype === "float32" ? 4e-7 : 1e-15) * (Math.abs(y) + 1));
  if (mu === 0) return expect(e.direction).toBe(e.g);
  if (e.buf_prev === undefined) expect(e.buf).toBe(e.g);
  else close(e.buf!, mu * e.buf_prev + (1 - tau) * e.g!);
  if (group.nesterov) close(e.direction!, e.g! + mu * e.buf!);
  else expect(e.direction).toBe(e.buf);
}

const SPARSE: [string, (groups: Groups) => Optimizer][] = [
  ["SparseAdam", (g) => new optim.SparseAdam(g, { lr: 0.1 })],
  ["SparseAdam maximize", (g) => new optim.SparseAdam(g, { lr: 0.1, maximize: true })],
  ["Adagrad", (g) => new optim.Adagrad(g, 0.1, 0.1)],
  ["Adagrad maximize", (g) => new optim.Adagrad(g, { lr: 0.1, maximize: true })],
  ["SGD momentum", (g) => new optim.SGD(g, { lr: 0.1, momentum: 0.9 })],
  ["SGD momentum dampening maximize", (g) => new optim.SGD(g, { lr: 0.1, momentum: 0.9, dampening: 0.3, maximize: true })],
  ["SGD nesterov", (g) => new optim.SGD(g, { lr: 0.1, momentum: 0.9, nesterov: true })],
  ["SGD", (g) => new optim.SGD(g, 0.1)],
];

describe.each(["float32", "float64"] as const)("lab.inspect with sparse gradients, in %s", (dtype) => {
  it.each(SPARSE)("%s: same bits, and the terms rebuild θ after, named rows or not", (name, make) => {
    const plain = trainSparse(make, dtype, false);
    const traced = trainSparse(make, dtype, true);
    expect(sameBits(traced.after, plain.after)).toBe(true);
    const steps = traced.watch!.steps;
    steps.forEach((s, k) => {
      s.params.forEach((p, j) => {
        const group = traced.opt.param_groups[j] as unknown as Group;
        expect(p.scalars.lr).toBe([0.1, 0.05][j]! / 2 ** k);
        for (const e of p.elements) {
          expect(e.terms.theta_after).toBe(traced.after[k]![j * 8 + e.index]);
          if (name.startsWith("SparseAdam")) rebuildSparseAdam(dtype, { ...group, lr: p.scalars.lr }, p.scalars, e.terms);
          else if (name.startsWith("Adagrad")) rebuildSparseAdagrad(dtype, p.scalars, e.terms);
          else rebuildSparseSGD(dtype, { ...group, lr: p.scalars.lr }, p.scalars, e.terms);
        }
      });
    });
    if (name.startsWith("SGD")) {
      // step 1 names row 0 twice: element 0 moves by two entries, added one after the other
      const first = steps[0]!.params[0]!.elements[0]!.terms;
      expect(first.entries).toBe(2);
      if (!name.includes("nesterov")) expect([first.direction_1, first.direction_2]).toEqual([first.g! / 2, first.g! / 2]);
      expect(traced.watch!.explain("direction_2")).toBe(traced.watch!.explain("direction_k"));
      expect(traced.watch!.toString()).toMatch(/\n +direction_1 [\s\S]*\n +direction_k +the k-th stored entry/);
    }
    if (name.startsWith("SGD momentum") || name.startsWith("SGD nesterov")) {
      // the buffer chains from step to step, and ends as the state's (its value at each element, entries summed)
      for (let k = 1; k < steps.length; k++) {
        steps[k]!.params.forEach((p, j) => p.elements.forEach((e, i) => expect(e.terms.buf_prev).toBe(steps[k - 1]!.params[j]!.elements[i]!.terms.buf)));
      }
      const weight = traced.opt.param_groups[0]!.params[0]!;
      const buf = (traced.opt.state.get(weight) as { momentum_buffer: Tensor }).momentum_buffer.to_dense().data.data;
      for (const e of steps[3]!.params[0]!.elements) expect(e.terms.buf).toBe(buf[e.index]);
    }
    // step 3 names row 3 only: elements 0 and 4 (rows 0 and 2) keep θ; element 7 (row 3) moves
    if (!name.startsWith("SGD")) expect(steps[2]!.params[0]!.elements.map((e) => "g" in e.terms)).toEqual([false, false, false, true]);
  });
});

/** Rosenbrock in a = [x, y], plus 3·(b − 2)² in a second parameter b: two parameters, one flat vector. */
function lbfgsRun(dtype: DType, line_search_fn: "strong_wolfe" | null, inspected: boolean) {
  const a = tensor([-1.2, 1], { dtype, requires_grad: true });
  const b = tensor([0.5], { dtype, requires_grad: true });
  const opt = new optim.LBFGS([a, b], { lr: line_search_fn === null ? 0.5 : 1, max_iter: 5, history_size: 3, line_search_fn });
  const scheduler = new optim.lr_scheduler.StepLR(opt, 1, 0.5);
  const watch = inspected ? lab.inspect(opt) : null;
  const closure = () => {
    opt.zero_grad();
    const [x, y] = [a.narrow(0, 0, 1), a.narrow(0, 1, 1)];
    const loss = x
      .neg()
      .add(1)
      .pow(2)
      .add(y.sub(x.pow(2)).pow(2).mul(100))
      .sum()
      .add(b.sub(2).pow(2).mul(3).sum());
    loss.backward();
    return loss;
  };
  const after: number[][] = [];
  const evals: number[] = [];
  for (let k = 0; k < 4; k++) {
    opt.step(closure);
    scheduler.step();
    after.push([...a.data.data, ...b.data.data]);
    evals.push(opt.state.get(a)!.func_evals);
  }
  const s = opt.state.get(a)!;
  const state = [[s.t!, s.H_diag!, s.n_iter, s.func_evals, s.prev_loss!], [...s.d!.data.data], ...s.ro!.map((r) => [r])];
  return { watch, after, evals, state };
}

/** θ ← θ + t·d as LBFGS adds it: one FMA in float64, a float64 product and sum rounded once in float32. */
const move = (dtype: DType, t: number, d: number, theta: number): number => (dtype === "float64" ? fma64(t, d, theta) : Math.fround(mulAdd(t, d, theta)));

/** The flat vector of a term over both parameters' elements (a: 2, b: 1), in LBFGS's order. */
const flat = (params: InspectedStep["params"], term: string): number[] => params.flatMap((p) => p.elements.map((e) => e.terms[term]!));

describe.each(["float32", "float64"] as const)("lab.inspect on LBFGS, in %s", (dtype) => {
  describe.each([null, "strong_wolfe"] as const)("line_search_fn %s", (line_search_fn) => {
    const plain = lbfgsRun(dtype, line_search_fn, false);
    const traced = lbfgsRun(dtype, line_search_fn, true);
    const steps = (traced.watch as StepInspector).steps;
    const lr = line_search_fn === null ? 0.5 : 1;

    it("gives the same bits traced and untraced: parameters, direction, step length, history, evaluations", () => {
      expect(sameBits(traced.after, plain.after)).toBe(true);
      expect(sameBits(traced.state, plain.state)).toBe(true);
      expect(traced.evals).toEqual(plain.evals);
    });

    it("records each iteration's θ, g and d, and θ after = θ + t·d exactly; iterations chain into the step", () => {
      steps.forEach((s, k) => {
        const iterations = s.iterations!;
        expect(iterations.length).toBeGreaterThan(0);
        expect(flat(iterations[0]!.params, "theta")).toEqual(flat(s.params, "theta"));
        iterations.forEach((it, i) => {
          if (i > 0) {
            expect(flat(it.params, "theta")).toEqual(flat(iterations[i - 1]!.params, "theta_after"));
            expect(it.scalars.loss).toBe(iterations[i - 1]!.scalars.loss_after);
          }
          const [theta, g, d] = ["theta", "grad", "d"].map((n) => flat(it.params, n)) as [number[], number[], number[]];
          expect(it.scalars.gtd).toBe(g.reduce((sum, gi, j) => sum + gi * d[j]!, 0));
          expect(flat(it.params, "theta_after")).toEqual(theta.map((x, j) => move(dtype, it.scalars.t!, d[j]!, x)));
          expect(it.stop === undefined).toBe(i < iterations.length - 1);
        });
        expect(flat(iterations.at(-1)!.params, "theta_after")).toEqual(traced.after[k]);
        expect(flat(s.params, "theta_after")).toEqual(traced.after[k]);
        // StepLR(γ = 0.5) between steps: the lr each iteration records, and tries after the first iteration ever
        for (const [i, it] of iterations.entries()) {
          expect(it.scalars.lr).toBe(lr / 2 ** k);
          if (k > 0 || i > 0) expect(it.scalars.t_init).toBe(lr / 2 ** k);
        }
      });
    });

    it("starts with steepest descent and a cautious step: d = −g, t = min(1, 1/Σ|g|)·lr", () => {
      const first = steps[0]!.iterations![0]!;
      const g = flat(first.params, "grad");
      expect(flat(first.params, "d")).toEqual(g.map((x) => -x));
      expect(first.scalars.t_init).toBe(Math.min(1, 1 / g.reduce((s, x) => s + Math.abs(x), 0)) * lr);
      expect([first.scalars.H_diag, first.scalars.history, first.scalars.n_iter]).toEqual([1, 0, 1]);
    });

    it("records every evaluation of the closure: the line search's trials, the fixed step's one", () => {
      steps.forEach((s, k) => {
        const evaluations = s.iterations!.map((it) => it.evaluations.length);
        expect(s.iterations!.map((it) => it.scalars.ls_func_evals)).toEqual(evaluations);
        // the step's first closure call, then the iterations' own
        expect(1 + evaluations.reduce((x, y) => x + y, 0)).toBe(traced.evals[k]! - (traced.evals[k - 1] ?? 0));
        for (const it of s.iterations!) {
          if (it.evaluations.length === 0) continue;
          if (line_search_fn === null) expect(it.evaluations).toEqual([{ t: it.scalars.t, loss: it.scalars.loss_after }]);
          else expect(it.evaluations).toContainEqual({ t: it.scalars.t, loss: it.scalars.loss_after });
        }
      });
      if (line_search_fn === "strong_wolfe") expect(steps.some((s) => s.iterations!.some((it) => it.evaluations.length > 1))).toBe(true);
    });
  });

  it("records a step that stops before its first iteration (max|g| ≤ tolerance_grad) with θ unchanged", () => {
    const w = tensor([1, 2], { dtype, requires_grad: true });
    const opt = new optim.LBFGS([w], { tolerance_grad: 10 });
    const watch = lab.inspect(opt);
    opt.step(() => {
      opt.zero_grad();
      const loss = w.sub(1).pow(2).sum();
      loss.backward();
      return loss;
    });
    const [p] = watch.last!.params;
    expect(watch.last!.iterations).toBeUndefined();
    expect(p!.elements.map((e) => [e.terms.theta, e.terms.theta_after])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(p!.scalars).toEqual({ loss: 1, func_evals: 1, n_iter: 0 });
  });

  it("names the test that ended the step: a direction that is no descent direction", () => {
    const w = tensor([1], { dtype, requires_grad: true });
    const opt = new optim.LBFGS([w], { tolerance_change: 10 });
    const watch = lab.inspect(opt);
    opt.step(() => {
      opt.zero_grad();
      const loss = w.mul(w).sum(); // g = 2, d = −2, gᵀd = −4 > −tolerance_change
      loss.backward();
      return loss;
    });
    const [it] = watch.last!.iterations!;
    expect([it!.scalars.gtd, it!.stop]).toEqual([-4, "gᵀd > −tolerance_change: d is not a descent direction"]);
    expect(it!.params[0]!.elements[0]!.terms.theta_after).toBe(1);
  });
});
