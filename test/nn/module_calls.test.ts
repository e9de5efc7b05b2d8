import { describe, expect, it } from "vitest";
import { nn, ones, optim, tensor, zeros } from "gradlab";

// expected values: torch 1.13 on the same model (nn.Sequential(nn.Linear(2, 3), nn.ReLU(),
// nn.Sequential(nn.Linear(3, 1))) with a buffer "scale"), printed by hand:
//   m.named_parameters("net", False) → []; m.named_parameters("net") → net.0.weight, net.0.bias, net.2.0.weight, net.2.0.bias
//   len(m.parameters(False)) → 0; m.named_buffers("b", False) → ["b.scale"]
//   m.named_modules(None, "root") → root, root.0, root.1, root.2, root.2.0
//   m.state_dict(prefix="model.") → model.scale, model.0.weight, model.0.bias, model.2.0.weight, model.2.0.bias
//   m.load_state_dict({"0.weight": …}, False).missing_keys → scale, 0.bias, 2.0.weight, 2.0.bias
function model() {
  const m = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Sequential(new nn.Linear(3, 1)));
  m.register_buffer("scale", ones(1));
  return m;
}
const names = (pairs: [string, unknown][]): string[] => pairs.map(([n]) => n);

describe("Module methods take PyTorch's positional arguments", () => {
  it.each([
    {
      call: "named_parameters(prefix, recurse)",
      positional: () => names(model().named_parameters("net", false)),
      byName: () => names(model().named_parameters({ prefix: "net", recurse: false })),
      expected: [],
    },
    {
      call: "named_parameters(prefix)",
      positional: () => names(model().named_parameters("net")),
      byName: () => names(model().named_parameters({ prefix: "net" })),
      expected: ["net.0.weight", "net.0.bias", "net.2.0.weight", "net.2.0.bias"],
    },
    {
      call: "parameters(recurse)",
      positional: () => model().parameters(false).length,
      byName: () => model().parameters({ recurse: false }).length,
      expected: 0,
    },
    {
      call: "named_buffers(prefix, recurse)",
      positional: () => names(model().named_buffers("b", false)),
      byName: () => names(model().named_buffers({ prefix: "b", recurse: false })),
      expected: ["b.scale"],
    },
    { call: "buffers(recurse)", positional: () => model().buffers(false).length, byName: () => model().buffers({ recurse: false }).length, expected: 1 },
    {
      call: "named_modules(memo, prefix)",
      positional: () => names(model().named_modules(null, "root")),
      byName: () => names(model().named_modules({ prefix: "root" })),
      expected: ["root", "root.0", "root.1", "root.2", "root.2.0"],
    },
    {
      call: "load_state_dict(state_dict, strict)",
      positional: () => model().load_state_dict({ "0.weight": zeros(3, 2) }, false).missing_keys,
      byName: () => model().load_state_dict({ "0.weight": zeros(3, 2) }, { strict: false }).missing_keys,
      expected: ["scale", "0.bias", "2.0.weight", "2.0.bias"],
    },
    { call: "train(mode)", positional: () => model().train(false).training, byName: () => model().train({ mode: false }).training, expected: false },
    {
      call: "requires_grad_(requires_grad)",
      positional: () =>
        model()
          .requires_grad_(false)
          .parameters()
          .map((p) => p.requires_grad),
      byName: () =>
        model()
          .requires_grad_({ requires_grad: false })
          .parameters()
          .map((p) => p.requires_grad),
      expected: [false, false, false, false],
    },
    {
      call: "get_submodule(target)",
      positional: () => model().get_submodule("2.0").toString(),
      byName: () => model().get_submodule({ target: "2.0" }).toString(),
      expected: "Linear(in_features=3, out_features=1, bias=True)",
    },
  ])("$call", ({ positional, byName, expected }) => {
    expect(positional()).toEqual(expected);
    expect(byName()).toEqual(expected);
  });

  it("state_dict takes its options by name only (keyword-only in PyTorch, whose positional form is deprecated)", () => {
    expect(Object.keys(model().state_dict({ prefix: "model." }))).toEqual([
      "model.scale",
      "model.0.weight",
      "model.0.bias",
      "model.2.0.weight",
      "model.2.0.bias",
    ]);
    expect(() => (model().state_dict as (...a: unknown[]) => unknown)({}, "p")).toThrow("Module.state_dict() takes 0 positional arguments but 2 were given");
  });

  it.each([
    { what: "Module.zero_grad(false)", make: () => model(), zero: (m: nn.Module) => m.zero_grad(false) },
    { what: "Module.zero_grad({ set_to_none: false })", make: () => model(), zero: (m: nn.Module) => m.zero_grad({ set_to_none: false }) },
  ])("$what zeroes the gradients in place instead of dropping them", ({ make, zero }) => {
    const m = make();
    for (const p of m.parameters()) p.grad = ones(...p.shape);
    zero(m);
    for (const p of m.parameters()) expect(p.grad?.tolist()).toEqual(zeros(...p.shape).tolist());
  });

  it("Optimizer.zero_grad(false) zeroes the gradients in place, as zero_grad(set_to_none=False)", () => {
    const w = tensor([1, 2], { requires_grad: true });
    const opt = new optim.SGD([w], 0.1);
    w.grad = tensor([3, 4]);
    const grad = w.grad;
    opt.zero_grad(false);
    expect(w.grad).toBe(grad);
    expect(w.grad.tolist()).toEqual([0, 0]);
    opt.zero_grad();
    expect(w.grad).toBe(null);
  });

  it.each([
    { call: "to(dtype)", to: (m: nn.Module) => m.to("float64") },
    { call: "to(device, dtype)", to: (m: nn.Module) => m.to("cpu", "float64") },
    { call: "to(tensor)", to: (m: nn.Module) => m.to(zeros(1, { dtype: "float64" })) },
    { call: "to({ dtype })", to: (m: nn.Module) => m.to({ dtype: "float64" }) },
    { call: "to(dtype, { non_blocking })", to: (m: nn.Module) => m.to("float64", { non_blocking: true }) },
  ])("$call converts every parameter and buffer", ({ to }) => {
    const m = model();
    to(m);
    expect([...m.parameters(), ...m.buffers()].map((t) => t.dtype)).toEqual(new Array(5).fill("float64"));
  });

  it("to(device) alone changes no dtype", () => {
    const m = model().to("cpu");
    expect(m.parameters().map((p) => p.dtype)).toEqual(new Array(4).fill("float32"));
  });
});

