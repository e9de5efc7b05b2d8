import { describe, expect, it } from "vitest";
import { type Tensor, optim, tensor } from "gradlab";
import { type Parameter, declared } from "../../src/utils/signature.ts";
import { fixture } from "../helpers.ts";

// expected values: tools/fixtures/calls.py (torch 1.13, float64): PyTorch's optimizers and
// schedulers called with every listed argument positionally, and the values that bound.
interface OptimizerCase {
  name: string;
  args: unknown[];
  group: Record<string, unknown>;
}
interface SchedulerCase {
  name: string;
  args: unknown[];
  lrs: number[];
}
const F = fixture<{ optimizers: OptimizerCase[]; schedulers: SchedulerCase[] }>("optim/calls");

type Constructor = new (...args: unknown[]) => object;
const S = optim.lr_scheduler;
const OPTIMIZERS = optim as unknown as Record<string, Constructor>;
const SCHEDULERS: Record<string, Constructor> = { ...(S as unknown as Record<string, Constructor>), SWALR: optim.swa_utils.SWALR as unknown as Constructor };
const METRICS = [1, 1, 1, 2, 2, 2, 2, 2];

/** The declared parameters of a class, from its one declaration. */
const parametersOf = (name: string): readonly Parameter[] => declared.get(`${name}.__init__`)!.parameters;

/**
 * The same call in three forms: every argument positionally, the first half positionally
 * and the rest by name, and all but the first by name (Python's keyword arguments).
 */
function forms(name: string, args: readonly unknown[]): { form: string; rest: unknown[] }[] {
  const names = parametersOf(name)
    .slice(1, 1 + args.length)
    .map((p) => p.name);
  const byName = (from: number): Record<string, unknown> => Object.fromEntries(names.slice(from).map((n, i) => [n, args[from + i]]));
  const half = Math.ceil(args.length / 2);
  return [
    { form: "positional", rest: [...args] },
    { form: "mixed", rest: [...args.slice(0, half), byName(half)] },
    { form: "by name", rest: [byName(0)] },
  ];
}

const param = (): Tensor => tensor([1, -2], { dtype: "float64", requires_grad: true });
const withoutParams = (group: Record<string, unknown>): Record<string, unknown> => {
  const { params: _params, ...rest } = group;
  return rest;
};

/** An optimizer's path over three steps from fixed gradients (LBFGS: its group only). */
function run(make: (p: Tensor) => optim.Optimizer): unknown {
  const p = param();
  const opt = make(p);
  if (opt instanceof optim.LBFGS) return withoutParams(opt.param_groups[0]!);
  const path: unknown[] = [withoutParams(opt.param_groups[0]!)];
  for (const g of [
    [0.5, -1],
    [0.25, 0.5],
    [-0.5, 1],
  ]) {
    p.grad = tensor(g, { dtype: "float64" });
    opt.step();
    path.push(p.tolist());
  }
  return path;
}

describe.each(F.optimizers)("$name called as in PyTorch", ({ name, args, group }) => {
  const Ctor = OPTIMIZERS[name]!;
  const make = (rest: unknown[]) => (p: Tensor) => new Ctor([p], ...rest) as optim.Optimizer;

  it("binds each positional argument to PyTorch's parameter", () => {
    const opt = make(args)(param());
    for (const [key, value] of Object.entries(group)) expect(opt.param_groups[0]![key]).toEqual(value);
  });

  it("gives identical groups and steps for the positional, mixed and by-name forms", () => {
    const [positional, ...others] = forms(name, args).map(({ rest }) => run(make(rest)));
    for (const other of others) expect(other).toEqual(positional);
  });

  const first = parametersOf(name)[1]!;
  const positionalCount = parametersOf(name).filter((p) => !p.keywordOnly).length;
  it.each([
    {
      call: "a misspelt name",
      rest: [{ [`${first.name}x`]: 0.1 }],
      message: `${name}.__init__() got an unexpected keyword argument '${first.name}x'. Did you mean '${first.name}'?`,
    },
    {
      call: "too many positional arguments",
      rest: new Array(positionalCount).fill(0.1),
      message: `positional arguments but ${positionalCount + 1} were given`,
    },
    { call: "an argument given twice", rest: [0.1, { [first.name]: 0.2 }], message: `${name}.__init__() got multiple values for argument '${first.name}'` },
    { call: "a string lr", rest: ["0.1"], message: `${name}.__init__(): argument 'lr' must be a number, but got string "0.1"` },
    { call: "a NaN lr", rest: [{ lr: NaN }], message: `${name}.__init__(): argument 'lr' must be a number, but got NaN` },
    { call: "an options object as lr", rest: [[0.1]], message: `${name}.__init__(): argument 'lr' must be a number, but got array [0.1]` },
  ])("throws PyTorch's TypeError for $call and changes nothing", ({ rest, message }) => {
    const p = param();
    expect(() => new Ctor([p], ...rest)).toThrow(TypeError);
    expect(() => new Ctor([p], ...rest)).toThrow(message);
    expect(p.tolist()).toEqual([1, -2]);
    expect(p.grad).toBeNull();
  });

  it("throws PyTorch's TypeError when params is missing", () => {
    expect(() => new Ctor()).toThrow(`${name}.__init__() missing 1 required positional argument: 'params'`);
  });
});

