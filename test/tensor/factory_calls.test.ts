import { afterEach, describe, expect, it } from "vitest";
import * as gl from "gradlab";
import { type DType, type Tensor, set_default_dtype, tensor } from "gradlab";
import { fixture } from "../helpers.ts";

// expected values: tools/fixtures/factory_calls.py (torch 1.13; linspace from current
// PyTorch's kernel): each factory called positionally, partly and all by name, under the
// float32 and the float64 default dtype. Values compared exactly, as in creation.test.ts.
interface Case {
  call: [string, unknown[], Record<string, unknown>];
  dtype: DType;
  shape: number[];
  requires_grad: boolean;
  values?: number[];
  range?: [number, number];
}
const F = fixture<{ defaults: Record<"float32" | "float64", Case[]> }>("tensor/factory_calls");

const FACTORIES = gl as unknown as Record<string, (...args: unknown[]) => Tensor>;
interface InputSpec {
  tensor: number[];
  dtype: DType;
}
const argument = (x: unknown): unknown =>
  x !== null && typeof x === "object" && "tensor" in x ? tensor((x as InputSpec).tensor, { dtype: (x as InputSpec).dtype }) : x;
const label = ([name, args, options]: Case["call"]): string =>
  `${name}(${[...args.map((a) => JSON.stringify(a)), ...(Object.keys(options).length > 0 ? [JSON.stringify(options)] : [])].join(", ")})`;

afterEach(() => set_default_dtype("float32"));

describe.each(["float32", "float64"] as const)("factories called as in PyTorch, default dtype %s", (defaultDType) => {
  it.each(F.defaults[defaultDType].map((c) => ({ ...c, name: label(c.call) })))("$name", (c) => {
    set_default_dtype(defaultDType);
    const [name, args, options] = c.call;
    const t = FACTORIES[name]!(...args.map(argument), ...(Object.keys(options).length > 0 ? [options] : []));
    expect(t.dtype).toBe(c.dtype);
    expect(t.shape).toEqual(c.shape);
    expect(t.requires_grad).toBe(c.requires_grad);
    if (c.values !== undefined) expect(Array.from(t.toTypedArray())).toEqual(c.values);
    if (c.range !== undefined) {
      for (const v of t.toTypedArray()) expect(v >= c.range[0] && v < c.range[1] && Number.isInteger(v)).toBe(true);
    }
  });
});

describe("the positional, mixed and by-name forms agree", () => {
  const x = tensor(
    [
      [1, 2],
      [3, 4],
    ],
    { dtype: "float64" },
  );
  it.each([
    {
      name: "full",
      forms: [
        () => gl.full([2, 2], 0.5, { dtype: "float64" }),
        () => gl.full([2, 2], { fill_value: 0.5, dtype: "float64" }),
        () => gl.full({ size: [2, 2], fill_value: 0.5, dtype: "float64" }),
      ],
    },
    {
      name: "arange",
      forms: [
        () => gl.arange(1, 7, 2),
        () => gl.arange(1, 7, { step: 2 }),
        () => gl.arange(1, { end: 7, step: 2 }),
        () => gl.arange({ start: 1, end: 7, step: 2 }),
      ],
    },
    { name: "linspace", forms: [() => gl.linspace(0, 1, 5), () => gl.linspace(0, 1, { steps: 5 }), () => gl.linspace({ start: 0, end: 1, steps: 5 })] },
    { name: "eye", forms: [() => gl.eye(2, 3), () => gl.eye(2, { m: 3 }), () => gl.eye({ n: 2, m: 3 })] },
    {
      name: "full_like",
      forms: [() => gl.full_like(x, 3), () => gl.full_like(x, { fill_value: 3 }), () => gl.full_like({ input: x, fill_value: 3 } as never)],
    },
  ])("$name", ({ forms }) => {
    const [first, ...rest] = forms.map((make) => make());
    for (const t of rest) {
      expect(t.dtype).toBe(first!.dtype);
      expect(t.tolist()).toEqual(first!.tolist());
    }
  });

  it("randint(high, size), randint(0, high, size) and randint({ high, size }) draw the same values", () => {
    const draws = [
      () => gl.randint(7, [5], { generator: new gl.Generator(1) }),
      () => gl.randint(0, 7, [5], { generator: new gl.Generator(1) }),
      () => gl.randint({ high: 7, size: [5], generator: new gl.Generator(1) }),
      () => gl.randint(7, { size: [5], generator: new gl.Generator(1) }),
    ].map((draw) => draw().tolist());
    for (const d of draws.slice(1)) expect(d).toEqual(draws[0]);
  });
});

