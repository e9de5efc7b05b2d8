// An example of a user's test against numbers recorded from PyTorch (docs/testing.md shows it).
import { expect, it } from "vitest";
import { optim, tensor } from "gradlab";
import { assert_close } from "gradlab/testing";

it("takes SGD's first two steps as PyTorch does", () => {
  const w = tensor([1, 2], { dtype: "float64", requires_grad: true });
  const opt = new optim.SGD([w], 0.1, 0.9);
  w.grad = tensor([1, 1], { dtype: "float64" });
  opt.step();
  // torch.optim.SGD([w], 0.1, 0.9): the first buffer is the gradient, w = [0.9, 1.9]
  assert_close(w, [0.9, 1.9]);
  opt.step();
  // then b = 0.9·1 + 1 = 1.9 and w = [0.9 − 0.19, 1.9 − 0.19]
  assert_close(w, [0.71, 1.71]);
  expect(() => assert_close(w, [[0.71], [1.71]])).toThrow("The values for attribute 'shape' do not match: [2] != [2, 1].");
});
