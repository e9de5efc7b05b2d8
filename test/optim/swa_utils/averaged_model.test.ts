import { describe, expect, it } from "vitest";
import { type NestedArray, type Tensor, nn, optim, tensor, testing } from "gradlab";
import { TOL, fixture } from "../../helpers.ts";

const { AveragedModel, get_ema_avg_fn, get_ema_multi_avg_fn, get_swa_multi_avg_fn } = optim.swa_utils;

type Snapshot = Record<string, NestedArray>;
interface AveragingCase {
  name: string;
  options: { use_buffers?: boolean; avg_fn?: { ema_avg_fn: number }; multi_avg_fn?: { ema_multi_avg_fn?: number; swa_multi_avg_fn?: boolean } };
  snapshots: Snapshot[];
  expected: Snapshot[];
  source?: string;
}

// expected values: tools/fixtures/swa_utils.py, torch 1.13's AveragedModel in float64. The
// helpers newer than 1.13 (get_ema_avg_fn, the multi_avg_fn ones) are replaced there by an
// avg_fn computing what current PyTorch's helper computes on CPU, and the buffer copy current
// PyTorch makes without use_buffers is added after 1.13's update (each case's "source").
const { averaging } = fixture<{ averaging: AveragingCase[] }>("optim/swa_utils");

const model = (): nn.Module => new nn.Sequential(new nn.Linear(3, 2, { dtype: "float64" }), new nn.BatchNorm1d(2, { dtype: "float64" }));

function load(m: nn.Module, snap: Snapshot): void {
  const state: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(snap)) state[k] = tensor(v, { dtype: k.endsWith("num_batches_tracked") ? "int64" : "float64" });
  m.load_state_dict(state);
}

function options(c: AveragingCase): ConstructorParameters<typeof AveragedModel>[1] {
  const { avg_fn, multi_avg_fn, use_buffers } = c.options;
  return {
    use_buffers,
    avg_fn: avg_fn ? get_ema_avg_fn(avg_fn.ema_avg_fn) : null,
    multi_avg_fn:
      multi_avg_fn?.ema_multi_avg_fn !== undefined ? get_ema_multi_avg_fn(multi_avg_fn.ema_multi_avg_fn) : multi_avg_fn ? get_swa_multi_avg_fn() : null,
  };
}

describe("AveragedModel", () => {
  it.each(averaging)("matches PyTorch's averages after each update: $name", (c) => {
    const m = model();
    load(m, c.snapshots[0]!);
    const avg = new AveragedModel(m, options(c));
    c.snapshots.forEach((snap, k) => {
      load(m, snap);
      avg.update_parameters(m);
      const state = avg.state_dict();
      expect(Object.keys(state).sort()).toEqual(Object.keys(c.expected[k]!).sort());
      for (const [key, value] of Object.entries(c.expected[k]!)) testing.assert_close(state[key]!, value, TOL.float64);
    });
  });

  // By hand: averaging θ = 1, 2, 6 gives 1, then 1 + (2 − 1)/2 = 1.5, then 1.5 + (6 − 1.5)/3 = 3.
  it("keeps the equal-weight mean of the models it has seen", () => {
    const lin = new nn.Linear(1, 1, { bias: false, dtype: "float64" });
    const avg = new AveragedModel(lin);
    const seen: number[] = [];
    for (const w of [1, 2, 6]) {
      lin.load_state_dict({ weight: tensor([[w]], { dtype: "float64" }) });
      avg.update_parameters(lin);
      seen.push(avg.parameters()[0]!.item());
    }
    expect(seen).toEqual([1, 1.5, 3]);
    expect(avg.n_averaged.item()).toBe(3);
    expect(avg.n_averaged.dtype).toBe("int64");
  });

  it("averages a deep copy: the model's later changes do not reach it until update_parameters", () => {
    const lin = new nn.Linear(2, 1, { dtype: "float64" });
    const avg = new AveragedModel(lin);
    const [w] = avg.module.parameters();
    expect(w).not.toBe(lin.parameters()[0]);
    expect(w).toBeInstanceOf(nn.Parameter);
    const before = w!.tolist();
    lin.load_state_dict({ weight: tensor([[5, 6]], { dtype: "float64" }), bias: tensor([7], { dtype: "float64" }) });
    expect(w!.tolist()).toEqual(before);
  });

  it("runs the averaged copy in forward", () => {
    const lin = new nn.Linear(2, 1, { dtype: "float64" });
    lin.load_state_dict({ weight: tensor([[1, 2]], { dtype: "float64" }), bias: tensor([0.5], { dtype: "float64" }) });
    const avg = new AveragedModel(lin);
    const y = avg.forward(tensor([[3, 4]], { dtype: "float64" })) as Tensor;
    // 1·3 + 2·4 + 0.5
    expect(y.tolist()).toEqual([[11.5]]);
  });

  it("refuses both avg_fn and multi_avg_fn with PyTorch's message", () => {
    expect(() => new AveragedModel(model(), { avg_fn: get_ema_avg_fn(), multi_avg_fn: get_ema_multi_avg_fn() })).toThrow(
      "Only one of avg_fn and multi_avg_fn should be provided",
    );
  });

  it.each([
    { name: "get_ema_avg_fn", make: () => get_ema_avg_fn(1.5) },
    { name: "get_ema_multi_avg_fn", make: () => get_ema_multi_avg_fn(-0.1) },
  ])("$name refuses a decay outside [0, 1]", ({ make }) => {
    expect(make).toThrow(/^Invalid decay value (1\.5|-0\.1) provided\. Please provide a value in \[0,1\] range\.$/);
  });
});
