import { describe, expect, it } from "vitest";
import { empty, manual_seed, ones, rand, randn, zeros } from "gradlab";

// Sizes as PyTorch takes them (torch.zeros(2, 3) ≡ torch.zeros([2, 3]) ≡ torch.zeros((2, 3)));
// the expected shapes are the sizes given, and the random draws are the same stream.
describe("factories take sizes as varargs or an array", () => {
  it.each([
    { name: "zeros", make: zeros },
    { name: "ones", make: ones },
    { name: "empty", make: empty },
    { name: "rand", make: rand },
    { name: "randn", make: randn },
  ])("$name(2, 3), $name([2, 3]) and $name(2, 3, { dtype }) agree", ({ make }) => {
    manual_seed(0);
    const a = make(2, 3);
    manual_seed(0);
    const b = make([2, 3]);
    manual_seed(0);
    const c = make(2, 3, { dtype: "float64" });
    expect(a.shape).toEqual([2, 3]);
    expect(b.shape).toEqual([2, 3]);
    expect(c.shape).toEqual([2, 3]);
    expect(c.dtype).toBe("float64");
    expect(a.tolist()).toEqual(b.tolist());
    expect(make(5).shape).toEqual([5]);
  });

  it("gives randn(256, 3) 256 rows of 3", () => {
    expect(randn(256, 3).shape).toEqual([256, 3]);
  });

  it.each([
    { call: () => zeros(2, 2.5), message: "zeros(): argument 'size' must be an array of integers, but found number 2.5 at index 1" },
    { call: () => randn(2, "3" as never), message: `randn(): argument 'size' must be an array of integers, but found string "3" at index 1` },
    { call: () => zeros(2, 3, { dtpye: "float64" } as never), message: "zeros() got an unexpected keyword argument 'dtpye'. Did you mean 'dtype'?" },
    {
      call: () => ones(2, { dtype: "float16" } as never),
      message: `ones(): argument 'dtype' must be "float32", "float64" or "int64" or null, but got string "float16"`,
    },
    { call: () => zeros(), message: "zeros() missing 1 required positional argument: 'size'" },
  ])("throws PyTorch's TypeError: $message", ({ call, message }) => {
    expect(call).toThrow(TypeError);
    expect(call).toThrow(message);
  });

  it("keeps PyTorch's message for a negative size", () => {
    expect(() => zeros(-1, 2)).toThrow("Trying to create tensor with negative dimension -1: [-1, 2]");
  });
});
