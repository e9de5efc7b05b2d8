import { describe, expect, it } from "vitest";
import { autograd, manual_seed, randn } from "gradlab";

// Gradients of reshape, view and expand against finite differences (float64); their
// values, gradients and strides against PyTorch are in shape.test.ts (fixture cases).
describe("gradcheck of reshape, view and expand", () => {
  manual_seed(21);
  const x = randn([2, 3, 4], { dtype: "float64" }).requires_grad_();
  const xt = randn([4, 3, 2], { dtype: "float64" }).requires_grad_();
  it("reshape of contiguous data (a view) and of a permuted tensor (a copy)", () => {
    expect(autograd.gradcheck((t) => t.reshape([4, -1]).mul(t.reshape([4, 6])), [x])).toBe(true);
    expect(autograd.gradcheck((t) => t.permute([2, 1, 0]).reshape([6, 4]), [xt])).toBe(true);
  });
  it("view", () => {
    expect(autograd.gradcheck((t) => t.view([-1]).mul(2), [x])).toBe(true);
  });
  it("view and reshape of non-contiguous data that a view can serve", () => {
    // xt.permute([1, 2, 0]) has shape [3, 2, 4] and strides [2, 1, 6]: dims 0 and 1 merge.
    expect(
      autograd.gradcheck(
        (t) =>
          t
            .permute([1, 2, 0])
            .view([6, 2, 2])
            .mul(t.permute([1, 2, 0]).reshape([6, 4]).view([6, 2, 2])),
        [xt],
      ),
    ).toBe(true);
    expect(xt.detach().permute([1, 2, 0]).reshape([6, 4]).storage).toBe(xt.storage);
  });
  it("expand sums the gradient over the broadcast dims", () => {
    expect(autograd.gradcheck((t) => t.narrow(2, 0, 1).expand([5, 2, 3, 4]), [x])).toBe(true);
  });
  it("reshape of contiguous data shares memory, as PyTorch's view", () => {
    const y = x.detach().reshape([24]);
    expect(y.data.data).toBe(x.data.data);
  });
});

describe("reshape's grad_fn names, as current PyTorch", () => {
  it("is ViewBackward0 for contiguous data and UnsafeViewBackward0 above a clone otherwise", () => {
    const x = randn([2, 3]).requires_grad_();
    expect(x.reshape([6]).grad_fn!.name).toBe("ViewBackward0");
    const copied = x.t().reshape([6]);
    expect(copied.grad_fn!.name).toBe("UnsafeViewBackward0");
    expect((copied.grad_fn!.next_functions[0] as { name: string }).name).toBe("CloneBackward0");
  });
});
