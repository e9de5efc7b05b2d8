import { describe, expect, it } from "vitest";
import { nn, ones, tensor, testing, zeros, type Tensor } from "gradlab";
import { fixture } from "../helpers.ts";

// Expected lists and messages: tools/fixtures/nn.py (torch 1.13), module_cases().
interface ModuleFixture {
  named_parameters: string[];
  named_buffers: string[];
  named_modules: string[];
  named_children: string[];
  state_dict_keys: string[];
  repr: string;
  errors: Record<"missing" | "unexpected" | "size_mismatch" | "all_three", string>;
  non_strict: { missing_keys: string[]; unexpected_keys: string[] };
  nested_non_strict: { missing_keys: string[]; unexpected_keys: string[] };
  reprs: Record<string, string>;
}
const F = fixture<{ cases: ModuleFixture[] }>("nn/module").cases[0]!;

/** The same structure as `Block` in tools/fixtures/nn.py. */
class Block extends nn.Module {
  fc = this.register_module("fc", new nn.Linear(3, 4));
  norm = this.register_module("norm", new nn.BatchNorm1d(4));
  scale = this.register_buffer("scale", ones(1));
  scratch = this.register_buffer("scratch", zeros(1), { persistent: false });
  alpha = this.register_parameter("alpha", new nn.Parameter(zeros(2)));
}

/** The same structure as `Net` in tools/fixtures/nn.py, including a module registered twice. */
class Net extends nn.Module {
  embed = this.register_module("embed", new nn.Embedding(5, 3));
  blocks = this.register_module("blocks", new nn.ModuleList([new Block(), new Block()]));
  head = this.register_module("head", new nn.Sequential(new nn.ReLU(), new nn.Linear(4, 2, { bias: false })));
  heads = this.register_module("heads", new nn.ModuleDict({ b: new nn.LayerNorm(2), a: new nn.Linear(2, 1) }));
  shared = this.register_module("shared", this.head);
}

/** Copies of every value in a state dict, to check that a failed load changed nothing. */
const snapshot = (m: nn.Module) => Object.entries(m.state_dict()).map(([k, v]) => [k, v.tolist()] as const);

describe("nn.Module traversal follows PyTorch's order", () => {
  const net = new Net();
  it("named_parameters gives dotted names in PyTorch's order, shared modules once", () => {
    expect(net.named_parameters().map(([n]) => n)).toEqual(F.named_parameters);
  });
  it("named_buffers lists persistent and non-persistent buffers", () => {
    expect(net.named_buffers().map(([n]) => n)).toEqual(F.named_buffers);
  });
  it("named_modules walks parents before children, each module once", () => {
    expect(net.named_modules().map(([n]) => n)).toEqual(F.named_modules);
  });
  it("named_children skips the repeated child", () => {
    expect(net.named_children().map(([n]) => n)).toEqual(F.named_children);
  });
  it("state_dict keys: own parameters, persistent buffers, then children, shared modules under both names", () => {
    expect(Object.keys(net.state_dict())).toEqual(F.state_dict_keys);
  });
  it("parameters() are the tensors named by named_parameters()", () => {
    expect(net.parameters()).toEqual(net.named_parameters().map(([, p]) => p));
    expect(net.parameters().every((p) => p instanceof nn.Parameter && p.requires_grad)).toBe(true);
  });
  it("children() and modules() agree with their named forms", () => {
    expect(net.children()).toEqual(net.named_children().map(([, m]) => m));
    expect(net.modules()).toEqual(net.named_modules().map(([, m]) => m));
  });
  it("prints like PyTorch's repr", () => {
    expect(net.toString()).toBe(F.repr);
  });
  it("recurse: false lists only the module's own parameters", () => {
    expect(
      net.blocks
        .at(0)
        .named_parameters({ recurse: false })
        .map(([n]) => n),
    ).toEqual(["alpha"]);
  });
  it("remove_duplicate: false lists a shared parameter under every name", () => {
    const names = net.named_parameters({ remove_duplicate: false }).map(([n]) => n);
    expect(names).toContain("shared.1.weight");
    expect(names).toHaveLength(F.named_parameters.length + 1);
  });
  it("get_submodule follows a dotted path", () => {
    expect(net.get_submodule("blocks.1.fc")).toBe((net.blocks.at(1) as Block).fc);
    expect(() => net.get_submodule("blocks.7")).toThrow("ModuleList has no attribute `7`");
  });
});

