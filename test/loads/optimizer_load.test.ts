// Optimizer.load_state_dict refuses every malformed or hostile state dict with a clear
// message and changes nothing; a valid one (after a JSON round trip) loads whole.
// Messages: PyTorch's (torch/optim/optimizer.py) for the group count and size; the others
// are gradlab's, naming the group, the parameter index and the key.
import { describe, expect, it } from "vitest";
import { optim, tensor } from "gradlab";
import type { Optimizer } from "../../src/optim/optimizer.ts";
import { expectPrototypeClean, expectRefusedAtomically } from "./atomic.ts";
import { OPTIMIZERS, train, trained } from "./subjects.ts";

type Json = Record<string, unknown> & { state: Record<string, Record<string, unknown>>; param_groups: Record<string, unknown>[] };
const jsonOf = (opt: Optimizer): Json => JSON.parse(JSON.stringify(opt.state_dict())) as Json;

interface BadCase {
  name: string;
  /** Makes the bad state dict from a valid one (a JSON copy, free to change); null when the case does not apply. */
  make: (sd: Json, name: string) => unknown;
  message: string | RegExp;
}

const firstKey = (entry: Record<string, unknown>, kind: "tensor" | "any"): string | undefined =>
  Object.keys(entry).find((k) => kind === "any" || (entry[k] !== null && typeof entry[k] === "object" && !Array.isArray(entry[k])));

