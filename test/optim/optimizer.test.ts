import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { Tensor, optim, tensor, testing } from "gradlab";
import type { StateDict } from "../../src/optim/index.ts";
import { TOL } from "../helpers.ts";

const leaf = (values: number[], dtype: "float32" | "float64" = "float64"): Tensor => tensor(values, { dtype, requires_grad: true });

describe("Optimizer construction and param groups", () => {
  it("wraps a list of tensors in one group holding every default", () => {
    const a = leaf([1]);
    const b = leaf([2]);
    const opt = new optim.SGD([a, b], { lr: 0.1, momentum: 0.9 });
    expect(opt.param_groups).toHaveLength(1);
    expect(opt.param_groups[0]).toEqual({
      params: [a, b],
      lr: 0.1,
      momentum: 0.9,
      dampening: 0,
      weight_decay: 0,
      nesterov: false,
      maximize: false,
      foreach: null,
      differentiable: false,
      fused: null,
    });
  });

  it("fills each group's missing options from the defaults, keeping its overrides", () => {
    const a = leaf([1]);
    const b = leaf([2]);
    const opt = new optim.Adam([{ params: [a] }, { params: [b], lr: 0.5, betas: [0.1, 0.2] }], { lr: 0.01 });
    expect(opt.param_groups[0]!.lr).toBe(0.01);
    expect(opt.param_groups[0]!.betas).toEqual([0.9, 0.999]);
    expect(opt.param_groups[1]!.lr).toBe(0.5);
    expect(opt.param_groups[1]!.betas).toEqual([0.1, 0.2]);
    // groups do not share the defaults' arrays
    expect(opt.param_groups[0]!.betas).not.toBe(opt.defaults.betas);
  });

  it("takes named_parameters()-style pairs and records param_names", () => {
    const w = leaf([1]);
    const b = leaf([2]);
    const opt = new optim.SGD(
      [
        ["fc.weight", w],
        ["fc.bias", b],
      ],
      { lr: 0.1 },
    );
    expect(opt.param_groups[0]!.params).toEqual([w, b]);
    expect(opt.param_groups[0]!.param_names).toEqual(["fc.weight", "fc.bias"]);
    expect(opt.state_dict().param_groups[0]!.param_names).toEqual(["fc.weight", "fc.bias"]);
  });

  it("adds a group with add_param_group", () => {
    const a = leaf([1]);
    const b = leaf([2]);
    const opt = new optim.SGD([a], { lr: 0.1 });
    opt.add_param_group({ params: b, lr: 0.2 });
    expect(opt.param_groups.map((g) => [g.params, g.lr])).toEqual([
      [[a], 0.1],
      [[b], 0.2],
    ]);
  });

  const nonLeaf = () => leaf([1]).mul(2);
  it.each([
    { what: "an empty parameter list", make: () => new optim.SGD([]), message: "optimizer got an empty parameter list" },
    {
      what: "a bare tensor",
      make: () => new optim.SGD(leaf([1]) as never),
      message: "params argument given to the optimizer should be an iterable of Tensors or dicts, but got torch.DoubleTensor",
    },
    { what: "a non-leaf tensor", make: () => new optim.SGD([nonLeaf()]), message: "can't optimize a non-leaf Tensor" },
    {
      what: "a number among the params",
      make: () => new optim.SGD([3 as never]),
      message: "optimizer can only optimize Tensors, but one of the params is number",
    },
    {
      what: "a set of params",
      make: () => new optim.SGD([{ params: new Set([leaf([1])]) as never }]),
      message: "optimizer parameters need to be organized in ordered collections",
    },
    {
      what: "names for some params only",
      make: () => new optim.SGD([["a", leaf([1])], leaf([2])]),
      message: "all optimizer params should be with/without names. Some param names are missing",
    },
  ])("rejects $what with PyTorch's message", ({ make, message }) => {
    expect(make).toThrow(message);
  });

  it("rejects a parameter already in another group and leaves the groups as they were", () => {
    const a = leaf([1]);
    const opt = new optim.SGD([a], { lr: 0.1 });
    expect(() => opt.add_param_group({ params: [leaf([2]), a] })).toThrow("some parameters appear in more than one parameter group");
    expect(() => new optim.SGD([{ params: [a] }, { params: [a] }])).toThrow("some parameters appear in more than one parameter group");
    expect(opt.param_groups).toHaveLength(1);
  });

  it("rejects mixing named and unnamed groups", () => {
    const opt = new optim.SGD([["a", leaf([1])]], { lr: 0.1 });
    expect(() => opt.add_param_group({ params: [leaf([2])] })).toThrow(
      "all optimizer param groups should be with/without names. cannot add param group without names to the optimizer",
    );
    expect(opt.param_groups).toHaveLength(1);
  });

  it("accepts and ignores the kernel options foreach, fused, capturable, differentiable", () => {
    const run = (options: Record<string, unknown>) => {
      const theta = leaf([1, -2]);
      const opt = new optim.Adam([theta], { lr: 0.1, ...options });
      theta.grad = tensor([0.5, 0.25], { dtype: "float64" });
      opt.step();
      return theta.tolist();
    };
    expect(run({ foreach: true, capturable: true })).toEqual(run({}));
    expect(run({ fused: true, differentiable: false })).toEqual(run({}));
  });

  it("prints its groups as PyTorch does", () => {
    const opt = new optim.SGD([leaf([1])], { lr: 0.1 });
    expect(String(opt)).toBe(
      "SGD (\nParameter Group 0\n    dampening: 0\n    differentiable: False\n    foreach: None\n    fused: None\n    lr: 0.1\n    maximize: False\n    momentum: 0\n    nesterov: False\n    weight_decay: 0\n)",
    );
  });
});