describe("nn.Module reprs of the layers", () => {
  const make: Record<string, () => nn.Module> = {
    Linear: () => new nn.Linear(3, 2),
    Linear_nobias: () => new nn.Linear(3, 2, { bias: false }),
    Flatten: () => new nn.Flatten(),
    Dropout: () => new nn.Dropout({ p: 0.25 }),
    Identity: () => new nn.Identity(),
    Embedding: () => new nn.Embedding(10, 3, { padding_idx: 0 }),
    LayerNorm: () => new nn.LayerNorm([2, 3]),
    BatchNorm1d: () => new nn.BatchNorm1d(4, { momentum: null }),
    ReLU: () => new nn.ReLU(),
    LeakyReLU: () => new nn.LeakyReLU({ negative_slope: 0.2 }),
    GELU: () => new nn.GELU({ approximate: "tanh" }),
    Softplus: () => new nn.Softplus({ beta: 2.0, threshold: 10.0 }),
    Softmax: () => new nn.Softmax({ dim: 1 }),
    LogSoftmax: () => new nn.LogSoftmax({ dim: -1 }),
    Sigmoid: () => new nn.Sigmoid(),
    Tanh: () => new nn.Tanh(),
    SiLU: () => new nn.SiLU(),
  };
  it.each(Object.keys(make))("%s prints as in PyTorch", (name) => {
    expect(make[name]!().toString()).toBe(F.reprs[name]);
  });
});

describe("registering members", () => {
  it("a registered field can be replaced by assignment, as in PyTorch", () => {
    const fc = new nn.Linear(2, 2);
    const w = new nn.Parameter(zeros([2, 2]));
    fc.weight = w;
    expect(fc.parameters()[0]).toBe(w);
    fc.bias = null;
    expect(fc.named_parameters().map(([n]) => n)).toEqual(["weight"]);
    expect(Object.keys(fc.state_dict())).toEqual(["weight"]);
  });
  it.each([
    ["a dotted name", () => new nn.Module().register_parameter("a.b", null), 'parameter name can\'t contain "."'],
    ["an empty name", () => new nn.Module().register_buffer("", null), 'buffer name can\'t be empty string ""'],
    ["a method's name", () => new nn.Module().register_module("forward", new nn.Identity()), "attribute 'forward' already exists"],
    [
      "a plain tensor as parameter",
      () => new nn.Module().register_parameter("w", zeros(2) as nn.Parameter),
      "cannot assign 'torch.FloatTensor' object to parameter 'w' (torch.nn.Parameter or None required)",
    ],
    ["a module dotted name", () => new nn.Module().add_module("x.y", new nn.Identity()), 'module name can\'t contain ".", got: x.y'],
  ])("refuses %s with PyTorch's message", (_what, register, message) => {
    expect(register).toThrow(message);
  });
  it("refuses a non-leaf tensor as a parameter", () => {
    const p = new nn.Parameter(zeros(2));
    const nonLeaf = new nn.Parameter(zeros(2));
    nonLeaf.grad_fn = p.mul(2).grad_fn;
    expect(() => new nn.Module().register_parameter("w", nonLeaf)).toThrow("Cannot assign non-leaf Tensor to parameter 'w'");
  });
  it("ModuleDict refuses a key that shadows a Module method", () => {
    expect(() => new nn.ModuleDict({ train: new nn.Identity() })).toThrow("attribute 'train' already exists");
  });
  it("forward of the base class throws PyTorch's message", () => {
    expect(() => new nn.Module().forward()).toThrow('Module [Module] is missing the required "forward" function');
  });
});

describe("train, eval, zero_grad, apply, requires_grad_", () => {
  it("train(false) and eval() reach every submodule", () => {
    const net = new Net();
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.modules().every((m) => m.training)).toBe(true);
  });
  it("zero_grad sets gradients to null, or to zeros with set_to_none: false", () => {
    const fc = new nn.Linear(2, 1);
    fc.weight.grad = tensor([[1, 2]]);
    fc.bias!.grad = tensor([3]);
    fc.zero_grad({ set_to_none: false });
    expect(fc.weight.grad!.tolist()).toEqual([[0, 0]]);
    fc.zero_grad();
    expect(fc.weight.grad).toBeNull();
    expect(fc.bias!.grad).toBeNull();
  });
  it("apply visits children before their parent", () => {
    const seen: string[] = [];
    new nn.Sequential(new nn.Linear(1, 1), new nn.Sequential(new nn.Tanh())).apply((m) => seen.push(m._get_name()));
    expect(seen).toEqual(["Linear", "Tanh", "Sequential", "Sequential"]);
  });
  it("requires_grad_(false) freezes every parameter", () => {
    const net = new Net().requires_grad_(false);
    expect(net.parameters().some((p) => p.requires_grad)).toBe(false);
  });
  it("double() converts parameters and float buffers in place, keeping the Parameter objects", () => {
    const bn = new nn.BatchNorm1d(2);
    const weight = bn.weight;
    bn.double();
    expect(bn.weight).toBe(weight);
    expect(bn.parameters().map((p) => p.dtype)).toEqual(["float64", "float64"]);
    expect(bn.buffers().map((b) => b.dtype)).toEqual(["float64", "float64", "int64"]);
  });
});

