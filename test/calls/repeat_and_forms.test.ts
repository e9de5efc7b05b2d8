import { describe, expect, it } from "vitest";
import { Generator, autograd, manual_seed, randn, squeeze, tensor, testing, where, zeros } from "gradlab";

const leaf = (shape: number[]) => randn(shape, { dtype: "float64", requires_grad: true });

describe("repeat", () => {
  // torch 1.13: x = arange(6.).reshape(2, 3); y = x.repeat(2, 1, 2); y.backward(arange(24.).reshape(y.shape))
  // gives x.grad [[30, 34, 38], [54, 58, 62]] (each entry sums the 4 tiles' upstream values).
  it("tiles the tensor and sums the tiles' gradients, as torch", () => {
    const x = tensor([0, 1, 2, 3, 4, 5], { dtype: "float64" }).reshape(2, 3);
    x.requires_grad = true;
    const y = x.repeat(2, 1, 2);
    expect(y.shape).toEqual([2, 2, 6]);
    expect(y.grad_fn?.name).toBe("RepeatBackward0");
    expect((y.tolist() as number[][][])[1]).toEqual([
      [0, 1, 2, 0, 1, 2],
      [3, 4, 5, 3, 4, 5],
    ]);
    y.backward(tensor([...Array(24).keys()], { dtype: "float64" }).reshape(y.shape));
    testing.assert_close(
      x.grad!,
      tensor(
        [
          [30, 34, 38],
          [54, 58, 62],
        ],
        { dtype: "float64" },
      ),
    );
  });

  it("passes gradcheck on a non-contiguous input, with new leading dims", () => {
    expect(autograd.gradcheck((a) => a.transpose(0, 1).repeat(3, 1, 2), [leaf([2, 3])])).toBe(true);
    expect(autograd.gradcheck((a) => a.repeat([1, 2]), [leaf([3, 1])])).toBe(true);
  });

  it("copies: the result does not share memory with the input", () => {
    const x = zeros(2);
    const y = x.repeat(1);
    y.fill_(7);
    expect(x.tolist()).toEqual([0, 0]);
  });

  it("throws PyTorch's errors for too few or negative repeats", () => {
    const x = zeros(2, 3);
    expect(() => x.repeat(2)).toThrow("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
    expect(() => x.repeat(-1, 2)).toThrow("Trying to create tensor with negative dimension -2: [-2, 6]");
  });
});

describe("forms the torch 1.13 fixture cannot record", () => {
  // x = [[1, 5, 3], [4, 2, 6]] over all 6 elements: mean 3.5, Σ(x − 3.5)² = 17.5; unbiased false divides by 6.
  it("x.var(false) is PyTorch's var(unbiased) overload", () => {
    const x = tensor([
      [1, 5, 3],
      [4, 2, 6],
    ]);
    expect(x.var(false).item()).toBeCloseTo(17.5 / 6, 6);
    expect(x.std(true).item()).toBeCloseTo(Math.sqrt(17.5 / 5), 6);
  });

  it("squeeze takes a list of dims (current PyTorch), by position or by name", () => {
    const x = zeros(2, 1, 3, 1);
    expect(x.squeeze([1, 3]).shape).toEqual([2, 3]);
    expect(x.squeeze({ dim: [0, 1] }).shape).toEqual([2, 3, 1]);
    expect(squeeze(x, [1]).shape).toEqual([2, 3, 1]);
  });

  it("torch.where(condition, input, other) by position or by name", () => {
    const c = tensor([1, 0, 1], { dtype: "int64" });
    const a = tensor([1, 2, 3]);
    expect(where(c, a, 0).tolist()).toEqual([1, 0, 3]);
    expect(where(c, { input: a, other: -1 }).tolist()).toEqual([1, -1, 3]);
  });

  it("uniform_ and normal_ give the same draws in every form", () => {
    const forms = [
      (g: Generator) => zeros(5).uniform_(-1, 2, { generator: g }),
      (g: Generator) => zeros(5).uniform_(-1, { to: 2, generator: g }),
      (g: Generator) => zeros(5).uniform_({ from: -1, to: 2, generator: g }),
    ];
    const draws = forms.map((form) => form(new Generator().manual_seed(3)).tolist());
    expect(draws[1]).toEqual(draws[0]);
    expect(draws[2]).toEqual(draws[0]);
    manual_seed(5);
    const a = zeros(4).normal_(1, 0.5).tolist();
    manual_seed(5);
    expect(zeros(4).normal_({ mean: 1, std: 0.5 }).tolist()).toEqual(a);
  });
});
