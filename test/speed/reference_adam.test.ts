/**
 * The bench's exact hand-written Adam loop (bench/reference_adam.ts, referenceAdamExact) is
 * a fair reference for "what exact rounding costs" only if it computes what gradlab's Adam
 * computes. expected values: gradlab's float32 Adam, itself bit-identical to the numpy op
 * model of current PyTorch (test/optim/float32_bits.test.ts), from the same start.
 */
import { describe, expect, it } from "vitest";
import { optim, tensor } from "gradlab";
import { referenceAdamExact } from "../../bench/reference_adam.ts";

describe("referenceAdamExact", () => {
  it("steps θ, m and v bit for bit as gradlab's float32 Adam, over an odd length and 20 steps", () => {
    const n = 101;
    const g = Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
    const arrays = { theta: new Float32Array(n).fill(0.5), g, m: new Float32Array(n), v: new Float32Array(n) };
    const step = referenceAdamExact(n, 1e-3, 0.9, 0.999, 1e-8, arrays);
    const w = tensor(Array.from(arrays.theta), { dtype: "float32", requires_grad: true });
    w.grad = tensor(Array.from(g), { dtype: "float32" });
    const opt = new optim.Adam([w], { lr: 1e-3 });
    for (let t = 0; t < 20; t++) {
      step();
      opt.step();
    }
    const state = opt.state.get(w)!;
    expect(Array.from(arrays.theta)).toEqual(w.tolist());
    expect(Array.from(arrays.m)).toEqual(state.exp_avg.tolist());
    expect(Array.from(arrays.v)).toEqual(state.exp_avg_sq.tolist());
  });
});
