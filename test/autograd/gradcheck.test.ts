import { describe, expect, it } from "vitest";
import { autograd, tensor, Tensor } from "gradlab";
import { record } from "../../src/autograd/node.ts";

describe("autograd.gradcheck", () => {
  it("accepts a correct gradient (x·x·x, derivative 3x² by hand)", () => {
    const x = tensor([0.5, -1.5, 2], { dtype: "float64", requires_grad: true });
    expect(autograd.gradcheck((t) => t.mul(t).mul(t), [x])).toBe(true);
  });

  it("rejects a wrong backward rule and names the element", () => {
    // A deliberately wrong rule: d(2x)/dx reported as 3 instead of 2.
    const wrongDouble = (t: Tensor): Tensor => record("WrongBackward", t.detach().mul(2), [t], (g) => [g.mul(3)]);
    const x = tensor([1, 2], { dtype: "float64", requires_grad: true });
    expect(() => autograd.gradcheck(wrongDouble, [x])).toThrow(/Jacobian mismatch for output 0 with respect to input 0/);
    expect(autograd.gradcheck(wrongDouble, [x], { raise_exception: false })).toBe(false);
  });
});
