import { describe, expect, it } from "vitest";
import { type NestedArray, type Tensor, nn, optim, tensor, testing, utils } from "gradlab";
import { TOL, fixture } from "../../helpers.ts";

interface UpdateBnCase {
  weights: Record<string, NestedArray>;
  x: NestedArray;
  y: NestedArray;
  batch_size: number;
  expected: { running_mean: number[]; running_var: number[]; num_batches_tracked: number; momentum: number; training: boolean };
}

// expected values: tools/fixtures/swa_utils.py, torch 1.13's update_bn (the same as current
// PyTorch's) on Linear(3, 4) then BatchNorm1d(4, momentum=0.3), float64, batches of 5, 5, 2.
const { update_bn: c } = fixture<{ update_bn: UpdateBnCase }>("optim/swa_utils");

function build(): { model: nn.Module; bn: nn.BatchNorm1d } {
  const bn = new nn.BatchNorm1d(4, { momentum: 0.3, dtype: "float64" });
  const model = new nn.Sequential(new nn.Linear(3, 4, { dtype: "float64" }), bn);
  const state: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(c.weights)) state[k] = tensor(v, { dtype: k.endsWith("num_batches_tracked") ? "int64" : "float64" });
  model.load_state_dict(state);
  return { model, bn };
}

describe("update_bn", () => {
  it("recomputes BatchNorm statistics as PyTorch does, restoring momentum and mode", () => {
    const { model, bn } = build();
    model.eval();
    const data = new utils.data.TensorDataset(tensor(c.x, { dtype: "float64" }), tensor(c.y, { dtype: "float64" }));
    optim.swa_utils.update_bn(new utils.data.DataLoader(data, { batch_size: c.batch_size }), model);
    testing.assert_close(bn.running_mean!, c.expected.running_mean, TOL.float64);
    testing.assert_close(bn.running_var!, c.expected.running_var, TOL.float64);
    expect(bn.num_batches_tracked!.item()).toBe(c.expected.num_batches_tracked);
    expect(bn.momentum).toBe(c.expected.momentum);
    expect(model.training).toBe(c.expected.training);
  });

  it("accepts bare tensors as batches", () => {
    const { model, bn } = build();
    const rows = c.x as number[][];
    const batches = [rows.slice(0, 5), rows.slice(5, 10), rows.slice(10)].map((b) => tensor(b, { dtype: "float64" }));
    optim.swa_utils.update_bn(batches, model);
    testing.assert_close(bn.running_mean!, c.expected.running_mean, TOL.float64);
    expect(model.training).toBe(true);
  });

  // By hand, BatchNorm1d(1) over batches [1, 3] and [5, 9]: batch means 2 and 7, unbiased
  // variances 2 and 8; with momentum null the running values are their plain averages 4.5 and 5.
  it("averages the batch statistics cumulatively, whatever the layer's momentum", () => {
    const bn = new nn.BatchNorm1d(1, { momentum: 0.9, dtype: "float64" });
    optim.swa_utils.update_bn([tensor([[1], [3]], { dtype: "float64" }), [tensor([[5], [9]], { dtype: "float64" }), "label"]], bn);
    expect(bn.running_mean!.tolist()).toEqual([4.5]);
    expect(bn.running_var!.tolist()).toEqual([5]);
    expect(bn.num_batches_tracked!.item()).toBe(2);
    expect(bn.momentum).toBe(0.9);
  });

  it("leaves a model without BatchNorm alone", () => {
    const lin = new nn.Linear(3, 1, { dtype: "float64" });
    lin.eval();
    let batches = 0;
    const loader = {
      *[Symbol.iterator]() {
        batches++;
        yield tensor([[1, 2, 3]], { dtype: "float64" });
      },
    };
    optim.swa_utils.update_bn(loader, lin);
    expect(batches).toBe(0);
    expect(lin.training).toBe(false);
  });
});
