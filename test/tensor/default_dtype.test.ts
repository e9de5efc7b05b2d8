import { afterEach, describe, expect, it } from "vitest";
import { arange, get_default_dtype, nn, optim, randn, set_default_dtype, tensor, zeros } from "gradlab";
import { fixture } from "../helpers.ts";

// expected values: tools/fixtures/default_dtype.py (torch 1.13 under
// torch.set_default_dtype(torch.float64)): dtypes of factories and nn, and ASGD / NAdam runs
// whose scalar state (eta, mu, mu_product) PyTorch keeps in the default dtype.
interface OptimizerCase {
  optimizer: "ASGD" | "NAdam";
  options: Record<string, number>;
  path: number[][];
  state: Record<string, number>;
}
const F = fixture<{ factories: Record<string, string>; optimizers: OptimizerCase[] }>("tensor/default_dtype");

afterEach(() => set_default_dtype("float32"));

/** 25 steps of a float64 parameter with the generator's gradients; the path and the final state. */
function run(c: OptimizerCase): { path: number[][]; state: Record<string, unknown> } {
  const p = tensor([1.0, -2.0, 0.5, 3.0], { dtype: "float64", requires_grad: true });
  const opt = new optim[c.optimizer]([p], c.options as never);
  const path: number[][] = [];
  for (let k = 1; k <= 25; k++) {
    p.grad = tensor(
      [0, 1, 2, 3].map((i) => Math.sin(1.3 * k + i) - 0.2 * i),
      { dtype: "float64" },
    );
    opt.step();
    path.push(p.tolist() as number[]);
  }
  return { path, state: opt.state.get(p) as Record<string, unknown> };
}

const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));

describe("set_default_dtype / get_default_dtype", () => {
  it("is float32 until set, and refuses a non-floating dtype with PyTorch's TypeError", () => {
    expect(get_default_dtype()).toBe("float32");
    expect(() => set_default_dtype("int64")).toThrow("only floating-point types are supported as the default type");
    expect(get_default_dtype()).toBe("float32");
  });

  it("gives factories, tensor() from JS numbers and nn's parameters and buffers PyTorch's dtypes", () => {
    set_default_dtype("float64");
    const got: Record<string, string> = {
      zeros: zeros(2).dtype,
      tensor: tensor([1.5]).dtype,
      randn: randn(2).dtype,
      arange_float: arange(0.5, 2).dtype,
      arange_int: arange(3).dtype,
      linear_weight: new nn.Linear(2, 2).weight.dtype,
      batchnorm_running_mean: new nn.BatchNorm1d(2).running_mean!.dtype,
    };
    for (const [k, v] of Object.entries(F.factories)) expect(`torch.${got[k]}`).toBe(v);
  });

  it.each(F.optimizers)("$optimizer $options follows PyTorch's float64-default run to 1e-12", (c) => {
    set_default_dtype("float64");
    const { path, state } = run(c);
    path.forEach((row, k) => row.forEach((x, i) => expect(relErr(x, c.path[k]![i]!)).toBeLessThan(1e-12)));
    for (const [key, value] of Object.entries(c.state)) expect(relErr(state[key] as number, value)).toBeLessThan(1e-12);
  });

  it.each(F.optimizers)("$optimizer $options under the float32 default keeps float32 scalar state, off the float64 run", (c) => {
    const { state } = run(c);
    const scalar = c.optimizer === "ASGD" ? "eta" : "mu_product";
    expect(Math.fround(state[scalar] as number)).toBe(state[scalar]);
    expect(relErr(state[scalar] as number, c.state[scalar]!)).toBeGreaterThan(1e-12);
  });
});
