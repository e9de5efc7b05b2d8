// After any call that throws (a constructor, step, add_param_group, a module's
// load_state_dict), the objects it was given are exactly as before (test/loads/atomic.ts).
// Messages: PyTorch's (torch/optim/*.py, torch/nn/modules/module.py).
import { describe, expect, it } from "vitest";
import { optim, tensor, type Tensor } from "gradlab";
import type { Optimizer } from "../../src/optim/optimizer.ts";
import { expectRefusedAtomically } from "./atomic.ts";
import { OPTIMIZERS, model, params, trained } from "./subjects.ts";

type Ctor = new (ps: unknown, options?: object) => unknown;
const CTORS: Record<string, Ctor> = {
  SGD: optim.SGD,
  Adagrad: optim.Adagrad,
  RMSprop: optim.RMSprop,
  Adadelta: optim.Adadelta,
  Adam: optim.Adam,
  AdamW: optim.AdamW,
  Adamax: optim.Adamax,
  NAdam: optim.NAdam,
  RAdam: optim.RAdam,
  ASGD: optim.ASGD,
  Rprop: optim.Rprop,
  Adafactor: optim.Adafactor,
  Muon: optim.Muon,
  LBFGS: optim.LBFGS,
  SparseAdam: optim.SparseAdam,
} as unknown as Record<string, Ctor>;

const constructorCases = Object.keys(CTORS).flatMap((name) => [
  {
    name,
    what: "a negative lr",
    args: (ps: Tensor[]) => [ps, { lr: -1 }] as const,
    message: /(Invalid learning rate: -1|Learning rate should be >= 0 but is: -1)$/,
  },
  {
    name,
    what: "an unknown option",
    args: (ps: Tensor[]) => [ps, { lrr: 1 }] as const,
    message: `${name}.__init__() got an unexpected keyword argument 'lrr'`,
  },
  {
    name,
    what: "a tensor as params",
    args: (ps: Tensor[]) => [ps[0], {}] as const,
    message: "params argument given to the optimizer should be an iterable of Tensors or dicts, but got torch.DoubleTensor",
  },
  { name, what: "an empty parameter list", args: () => [[], {}] as const, message: "optimizer got an empty parameter list" },
  {
    name,
    what: "a non-tensor parameter",
    args: (ps: Tensor[]) => [[ps[0], 3], {}] as const,
    message: "optimizer can only optimize Tensors, but one of the params is number",
  },
]);

describe("a constructor that throws leaves the parameters as they were", () => {
  it.each(constructorCases)("$name with $what", ({ name, args, message }) => {
    const ps = params();
    for (const p of ps) p.grad = p.detach().clone();
    const [first, options] = args(ps);
    expectRefusedAtomically(() => new CTORS[name]!(first, options), message, ps);
  });
});

const groupCases = [
  { what: "a list instead of a dict", group: (): unknown => [], message: "param_group must be a dict, but got list" },
  {
    what: "a parameter already in a group",
    group: (ps: Tensor[]): unknown => ({ params: [ps[0]] }),
    message: "some parameters appear in more than one parameter group",
  },
  {
    what: "a set of parameters",
    group: (): unknown => ({ params: new Set([tensor([1], { requires_grad: true, dtype: "float64" })]) }),
    message: "ordered collections",
  },
  {
    what: "a non-leaf tensor",
    group: (): unknown => ({ params: [tensor([1], { requires_grad: true, dtype: "float64" }).mul(2)] }),
    message: "can't optimize a non-leaf Tensor",
  },
  {
    what: "a name on some parameters only",
    group: (): unknown => ({ params: [["a", tensor([[1, 2]], { requires_grad: true, dtype: "float64" })]] }),
    message: "all optimizer param groups should be with/without names. cannot add param group with names to the optimizer",
  },
];
const fresh = (): Tensor => tensor([1, 2], { requires_grad: true, dtype: "float64" });
// Kinds from each optimizer's declared signature; PyTorch accepts these and fails later in
// step (SGD: "bad operand type for unary -: 'str'") or computes NaN without a word.
const kindCases = [
  {
    what: "a string lr",
    group: (): unknown => ({ params: [fresh()], lr: "0.1" }),
    message: (name: string) => `${name}.add_param_group(): param_group.lr must be a number, but got string "0.1"`,
  },
  {
    what: "a NaN lr",
    group: (): unknown => ({ params: [fresh()], lr: NaN }),
    message: (name: string) => `${name}.add_param_group(): param_group.lr must be a number, but got NaN`,
  },
  {
    what: "a boolean maximize given as a string",
    group: (): unknown => ({ params: [fresh()], maximize: "true" }),
    message: (name: string) => `${name}.add_param_group(): param_group.maximize must be a boolean, but got string "true"`,
  },
];
const addCases = Object.keys(OPTIMIZERS)
  .filter((n) => n !== "LBFGS")
  .flatMap((name) => [
    ...groupCases.map((c) => ({ name, ...c })),
    ...kindCases
      .filter((c) => c.what !== kindCases[2]!.what || "maximize" in OPTIMIZERS[name]!(params()).param_groups[0]!)
      .map((c) => ({ name, ...c, message: c.message(name) })),
  ]);

