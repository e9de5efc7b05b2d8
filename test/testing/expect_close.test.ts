import { describe, expect, it } from "vitest";
import { tensor } from "gradlab";
import { expectClose } from "../helpers.ts";

// The suite's own helper: two tensors of different shapes never pass, even with equal
// elements (issue 11: a [N, 1] output compared to a [N] target used to pass silently).
describe("expectClose", () => {
  it("refuses two tensors whose shapes differ ([2, 1] against [2])", () => {
    expect(() => expectClose(tensor([[1], [2]]), tensor([1, 2]))).toThrow(/shape/);
  });

  it("passes two tensors of one shape within tolerance, and refuses one out of it", () => {
    expectClose(tensor([[1], [2]], { dtype: "float64" }), tensor([[1], [2 + 1e-13]], { dtype: "float64" }));
    expect(() => expectClose(tensor([1, 2], { dtype: "float64" }), tensor([1, 2.001], { dtype: "float64" }))).toThrow("element 1 (of 2) out of tolerance");
  });
});
