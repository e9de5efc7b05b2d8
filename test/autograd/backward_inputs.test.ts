import { describe, expect, it } from "vitest";
import { type Tensor, autograd, ones, tensor } from "gradlab";
import { catch_warnings } from "../../src/utils/warn.ts";
import { fixture } from "../helpers.ts";

// Tensor.backward(gradient=None, retain_graph=None, create_graph=False, inputs=None): with inputs,
// only those tensors accumulate, as PyTorch's engine runs only the nodes that lead to them.
// expected values: tools/fixtures/tensor_calls.py (torch 1.13, messages as current PyTorch words
// them), "backward_inputs"; by hand, for
// z = Σ a·b·c + Σ b² with h = a·b: ∂z/∂a = b·c = [1.5, −2], ∂z/∂b = a·c + 2b = [6.5, 2],
// ∂z/∂c = a·b = [3, −2], ∂z/∂h = c = [0.5, 2], and d takes no part.
type Name = "a" | "b" | "c" | "d" | "h";
interface Case {
  inputs: Name | Name[];
  grads: Record<Name, number[] | null>;
}
interface Call {
  python: string;
  grads: Record<Name, number[] | null>;
}
const F = fixture<{
  backward_inputs: {
    cases: Case[];
    wrong: { python: string; message: string }[];
    autograd: Call[];
    autograd_wrong: { python: string; message: string }[];
    grad_variables_warning: { category: string; message: string };
  };
}>("calls/tensor_calls");

function graph(): { ts: Record<Name, Tensor>; z: Tensor } {
  const leaf = (v: number[]): Tensor => tensor(v, { dtype: "float64", requires_grad: true });
  const a = leaf([1, 2]);
  const b = leaf([3, -1]);
  const c = leaf([0.5, 2]);
  const d = leaf([1, 1]);
  const h = a.mul(b);
  h.retain_grad();
  const z = h.mul(c).sum().add(b.mul(b).sum());
  return { ts: { a, b, c, d, h }, z };
}

const gradsOf = (ts: Record<Name, Tensor>): Record<Name, number[] | null> =>
  Object.fromEntries(Object.entries(ts).map(([k, t]) => [k, t.grad === null ? null : (t.grad.tolist() as number[])])) as Record<Name, number[] | null>;

describe("backward(inputs=…) accumulates only into the inputs, as PyTorch", () => {
  it.each(F.backward_inputs.cases)("inputs $inputs", (c) => {
    const { ts, z } = graph();
    z.backward({ inputs: typeof c.inputs === "string" ? ts[c.inputs] : c.inputs.map((n) => ts[n]) });
    expect(gradsOf(ts)).toEqual(c.grads);
  });

  it("takes inputs positionally too: z.backward(null, null, false, [a])", () => {
    const { ts, z } = graph();
    z.backward(null, null, false, [ts.a]);
    expect(gradsOf(ts)).toEqual(F.backward_inputs.cases[0]!.grads);
  });

  it("adds to a .grad the input already has, and leaves the others' .grad as they were", () => {
    const { ts, z } = graph();
    ts.a.grad = tensor([10, 10], { dtype: "float64" });
    ts.b.grad = tensor([7, 7], { dtype: "float64" });
    z.backward({ inputs: [ts.a] });
    expect(ts.a.grad.tolist()).toEqual([11.5, 8]);
    expect(ts.b.grad.tolist()).toEqual([7, 7]);
  });

  it("does not run a retained tensor's node that leads to no input (its .grad stays null, as in torch)", () => {
    // y = Σ h·c + Σ 2b with k = 2b retained: inputs [c] reach c through h·c only.
    const { ts } = graph();
    const k = ts.b.mul(2);
    k.retain_grad();
    const y = ts.h.mul(ts.c).sum().add(k.sum());
    y.backward({ inputs: [ts.c] });
    expect(k.grad).toBeNull();
    expect(ts.h.grad).toBeNull();
    expect(ts.c.grad!.tolist()).toEqual([3, -2]);
  });

  it("keeps a non-leaf input's gradient from then on, as PyTorch calls retain_grad() on it", () => {
    const a = tensor([2], { dtype: "float64", requires_grad: true });
    const h = a.mul(3);
    h.mul(h)
      .sum()
      .backward({ inputs: [h], retain_graph: true });
    // ∂(h²)/∂h = 2h = 12; a untouched
    expect([h.retains_grad, h.grad!.tolist(), a.grad]).toEqual([true, [12], null]);
  });

  it("builds a differentiable .grad with create_graph", () => {
    // z = Σ x³ ⇒ x.grad = 3x², whose own derivative is 6x
    const x = tensor([1, 2], { dtype: "float64", requires_grad: true });
    const w = tensor([5], { dtype: "float64", requires_grad: true });
    x.pow(3)
      .sum()
      .add(w.sum())
      .backward({ create_graph: true, inputs: [x] });
    expect(x.grad!.tolist()).toEqual([3, 12]);
    expect(w.grad).toBeNull();
    const [g] = autograd.grad(x.grad!.sum(), x);
    expect(g!.tolist()).toEqual([6, 12]);
  });

  const WRONG: Record<string, (ts: Record<Name, Tensor>) => unknown> = {
    "[]": () => [],
    "[torch.ones(2)]": () => [ones(2)],
    "[a, torch.ones(2)]": (ts) => [ts.a, ones(2)],
    "[1]": () => [1],
  };
  const GRADLAB_MESSAGE: Record<string, string> = { "[1]": "all inputs have to be Tensors, but got number 1" };

  it("lists exactly the refused inputs of the fixture", () => {
    expect(Object.keys(WRONG).sort()).toEqual(F.backward_inputs.wrong.map((w) => w.python).sort());
  });

  it.each(F.backward_inputs.wrong)("refuses inputs=$python before changing anything (torch: $message)", (w) => {
    const { ts, z } = graph();
    // torch says "but got int": the same message in TypeScript spelling
    expect(() => z.backward({ inputs: WRONG[w.python]!(ts) as Tensor[] })).toThrow(GRADLAB_MESSAGE[w.python] ?? w.message);
    expect(Object.values(gradsOf(ts)).every((g) => g === null)).toBe(true);
    // the graph was not freed: a full backward still runs
    z.backward();
    expect(ts.a.grad!.tolist()).toEqual([1.5, -2]);
  });
});

