import { describe, expect, it } from "vitest";
import { F, nn, tensor, testing, type NestedArray, type Tensor } from "gradlab";
import { TOL, fixture } from "../helpers.ts";

interface LossCase {
  name: string;
  loss: string;
  functional: string;
  options: Record<string, unknown>;
  tensor_options: string[];
  dtype: "float32" | "float64";
  target_dtype: "float32" | "float64" | "int64";
  input: NestedArray;
  target: NestedArray;
  output: NestedArray;
  grad_output: NestedArray;
  grad_input: NestedArray;
}
// expected values: tools/fixtures/nn.py (torch 1.13), loss_cases(): output, and the gradient of
// Σ output·grad_output with respect to the input (grad_output = 1 for reduced losses).
const cases = fixture<{ cases: LossCase[] }>("nn/losses").cases;
const errors = fixture<{ errors: Record<string, string> }>("nn/loss_errors").errors;

type LossFn = (input: Tensor, target: Tensor | NestedArray, options: Record<string, unknown>) => Tensor;

function optionsOf(c: LossCase): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.options)) out[k] = c.tensor_options.includes(k) ? tensor(v as NestedArray, { dtype: c.dtype }) : v;
  return out;
}

function run(c: LossCase, call: (x: Tensor, t: Tensor) => Tensor): void {
  const x = tensor(c.input, { dtype: c.dtype, requires_grad: true });
  const t = tensor(c.target, { dtype: c.target_dtype });
  const y = call(x, t);
  testing.assert_close(y, c.output, { ...TOL[c.dtype], equal_nan: true });
  y.mul(tensor(c.grad_output, { dtype: c.dtype }))
    .sum()
    .backward();
  testing.assert_close(x.grad!, c.grad_input, { ...TOL[c.dtype], equal_nan: true });
}

describe("loss modules follow PyTorch", () => {
  it.each(cases)("$name", (c) => {
    const Loss = (nn as unknown as Record<string, new (o: Record<string, unknown>) => nn.Module>)[c.loss]!;
    const module = new Loss(optionsOf(c)) as nn.Module & { forward(x: Tensor, t: Tensor): Tensor };
    run(c, (x, t) => module.forward(x, t) as Tensor);
  });
});

describe("functional losses follow PyTorch", () => {
  it.each(cases)("$name", (c) => {
    const fn = (F as unknown as Record<string, LossFn>)[c.functional]!;
    run(c, (x, t) => fn(x, t, optionsOf(c)));
  });
  it.each(cases.filter((c) => c.target_dtype === "int64"))("class indices as a plain number array: $name", (c) => {
    const fn = (F as unknown as Record<string, LossFn>)[c.functional]!;
    const y = fn(tensor(c.input, { dtype: c.dtype }), c.target, optionsOf(c));
    testing.assert_close(y, c.output, { ...TOL[c.dtype], equal_nan: true });
  });
});

describe("loss errors use PyTorch's messages", () => {
  const logits = () =>
    tensor([
      [0.1, 0.2, 0.3],
      [0.4, 0.5, 0.6],
      [0.7, 0.8, 0.9],
    ]);
  it.each([
    ["ce_out_of_bounds", () => F.cross_entropy(logits(), [0, 5, 1])],
    ["ce_negative", () => F.cross_entropy(logits(), [0, -2, 1])],
    [
      "nll_batch",
      () =>
        F.nll_loss(
          tensor([
            [0, 0, 0, 0],
            [0, 0, 0, 0],
            [0, 0, 0, 0],
          ]),
          [0, 1],
        ),
    ],
    [
      "ce_batch",
      () =>
        F.cross_entropy(
          tensor([
            [0, 0, 0, 0],
            [0, 0, 0, 0],
            [0, 0, 0, 0],
          ]),
          [0, 1],
        ),
    ],
    [
      "ce_prob_shape",
      () =>
        F.cross_entropy(
          tensor([
            [0, 0, 0, 0],
            [0, 0, 0, 0],
            [0, 0, 0, 0],
          ]),
          tensor([
            [0, 0, 0, 0, 1],
            [0, 0, 0, 0, 1],
            [0, 0, 0, 0, 1],
          ]),
        ),
    ],
    ["bce_shape", () => F.binary_cross_entropy(tensor([[0.5], [0.5], [0.5]]), tensor([1, 0, 1]))],
    ["bce_logits_shape", () => F.binary_cross_entropy_with_logits(tensor([[0.5], [0.5], [0.5]]), tensor([1, 0, 1]))],
    [
      "ce_weight_shape",
      () =>
        F.cross_entropy(
          tensor([
            [0, 0, 0, 0],
            [0, 0, 0, 0],
            [0, 0, 0, 0],
          ]),
          [0, 1, 2],
          { weight: tensor([1, 1, 1]) },
        ),
    ],
    [
      "nll_float_target",
      () =>
        F.nll_loss(
          tensor([
            [0, 0, 0, 0],
            [0, 0, 0, 0],
            [0, 0, 0, 0],
          ]),
          tensor([0, 1, 2]),
        ),
    ],
    ["bad_reduction", () => F.mse_loss(tensor([1]), tensor([1]), { reduction: "avg" as "mean" })],
  ])("%s", (key, call) => {
    expect(call).toThrow(errors[key]!);
  });
  it("a refused target leaves the input's gradient untouched", () => {
    const x = tensor([[0.1, 0.2, 0.3]], { requires_grad: true });
    expect(() => F.cross_entropy(x, [3]).backward()).toThrow("Target 3 is out of bounds.");
    expect(x.grad).toBeNull();
  });
});