describe("wrong calls of Module methods throw Python's TypeErrors and change nothing", () => {
  it.each([
    {
      call: (m: nn.Module) => m.named_parameters({ recursive: false } as never),
      message: "Module.named_parameters() got an unexpected keyword argument 'recursive'. Did you mean 'recurse'?",
    },
    {
      call: (m: nn.Module) => (m.parameters as (...a: unknown[]) => unknown)(true, true),
      message: "Module.parameters() takes from 0 to 1 positional arguments but 2 were given",
    },
    { call: (m: nn.Module) => m.zero_grad("no" as never), message: `Module.zero_grad(): argument 'set_to_none' must be a boolean, but got string "no"` },
    {
      call: (m: nn.Module) => (m.load_state_dict as () => unknown)(),
      message: "Module.load_state_dict() missing 1 required positional argument: 'state_dict'",
    },
    {
      call: (m: nn.Module) => m.load_state_dict({}, { strict: false, strcit: true } as never),
      message: "Module.load_state_dict() got an unexpected keyword argument 'strcit'. Did you mean 'strict'?",
    },
    { call: (m: nn.Module) => m.train("yes" as never), message: "training mode is expected to be boolean" },
    { call: (m: nn.Module) => m.to("int64"), message: "nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=torch.int64" },
    {
      call: (m: nn.Module) => m.to("float16" as never),
      message: `Module.to(): expected a dtype ("float32" or "float64"), a tensor or a device ("cpu"), but got string "float16"`,
    },
    { call: (m: nn.Module) => m.to({ dtpye: "float64" } as never), message: "Module.to() got an unexpected keyword argument 'dtpye'. Did you mean 'dtype'?" },
    { call: (m: nn.Module) => m.apply(3 as never), message: "Module.apply(): argument 'fn' must be a function, but got number 3" },
    { call: (m: nn.Module) => m.get_submodule(3 as never), message: "Module.get_submodule(): argument 'target' must be a string, but got number 3" },
    {
      call: (m: nn.Module) => m.register_buffer("extra", ones(1), { persistant: false } as never),
      message: "Module.register_buffer() got an unexpected keyword argument 'persistant'. Did you mean 'persistent'?",
    },
  ])("$message", ({ call, message }) => {
    const m = model();
    const before = JSON.stringify([m.training, Object.keys(m.state_dict()), m.parameters().map((p) => [p.dtype, p.tolist()])]);
    expect(() => call(m)).toThrow(message);
    expect(JSON.stringify([m.training, Object.keys(m.state_dict()), m.parameters().map((p) => [p.dtype, p.tolist()])])).toBe(before);
  });
});

// Messages: torch 1.13's nn/modules/container.py, printed for the same calls (PyTorch's
// "should be Iterable; isLinear" has no space; gradlab's has one).
describe("containers refuse what is not a module, with PyTorch's messages", () => {
  it.each([
    { call: () => new nn.ModuleList(5 as never), message: "ModuleList.extend should be called with an iterable, but got int" },
    { call: () => new nn.ModuleList(new nn.Linear(2, 2) as never), message: "ModuleList.extend should be called with an iterable, but got Linear" },
    { call: () => new nn.ModuleList([new nn.Linear(2, 2), 3 as never]), message: "int is not a Module subclass" },
    { call: () => new nn.ModuleDict([new nn.Linear(2, 2)] as never), message: "ModuleDict update sequence element #0 should be Iterable; is Linear" },
    { call: () => new nn.ModuleDict(5 as never), message: "ModuleDict.update should be called with an iterable of key/value pairs, but got int" },
    { call: () => new nn.ModuleDict([["a", new nn.Linear(2, 2), 3]] as never), message: "ModuleDict update sequence element #0 has length 3; 2 is required" },
    { call: () => new nn.Sequential(new nn.Linear(2, 2), 3 as never), message: "int is not a Module subclass" },
    { call: () => new nn.Sequential(new nn.Linear(2, 2), ((x: unknown) => x) as never), message: "function is not a Module subclass" },
  ])("$message", ({ call, message }) => {
    expect(call).toThrow(message.includes("length 3") ? Error : TypeError);
    expect(call).toThrow(message);
  });

  it("ModuleList() and ModuleDict() with no argument (or null) are empty, as with None", () => {
    expect(new nn.ModuleList().length).toBe(0);
    expect(new nn.ModuleList(null).length).toBe(0);
    expect(new nn.ModuleDict().length).toBe(0);
    expect(new nn.ModuleDict(null).length).toBe(0);
  });
});