// Python's TypeErrors as gradlab's declared signatures spell them (torch's argument parser
// says the same in its words: "linspace() missing 1 required positional arguments: "steps"",
// "linspace() takes 3 positional arguments but 4 were given", "zeros_like() got an unexpected
// keyword argument 'dtyp'", "randint(): argument 'size' (position 2) must be tuple of ints, not int").
describe("wrong factory calls throw PyTorch's TypeErrors", () => {
  const x = tensor([1, 2]);
  it.each([
    { call: () => gl.full([2, 3] as never), message: "full() missing 1 required positional argument: 'fill_value'" },
    { call: () => gl.full(2 as never, 3), message: "full(): argument 'size' must be an array of integers, but got number 2" },
    { call: () => gl.full([2], "a" as never), message: `full(): argument 'fill_value' must be a number, but got string "a"` },
    { call: () => gl.full([2], 1, "float64" as never), message: "full() takes 2 positional arguments but 3 were given" },
    { call: () => gl.full([2], 1, { dtyp: "float64" } as never), message: "full() got an unexpected keyword argument 'dtyp'. Did you mean 'dtype'?" },
    { call: () => gl.full([2], 1, { requires_grad: 1 } as never), message: "full(): argument 'requires_grad' must be a boolean, but got number 1" },
    { call: () => (gl.arange as (...a: unknown[]) => Tensor)(), message: "arange() missing 1 required positional argument: 'end'" },
    { call: () => gl.arange("a" as never), message: `arange(): argument 'end' must be a number, but got string "a"` },
    { call: () => gl.arange(1, 2, 3, 4 as never), message: "arange() takes from 1 to 3 positional arguments but 4 were given" },
    { call: () => gl.arange(5, { dtyp: "float64" } as never), message: "arange() got an unexpected keyword argument 'dtyp'. Did you mean 'dtype'?" },
    { call: () => gl.arange({ start: 1 } as never), message: "arange() missing 1 required positional argument: 'end'" },
    { call: () => gl.linspace(0, 1 as never), message: "linspace() missing 1 required positional argument: 'steps'" },
    { call: () => gl.linspace(0, 1, 2.5), message: "linspace(): argument 'steps' must be an integer, but got number 2.5" },
    { call: () => gl.linspace(0, 1, 3, 4 as never), message: "linspace() takes 3 positional arguments but 4 were given" },
    { call: () => gl.randint(5 as never), message: "randint() missing 1 required positional argument: 'size'" },
    { call: () => gl.randint(5, 3 as never), message: "randint(): argument 'size' must be an array of integers, but got number 3" },
    { call: () => gl.randint(2.5, [3]), message: "randint(): argument 'high' must be an integer, but got number 2.5" },
    { call: () => gl.randint(5, [2], { generator: 3 } as never), message: "randint(): argument 'generator' must be a Generator or null, but got number 3" },
    { call: () => gl.zeros_like(x, "float64" as never), message: "zeros_like() takes 1 positional argument but 2 were given" },
    { call: () => gl.zeros_like(x, { dtyp: "float64" } as never), message: "zeros_like() got an unexpected keyword argument 'dtyp'. Did you mean 'dtype'?" },
    { call: () => gl.zeros_like([1, 2] as never), message: "zeros_like(): argument 'input' must be a Tensor, but got array [1,2]" },
    { call: () => (gl.zeros_like as (...a: unknown[]) => Tensor)(), message: "zeros_like() missing 1 required positional argument: 'input'" },
    { call: () => gl.full_like(x as never), message: "full_like() missing 1 required positional argument: 'fill_value'" },
    { call: () => gl.eye(2.5), message: "eye(): argument 'n' must be an integer, but got number 2.5" },
    { call: () => gl.eye(2, 3, 4 as never), message: "eye() takes from 1 to 2 positional arguments but 3 were given" },
    { call: () => gl.tensor([1, 2], "float64" as never), message: "tensor() takes 1 positional argument but 2 were given" },
    { call: () => gl.tensor([1, 2], { dtyp: "float64" } as never), message: "tensor() got an unexpected keyword argument 'dtyp'. Did you mean 'dtype'?" },
    { call: () => (gl.tensor as (...a: unknown[]) => Tensor)(), message: "tensor() missing 1 required positional argument: 'data'" },
    { call: () => gl.tensor([1, 2], { requires_grad: "a" } as never), message: `tensor(): argument 'requires_grad' must be a boolean, but got string "a"` },
    { call: () => gl.zeros({ size: [2, "3"] } as never), message: `zeros(): argument 'size' must be an array of integers, but found string "3" at index 1` },
    { call: () => gl.zeros(2, { size: [2] } as never), message: "zeros() got multiple values for argument 'size'" },
  ])("$message", ({ call, message }) => {
    expect(call).toThrow(TypeError);
    expect(call).toThrow(message);
  });
});

// PyTorch's RuntimeErrors (torch 1.13 and current PyTorch agree on these words).
describe("factory values PyTorch refuses", () => {
  it.each([
    { call: () => gl.arange(0, 1, 0), message: "step must be nonzero" },
    { call: () => gl.arange(NaN), message: "unsupported range: 0 -> nan" },
    { call: () => gl.arange(0, Infinity), message: "unsupported range: 0 -> inf" },
    { call: () => gl.linspace(0, 1, -1), message: "number of steps must be non-negative" },
    { call: () => gl.randint(5, 5, [2]), message: "random_ expects 'from' to be less than 'to', but got from=5 >= to=5" },
    { call: () => gl.eye(-1), message: "n must be greater or equal to 0, got -1" },
    { call: () => gl.rand_like(tensor([1, 2], { dtype: "int64" })), message: `"check_uniform_bounds" not implemented for 'Long'` },
    { call: () => gl.randn(2, { dtype: "int64" }), message: `"normal_kernel_cpu" not implemented for 'Long'` },
  ])("$message", ({ call, message }) => {
    expect(call).toThrow(message);
  });

  it("full takes NaN and the infinities as fill values, as torch.full does", () => {
    expect(gl.full([3], NaN).tolist()).toEqual([NaN, NaN, NaN]);
    expect(gl.full([1], -Infinity).tolist()).toEqual([-Infinity]);
  });
});