describe("Optimizer.step", () => {
  it("skips parameters without a gradient: no state, no change", () => {
    const a = leaf([1, 2]);
    const b = leaf([3]);
    const opt = new optim.Adam([a, b], { lr: 0.1, weight_decay: 0.5 });
    a.grad = tensor([1, 1], { dtype: "float64" });
    opt.step();
    expect(b.tolist()).toEqual([3]);
    expect(opt.state.has(b)).toBe(false);
    expect(Object.keys(opt.state_dict().state)).toEqual(["0"]);
  });

  it("returns null without a closure", () => {
    const opt = new optim.SGD([leaf([1])], { lr: 0.1 });
    expect(opt.step()).toBeNull();
  });

  it("updates a strided (non-contiguous) parameter in place, element by element", () => {
    // a 2×2 parameter viewing its buffer column-major: element [i][j] lives at i + 2j
    const buffer = new Float64Array([1, 2, 3, 4]);
    const theta = new Tensor(ndarray(buffer, [2, 2], [1, 2], 0), "float64").requires_grad_();
    const opt = new optim.SGD([theta], { lr: 0.5 });
    theta.grad = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: "float64" },
    );
    opt.step();
    // θ[i][j] − 0.5·g[i][j]: [[1, 3], [2, 4]] − 0.5·[[1, 2], [3, 4]]
    expect(theta.tolist()).toEqual([
      [0.5, 2],
      [0.5, 2],
    ]);
    expect(Array.from(buffer)).toEqual([0.5, 0.5, 2, 2]);
  });

  it("gives the same trajectory with two groups as two separate optimizers", () => {
    const grads = [
      [0.3, -1.2],
      [0.7, 0.1],
      [-0.4, 0.9],
      [1.5, -0.2],
    ];
    const run = (together: boolean): number[][] => {
      const a = leaf([1, 2]);
      const b = leaf([-1, 0.5]);
      const optimizers = together
        ? [new optim.Adam([{ params: [a] }, { params: [b], lr: 0.3, amsgrad: true }], { lr: 0.1 })]
        : [new optim.Adam([a], { lr: 0.1 }), new optim.Adam([b], { lr: 0.3, amsgrad: true })];
      for (const g of grads) {
        a.grad = tensor(g, { dtype: "float64" });
        b.grad = tensor(
          g.map((x) => -2 * x),
          { dtype: "float64" },
        );
        for (const opt of optimizers) opt.step();
      }
      return [a.tolist() as number[], b.tolist() as number[]];
    };
    expect(run(true)).toEqual(run(false));
  });

  it("honours an lr changed by hand between steps", () => {
    const theta = leaf([1]);
    const opt = new optim.SGD([theta], { lr: 0.1 });
    theta.grad = tensor([1], { dtype: "float64" });
    opt.step();
    opt.param_groups[0]!.lr = 0.01;
    opt.step();
    testing.assert_close(theta, [1 - 0.1 - 0.01], TOL.float64);
  });
});