const CASES: BadCase[] = [
  { name: "null", make: () => null, message: "loaded state dict should be an object, got null" },
  { name: "an array", make: () => [], message: "loaded state dict should be an object, got array []" },
  { name: "a number", make: () => 3, message: "loaded state dict should be an object, got number 3" },
  { name: "no param_groups", make: (sd) => ({ state: sd.state }), message: "loaded state dict has no 'param_groups'" },
  { name: "no state", make: (sd) => ({ param_groups: sd.param_groups }), message: "loaded state dict has no 'state'" },
  { name: "an extra top-level key", make: (sd) => ({ ...sd, extra: 1 }), message: "loaded state dict has the key 'extra'" },
  { name: "state as a list", make: (sd) => ({ ...sd, state: [] }), message: "loaded state dict: state should be an object, got array []" },
  { name: "state as a number", make: (sd) => ({ ...sd, state: 5 }), message: "loaded state dict: state should be an object, got number 5" },
  {
    name: "param_groups as an object",
    make: (sd) => ({ ...sd, param_groups: {} }),
    message: "loaded state dict: param_groups should be an array, got an object",
  },
  {
    name: "a group that is null",
    make: (sd) => ({ ...sd, param_groups: [null] }),
    message: "loaded state dict: param_groups[0] should be an object, got null",
  },
  { name: "a group without params", make: (sd) => (delete sd.param_groups[0]!.params, sd), message: "loaded state dict: param_groups[0] has no 'params'" },
  {
    name: "params as a number",
    make: (sd) => ((sd.param_groups[0]!.params = 0), sd),
    message: "param_groups[0]['params'] should be an array, got number 0",
  },
  {
    name: "one group too many",
    make: (sd) => ({ ...sd, param_groups: [...sd.param_groups, sd.param_groups[0]] }),
    message: "loaded state dict has a different number of parameter groups",
  },
  {
    name: "a group one parameter short",
    make: (sd) => ((sd.param_groups[0]!.params as number[]).pop(), sd),
    message: "loaded state dict contains a parameter group that doesn't match the size of optimizer's group",
  },
  {
    name: "a string index",
    make: (sd) => ((sd.param_groups[0]!.params = ["0", 1]), sd),
    message: "param_groups[0]['params'][0] should be an integer index, got string \"0\"",
  },
  { name: "a fractional index", make: (sd) => ((sd.param_groups[0]!.params = [0.5, 1]), sd), message: "should be an integer index, got number 0.5" },
  {
    name: "a duplicated index",
    make: (sd) => ((sd.param_groups[0]!.params = [0, 0]), sd),
    message: "param_groups[0]['params'][1] repeats the index 0, which stands for another parameter",
  },
  {
    name: "an index out of range",
    make: (sd) => ((sd.param_groups[0]!.params = [0, 5]), sd),
    message: "param_groups[0]['params'][1] is 5, out of range for an optimizer of 2 parameters",
  },
  { name: "a negative index", make: (sd) => ((sd.param_groups[0]!.params = [-1, 1]), sd), message: "is -1, out of range" },
  {
    name: "lr as a string",
    make: (sd) => ((sd.param_groups[0]!.lr = "0.1"), sd),
    message: "loaded state dict: param_groups[0]['lr'] should be a number, got string \"0.1\"",
  },
  { name: "lr missing", make: (sd) => (delete sd.param_groups[0]!.lr, sd), message: "loaded state dict: param_groups[0] has no 'lr'" },
  { name: 'lr NaN (JSON\'s "nan")', make: (sd) => ((sd.param_groups[0]!.lr = "nan"), sd), message: "['lr'] should be a number, got NaN" },
  {
    name: "lr -5 (the constructor's check)",
    make: (sd) => ((sd.param_groups[0]!.lr = -5), sd),
    message: /^loaded state dict: param_groups\[0\]: (Invalid learning rate: -5|Learning rate should be >= 0 but is: -5)$/,
  },
  { name: "lr null", make: (sd) => ((sd.param_groups[0]!.lr = null), sd), message: "['lr'] should be a number, got null" },
  { name: "an unknown option", make: (sd) => ((sd.param_groups[0]!.lrr = 0.1), sd), message: "got an unexpected keyword argument 'lrr'" },
  {
    name: "maximize as a string",
    make: (sd) => ("maximize" in sd.param_groups[0]! ? ((sd.param_groups[0]!.maximize = "false"), sd) : null),
    message: "['maximize'] should be a boolean, got string \"false\"",
  },
  {
    name: "a __proto__ key in a group (a hidden lr)",
    make: (sd) => JSON.parse(JSON.stringify(sd).replace('"param_groups":[{', '"param_groups":[{"__proto__":{"lr":-5},')),
    message: "loaded state dict: param_groups[0] has the key '__proto__', which cannot hold state",
  },
  {
    name: "a constructor key in a group",
    make: (sd) => (Object.assign(sd.param_groups[0]!, { constructor: { name: "x" } }), sd),
    message: "param_groups[0] has the key 'constructor', which cannot hold state",
  },
  {
    name: "a prototype key in a group",
    make: (sd) => ((sd.param_groups[0]!.prototype = 1), sd),
    message: "param_groups[0] has the key 'prototype', which cannot hold state",
  },
  {
    name: "a __proto__ key in state",
    make: (sd) => JSON.parse(JSON.stringify(sd).replace('"state":{', '"state":{"__proto__":{"step":1},')),
    message: "loaded state dict: state has the key '__proto__'",
  },
  {
    name: "state for an index no group lists",
    make: (sd) => ((sd.state["7"] = {}), sd),
    message: 'loaded state dict: state["7"] is not the index of a parameter in param_groups',
  },
  { name: "a state key that is not an index", make: (sd) => ((sd.state.first = {}), sd), message: 'state["first"] is not the index of a parameter' },
  {
    name: "a state entry that is a number",
    make: (sd) => ((sd.state["0"] = 1 as never), sd),
    message: 'loaded state dict: state["0"] should be an object, got number 1',
  },
  {
    name: "a state entry with a key the optimizer does not keep",
    make: (sd) => (sd.state["0"] ? ((sd.state["0"].bogus = 1), sd) : null),
    message: /state\["0"\] has the key 'bogus', which this optimizer does not keep/,
  },
  {
    name: "a state entry missing a key",
    make: (sd) => {
      const entry = sd.state["0"];
      const key = entry && Object.keys(entry).find((k) => !["d", "t", "old_dirs", "old_stps", "ro", "H_diag", "prev_flat_grad", "prev_loss", "al"].includes(k));
      if (key === undefined) return null;
      delete entry![key];
      return sd;
    },
    message: /state\["0"\] has no '/,
  },
  {
    name: "a state tensor of the wrong size",
    make: (sd) => {
      const entry = sd.state["0"];
      const key = entry && firstKey(entry, "tensor");
      if (key === undefined) return null;
      entry![key] = { dtype: "float64", shape: [4], data: [0, 0, 0, 0] };
      return sd;
    },
    message: /state\["0"\]\['\w+'\] holds 4 values; its parameter's state needs \d+/,
  },
  {
    name: "a state tensor of the right size but the wrong shape",
    make: (sd) => {
      const entry = sd.state["0"];
      const key = entry && firstKey(entry, "tensor");
      if (key === undefined) return null;
      const t = entry![key] as { shape: number[]; data: unknown[] };
      t.shape = [t.data.length];
      return t.data.length > 1 && key !== "d" && key !== "prev_flat_grad" ? sd : null;
    },
    message: /has the shape \[\d+\], but its parameter's state has the shape \[/,
  },
  {
    name: "an int64 state tensor",
    make: (sd) => {
      const entry = sd.state["0"];
      const key = entry && firstKey(entry, "tensor");
      if (key === undefined) return null;
      (entry![key] as { dtype: string }).dtype = "int64";
      return sd;
    },
    message: /should be a float32 or float64 tensor, got the dtype "int64"/,
  },
  {
    name: "a state tensor holding a string",
    make: (sd) => {
      const entry = sd.state["0"];
      const key = entry && firstKey(entry, "tensor");
      if (key === undefined) return null;
      (entry![key] as { data: unknown[] }).data[0] = "x";
      return sd;
    },
    message: /\.data\[0\] should be a number, got string "x"/,
  },
  {
    name: "a state tensor with extra keys (a __proto__ in tensor JSON)",
    make: (sd) => {
      const entry = sd.state["0"];
      const key = entry && firstKey(entry, "tensor");
      if (key === undefined) return null;
      return JSON.parse(JSON.stringify(sd).replace(`"${key}":{"dtype"`, `"${key}":{"__proto__":{},"dtype"`));
    },
    message: /has the key '__proto__', which cannot hold state/,
  },
  {
    name: "step as a string",
    make: (sd) => (sd.state["0"] && "step" in sd.state["0"] ? ((sd.state["0"].step = "3"), sd) : null),
    message: 'state["0"][\'step\'] should be an integer ≥ 0, got string "3"',
  },
  {
    name: "step NaN",
    make: (sd) => (sd.state["0"] && "step" in sd.state["0"] ? ((sd.state["0"].step = "nan"), sd) : null),
    message: 'state["0"][\'step\'] should be an integer ≥ 0, got string "nan"',
  },
  {
    name: "betas as a number",
    make: (sd) => ("betas" in sd.param_groups[0]! ? ((sd.param_groups[0]!.betas = 0.9), sd) : null),
    message: "['betas'] should be an array of 2, got number 0.9",
  },
  {
    name: "eps as text",
    make: (sd) => (typeof sd.param_groups[0]!.eps === "number" ? ((sd.param_groups[0]!.eps = "1e-8"), sd) : null),
    message: "['eps'] should be a number, got string \"1e-8\"",
  },
  {
    name: "beta1 of 1 (the constructor's range)",
    make: (sd) => ("betas" in sd.param_groups[0]! && !("beta2_decay" in sd.param_groups[0]!) ? ((sd.param_groups[0]!.betas = [1, 0.999]), sd) : null),
    message: "Invalid beta parameter at index 0: 1",
  },
  {
    name: "momentum -1 (the constructor's range)",
    make: (sd) => (typeof sd.param_groups[0]!.momentum === "number" ? ((sd.param_groups[0]!.momentum = -1), sd) : null),
    message: /(Invalid momentum value: -1|momentum should be >= 0 but is: -1)$/,
  },
  {
    name: "param_names of the wrong kind",
    make: (sd) => ((sd.param_groups[0]!.param_names = [1, 2]), sd),
    message: "param_groups[0]['param_names'] should be 2 strings, got array [1,2]",
  },
  {
    name: "a scheduler key that is not a number",
    make: (sd) => ((sd.param_groups[0]!.initial_lr = "0.1"), sd),
    message: "['initial_lr'] should be a number ≥ 0, got string \"0.1\"",
  },
];