/** The lr after construction and after each of 8 steps, as the generator records it. */
function lrs(name: string, rest: unknown[]): number[] {
  const opt = new optim.SGD([param()], { lr: 0.1, momentum: 0.9 });
  const scheduler = new SCHEDULERS[name]!(opt, ...rest) as { step(metric?: number): void };
  const out = [opt.param_groups[0]!.lr];
  for (let e = 0; e < 8; e++) {
    opt.step();
    if (name === "ReduceLROnPlateau") scheduler.step(METRICS[e]);
    else scheduler.step();
    out.push(opt.param_groups[0]!.lr);
  }
  return out;
}

const decodeArgs = (args: readonly unknown[]): unknown[] => args.map((a) => (a === "0.9 ** epoch" ? (e: number) => 0.9 ** e : a));

describe.each(F.schedulers)("$name called as in PyTorch", ({ name, args, lrs: expected }) => {
  const rest = decodeArgs(args);

  it.each(forms(name, rest))("follows PyTorch's learning rates when called $form", ({ rest: call }) => {
    const got = lrs(name, call);
    got.forEach((lr, i) => expect(lr).toBeCloseTo(expected[i]!, 14));
  });

  const declaredParams = parametersOf(name);
  const positionalCount = declaredParams.filter((p) => !p.keywordOnly).length;
  const firstNumber = declaredParams.find((p) => /^(a number|an integer)/.test(p.kind.expected))!;
  const secondName = declaredParams[1]!.name;
  it.each([
    {
      call: "a misspelt name",
      extra: [...rest, { [`${secondName}x`]: 1 }],
      message: `${name}.__init__() got an unexpected keyword argument '${secondName}x'. Did you mean '${secondName}'?`,
    },
    { call: "too many positional arguments", extra: [...rest, ...new Array(positionalCount).fill(1)], message: `positional arguments but` },
    {
      call: "an argument given twice",
      extra: [...rest, { [secondName]: rest[0] }],
      message: `${name}.__init__() got multiple values for argument '${secondName}'`,
    },
    {
      call: `a string ${firstNumber.name}`,
      extra: [{ ...Object.fromEntries(forms(name, rest)[2]!.rest.flatMap((o) => Object.entries(o as object))), [firstNumber.name]: "0.5" }],
      message: `${name}.__init__(): argument '${firstNumber.name}' must be ${firstNumber.kind.expected}, but got string "0.5"`,
    },
  ])("throws PyTorch's TypeError for $call and leaves the optimizer alone", ({ extra, message }) => {
    const opt = new optim.SGD([param()], { lr: 0.1, momentum: 0.9 });
    const before = JSON.stringify(opt.param_groups.map(withoutParams));
    const step = opt.step;
    expect(() => new SCHEDULERS[name]!(opt, ...extra)).toThrow(TypeError);
    expect(() => new SCHEDULERS[name]!(opt, ...extra)).toThrow(message);
    expect(JSON.stringify(opt.param_groups.map(withoutParams))).toBe(before);
    expect(opt.step).toBe(step);
  });
});

