import { describe, expect, it } from "vitest";
import * as gl from "gradlab";
import { type DType, type Tensor, tensor, testing } from "gradlab";
import { fixture } from "../helpers.ts";

// expected values: tools/fixtures/tensor_calls.py (torch 1.13), calls torch accepts in forms
// the declared signatures alone would not: by NumPy's names (numpy_compatibility_arg_names in
// torch/csrc/utils/python_arg_parser.cpp, unchanged in current PyTorch), and with positional
// arguments after a list given as a list, which the same parser ignores when the list is the
// method's only parameter (`x.view([3, 2], 1)` is `x.view([3, 2])`; tsc rejects these, at run
// time they give torch's result). x is [[-0.75, -0.5, -0.25], [0, 0.25, 0.5]], y the fixture's Y.
interface Accepted {
  python: string;
  label: string;
  expected: { shape: number[]; dtype: DType; values: number[] };
}
const F = fixture<{ numpy_names: Accepted[]; ignored_after_list: Accepted[] }>("calls/tensor_calls");

type Loose = Record<string, (...args: unknown[]) => Record<string, unknown> & Tensor>;
const m = (x: Tensor): Loose => x as unknown as Loose;
const int64 = (v: number[][]): Tensor => tensor(v, { dtype: "int64" });

/** Each label's gradlab call, as `tsc` accepts it (test/types/tensor_calls.ts checks the NumPy names' types). */
type Call = (x: Tensor, y: Tensor) => unknown;
const NUMPY_NAMES: Record<string, Call> = {
  "x.sum({ axis: 1 })": (x) => x.sum({ axis: 1 }),
  "x.sum({ axis: [0, 1], keepdims: true })": (x) => x.sum({ axis: [0, 1], keepdims: true }),
  "x.sum(1, { keepdims: true })": (x) => x.sum(1, { keepdims: true }),
  "sum(x, { axis: 1 })": (x) => gl.sum(x, { axis: 1 }),
  "sum({ a: x, axis: 0 })": (x) => gl.sum({ a: x, axis: 0 }),
  "x.mean({ axis: 0, keepdims: true })": (x) => x.mean({ axis: 0, keepdims: true }),
  "x.var({ axis: 1, keepdims: true })": (x) => x.var({ axis: 1, keepdims: true }),
  "x.std({ axis: 0 })": (x) => x.std({ axis: 0 }),
  "x.logsumexp({ axis: 1, keepdims: true })": (x) => x.logsumexp({ axis: 1, keepdims: true }),
  "x.amax({ axis: 1 })": (x) => x.amax({ axis: 1 }),
  "x.argmin({ axis: 1, keepdims: true })": (x) => x.argmin({ axis: 1, keepdims: true }),
  "x.max({ axis: 1, keepdims: true }).values": (x) => x.max({ axis: 1, keepdims: true }).values,
  "max(x, { axis: 1 }).indices": (x) => gl.max(x, { axis: 1 }).indices,
  "x.softmax({ axis: 1 })": (x) => x.softmax({ axis: 1 }),
  "log_softmax(x, { axis: 0 })": (x) => gl.log_softmax(x, { axis: 0 }),
  "x.squeeze({ axis: 0 })": (x) => x.squeeze({ axis: 0 }),
  "x.unsqueeze({ axis: 0 })": (x) => x.unsqueeze({ axis: 0 }),
  "x.narrow({ axis: 1, start: 0, length: 2 })": (x) => x.narrow({ axis: 1, start: 0, length: 2 }),
  'x.gather({ axis: 1, index: tensor([[0], [2]], { dtype: "int64" }) })': (x) => x.gather({ axis: 1, index: int64([[0], [2]]) }),
  "add({ x1: x, x2: y })": (x, y) => gl.add({ x1: x, x2: y }),
  "x.mul({ x2: y })": (x, y) => x.mul({ x2: y }),
  "cat([x, y], { axis: 1 })": (x, y) => gl.cat([x, y], { axis: 1 }),
  "stack([x, y], { axis: 1 })": (x, y) => gl.stack([x, y], { axis: 1 }),
  "x.cumsum({ axis: 1 })": (x) => x.cumsum({ axis: 1 }),
  "cumsum(x, { axis: 0 })": (x) => gl.cumsum(x, { axis: 0 }),
  "clamp_min({ x: x, min: 0 })": (x) => gl.clamp_min({ x: x, min: 0 }),
};

const IGNORED_AFTER_LIST: Record<string, Call> = {
  "x.view([3, 2], 1)": (x) => m(x).view!([3, 2], 1),
  "x.view([6], [1, 6])": (x) => m(x).view!([6], [1, 6]),
  'x.view([3, 2], "a")': (x) => m(x).view!([3, 2], "a"),
  "x.reshape([3, 2], 1)": (x) => m(x).reshape!([3, 2], 1),
  "x.permute([1, 0], 1)": (x) => m(x).permute!([1, 0], 1),
  "x.repeat([1, 2], 2)": (x) => m(x).repeat!([1, 2], 2),
  "x.var(0, false, true)": (x) => x.var(0, false, true),
};

function accepted(title: string, cases: Accepted[], calls: Record<string, Call>): void {
  describe(title, () => {
    it("has a call for each case of the fixture", () => {
      expect(Object.keys(calls).sort()).toEqual(cases.map((c) => c.label).sort());
    });

    it.each(cases)("$label (torch: $python)", (c) => {
      const x = tensor(
        [...Array(6).keys()].map((i) => (i - 3) / 4),
        { dtype: "float64" },
      ).reshape(2, 3);
      const y = tensor(
        [
          [0.5, -1.0, 2.0],
          [1.5, 0.25, -3.0],
        ],
        { dtype: "float64" },
      );
      const { shape, dtype, values } = c.expected;
      testing.assert_close(calls[c.label]!(x, y) as Tensor, tensor(values, { dtype }).reshape(shape));
    });
  });
}

accepted("NumPy's names for dim, keepdim, input and other, where PyTorch's parser takes them", F.numpy_names, NUMPY_NAMES);
accepted("what PyTorch ignores after a list given as a list", F.ignored_after_list, IGNORED_AFTER_LIST);
