import { describe, expect, it } from "vitest";
import { F, autograd, nn, no_grad, tensor, testing, type NestedArray, type Tensor } from "gradlab";
import { TOL, fixture } from "../helpers.ts";

interface Step {
  input: NestedArray;
  output: NestedArray;
  grad_output: NestedArray;
  grad_input: NestedArray | null;
  grads: Record<string, NestedArray>;
  buffers: Record<string, NestedArray>;
  reference64?: Omit<Step, "input" | "grad_output" | "reference64">;
}
interface LayerCase {
  name: string;
  layer: string;
  args?: unknown[];
  options?: Record<string, unknown>;
  dtype: "float32" | "float64";
  train: boolean;
  params: Record<string, NestedArray>;
  buffers: Record<string, NestedArray>;
  steps: Step[];
}
// expected values: tools/fixtures/nn.py (torch 1.13), layer_cases(): PyTorch's weights are copied in,
// then for each step the output and the gradients of loss = Σ output·grad_output.
const cases = fixture<{ cases: LayerCase[] }>("nn/layers").cases;

const WITH_PARAMETERS = new Set(["Linear", "Embedding", "LayerNorm", "BatchNorm1d"]);

function build(c: LayerCase): nn.Module {
  const Layer = (nn as unknown as Record<string, new (...args: unknown[]) => nn.Module>)[c.layer]!;
  const options = WITH_PARAMETERS.has(c.layer) ? { ...c.options, dtype: c.dtype } : (c.options ?? {});
  const m = new Layer(...(c.args ?? []), options);
  no_grad(() => {
    for (const [name, p] of m.named_parameters()) p.copy_(tensor(c.params[name]!, { dtype: c.dtype }));
  });
  return m.train(c.train);
}

describe("nn layers follow PyTorch", () => {
  it.each(cases)("$name", (c) => {
    const m = build(c);
    const tol = TOL[c.dtype];
    c.steps.forEach((pytorchStep) => {
      // float32: compared with the same float32 inputs run through PyTorch in float64 (reference64),
      // exact to float32 precision; PyTorch's own float32 results round intermediate terms, so where
      // a gradient cancels to near zero (LayerNorm's) their last bits are noise. The float32 outputs
      // are checked against PyTorch's float32 numbers too, below.
      const step = { ...pytorchStep, ...(pytorchStep.reference64 ?? {}) };
      m.zero_grad();
      const integer = c.layer === "Embedding";
      const x = tensor(step.input, { dtype: integer ? "int64" : c.dtype, requires_grad: !integer });
      const y = m.forward(x) as Tensor;
      testing.assert_close(y, step.output, { ...tol, equal_nan: true });
      y.mul(tensor(step.grad_output, { dtype: c.dtype }))
        .sum()
        .backward();
      if (step.grad_input !== null) testing.assert_close(x.grad!, step.grad_input, { ...tol, equal_nan: true });
      for (const [name, p] of m.named_parameters()) testing.assert_close(p.grad!, step.grads[name]!, { ...tol, equal_nan: true });
      for (const [name, b] of m.named_buffers()) testing.assert_close(b, step.buffers[name]!, { ...tol, equal_nan: true });
      // Against PyTorch's float32 numbers: within a few float32 ulps of the output's scale.
      if (c.dtype === "float32") testing.assert_close(y, pytorchStep.output, { rtol: 1e-5, atol: 1e-6, equal_nan: true });
    });
  });
});

describe("fused layer ops pass gradcheck in float64", () => {
  const x = () =>
    tensor(
      [
        [0.3, -1.2, 2.0],
        [1.1, 0.4, -0.7],
        [-0.2, 0.9, 0.5],
        [0.8, -1.5, 1.3],
      ],
      { dtype: "float64", requires_grad: true },
    );
  const w = () => tensor([0.5, -1.5, 2.0], { dtype: "float64", requires_grad: true });
  const b = () => tensor([0.1, 0.2, -0.3], { dtype: "float64", requires_grad: true });
  it("layer_norm (input, weight, bias)", () => {
    expect(autograd.gradcheck((a, wt, bs) => nn.functional.layer_norm(a!, [3], { weight: wt, bias: bs }), [x(), w(), b()])).toBe(true);
  });
  it("layer_norm over the last two dims of a non-contiguous input", () => {
    const base = tensor(
      [
        [
          [0.3, -1.2],
          [2.0, 1.1],
        ],
        [
          [0.4, -0.7],
          [-0.2, 0.9],
        ],
      ],
      { dtype: "float64", requires_grad: true },
    );
    expect(autograd.gradcheck((a) => nn.functional.layer_norm(a!.mul(a!), [2, 2]), [base])).toBe(true);
  });
  it("batch_norm in training (batch statistics)", () => {
    expect(autograd.gradcheck((a, wt, bs) => nn.functional.batch_norm(a!, null, null, { weight: wt, bias: bs, training: true }), [x(), w(), b()])).toBe(true);
  });
  it("embedding (repeated indices accumulate)", () => {
    const weight = tensor(
      [
        [0.1, 0.2],
        [0.3, -0.4],
        [1.5, -2.0],
      ],
      { dtype: "float64", requires_grad: true },
    );
    expect(
      autograd.gradcheck(
        (wt) =>
          nn.functional
            .embedding(
              [
                [0, 2, 2],
                [1, 0, 0],
              ],
              wt!,
            )
            .mul(wt!.sum()),
        [weight],
      ),
    ).toBe(true);
  });
  it("embedding's padding_idx and scale_grad_by_freq change the gradient on purpose", () => {
    // Neither is the true derivative (so no gradcheck): PyTorch zeroes the padding row's gradient
    // and divides each row's gradient by how often its index occurs in the batch.
    const weight = tensor(
      [
        [0.1, 0.2],
        [0.3, -0.4],
        [1.5, -2.0],
      ],
      { dtype: "float64", requires_grad: true },
    );
    const f = (wt: Tensor) =>
      nn.functional.embedding(
        [
          [0, 2, 2],
          [1, 0, 0],
        ],
        wt,
        { padding_idx: 1, scale_grad_by_freq: true },
      );
    f(weight).sum().backward();
    // row 1 is padding: no gradient; row 0 appears 3 times, scaled by 1/3 → 1 per element; row 2 twice → 1.
    expect(weight.grad!.tolist()).toEqual([
      [1, 1],
      [0, 0],
      [1, 1],
    ]);
  });
});

