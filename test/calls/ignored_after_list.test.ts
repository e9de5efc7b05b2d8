import { describe, expect, it } from "vitest";
import { type DType, type Tensor, tensor, testing } from "gradlab";
import { fixture } from "../helpers.ts";

// expected values: tools/fixtures/tensor_calls.py (torch 1.13; the same parser code in current
// PyTorch). A method whose only parameter is a list, given that list as a list, ignores the
// positional arguments after it, as PyTorch's argument parser does: `x.view([3, 2], 1)` is
// `x.view([3, 2])`. (tsc rejects these calls; at run time they give torch's result.)
interface Accepted {
  python: string;
  label: string;
  expected: { shape: number[]; dtype: DType; values: number[] };
}
const F = fixture<{ ignored_after_list: Accepted[] }>("calls/tensor_calls");

type Loose = Record<string, (...args: unknown[]) => Tensor>;
const m = (x: Tensor): Loose => x as unknown as Loose;

const CALLS: Record<string, (x: Tensor) => Tensor> = {
  "x.view([3, 2], 1)": (x) => m(x).view!([3, 2], 1),
  "x.view([6], [1, 6])": (x) => m(x).view!([6], [1, 6]),
  'x.view([3, 2], "a")': (x) => m(x).view!([3, 2], "a"),
  "x.reshape([3, 2], 1)": (x) => m(x).reshape!([3, 2], 1),
  "x.permute([1, 0], 1)": (x) => m(x).permute!([1, 0], 1),
  "x.repeat([1, 2], 2)": (x) => m(x).repeat!([1, 2], 2),
  "x.var(0, false, true)": (x) => x.var(0, false, true),
};

describe("what PyTorch ignores after a list given as a list", () => {
  it("has a call for each case of the fixture", () => {
    expect(Object.keys(CALLS).sort()).toEqual(F.ignored_after_list.map((c) => c.label).sort());
  });

  it.each(F.ignored_after_list)("$label (torch: $python)", (c) => {
    const x = tensor(
      [...Array(6).keys()].map((i) => (i - 3) / 4),
      { dtype: "float64" },
    ).reshape(2, 3);
    const { shape, dtype, values } = c.expected;
    testing.assert_close(CALLS[c.label]!(x), tensor(values, { dtype }).reshape(shape));
  });
});