describe("autograd.backward(tensors, grad_tensors, retain_graph, create_graph, grad_variables, inputs), as torch.autograd.backward", () => {
  // y = 3h is a second, non-scalar output: ∂(g·y)/∂h = 3g
  const f64 = (v: number[] | number): Tensor => tensor(v, { dtype: "float64" });
  type Run = (ts: Record<Name, Tensor>, z: Tensor, y: Tensor) => void;
  const CALLS: Record<string, Run> = {
    "torch.autograd.backward(z)": (_ts, z) => autograd.backward(z),
    "torch.autograd.backward([z, y], [None, torch.tensor([1.0, 10.0], dtype=torch.float64)])": (_ts, z, y) => autograd.backward([z, y], [null, f64([1, 10])]),
    "torch.autograd.backward((z, y), grad_tensors=(torch.tensor(2.0, dtype=torch.float64), torch.ones(2, dtype=torch.float64)), inputs=[b])": (ts, z, y) =>
      autograd.backward([z, y], { grad_tensors: [f64(2), ones(2, { dtype: "float64" })], inputs: [ts.b] }),
    "torch.autograd.backward(z, None, None, False, None, [c])": (ts, z) => autograd.backward(z, null, null, false, null, [ts.c]),
    "torch.autograd.backward([], inputs=[a])": (ts) => autograd.backward([], { inputs: [ts.a] }),
  };
  const WRONG: Record<string, Run> = {
    "torch.autograd.backward([z, y], [None])": (_ts, z, y) => autograd.backward([z, y], [null]),
    "torch.autograd.backward([y])": (_ts, _z, y) => autograd.backward([y]),
    "torch.autograd.backward(z, torch.tensor(1.0, dtype=torch.float64), grad_variables=torch.tensor(1.0, dtype=torch.float64))": (_ts, z) =>
      autograd.backward(z, f64(1), { grad_variables: f64(1) }),
  };

  it("has a call for each case of the fixture", () => {
    expect(Object.keys(CALLS).sort()).toEqual(F.backward_inputs.autograd.map((c) => c.python).sort());
    expect(Object.keys(WRONG).sort()).toEqual(F.backward_inputs.autograd_wrong.map((c) => c.python).sort());
  });

  it.each(F.backward_inputs.autograd)("$python", (c) => {
    const { ts, z } = graph();
    CALLS[c.python]!(ts, z, ts.h.mul(3));
    expect(gradsOf(ts)).toEqual(c.grads);
  });

  it.each(F.backward_inputs.autograd_wrong)("$python is refused before anything changes: $message", (c) => {
    const { ts, z } = graph();
    expect(() => WRONG[c.python]!(ts, z, ts.h.mul(3))).toThrow(c.message);
    expect(Object.values(gradsOf(ts)).every((g) => g === null)).toBe(true);
  });

  it("takes grad_variables, its deprecated name for grad_tensors, with PyTorch's warning", () => {
    const { ts, z } = graph();
    const { warnings } = catch_warnings(() => autograd.backward(z, { grad_variables: f64(2) }));
    const { category, message } = F.backward_inputs.grad_variables_warning;
    expect(warnings.map((w) => [w.category, w.message])).toEqual([[category, message]]);
    expect(ts.a.grad!.tolist()).toEqual([3, -4]);
  });

  it("runs a root given twice once, with both gradients summed (by hand: z twice gives 2·∂z/∂a)", () => {
    const { ts, z } = graph();
    autograd.backward([z, z]);
    expect(ts.a.grad!.tolist()).toEqual([3, -4]);
    expect(ts.b.grad!.tolist()).toEqual([13, 4]);
    // a leaf root twice: its two gradients, 1 and 2 per element, summed
    const x = tensor([1, 2], { requires_grad: true });
    autograd.backward([x, x], [ones(2), tensor([2, 2])]);
    expect(x.grad!.tolist()).toEqual([3, 3]);
  });

  it("throws PyTorch's TypeError for a wrong call", () => {
    const { z } = graph();
    const loose = autograd.backward as unknown as (...args: unknown[]) => void;
    expect(() => loose(z, null, null, false, null, null, 1)).toThrow("backward() takes from 1 to 6 positional arguments but 7 were given");
    expect(() => loose(z, { foo: 1 })).toThrow("backward() got an unexpected keyword argument 'foo'");
    expect(() => loose(5)).toThrow("backward(): argument 'tensors' must be a Tensor or an array of Tensors, but got number 5");
  });
});
