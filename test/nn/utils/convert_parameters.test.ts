import { describe, expect, it } from "vitest";
import { autograd, nn, tensor } from "gradlab";

describe("parameters_to_vector and vector_to_parameters", () => {
  it("flattens parameters in order and back", () => {
    const a = tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = tensor([5]);
    const v = nn.utils.parameters_to_vector([a, b]);
    expect(v.tolist()).toEqual([1, 2, 3, 4, 5]);
    nn.utils.vector_to_parameters(tensor([9, 8, 7, 6, 5]), [a, b]);
    expect(a.tolist()).toEqual([
      [9, 8],
      [7, 6],
    ]);
    expect(b.tolist()).toEqual([5]);
  });
  it("gradients flow back to each parameter from its slice (gradcheck)", () => {
    const a = tensor(
      [
        [0.5, -1],
        [2, 3],
      ],
      { dtype: "float64", requires_grad: true },
    );
    const b = tensor([1.5], { dtype: "float64", requires_grad: true });
    expect(autograd.gradcheck((p, q) => nn.utils.parameters_to_vector([p!, q!]).mul(tensor([1, 2, 3, 4, 5], { dtype: "float64" })), [a, b])).toBe(true);
  });
  it("refuses a vector of the wrong length and leaves the parameters alone", () => {
    const a = tensor([1, 2]);
    expect(() => nn.utils.vector_to_parameters(tensor([1, 2, 3]), [a])).toThrow("shape '[2]' is invalid for input of size 3");
    expect(a.tolist()).toEqual([1, 2]);
  });
});
