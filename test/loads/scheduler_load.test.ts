// Every scheduler's load_state_dict takes exactly what its own state_dict() writes, checked
// before anything changes: bad kinds, missing or extra keys, hostile keys, a key that would
// hide a method or detach the optimizer. Nested schedulers check every state first.
import { describe, expect, it } from "vitest";
import { expectRefusedAtomically } from "./atomic.ts";
import { SCHEDULERS, stepped } from "./subjects.ts";

type Json = Record<string, unknown>;
const jsonOf = (s: { state_dict(): Json }): Json => JSON.parse(JSON.stringify(s.state_dict())) as Json;

interface BadCase {
  name: string;
  make: (sd: Json) => unknown;
  message: string | RegExp;
}

const CASES: BadCase[] = [
  { name: "null", make: () => null, message: "load_state_dict: state_dict should be an object, got null" },
  { name: "an array", make: () => [], message: "state_dict should be an object, got array []" },
  { name: "an optimizer key", make: (sd) => ({ ...sd, optimizer: {} }), message: "state_dict has the key 'optimizer', which this scheduler does not save" },
  {
    name: "a step key (would hide the method)",
    make: (sd) => ({ ...sd, step: 1 }),
    message: "state_dict has the key 'step', which this scheduler does not save",
  },
  { name: "a get_lr key", make: (sd) => ({ ...sd, get_lr: null }), message: "has the key 'get_lr'" },
  {
    name: "a __proto__ key",
    make: (sd) => JSON.parse(JSON.stringify(sd).replace("{", '{"__proto__":{"step":1},')),
    message: "state_dict has the key '__proto__', which cannot hold state",
  },
  { name: "a constructor key", make: (sd) => ({ ...sd, constructor: 1 }), message: "state_dict has the key 'constructor', which cannot hold state" },
  {
    name: "last_epoch as text",
    make: (sd) => ({ ...sd, last_epoch: "3" }),
    message: "state_dict['last_epoch'] should be a finite number, got string \"3\"",
  },
  { name: "last_epoch NaN", make: (sd) => ({ ...sd, last_epoch: NaN }), message: "state_dict['last_epoch'] should be a finite number, got NaN" },
  {
    name: "last_epoch fractional",
    make: (sd) => ({ ...sd, last_epoch: 2.5 }),
    message: "state_dict['last_epoch'] should be an integer ≥ -1, got number 2.5",
  },
  // (PyTorch's ChainedScheduler, with _schedulers but no _milestones, never saves last_epoch: a state without it loads.)
  {
    name: "last_epoch missing",
    make: (sd) => ("_schedulers" in sd && !("_milestones" in sd) ? null : (delete sd.last_epoch, sd)),
    message: "state_dict has no 'last_epoch'",
  },
  { name: "_step_count negative", make: (sd) => ({ ...sd, _step_count: -2 }), message: "['_step_count'] should be an integer ≥ 0, got number -2" },
  {
    name: "base_lrs one too long",
    make: (sd) => ({ ...sd, base_lrs: [...(sd.base_lrs as number[]), 0.1] }),
    message: /state_dict\['base_lrs'\] should have \d entries \(one per group\), got \d/,
  },
  { name: "base_lrs a number", make: (sd) => ({ ...sd, base_lrs: 0.1 }), message: /state_dict\['base_lrs'\] should be an array of \d, got number 0.1/ },
  {
    name: "a negative learning rate",
    make: (sd) => ({ ...sd, _last_lr: (sd._last_lr as number[]).map(() => -1) }),
    message: "state_dict['_last_lr'][0] should be a learning rate ≥ 0, got number -1",
  },
  {
    name: "gamma as text",
    make: (sd) => ("gamma" in sd ? { ...sd, gamma: "0.5" } : null),
    message: "state_dict['gamma'] should be a finite number, got string \"0.5\"",
  },
  { name: "mode unknown", make: (sd) => ("mode" in sd ? { ...sd, mode: "bogus" } : null), message: /state_dict\['mode'\] should be one of/ },
  {
    name: "threshold_mode unknown",
    make: (sd) => ("threshold_mode" in sd ? { ...sd, threshold_mode: "x" } : null),
    message: "state_dict['threshold_mode'] should be one of 'rel', 'abs', got string \"x\"",
  },
  {
    name: "milestones with a bad count",
    make: (sd) => ("milestones" in sd ? { ...sd, milestones: { 2: 0 } } : null),
    message: "state_dict['milestones']['2'] should be a count ≥ 1, got number 0",
  },
  {
    name: "a phase with an unknown field",
    make: (sd) => ("_schedule_phases" in sd ? (((sd._schedule_phases as Json[])[0]!.start_lr = "lr"), sd) : null),
    message: "['_schedule_phases'][0]['start_lr'] should be one of",
  },
  {
    name: "a lambda slot holding data",
    make: (sd) => ("lr_lambdas" in sd ? { ...sd, lr_lambdas: [{}] } : null),
    message: "state_dict['lr_lambdas'][0] should be null, got an object",
  },
  { name: "_schedulers missing", make: (sd) => ("_schedulers" in sd ? (delete sd._schedulers, sd) : null), message: "state_dict has no '_schedulers'" },
  {
    name: "_schedulers one short",
    make: (sd) => ("_schedulers" in sd ? { ...sd, _schedulers: (sd._schedulers as Json[]).slice(1) } : null),
    message: "state_dict['_schedulers'] should be an array of 2 scheduler states, got an array of length 1",
  },
  {
    name: "the second wrapped state bad (the first must not load)",
    make: (sd) => ("_schedulers" in sd ? (((sd._schedulers as Json[])[1]!.last_epoch = "x"), sd) : null),
    message:
      "load_state_dict: state_dict['_schedulers'][1]: ExponentialLR.load_state_dict: state_dict['last_epoch'] should be a finite number, got string \"x\"",
  },
];