describe("layer behaviour and errors", () => {
  it("Dropout in training zeroes about p of the elements and scales the rest by 1/(1 − p)", () => {
    const d = new nn.Dropout({ p: 0.25 });
    const y = Array.from(d.forward(tensor(new Float64Array(20000).fill(1), { dtype: "float64" })).toTypedArray());
    const zeros = y.filter((v) => v === 0).length;
    expect(y.every((v) => v === 0 || v === 1 / 0.75)).toBe(true);
    // Binomial(20000, 0.25): mean 5000, std 61; ±400 is over six standard deviations.
    expect(Math.abs(zeros - 5000)).toBeLessThan(400);
  });
  it("Dropout refuses p outside [0, 1]", () => {
    expect(() => new nn.Dropout({ p: 1.5 })).toThrow("dropout probability has to be between 0 and 1, but got 1.5");
  });
  it("Embedding refuses an index out of range and float indices", () => {
    const emb = new nn.Embedding(3, 2);
    expect(() => emb.forward([0, 3])).toThrow("index out of range in self");
    expect(() => emb.forward(tensor([0, 1]))).toThrow(
      "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.FloatTensor instead (while checking arguments for embedding)",
    );
  });
  it("BatchNorm1d refuses 4-d input and a single value per channel in training", () => {
    const bn = new nn.BatchNorm1d(3);
    const before = bn.state_dict();
    expect(() => bn.forward(tensor([[[[1]]]]))).toThrow("expected 2D or 3D input (got 4D input)");
    expect(() => bn.forward(tensor([[1, 2, 3]]))).toThrow("Expected more than 1 value per channel when training, got input size torch.Size([1, 3])");
    expect(bn.num_batches_tracked!.item()).toBe(0);
    expect(bn.running_mean!.tolist()).toEqual(before.running_mean!.tolist());
  });
  it("LayerNorm refuses an input whose trailing shape differs", () => {
    expect(() => new nn.LayerNorm(4).forward(tensor([[1, 2, 3]]))).toThrow(
      "Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[1, 3]",
    );
  });
  it("a double backward through a fused op is refused, not silently wrong", () => {
    const x = tensor(
      [
        [1, 2],
        [3, 5],
      ],
      { dtype: "float64", requires_grad: true },
    );
    expect(() => autograd.grad(nn.functional.layer_norm(x, [2]).mul(x).sum(), x, { create_graph: true })).toThrow(
      "gradlab: double backward through layer_norm is not supported",
    );
  });
});

describe("F.linear by hand", () => {
  it("adds the bias into the product's memory with add's values, grad_fn and gradients", () => {
    // x·wᵀ + b = [[1, 2, 3] + b, [3, 4, 7] + b]; d/db Σy = [2, 2, 2], d/dw = [4, 6] per row, d/dx = [2, 2] per row
    const x = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: "float64", requires_grad: true },
    );
    const w = tensor(
      [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
      { dtype: "float64", requires_grad: true },
    );
    const b = tensor([10, 20, 30], { dtype: "float64", requires_grad: true });
    const y = F.linear(x, w, b);
    expect(y.tolist()).toEqual([
      [11, 22, 33],
      [13, 24, 37],
    ]);
    expect(y.grad_fn!.name).toBe("AddBackward0");
    y.sum().backward();
    expect(b.grad!.tolist()).toEqual([2, 2, 2]);
    expect(w.grad!.tolist()).toEqual([
      [4, 6],
      [4, 6],
      [4, 6],
    ]);
    expect(x.grad!.tolist()).toEqual([
      [2, 2],
      [2, 2],
    ]);
  });
});
