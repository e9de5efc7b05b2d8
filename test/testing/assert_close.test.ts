import { describe, expect, it } from "vitest";
import { type DType, type NestedArray, tensor } from "gradlab";
import { AssertionError, allclose, assert_close, isclose } from "../../src/testing/index.ts";
import { fixture } from "../helpers.ts";

// expected verdicts and messages: tools/fixtures/assert_close.py (torch 1.13, whose
// assert_close formats messages as current PyTorch does). gradlab spells a shape [2, 1]
// (torch.Size([2, 1])) and a dtype float32 (torch.float32); the rest is compared exactly.
interface Case {
  name: string;
  actual: [NestedArray, DType | "number"];
  expected: [NestedArray, DType | "number"];
  options: Record<string, unknown>;
  passed: boolean;
  error?: string;
  message?: string;
}
const F = fixture<{
  cases: Case[];
  isclose: { actual: number[]; expected: number[]; options: Record<string, unknown>; dtype?: DType; isclose: boolean[]; allclose: boolean }[];
}>("testing/assert_close");

const make = ([values, dtype]: [NestedArray, DType | "number"]) => (dtype === "number" ? (values as number) : tensor(values, { dtype }));
const typescriptSpelling = (message: string): string =>
  message.replace(/torch\.Size\(\[([^\]]*)\]\)/g, "[$1]").replace(/torch\.(float32|float64|int64)/g, "$1");

describe("testing.assert_close", () => {
  it.each(F.cases)("gives PyTorch's verdict and message: $name", (c) => {
    const call = () => assert_close(make(c.actual), make(c.expected), c.options as never);
    if (c.passed) {
      expect(call).not.toThrow();
      return;
    }
    let thrown: unknown;
    try {
      call();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown instanceof AssertionError).toBe(c.error === "AssertionError");
    expect((thrown as Error).message).toBe(typescriptSpelling(c.message!));
  });

  it("catches a shape mismatch that broadcasting would hide ([N, 1] against [N])", () => {
    expect(() => assert_close(tensor([[1], [2]]), tensor([1, 2]))).toThrow("The values for attribute 'shape' do not match: [2, 1] != [2].");
  });

  it("compares a tensor with nested arrays and numbers in the tensor's dtype", () => {
    assert_close(
      tensor(
        [
          [1, 2],
          [3, 4],
        ],
        { dtype: "float64" },
      ),
      [
        [1, 2],
        [3, 4 + 1e-9],
      ],
    );
    assert_close(tensor(0.1), 0.1);
    expect(() => assert_close(tensor([1, 2]), [1, 2.1])).toThrow("Tensor-likes are not close!");
  });

  it("uses msg instead of the generated message", () => {
    expect(() => assert_close(1, 2, { msg: "step 3 diverged" })).toThrow(/^step 3 diverged$/);
  });

  it("rejects an unknown option as PyTorch's TypeError", () => {
    expect(() => assert_close(1, 1, { rtoll: 0 } as never)).toThrow("assert_close() got an unexpected keyword argument 'rtoll'. Did you mean 'rtol'?");
  });
});

describe("isclose and allclose", () => {
  it.each(F.isclose)("follow torch.isclose and torch.allclose with $options ($dtype)", (c) => {
    const a = tensor(c.actual, { dtype: c.dtype ?? "float64" });
    const e = tensor(c.expected, { dtype: c.dtype ?? "float64" });
    const { rtol, atol, equal_nan } = c.options as { rtol?: number; atol?: number; equal_nan?: boolean };
    expect(isclose(a, e, { rtol, atol, equal_nan }).tolist()).toEqual(c.isclose.map(Number));
    expect(allclose(a, e, rtol, atol, equal_nan)).toBe(c.allclose);
  });

  it("broadcast their inputs", () => {
    expect(
      isclose(
        tensor([
          [1, 2],
          [3, 1],
        ]),
        tensor([1]),
      ).tolist(),
    ).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(allclose(tensor([1, 1]), 1)).toBe(true);
  });
});