const table = Object.keys(SCHEDULERS).flatMap((scheduler) => {
  const sample = jsonOf(stepped(scheduler).sched);
  return CASES.filter((c) => c.make(JSON.parse(JSON.stringify(sample)) as Json) !== null).map((c) => ({ scheduler, ...c }));
});

describe("scheduler load_state_dict refuses bad state and changes nothing", () => {
  it("covers every scheduler", () => {
    expect(new Set(table.map((c) => c.scheduler)).size).toBe(Object.keys(SCHEDULERS).length);
    expect(table.length).toBeGreaterThan(200);
  });

  it.each(table)("$scheduler: $name", ({ scheduler, make }) => {
    const { opt, sched } = stepped(scheduler);
    const c = table.find((t) => t.scheduler === scheduler && t.make === make)!;
    expectRefusedAtomically(() => sched.load_state_dict(make(jsonOf(sched))), c.message, sched, opt);
    expect(typeof sched.step).toBe("function");
  });
});

describe("scheduler load_state_dict takes its own state whole", () => {
  it.each(Object.keys(SCHEDULERS))("%s: a JSON state from another run loads and the schedule continues as the original", (name) => {
    const a = stepped(name, 5);
    const b = stepped(name, 2);
    b.opt.param_groups.forEach((g, i) => (g.lr = a.opt.param_groups[i]!.lr));
    b.sched.load_state_dict(jsonOf(a.sched));
    expect(b.sched.state_dict()).toEqual(a.sched.state_dict());
    for (let i = 0; i < 3; i++) {
      for (const { opt, sched } of [a, b]) {
        opt.step();
        if (name === "ReduceLROnPlateau") (sched.step as (m: number) => void)(1);
        else sched.step();
      }
      expect(b.opt.param_groups.map((g) => g.lr)).toEqual(a.opt.param_groups.map((g) => g.lr));
    }
  });
});

describe("scheduler step refuses bad input and changes nothing", () => {
  it("OneCycleLR stepped past total_steps throws PyTorch's message with its counters unchanged", () => {
    const { opt, sched } = stepped("OneCycleLR", 20);
    expectRefusedAtomically(() => sched.step(), /^Tried to step 21 times\. The specified number of total steps is 20$/, sched, opt);
  });

  it("ReduceLROnPlateau.step with a metric that is not a number throws Python's float() TypeError and changes nothing", () => {
    const { opt, sched } = stepped("ReduceLROnPlateau");
    const step = sched.step as (m: unknown) => void;
    expectRefusedAtomically(() => step.call(sched, "abc"), "float() argument must be a string or a real number, not 'str'", sched, opt);
    expectRefusedAtomically(() => step.call(sched, { value: 1 }), "float() argument must be a string or a real number, not 'dict'", sched, opt);
  });

  it("ReduceLROnPlateau that cannot reduce (a group added, min_lr per group) changes no counter", () => {
    const { opt, sched } = stepped("ReduceLROnPlateau", 0);
    const plateau = sched as unknown as { min_lrs: number[]; default_min_lr: number | null; step(m: number): void };
    plateau.default_min_lr = null;
    opt.add_param_group({ params: [opt.param_groups[0]!.params[0]!.detach().clone().requires_grad_()] });
    plateau.step(1);
    plateau.step(1);
    expectRefusedAtomically(() => plateau.step(1), "differs from when `ReduceLROnPlateau` was initialized", sched, opt);
  });
});