describe("Optimizer.zero_grad", () => {
  it("sets gradients to null by default", () => {
    const a = leaf([1]);
    const opt = new optim.SGD([a], { lr: 0.1 });
    a.grad = tensor([5], { dtype: "float64" });
    opt.zero_grad();
    expect(a.grad).toBeNull();
  });

  it("zeroes the same gradient tensor in place with set_to_none: false", () => {
    const a = leaf([1, 2]);
    const opt = new optim.SGD([a], { lr: 0.1 });
    const g = tensor([5, 6], { dtype: "float64" });
    a.grad = g;
    opt.zero_grad({ set_to_none: false });
    expect(a.grad).toBe(g);
    expect(g.tolist()).toEqual([0, 0]);
  });
});

describe("Optimizer hooks", () => {
  it("runs step hooks in PyTorch's order: global pre, own pre, step, own post, global post", () => {
    const theta = leaf([1]);
    const opt = new optim.SGD([theta], { lr: 0.1 });
    const order: string[] = [];
    const handles = [
      opt.register_step_post_hook(() => void order.push("post")),
      optim.register_optimizer_step_post_hook(() => void order.push("global post")),
      opt.register_step_pre_hook(() => void order.push("pre")),
      optim.register_optimizer_step_pre_hook(() => void order.push("global pre")),
    ];
    try {
      opt.step(() => {
        order.push("closure");
        return 0;
      });
      expect(order).toEqual(["global pre", "pre", "closure", "post", "global post"]);
    } finally {
      for (const h of handles) h.remove();
    }
    order.length = 0;
    opt.step();
    expect(order).toEqual([]);
  });

  it("lets a pre hook replace step's arguments", () => {
    const opt = new optim.SGD([leaf([1])], { lr: 0.1 });
    const h = opt.register_step_pre_hook((_opt, _args, kwargs) => [[() => 42], kwargs]);
    expect(opt.step()).toBe(42);
    h.remove();
    h.remove(); // removing twice does nothing
    expect(opt.step()).toBeNull();
  });

  it("runs state_dict hooks in order, prepend first, and lets a post hook replace the result", () => {
    const opt = new optim.SGD([leaf([1])], { lr: 0.1 });
    const order: string[] = [];
    opt.register_state_dict_pre_hook(() => void order.push("pre A"));
    opt.register_state_dict_pre_hook(() => void order.push("pre B"), { prepend: true });
    opt.register_state_dict_post_hook((_o, sd) => {
      order.push("post");
      return { ...sd, param_groups: sd.param_groups.map((g) => ({ ...g, lr: 7 })) };
    });
    expect(opt.state_dict().param_groups[0]!.lr).toBe(7);
    expect(order).toEqual(["pre B", "pre A", "post"]);
  });

  it("runs load_state_dict hooks around loading; a pre hook may replace what is loaded", () => {
    const opt = new optim.SGD([leaf([1])], { lr: 0.1 });
    const saved = opt.state_dict();
    const order: string[] = [];
    opt.register_load_state_dict_pre_hook((_o, sd) => {
      order.push(`pre lr=${opt.param_groups[0]!.lr}`);
      return { ...sd, param_groups: sd.param_groups.map((g) => ({ ...g, lr: 0.5 })) };
    });
    opt.register_load_state_dict_post_hook((o) => void order.push(`post lr=${o.param_groups[0]!.lr}`));
    opt.load_state_dict(saved);
    expect(order).toEqual(["pre lr=0.1", "post lr=0.5"]);
  });
});