describe("schedulers refuse a zero period before touching the optimizer", () => {
  it.each([
    { make: (o: optim.Optimizer) => new S.StepLR(o, 0), message: "StepLR: step_size must be positive, but got 0" },
    { make: (o: optim.Optimizer) => new S.CosineAnnealingLR(o, { T_max: 0 }), message: "CosineAnnealingLR: T_max must be positive, but got 0" },
    { make: (o: optim.Optimizer) => new S.CyclicLR(o, 0.01, 0.1, 0), message: "CyclicLR: step_size_up must be positive, but got 0" },
    { make: (o: optim.Optimizer) => new S.CyclicLR(o, 0.01, 0.1, 0, 3), message: "CyclicLR: step_size_up must be positive, but got 0" },
    { make: (o: optim.Optimizer) => new S.CyclicLR(o, 0.01, 0.1, 2, -2), message: "CyclicLR: step_size_up + step_size_down must be positive, but got 0" },
    { make: (o: optim.Optimizer) => new S.ConstantLR(o, 0), message: "ConstantLR: factor must be positive, but got 0" },
  ])("$message", ({ make, message }) => {
    const opt = new optim.SGD([param()], { lr: 0.1, momentum: 0.9 });
    expect(() => make(opt)).toThrow(message);
    expect(opt.param_groups[0]!.lr).toBe(0.1);
    expect("initial_lr" in opt.param_groups[0]!).toBe(false);
  });
});

// expected values: torch 1.13 and current PyTorch's lr_scheduler.py agree here. With
// total_iters 0 the chained step() keeps the lr (PolynomialLR) or the start factor (LinearLR)
// and step(epoch), the closed form, raises ZeroDivisionError; a negative power raises
// "0.0 cannot be raised to a negative power" at epoch total_iters, after lrs [1, 2].
describe("PolynomialLR and LinearLR at the edges PyTorch divides by zero", () => {
  const sgd = (): optim.Optimizer => new optim.SGD([param()], { lr: 1, momentum: 0.9 });
  const lrsOver = (opt: optim.Optimizer, sched: { step(): void }, n: number): number[] => {
    const lrs = [opt.param_groups[0]!.lr];
    for (let i = 0; i < n; i++) {
      sched.step();
      lrs.push(opt.param_groups[0]!.lr);
    }
    return lrs;
  };
  const quiet = <T>(f: () => T): T => {
    const warn = console.warn;
    console.warn = () => {};
    try {
      return f();
    } finally {
      console.warn = warn;
    }
  };

  it.each([
    { name: "PolynomialLR", make: (o: optim.Optimizer) => new S.PolynomialLR(o, 0), lrs: [1, 1, 1, 1] },
    { name: "LinearLR", make: (o: optim.Optimizer) => new S.LinearLR(o, { total_iters: 0 }), lrs: [1 / 3, 1 / 3, 1 / 3, 1 / 3] },
  ])("$name with total_iters 0 steps as PyTorch's chained form, and step(epoch) refuses to divide by it", ({ name, make, lrs }) => {
    const opt = sgd();
    const sched = make(opt);
    expect(quiet(() => lrsOver(opt, sched, 3))).toEqual(lrs);
    const { last_epoch } = sched;
    expect(() => quiet(() => sched.step(5))).toThrow(`${name}: total_iters must be positive for step(epoch), but got 0 (the closed form divides by it)`);
    expect(opt.param_groups[0]!.lr).toBe(lrs[3]);
    expect(sched.last_epoch).toBe(last_epoch);
  });

  it("PolynomialLR with a negative power refuses to raise 0 to it at epoch total_iters", () => {
    const opt = sgd();
    const sched = new S.PolynomialLR(opt, 2, -1);
    expect(quiet(() => lrsOver(opt, sched, 1))).toEqual([1, 2]);
    const message = "PolynomialLR: 0.0 cannot be raised to a negative power (power -1 at epoch 2, total_iters 2)";
    expect(() => quiet(() => sched.step())).toThrow(message);
    expect(opt.param_groups[0]!.lr).toBe(2);
    expect(sched.last_epoch).toBe(1);
    expect(() => quiet(() => sched.step(3))).toThrow("PolynomialLR: 0.0 cannot be raised to a negative power (power -1 at epoch 3, total_iters 2)");
  });
});

describe("swa_utils called as in PyTorch", () => {
  it("AveragedModel refuses a model that is not a Module, naming the argument", () => {
    expect(() => new optim.swa_utils.AveragedModel((() => 0) as never)).toThrow(
      "AveragedModel.__init__(): argument 'model' must be a Module, but got a function",
    );
  });

  it("update_bn refuses a loader that is not iterable and an unknown option", () => {
    expect(() => optim.swa_utils.update_bn(3 as never, null as never)).toThrow("update_bn(): argument 'loader' must be an iterable, but got number 3");
    expect(() => optim.swa_utils.update_bn([], { devcie: "cpu" } as never)).toThrow(TypeError);
  });
});
