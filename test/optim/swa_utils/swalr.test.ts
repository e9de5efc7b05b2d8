import { describe, expect, it } from "vitest";
import { optim, tensor, testing } from "gradlab";
import { TOL, fixture } from "../../helpers.ts";
import { snapshot, twoGroups } from "../lr_scheduler/helpers.ts";

interface SwalrCase {
  name: string;
  args: [number | number[]];
  options: { anneal_epochs?: number; anneal_strategy?: "cos" | "linear" };
  steps: number;
  expected: number[][];
}

// expected values: tools/fixtures/swa_utils.py, torch 1.13's SWALR (the same algorithm as
// current PyTorch's), SGD with groups at lr 0.1 and 0.05, optimizer.step() then scheduler.step().
const { swalr } = fixture<{ swalr: SwalrCase[] }>("optim/swa_utils");
const { SWALR } = optim.swa_utils;

function run(c: SwalrCase, from = 0, saved?: { opt: unknown; sched: unknown }): number[][] {
  const opt = twoGroups();
  const sched = new SWALR(opt, c.args[0], c.options);
  if (saved) {
    opt.load_state_dict(JSON.parse(JSON.stringify(saved.opt)));
    sched.load_state_dict(JSON.parse(JSON.stringify(saved.sched)));
  }
  const lrs = from === 0 ? [opt.param_groups.map((g) => g.lr)] : [];
  for (let i = from; i < c.steps; i++) {
    for (const g of opt.param_groups) for (const p of g.params) p.grad = tensor(new Array<number>(p.numel()).fill(1), { dtype: "float64" });
    opt.step();
    sched.step();
    lrs.push(opt.param_groups.map((g) => g.lr));
  }
  return lrs;
}

describe("SWALR", () => {
  it.each(swalr)("follows PyTorch: $name", (c) => {
    testing.assert_close(run(c), c.expected, TOL.float64);
  });

  it.each(swalr)("continues identically after a state_dict round trip through JSON: $name", (c) => {
    const k = 3;
    const opt = twoGroups();
    const sched = new SWALR(opt, c.args[0], c.options);
    for (let i = 0; i < k; i++) {
      opt.step();
      sched.step();
    }
    testing.assert_close(run(c, k, { opt: opt.state_dict(), sched: sched.state_dict() }), c.expected.slice(k + 1), TOL.float64);
  });

  it.each([
    {
      name: "an unknown anneal_strategy",
      message: "anneal_strategy must by one of 'cos' or 'linear', instead got exp",
      make: (o: ReturnType<typeof twoGroups>) => new SWALR(o, 0.01, { anneal_strategy: "exp" as "cos" }),
    },
    {
      name: "negative anneal_epochs",
      message: "anneal_epochs must be equal or greater than 0, got -1",
      make: (o: ReturnType<typeof twoGroups>) => new SWALR(o, 0.01, { anneal_epochs: -1 }),
    },
    {
      name: "three swa_lrs for two groups",
      message: "swa_lr must have the same length as optimizer.param_groups. swa_lr has 3 values, param_groups has 2.",
      make: (o: ReturnType<typeof twoGroups>) => new SWALR(o, [0.01, 0.02, 0.03]),
    },
  ])("throws PyTorch's message for $name and leaves the optimizer untouched", ({ message, make }) => {
    const opt = twoGroups();
    const before = snapshot(opt);
    expect(() => make(opt)).toThrow(message);
    expect(snapshot(opt)).toEqual(before);
  });
});
