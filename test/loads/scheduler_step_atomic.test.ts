// A scheduler that holds others (ChainedScheduler, SequentialLR) steps all or nothing: when
// a wrapped scheduler's step throws, no scheduler's last_epoch or _last_lr, no counter and no
// group option of the optimizer has changed (test/loads/atomic.ts). PyTorch leaves the
// schedulers stepped before the one that threw as they are; gradlab's promise is stricter.
// The messages are the wrapped schedulers' own (OneCycleLR's from torch/optim/lr_scheduler.py).
import { describe, expect, it } from "vitest";
import { optim, tensor } from "gradlab";
import type { Optimizer } from "../../src/optim/optimizer.ts";
import { expectRefusedAtomically } from "./atomic.ts";

const S = optim.lr_scheduler;
const sgd = (): Optimizer => new optim.SGD([tensor([1, 2], { dtype: "float64", requires_grad: true })], { lr: 0.1, momentum: 0.9 }) as unknown as Optimizer;

/** A LambdaLR whose factor function refuses epochs from `from` on. */
const refusingLambda = (o: Optimizer, from: number) =>
  new S.LambdaLR(o, (e: number) => {
    if (e >= from) throw new Error(`lambda refuses epoch ${e}`);
    return 0.5 ** e;
  });

/** Steps `opt` and `sched` `n` times, as a training loop does. */
function advance(opt: Optimizer, sched: { step(): void }, n: number): void {
  for (let i = 0; i < n; i++) {
    opt.step();
    sched.step();
  }
}

describe("ChainedScheduler.step is all or nothing", () => {
  it("OneCycleLR past its last step, after ExponentialLR has stepped: nothing changes", () => {
    const opt = sgd();
    const chained = new S.ChainedScheduler([new S.ExponentialLR(opt, 0.9), new S.OneCycleLR(opt, 0.1, { total_steps: 3 })]);
    advance(opt, chained, 3);
    expectRefusedAtomically(() => chained.step(), "Tried to step 4 times. The specified number of total steps is 3", chained, opt);
    // and it goes on refusing the same way, still unchanged
    expectRefusedAtomically(() => chained.step(), "Tried to step 4 times", chained, opt);
  });

  it("a LambdaLR that throws, last in the chain: the earlier schedulers' epochs and the lr are put back", () => {
    const opt = sgd();
    const exp = new S.ExponentialLR(opt, 0.9);
    const step = new S.StepLR(opt, 1, { gamma: 0.5 });
    const chained = new S.ChainedScheduler([exp, step, refusingLambda(opt, 2)]);
    advance(opt, chained, 1);
    const lr = opt.param_groups[0]!.lr;
    expectRefusedAtomically(() => chained.step(), "lambda refuses epoch 2", chained, opt);
    expect([exp.last_epoch, step.last_epoch, opt.param_groups[0]!.lr, chained.get_last_lr()]).toEqual([1, 1, lr, [lr]]);
  });

  it("a chain inside a chain", () => {
    const opt = sgd();
    const inner = new S.ChainedScheduler([new S.ExponentialLR(opt, 0.9), refusingLambda(opt, 2)]);
    const outer = new S.ChainedScheduler([new S.StepLR(opt, 1, { gamma: 0.5 }), inner]);
    advance(opt, outer, 1);
    expectRefusedAtomically(() => outer.step(), "lambda refuses epoch 2", outer, opt);
  });
});

describe("SequentialLR.step is all or nothing", () => {
  it("the second scheduler throws after the milestone: SequentialLR's own last_epoch is put back", () => {
    const opt = sgd();
    const seq = new S.SequentialLR(opt, [new S.ExponentialLR(opt, 0.9), refusingLambda(opt, 1)], [2]);
    advance(opt, seq, 2); // epoch 2 is the milestone: the LambdaLR starts at its epoch 0
    const lr = opt.param_groups[0]!.lr;
    expectRefusedAtomically(() => seq.step(), "lambda refuses epoch 1", seq, opt);
    expect([seq.last_epoch, opt.param_groups[0]!.lr, seq.get_last_lr()]).toEqual([2, lr, [lr]]);
  });

  it("OneCycleLR past its last step, momentum included", () => {
    const opt = sgd();
    const seq = new S.SequentialLR(opt, [new S.ConstantLR(opt, { factor: 0.5, total_iters: 1 }), new S.OneCycleLR(opt, 0.1, { total_steps: 2 })], [1]);
    advance(opt, seq, 3);
    expectRefusedAtomically(() => seq.step(), "Tried to step 3 times. The specified number of total steps is 2", seq, opt);
  });

  it("a ChainedScheduler inside a SequentialLR", () => {
    const opt = sgd();
    const chained = new S.ChainedScheduler([new S.ExponentialLR(opt, 0.9), refusingLambda(opt, 3)]);
    const seq = new S.SequentialLR(opt, [new S.StepLR(opt, 1), chained], [1]);
    advance(opt, seq, 4); // the chain starts at the milestone (its LambdaLR back at epoch −1), so its epoch 3 comes at the fifth step
    expectRefusedAtomically(() => seq.step(), "lambda refuses epoch 3", seq, opt);
  });
});