describe("state_dict and load_state_dict", () => {
  it("state_dict values share memory with the module but are detached", () => {
    const fc = new nn.Linear(2, 2);
    const sd = fc.state_dict();
    expect(sd.weight!.requires_grad).toBe(false);
    expect(sd.weight!.storage).toBe(fc.weight.storage);
    expect(fc.state_dict({ keep_vars: true }).weight).toBe(fc.weight);
  });
  it("round trip: loading one model's state into another makes them equal", () => {
    const a = new Net();
    const b = new Net();
    const keys = b.load_state_dict(a.state_dict());
    expect(keys).toEqual({ missing_keys: [], unexpected_keys: [] });
    for (const [k, v] of Object.entries(a.state_dict())) testing.assert_close(b.state_dict()[k]!, v, { rtol: 0, atol: 0 });
  });
  it("loading copies values into the existing parameters (an optimizer's references stay valid)", () => {
    const fc = new nn.Linear(2, 1);
    const weight = fc.weight;
    fc.load_state_dict({ weight: tensor([[5, 6]]), bias: tensor([7]) });
    expect(fc.weight).toBe(weight);
    expect(fc.weight.tolist()).toEqual([[5, 6]]);
  });
  const lin = () => new nn.Linear(3, 2);
  it.each([
    ["missing", (sd: Record<string, Tensor>) => ({ weight: sd.weight! })],
    ["unexpected", (sd: Record<string, Tensor>) => ({ ...sd, extra: zeros(1), "foo.bar": zeros(1) })],
    ["size_mismatch", (sd: Record<string, Tensor>) => ({ weight: zeros([2, 4]), bias: sd.bias! })],
    ["all_three", () => ({ weight: zeros([3, 3]), extra: zeros(1) })],
  ] as const)("strict load with %s keys throws PyTorch's message and changes nothing", (kind, make) => {
    const m = lin();
    const before = snapshot(m);
    const sd = make(Object.fromEntries(Object.entries(lin().state_dict()).map(([k, v]) => [k, v.clone()])));
    expect(() => m.load_state_dict(sd)).toThrow(F.errors[kind]);
    expect(snapshot(m)).toEqual(before);
  });
  it("strict: false reports missing and unexpected keys and loads the rest", () => {
    const seq = new nn.Sequential(new nn.Linear(2, 2), new nn.Linear(2, 2));
    const keys = seq.load_state_dict({ "0.weight": zeros([2, 2]), "1.bias": zeros(2), "2.weight": zeros(1) }, { strict: false });
    expect(keys).toEqual(F.non_strict);
    expect(seq.at(0).state_dict().weight!.tolist()).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });
  it("strict: false on a nested model reports keys as PyTorch does, module by module", () => {
    const net = new Net();
    const sd = net.state_dict();
    for (const k of Object.keys(sd)) if (k.startsWith("blocks.1.")) delete sd[k];
    sd["blocks.0.fc.extra"] = zeros(1);
    sd["blockz.0"] = zeros(1);
    expect(net.load_state_dict(sd, { strict: false })).toEqual(F.nested_non_strict);
  });
  it("a size mismatch throws even with strict: false, and changes nothing", () => {
    const m = lin();
    const before = snapshot(m);
    expect(() => m.load_state_dict({ weight: zeros([2, 4]), bias: zeros(2) }, { strict: false })).toThrow("size mismatch for weight");
    expect(snapshot(m)).toEqual(before);
  });
  it("non-persistent buffers are left out of state_dict and not expected on load", () => {
    const block = new Block();
    expect(Object.keys(block.state_dict())).not.toContain("scratch");
    expect(block.load_state_dict(new Block().state_dict()).missing_keys).toEqual([]);
  });
});

describe("nn.Parameter", () => {
  it("shares the wrapped tensor's memory and requires grad", () => {
    const t = zeros(3);
    const p = new nn.Parameter(t);
    expect(p.storage).toBe(t.storage);
    expect(p.requires_grad).toBe(true);
    expect(new nn.Parameter(t, { requires_grad: false }).requires_grad).toBe(false);
  });
});