const table = Object.keys(OPTIMIZERS).flatMap((name) => {
  const sample = jsonOf(trained(name).opt);
  return CASES.filter((c) => c.make(JSON.parse(JSON.stringify(sample)) as Json, name) !== null).map((c) => ({ optimizer: name, ...c }));
});

describe("Optimizer.load_state_dict refuses bad state dicts and changes nothing", () => {
  it("covers every optimizer with most cases", () => {
    expect(table.length).toBeGreaterThan(500);
  });

  it.each(table)("$optimizer: $name", ({ optimizer, make, message }) => {
    const { opt, ps } = trained(optimizer);
    const bad = make(jsonOf(opt), optimizer);
    expectRefusedAtomically(() => opt.load_state_dict(bad as never), message, opt, ps);
    // Still usable: the same state dict it had loads back.
    opt.load_state_dict(jsonOf(opt) as never);
  });
});

describe("Optimizer.load_state_dict takes a valid state dict whole", () => {
  it.each(Object.keys(OPTIMIZERS))("%s: a JSON state dict loaded into a fresh optimizer continues exactly as the original", (name) => {
    const a = trained(name);
    const b = trained(name);
    // b's parameters and state diverge from a's, then b loads a's parameters and state.
    train(b.opt, b.ps, 1);
    b.ps.forEach((p, i) => p.data.data.set(a.ps[i]!.toTypedArray()));
    b.opt.load_state_dict(jsonOf(a.opt) as never);
    expect(jsonOf(b.opt)).toEqual(jsonOf(a.opt));
    train(a.opt, a.ps, 2);
    train(b.opt, b.ps, 2);
    b.ps.forEach((p, i) => expect(Array.from(p.toTypedArray())).toEqual(Array.from(a.ps[i]!.toTypedArray())));
  });

  it("refuses Adam's state loaded into SGD, naming the first difference", () => {
    const adam = trained("Adam");
    const { opt, ps } = trained("SGD");
    expectRefusedAtomically(() => opt.load_state_dict(jsonOf(adam.opt) as never), "loaded state dict: param_groups[0] has no 'momentum'", opt, ps);
    const sd = jsonOf(opt);
    sd.state = jsonOf(adam.opt).state;
    expectRefusedAtomically(
      () => opt.load_state_dict(sd as never),
      "loaded state dict: state[\"0\"] has the key 'step', which this optimizer does not keep (it keeps 'momentum_buffer')",
      opt,
      ps,
    );
  });

  it("a __proto__ group key in JSON never becomes the group's prototype, and Object.prototype stays clean", () => {
    const { opt } = trained("SGD");
    const text = JSON.stringify(opt.state_dict()).replace('"param_groups":[{', '"param_groups":[{"__proto__":{"lr":-5,"polluted":1},');
    expect(() => opt.load_state_dict(JSON.parse(text))).toThrow("has the key '__proto__'");
    expect(Object.getPrototypeOf(opt.param_groups[0])).toBe(Object.prototype);
    expectPrototypeClean();
  });

  it("loads a state dict saved with a scheduler's keys in its groups (resuming before the scheduler is made)", () => {
    const a = trained("SGD");
    new optim.lr_scheduler.OneCycleLR(a.opt as never, 0.5, { total_steps: 10 });
    const b = trained("SGD");
    b.opt.load_state_dict(jsonOf(a.opt) as never);
    expect(b.opt.param_groups[0]!.max_lr).toBe(0.5);
    expect(b.opt.param_groups[0]!.initial_lr).toBe(a.opt.param_groups[0]!.initial_lr);
  });

  it("keeps a group's param_names and casts state to the parameter's dtype", () => {
    const w = tensor([1, 2], { dtype: "float32", requires_grad: true });
    const opt = new optim.Adam([["w", w]], { lr: 0.1 });
    w.grad = tensor([0.5, -0.5], { dtype: "float32" });
    opt.step();
    const sd = JSON.parse(JSON.stringify(opt.state_dict()));
    sd.state["0"].exp_avg.dtype = "float64";
    opt.load_state_dict(sd);
    expect(opt.param_groups[0]!.param_names).toEqual(["w"]);
    expect(opt.state.get(w)!.exp_avg.dtype).toBe("float32");
  });
});
