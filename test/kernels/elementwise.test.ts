import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { fillInto } from "../../src/kernels/elementwise.ts";

describe("fillInto", () => {
  it("fills a contiguous view that starts inside its buffer, and nothing outside it", () => {
    const data = new Float32Array([1, 2, 3, 4, 5, 6]);
    fillInto(ndarray(data, [2, 2], [2, 1], 1), 0);
    expect([...data]).toEqual([1, 0, 0, 0, 0, 6]);
  });

  it("fills a strided view (every other column of a 2×4 matrix) and leaves the rest", () => {
    const data = new Float64Array([1, 2, 3, 4, 5, 6, 7, 8]);
    fillInto(ndarray(data, [2, 2], [4, 2], 0), -1.5);
    expect([...data]).toEqual([-1.5, 2, -1.5, 4, -1.5, 6, -1.5, 8]);
  });

  it("fills a 0-d view's single element", () => {
    const data = new Float64Array([1, 2]);
    fillInto(ndarray(data, [], [], 1), 7);
    expect([...data]).toEqual([1, 7]);
  });
});