describe("add_param_group that throws changes nothing", () => {
  it.each(addCases)("$name: $what", ({ name, group, message }) => {
    const { opt, ps } = trained(name);
    expectRefusedAtomically(() => opt.add_param_group(group(ps) as never), message, opt, ps);
  });
});

describe("add_param_group keeps what PyTorch keeps", () => {
  it("an override of a declared option is taken as given", () => {
    const { opt } = trained("Adam");
    opt.add_param_group({ params: [fresh()], lr: 0.5, betas: [0.8, 0.9] } as never);
    expect(opt.param_groups[1]).toMatchObject({ lr: 0.5, betas: [0.8, 0.9], eps: 1e-8 });
  });

  it("a key the optimizer does not declare is kept, as in PyTorch's dict (a group's name)", () => {
    const { opt } = trained("SGD");
    opt.add_param_group({ params: [fresh()], name: "head" } as never);
    expect(opt.param_groups[1]!.name).toBe("head");
  });
});

describe("step that throws changes nothing", () => {
  it.each(Object.keys(OPTIMIZERS))("%s: a step pre hook returning a bad value", (name) => {
    const { opt, ps } = trained(name);
    for (const p of ps) p.grad = p.detach().clone();
    const handle = opt.register_step_pre_hook(() => 5 as never);
    const before = () => opt.step(() => 0);
    try {
      expectRefusedAtomically(before, "step must return None or a tuple of (new_args, new_kwargs), but got 5.", opt, ps);
    } finally {
      handle.remove();
    }
  });

  it("LBFGS without a closure", () => {
    const { opt, ps } = trained("LBFGS");
    expectRefusedAtomically(() => opt.step(), "'NoneType' object is not callable", opt, ps);
  });
});

describe("Module.load_state_dict refuses bad input and changes nothing", () => {
  const cases: Array<{ what: string; make: (sd: Record<string, Tensor>) => unknown; message: string }> = [
    { what: "null", make: () => null, message: "Expected state_dict to be dict-like, got <class 'NoneType'>." },
    { what: "an array", make: () => [], message: "Expected state_dict to be dict-like, got <class 'list'>." },
    {
      what: "a __proto__ key",
      make: (sd) => Object.defineProperty({ ...sd }, "__proto__", { value: {}, enumerable: true }),
      message: "state_dict has the key '__proto__', which cannot hold state",
    },
    {
      what: "a constructor key",
      make: (sd) => ({ ...sd, constructor: tensor([1]) }),
      message: "state_dict has the key 'constructor', which cannot hold state",
    },
    {
      what: "a missing key",
      make: (sd) => {
        const { "0.bias": _, ...rest } = sd;
        return rest;
      },
      message: 'Missing key(s) in state_dict: "0.bias".',
    },
    { what: "an unexpected key", make: (sd) => ({ ...sd, "0.extra": tensor([1]) }), message: 'Unexpected key(s) in state_dict: "0.extra".' },
    {
      what: "a number for a tensor",
      make: (sd) => ({ ...sd, "0.bias": 3 }),
      message: "While copying the parameter named \"0.bias\", expected torch.Tensor or Tensor-like object from checkpoint but received <class 'number'>",
    },
    {
      what: "a tensor of the wrong shape",
      make: (sd) => ({ ...sd, "0.weight": tensor([1, 2]) }),
      message: "size mismatch for 0.weight: copying a param with shape torch.Size([2]) from checkpoint, the shape in current model is torch.Size([2, 3]).",
    },
  ];
  it.each(cases)("$what", ({ make, message }) => {
    const m = model();
    const sd = m.state_dict();
    expectRefusedAtomically(() => m.load_state_dict(make(sd) as never), message, m);
  });
});

describe("the tables are large", () => {
  it("counts", () => {
    expect(constructorCases.length + addCases.length).toBeGreaterThan(100);
    void (null as unknown as Optimizer);
  });
});