describe("Optimizer.state_dict", () => {
  const stepped = (): { opt: InstanceType<typeof optim.Adam>; a: Tensor; b: Tensor; c: Tensor } => {
    const a = tensor([1, 2], { requires_grad: true });
    const b = tensor([[3]], { requires_grad: true });
    const c = tensor([4], { requires_grad: true });
    const opt = new optim.Adam([{ params: [a] }, { params: [b, c], lr: 0.5 }], { lr: 0.1 });
    a.grad = tensor([0.1, -0.2]);
    c.grad = tensor([0.3]);
    opt.step();
    return { opt, a, b, c };
  };

  it("has PyTorch's layout: state by position, groups holding positions", () => {
    const { opt, a, c } = stepped();
    const sd = opt.state_dict();
    expect(sd.param_groups.map((g) => g.params)).toEqual([[0], [1, 2]]);
    expect(sd.param_groups[1]).toEqual({
      lr: 0.5,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weight_decay: 0,
      amsgrad: false,
      maximize: false,
      foreach: null,
      capturable: false,
      differentiable: false,
      fused: null,
      decoupled_weight_decay: false,
      params: [1, 2],
    });
    expect(Object.keys(sd.state)).toEqual(["0", "2"]);
    expect(sd.state[2]).toEqual({
      step: 1,
      exp_avg: { dtype: "float32", shape: [1], data: Array.from(opt.state.get(c)!.exp_avg.toTypedArray()) },
      exp_avg_sq: { dtype: "float32", shape: [1], data: Array.from(opt.state.get(c)!.exp_avg_sq.toTypedArray()) },
    });
    expect((sd.state[0]!.exp_avg as { shape: number[] }).shape).toEqual(a.shape);
  });

  it("survives JSON and loads bit-identically, float32 values and non-finite ones included", () => {
    const { opt, a, b, c } = stepped();
    opt.state.get(a)!.exp_avg_sq.data.data[1] = Infinity;
    opt.state.get(a)!.exp_avg.data.data[0] = NaN;
    const text = JSON.stringify(opt.state_dict());
    const fresh = new optim.Adam([{ params: [a] }, { params: [b, c] }], { lr: 0.9 });
    fresh.load_state_dict(JSON.parse(text) as StateDict);
    expect(JSON.stringify(fresh.state_dict())).toBe(text);
    expect(fresh.param_groups[1]!.lr).toBe(0.5);
    expect(fresh.param_groups[1]!.params).toEqual([b, c]);
    const restored = fresh.state.get(a)!;
    expect(restored.exp_avg.dtype).toBe("float32");
    expect(Array.from(restored.exp_avg.toTypedArray())).toEqual(Array.from(opt.state.get(a)!.exp_avg.toTypedArray()));
    expect(restored.exp_avg_sq.toTypedArray()[1]).toBe(Infinity);
    expect(restored.step).toBe(1);
    // a copy, not the same buffers
    expect(restored.exp_avg).not.toBe(opt.state.get(a)!.exp_avg);
  });

  it("casts loaded state tensors to the parameter's dtype", () => {
    const { opt } = stepped();
    const sd = opt.state_dict();
    const a64 = tensor([1, 2], { dtype: "float64", requires_grad: true });
    const b64 = tensor([[3]], { dtype: "float64", requires_grad: true });
    const c64 = tensor([4], { dtype: "float64", requires_grad: true });
    const fresh = new optim.Adam([{ params: [a64] }, { params: [b64, c64] }]);
    fresh.load_state_dict(sd);
    expect(fresh.state.get(a64)!.exp_avg.dtype).toBe("float64");
    expect(fresh.state.get(a64)!.step).toBe(1);
  });

  it.each([
    { what: "a different number of groups", groups: 1, message: "loaded state dict has a different number of parameter groups" },
    { what: "a group of another size", groups: 2, message: "loaded state dict contains a parameter group that doesn't match the size of optimizer's group" },
  ])("rejects a state dict with $what and changes nothing", ({ groups, message }) => {
    const { opt } = stepped();
    const sd = opt.state_dict();
    const x = tensor([1, 2], { requires_grad: true });
    const y = tensor([3], { requires_grad: true });
    const other =
      groups === 1
        ? new optim.Adam([x, y], { lr: 0.3 })
        : new optim.Adam([{ params: [x, y] }, { params: [tensor([5], { requires_grad: true })] }], { lr: 0.3 });
    const before = JSON.stringify(other.state_dict());
    expect(() => other.load_state_dict(sd)).toThrow(message);
    expect(JSON.stringify(other.state_dict())).toBe(before);
  });
});
