// Loading state dicts saved by PyTorch itself (tools/fixtures/state_dicts.py, torch 1.13,
// float64, written by tools/gradlab_json.py exactly as a user of that PyTorch gets them):
// every optimizer and every scheduler is stopped after 3 steps, gradlab loads that state
// into a fresh object and must finish the run where PyTorch did.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DType, type Tensor, optim, set_default_dtype, tensor } from "gradlab";
import { assert_close } from "gradlab/testing";
import { fixture } from "../helpers.ts";

interface TensorJSON {
  dtype: DType;
  shape: number[];
  data: number[];
}
interface OptimizerRun {
  name: string;
  options: Record<string, unknown>;
  half: { params: TensorJSON[]; state_dict: optim.StateDict };
  end: TensorJSON[];
}
interface Groups {
  lr: number;
  momentum: number;
}
interface SchedulerRun {
  name: string;
  half: { params: TensorJSON[]; optimizer: optim.StateDict; scheduler: Record<string, unknown>; groups: Groups[] };
  groups_after: Groups[][];
  end: TensorJSON[];
}
const F = fixture<{
  grads: number[][];
  metrics: number[];
  targets: TensorJSON[];
  weights: TensorJSON[];
  optimizers: OptimizerRun[];
  schedulers: SchedulerRun[];
}>("loads/pytorch_state_dicts");
const fromJSON = (t: TensorJSON): Tensor => tensor(t.data, { dtype: t.dtype }).reshape(t.shape);
const leaf = (t: TensorJSON): Tensor => fromJSON(t).requires_grad_();
// Both runs are float64 and compute the same operations in the same order: agreement to
// 1e-12 relative leaves room only for the last bits of a few libm calls.
const TIGHT = { rtol: 1e-12, atol: 1e-14 };

// Recorded under torch.set_default_dtype(torch.float64): PyTorch then keeps the optimizers'
// scalar state (NAdam's mu_product, ASGD's eta and mu) in float64, and so does gradlab.
beforeEach(() => set_default_dtype("float64"));
afterEach(() => set_default_dtype("float32"));

type OptimizerClass = new (params: Tensor[], options: Record<string, unknown>) => optim.Optimizer;
const OPTIMIZERS = optim as unknown as Record<string, OptimizerClass>;

describe("an optimizer continues from PyTorch's state_dict", () => {
  it.each(F.optimizers.map((c, i) => ({ ...c, label: `${c.name} ${i}` })))("$label", (c) => {
    const ps = c.half.params.map(leaf);
    const opt = new OPTIMIZERS[c.name]!(ps, c.options);
    opt.load_state_dict(c.half.state_dict);
    const targets = F.targets.map(fromJSON);
    const weights = F.weights.map(fromJSON);
    const closure = (): Tensor => {
      opt.zero_grad();
      let loss = ps[0]!.sub(targets[0]!).pow(2).mul(weights[0]!).sum();
      loss = loss.add(ps[1]!.sub(targets[1]!).pow(2).mul(weights[1]!).sum());
      loss.backward();
      return loss;
    };
    for (let i = 0; i < 3; i++) opt.step(closure);
    ps.forEach((p, i) => assert_close(p, fromJSON(c.end[i]!), TIGHT));
  });
});

type Maker = (o: optim.Optimizer) => { step(metrics?: number): void; load_state_dict(sd: never): void };
const S = optim.lr_scheduler;
// The same schedulers as the fixture's SCHEDULERS table, in gradlab's spelling.
const SCHEDULERS: Record<string, Maker> = {
  LambdaLR: (o) => new S.LambdaLR(o, (e: number) => 0.9 ** e),
  MultiplicativeLR: (o) => new S.MultiplicativeLR(o, () => 0.9),
  StepLR: (o) => new S.StepLR(o, 2, 0.5),
  MultiStepLR: (o) => new S.MultiStepLR(o, [2, 4], 0.5),
  ConstantLR: (o) => new S.ConstantLR(o, 0.5, 4),
  LinearLR: (o) => new S.LinearLR(o, 0.25, 1.0, 4),
  ExponentialLR: (o) => new S.ExponentialLR(o, 0.8),
  SequentialLR: (o) => new S.SequentialLR(o, [new S.ConstantLR(o, 0.5, 2), new S.ExponentialLR(o, 0.8)], [2]),
  CosineAnnealingLR: (o) => new S.CosineAnnealingLR(o, 5, 0.01),
  ChainedScheduler: (o) => new S.ChainedScheduler([new S.ConstantLR(o, 0.5, 4), new S.ExponentialLR(o, 0.8)]),
  ReduceLROnPlateau: (o) => new S.ReduceLROnPlateau(o, "min", 0.5, 1),
  CyclicLR: (o) => new S.CyclicLR(o, 0.01, 0.1, 2),
  CosineAnnealingWarmRestarts: (o) => new S.CosineAnnealingWarmRestarts(o, 2, 2, 0.01),
  OneCycleLR: (o) => new S.OneCycleLR(o, 0.5, { total_steps: 8 }),
  PolynomialLR: (o) => new S.PolynomialLR(o, 5, 2.0),
  SWALR: (o) => new optim.swa_utils.SWALR(o, 0.05, 3, "cos"),
};

describe("a scheduler continues from PyTorch's state_dict", () => {
  it("covers every scheduler of the fixture", () => {
    expect(F.schedulers.map((c) => c.name).sort()).toEqual(Object.keys(SCHEDULERS).sort());
  });

  it.each(F.schedulers)("$name", (c) => {
    const warn = console.warn;
    console.warn = () => {};
    try {
      const ps = c.half.params.map(leaf);
      const opt = new optim.SGD(
        ps.map((p, i) => ({ params: [p], lr: 0.1 * (i + 1) })),
        { lr: 0.1, momentum: 0.9 },
      );
      const sched = SCHEDULERS[c.name]!(opt as unknown as optim.Optimizer);
      opt.load_state_dict(c.half.optimizer);
      sched.load_state_dict(c.half.scheduler as never);
      const groups = (): number[][] => opt.param_groups.map((g) => [g.lr, g.momentum]);
      assert_close(
        tensor(groups(), { dtype: "float64" }),
        c.half.groups.map((g) => [g.lr, g.momentum]),
        TIGHT,
      );
      for (let i = 3; i < 6; i++) {
        for (const p of ps) p.grad = tensor(F.grads[i]!, { dtype: "float64" });
        opt.step();
        if (sched instanceof S.ReduceLROnPlateau) sched.step(F.metrics[i]!);
        else sched.step();
        assert_close(
          tensor(groups(), { dtype: "float64" }),
          c.groups_after[i - 3]!.map((g) => [g.lr, g.momentum]),
          TIGHT,
        );
      }
      ps.forEach((p, i) => assert_close(p, fromJSON(c.end[i]!), TIGHT));
    } finally {
      console.warn = warn;
    }
  });
});
