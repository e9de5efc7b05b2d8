import { describe, expect, it } from "vitest";
import { broadcastShapes, broadcastsTo, sameShape } from "../../src/kernels/broadcast.ts";

describe("broadcastsTo", () => {
  // each case: does `shape` broadcast to `target` itself? the same as broadcastShapes(target, shape) equal to target
  const cases: [number[], number[], boolean][] = [
    [[16], [32, 16], true], // a bias over a batch
    [[1], [32, 1], true],
    [[], [3, 4], true],
    [[1, 4], [3, 4], true],
    [[3, 1], [3, 4], true],
    [[3, 4], [3, 4], true],
    [[4], [3, 1], false], // broadcasting would widen the target
    [[2, 3, 4], [3, 4], false], // more dims than the target
    [[5], [3, 4], false], // incompatible
  ];
  it.each(cases)("%j to %j: %s", (shape, target, expected) => {
    expect(broadcastsTo(shape, target)).toBe(expected);
    let viaShapes: boolean;
    try {
      viaShapes = sameShape(broadcastShapes(target, shape), target);
    } catch {
      viaShapes = false;
    }
    expect(viaShapes).toBe(expected);
  });
});

describe("sameShape", () => {
  it("compares lengths and every size", () => {
    expect(sameShape([2, 3], [2, 3])).toBe(true);
    expect(sameShape([], [])).toBe(true);
    expect(sameShape([2, 3], [3, 2])).toBe(false);
    expect(sameShape([2], [2, 1])).toBe(false);
  });
});
