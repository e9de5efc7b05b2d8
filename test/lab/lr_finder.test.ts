import { describe, expect, it } from "vitest";
import { Generator, default_generator, lab, manual_seed, nn, no_grad, optim, tensor, utils, type Tensor } from "gradlab";
import { gradient, rampLr, rulePoints, smoothLoss, valleyIndex } from "../../src/lab/lr_finder_rules.ts";

const f64 = { dtype: "float64" } as const;

type FinderOptions = Parameters<typeof lab.lr_finder>[4];
type FinderLoss = Parameters<typeof lab.lr_finder>[2];

/**
 * The range test on the tiny problem every hand-checked number below comes from: y = w·x
 * with no bias, w = w0, one point (x, y) = (1, 0), MSE (or `lossFn`), SGD at lr 0.1. The
 * loss is w², its gradient 2w, so plain SGD at rate γ gives w ← w·(1 − 2γ) and the loss of
 * step k is w_k² with w_k = w_0 · Π_(j<k) (1 − 2γ_j).
 */
function scalarRangeTest(options: FinderOptions, { w0 = 1, lossFn = new nn.MSELoss() as FinderLoss } = {}) {
  const model = new nn.Linear(1, 1, false, f64);
  no_grad(() => model.weight.copy_(tensor([[w0]], f64)));
  const batches = [[tensor([[1]], f64), tensor([[0]], f64)]];
  return lab.lr_finder(model, new optim.SGD(model.parameters(), 0.1), lossFn, batches, options);
}

/** Every bit of a typed array, to compare two arrays exactly (NaN payloads and −0 included). */
const bits = (a: Float32Array | Float64Array): number[] => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

describe("lab.lr_finder: the curve, checked by hand", () => {
  it("ramps linearly, records each step's loss and smooths it as pytorch-lr-finder does", () => {
    const r = scalarRangeTest({ start_lr: 0.125, end_lr: 0.375, num_iter: 3, step_mode: "linear", smooth_f: 0.5, skip_start: 0, skip_end: 0 });
    // lr_k = 0.125 + (k/2)·0.25; w: 1 → 1·(1 − 0.25) = 0.75 → 0.75·(1 − 0.5) = 0.375
    expect(r.lr).toEqual([0.125, 0.25, 0.375]);
    expect(r.loss).toEqual([1, 0.5625, 0.140625]);
    // s_0 = 1, s_1 = 0.5·0.5625 + 0.5·1 = 0.78125, s_2 = 0.5·0.140625 + 0.5·0.78125 = 0.4609375
    expect(r.smoothed).toEqual([1, 0.78125, 0.4609375]);
    expect(r.best_loss).toBe(0.4609375);
    expect(r.diverged).toBe(false);
    // np.gradient: −0.21875, (0.4609375 − 1)/2 = −0.26953125, 0.4609375 − 0.78125 = −0.3203125: least at 2.
    expect(r.suggestions.steepest.lr).toBe(0.375);
    // the minimum is at step 2 (0.375), a tenth of it: 0.0375
    expect(r.suggestions.minimum.lr).toBe(0.375 / 10);
    expect(r.suggestions.minimum.point).toEqual({ step: 2, lr: 0.375, loss: 0.4609375 });
    // valley: L = [1, 2, 3], e = 2, a = 2 − 3 = −1, p = −1 + ⌊3/3⌋ + ⌊3/6⌋ = 0
    expect(r.suggestions.valley.lr).toBe(0.125);
  });

  it("ramps geometrically in 'exp' mode: start · (end/start)^(k/(N−1))", () => {
    const r = scalarRangeTest({ start_lr: 0.01, end_lr: 1, num_iter: 3, smooth_f: 0 });
    // 0.01, 0.01·100^0.5 = 0.1, 1; w: 1 → 0.98 → 0.98·0.8 = 0.784
    [0.01, 0.1, 1].forEach((lr, k) => expect(r.lr[k]).toBeCloseTo(lr, 15));
    [1, 0.9604, 0.614656].forEach((loss, k) => expect(r.loss[k]).toBeCloseTo(loss, 14));
    expect(r.smoothed).toEqual(r.loss); // smooth_f 0: no smoothing
  });

  it("stops at the first step whose smoothed loss passes diverge_th × its best", () => {
    const r = scalarRangeTest({ start_lr: 0.25, end_lr: 2.25, num_iter: 5, step_mode: "linear", smooth_f: 0, diverge_th: 2 });
    // rates 0.25, 0.75, 1.25, 1.75 …; w: 1 → 0.5 → −0.25 → 0.375: losses 1, 0.25, 0.0625, 0.140625,
    // and 0.140625 > 2 × 0.0625, so step 3 is the last (step 4, at 2.25, never runs).
    expect(r.lr).toEqual([0.25, 0.75, 1.25, 1.75]);
    expect(r.loss).toEqual([1, 0.25, 0.0625, 0.140625]);
    expect(r.diverged).toBe(true);
    expect(r.stop_reason).toBe("the smoothed loss 0.1406 at step 3 passed 2 × its best 0.0625");
  });

  it("stops at a loss that is not finite (NaN compares false, and would not stop pytorch-lr-finder)", () => {
    let calls = 0;
    const lossFn = (out: Tensor, y: Tensor | number[]): Tensor =>
      ++calls === 3
        ? out
            .sub(y as Tensor)
            .pow(2)
            .mean()
            .mul(NaN)
        : out
            .sub(y as Tensor)
            .pow(2)
            .mean();
    const r = scalarRangeTest({ start_lr: 0.01, end_lr: 0.1, num_iter: 10 }, { lossFn });
    expect(r.loss.length).toBe(3);
    expect(r.loss[2]).toBeNaN();
    expect(r.stop_reason).toBe("the loss at step 2 is NaN");
    // the suggestions never read the NaN: here the window is empty, so each says why
    expect(r.suggestions.valley.lr).toBeNull();
    expect(r.suggestions.valley.reason).toMatch(/only 0 of them lie in the window/);
  });

  it("reports the validation loss of every step with val_loader (mean over its samples, eval mode, no gradient)", () => {
    // validation points (1, 1) and (2, 0), (2, 0): per-sample losses (w − 1)², then (2w)² twice, batch sizes 1 and 2
    const val = [
      [tensor([[1]], f64), tensor([[1]], f64)],
      [tensor([[2], [2]], f64), tensor([[0], [0]], f64)],
    ];
    const r = scalarRangeTest({ start_lr: 0.125, end_lr: 0.25, num_iter: 2, step_mode: "linear", smooth_f: 0, val_loader: val });
    // after step 0 (lr 0.125): w = 0.75; after step 1 (lr 0.25): w = 0.75·0.5 = 0.375
    const valLoss = (w: number) => ((w - 1) ** 2 + 2 * (2 * w) ** 2) / 3;
    expect(r.loss[0]).toBeCloseTo(valLoss(0.75), 15);
    expect(r.loss[1]).toBeCloseTo(valLoss(0.375), 15);
  });
});

describe("lab.lr_finder: the rules on their own", () => {
  it("np.gradient, the valley point and the window follow their definitions", () => {
    expect(gradient([1, 3, 4, 8])).toEqual([2, 1.5, 2.5, 4]);
    // decreasing subsequence lengths of [5, 4, 6, 3, 2, 7, 1]: [1, 2, 1, 3, 4, 1, 5]; e = 6, a = 1, p = 1 + 1 + 0 = 2
    expect(valleyIndex([5, 4, 6, 3, 2, 7, 1])).toBe(2);
    expect(rampLr("linear", 0, 1, 2, 5)).toBe(0.5);
    expect(smoothLoss(2, 4, 0.25)).toBe(3.5);
    // window [1, 5 − 1) = [1, 4): s = [4, 2, 3] (index 1…3): minimum at 2; descent [4, 2]: steepest at 1 or 2, the first
    const p = rulePoints([9, 4, 2, 3, 10], 1, 1);
    expect(p.minimum).toEqual({ index: 2, divisor: 10 });
    expect(p.steepest).toEqual({ index: 1, divisor: 1 });
  });

  it("steepest reads only the descent: a recovery after the minimum is not a rate to train at", () => {
    // falls to 1 at index 3 (np.gradient −0.5, −1, −1.25, −1), blows up, then falls from 9 to 4:
    // over the whole curve np.gradient is least at index 5 ((4 − 9)/2 = −2.5), in the recovery
    const s = [4, 3.5, 2, 1, 9, 5, 4];
    expect(gradient(s).indexOf(Math.min(...gradient(s)))).toBe(5);
    const p = rulePoints(s, 0, 0);
    expect(p.steepest).toEqual({ index: 2, divisor: 1 });
    expect(p.minimum).toEqual({ index: 3, divisor: 10 });
  });
});

describe("lab.lr_finder: param groups and accumulation", () => {
  it("ramps every group in proportion to group 0, and the rates recorded are the ones the steps used", () => {
    manual_seed(0);
    const a = new nn.Linear(3, 4, true, f64);
    const b = new nn.Linear(4, 1, true, f64);
    const model = new nn.Sequential(a, new nn.Tanh(), b);
    const opt = new optim.SGD(
      [
        { params: a.parameters(), lr: 0.1 },
        { params: b.parameters(), lr: 0.02 },
      ],
      { lr: 0.5, momentum: 0.9 },
    );
    const used: number[][] = [];
    opt.register_step_pre_hook((o) => void used.push(o.param_groups.map((g) => g.lr as number)));
    const x = utils.data.make_regression({ n_samples: 16, n_features: 3, dtype: "float64" });
    const r = lab.lr_finder(model, opt, new nn.MSELoss(), [[x[0], x[1].reshape([-1, 1])]], {
      start_lr: 1e-4,
      end_lr: 1e-1,
      num_iter: 20,
      diverge_th: Infinity,
    });
    expect(used).toEqual(r.lrs);
    expect(r.lrs.length).toBe(20);
    r.lrs.forEach(([g0, g1], k) => {
      expect(g0).toBe(rampLr("exp", 1e-4, 1e-1, k, 20));
      expect(g1! / g0!).toBeCloseTo(0.2, 15); // 0.02 / 0.1, as the optimizer had them
    });
    expect(r.suggestions.valley.lrs![1]! / r.suggestions.valley.lrs![0]!).toBeCloseTo(0.2, 15);
    expect(opt.param_groups.map((g) => g.lr)).toEqual([0.1, 0.02]);
  });

  it("with accumulation_steps, batches of 8 summed 4 at a time give the curve of batches of 32", () => {
    const data = () => {
      manual_seed(5);
      return utils.data.make_moons({ n_samples: 64, noise: 0.2, dtype: "float64", shuffle: false });
    };
    const run = (batch_size: number, accumulation_steps: number) => {
      const [x, y] = data();
      manual_seed(1);
      const model = new nn.Sequential(new nn.Linear(2, 8, true, f64), new nn.ReLU(), new nn.Linear(8, 2, true, f64));
      const opt = new optim.Adam(model.parameters(), 1e-3);
      const loader = new utils.data.DataLoader(new utils.data.TensorDataset(x, y), { batch_size });
      return lab.lr_finder(model, opt, new nn.CrossEntropyLoss(), loader, { end_lr: 1, num_iter: 30, accumulation_steps });
    };
    const large = run(32, 1);
    const accumulated = run(8, 4);
    expect(accumulated.lr).toEqual(large.lr);
    accumulated.loss.forEach((v, k) => expect(Math.abs(v - large.loss[k]!)).toBeLessThan(1e-12 * large.loss[k]!));
    expect(accumulated.suggestions.valley.lr).toBe(large.suggestions.valley.lr);
  });
});

/** A model with a buffer (BatchNorm), dropout, and an optimizer with state from earlier steps. */
function trainedSetup(makeOptimizer: (params: Tensor[]) => optim.Optimizer) {
  manual_seed(3);
  const model = new nn.Sequential(new nn.Linear(2, 16), new nn.BatchNorm1d(16), new nn.ReLU(), new nn.Dropout(0.2), new nn.Linear(16, 2));
  const [x, y] = utils.data.make_moons({ n_samples: 128, noise: 0.2 });
  const loader = new utils.data.DataLoader(new utils.data.TensorDataset(x, y), { batch_size: 16, shuffle: true });
  const opt = makeOptimizer(model.parameters());
  const lossFn = new nn.CrossEntropyLoss();
  // three real steps first, so the optimizer has state (moments, step counts) and the model grads
  let n = 0;
  for (const [xb, yb] of loader) {
    opt.step(() => {
      opt.zero_grad();
      const loss = lossFn.forward(model.forward(xb!), yb!);
      loss.backward();
      return loss;
    });
    if (++n === 3) break;
  }
  return { model, opt, loader, lossFn };
}

/** A generator's state with its four words read as unsigned (get_state gives them signed after set_state). */
const streamState = (g: Generator): number[] => {
  const s = g.get_state();
  return [...s.slice(0, 4).map((w) => w >>> 0), ...s.slice(4)];
};

/** Everything the test must give back, as bits and identities. */
function everything(model: nn.Module, opt: optim.Optimizer) {
  const tensors = [...model.parameters(), ...model.buffers()];
  return {
    tensors,
    values: tensors.map((t) => bits(t.storage.buffer)),
    grads: model.parameters().map((p) => p.grad),
    gradValues: model.parameters().map((p) => (p.grad === null ? null : bits(p.grad.storage.buffer))),
    modes: model.modules().map((m) => m.training),
    state: JSON.stringify(opt.state_dict()),
    stateObjects: [...opt.state.entries()].flatMap(([p, s]) => [p, s, ...Object.values(s)]),
    groups: opt.param_groups.slice(),
    rng: streamState(default_generator),
  };
}

describe("lab.lr_finder gives everything back, bit for bit", () => {
  const OPTIMIZERS: [string, (ps: Tensor[]) => optim.Optimizer][] = [
    ["SGD with momentum and nesterov", (ps) => new optim.SGD(ps, { lr: 0.05, momentum: 0.9, nesterov: true })],
    ["Adam with amsgrad (moments and step counts)", (ps) => new optim.Adam(ps, { lr: 0.01, amsgrad: true })],
    ["AdamW", (ps) => new optim.AdamW(ps, 0.01)],
    ["RMSprop centered with momentum", (ps) => new optim.RMSprop(ps, { lr: 0.01, momentum: 0.5, centered: true })],
    ["Adagrad", (ps) => new optim.Adagrad(ps, 0.1)],
    ["LBFGS (a closure, its whole-optimizer state)", (ps) => new optim.LBFGS(ps, { lr: 0.5, max_iter: 3 })],
  ];

  it.each(OPTIMIZERS)("%s: parameters, buffers, grads, modes, optimizer state and the random stream", (_name, make) => {
    const { model, opt, loader, lossFn } = trainedSetup(make);
    model.eval(); // a mode the test must restore (it trains in training mode)
    const before = everything(model, opt);
    const r = lab.lr_finder(model, opt, lossFn, loader, { start_lr: 1e-4, end_lr: 10, num_iter: 40 });
    expect(r.lr.length).toBeGreaterThan(5);
    const after = everything(model, opt);
    after.tensors.forEach((t, i) => expect(t).toBe(before.tensors[i]));
    expect(after.values).toEqual(before.values);
    after.grads.forEach((g, i) => expect(g).toBe(before.grads[i]));
    expect(after.gradValues).toEqual(before.gradValues);
    expect(after.modes).toEqual(before.modes);
    expect(after.state).toBe(before.state);
    after.stateObjects.forEach((o, i) => expect(o).toBe(before.stateObjects[i]));
    after.groups.forEach((g, i) => expect(g).toBe(before.groups[i]));
    expect(after.rng).toEqual(before.rng);
  });

  it("training after the test runs exactly as training without it (same weights, same shuffles, same dropout)", () => {
    const train = (withFinder: boolean) => {
      const { model, opt, loader, lossFn } = trainedSetup((ps) => new optim.Adam(ps, 0.01));
      if (withFinder) lab.lr_finder(model, opt, lossFn, loader, { start_lr: 1e-4, end_lr: 10, num_iter: 30 });
      for (let epoch = 0; epoch < 2; epoch++) {
        for (const [xb, yb] of loader) {
          opt.zero_grad();
          lossFn.forward(model.forward(xb!), yb!).backward();
          opt.step();
        }
      }
      return model.parameters().map((p) => bits(p.storage.buffer));
    };
    expect(train(true)).toEqual(train(false));
  });

  it("restores a loader's own generator and the state after an exception in the middle of the test", () => {
    const { model, opt, lossFn } = trainedSetup((ps) => new optim.Adam(ps, 0.01));
    const g = new Generator(7);
    const [x, y] = utils.data.make_moons({ n_samples: 64, noise: 0.2 });
    const loader = new utils.data.DataLoader(new utils.data.TensorDataset(x, y), { batch_size: 16, shuffle: true, generator: g });
    const gState = streamState(g);
    const before = everything(model, opt);
    let calls = 0;
    const failing = (out: Tensor, labels: Tensor | number[]): Tensor => {
      if (++calls === 6) throw new Error("out of memory, say");
      return lossFn.forward(out, labels);
    };
    expect(() => lab.lr_finder(model, opt, failing, loader, { num_iter: 20, start_lr: 1e-3 })).toThrow("out of memory, say");
    const after = everything(model, opt);
    expect(after.values).toEqual(before.values);
    expect(after.state).toBe(before.state);
    expect(streamState(g)).toEqual(gState);
  });
});

describe("lab.lr_finder on real training: every suggestion trains to the accuracy tutorial 08 claims", () => {
  const lossFn = new nn.CrossEntropyLoss();
  const accuracy = (model: nn.Module, x: Tensor, y: Tensor): number =>
    no_grad(() => {
      const predicted = (model.forward(x) as Tensor).argmax(1).tolist() as number[];
      const labels = y.tolist() as number[];
      return predicted.filter((p, i) => p === labels[i]).length / labels.length;
    });
  const rows = (n: number, keep: (i: number) => boolean) => tensor(Array.from({ length: n }, (_, i) => i).filter(keep), { dtype: "int64" });

  /** Range test from the model's initial weights, then for each suggestion: the same initial weights trained at it. */
  function check(
    x: Tensor,
    y: Tensor,
    validation: (i: number) => boolean,
    make: () => nn.Module,
    optimizer: (ps: Tensor[], lr: number) => optim.Optimizer,
    epochs: number,
    batch_size: number,
  ) {
    const n = x.shape[0]!;
    const [train, val] = [rows(n, (i) => !validation(i)), rows(n, validation)];
    const [xt, yt, xv, yv] = [x.index_select(0, train), y.index_select(0, train), x.index_select(0, val), y.index_select(0, val)];
    const loader = new utils.data.DataLoader(new utils.data.TensorDataset(xt, yt), { batch_size, shuffle: true });
    const model = make();
    const result = lab.lr_finder(model, optimizer(model.parameters(), 1e-5), lossFn, loader, { start_lr: 1e-5, end_lr: 10, num_iter: 100 });
    return Object.values(result.suggestions).map((s) => {
      const m = make();
      const opt = optimizer(m.parameters(), s.lr!);
      for (let e = 0; e < epochs; e++) {
        for (const [xb, yb] of loader) {
          opt.zero_grad();
          lossFn.forward(m.forward(xb!) as Tensor, yb!).backward();
          opt.step();
        }
      }
      return { name: s.name, lr: s.lr!, accuracy: accuracy(m, xv, yv) };
    });
  }

  it("two moons, SGD with momentum 0.9: each suggestion reaches 90% validation accuracy in 15 epochs", () => {
    manual_seed(0);
    const [x, y] = utils.data.make_moons({ n_samples: 512, noise: 0.15 });
    const make = () => {
      manual_seed(1);
      return new nn.Sequential(new nn.Linear(2, 32), new nn.ReLU(), new nn.Linear(32, 32), new nn.ReLU(), new nn.Linear(32, 2));
    };
    manual_seed(2);
    const results = check(
      x,
      y,
      (i) => i % 4 === 0,
      make,
      (ps, lr) => new optim.SGD(ps, { lr, momentum: 0.9 }),
      15,
      32,
    );
    expect(results.map((r) => r.name)).toEqual(["steepest", "minimum", "valley"]);
    for (const r of results) expect(r.accuracy, `${r.name} at lr ${r.lr}`).toBeGreaterThanOrEqual(0.9);
    // and the three rates differ: by more than a factor of 40 between the largest and the smallest
    const lrs = results.map((r) => r.lr);
    expect(Math.max(...lrs) / Math.min(...lrs)).toBeGreaterThan(40);
  });

  it("iris, Adam: each suggestion reaches 28 of 30 validation flowers in 30 epochs", () => {
    const iris = utils.data.load_iris();
    const x = iris.data.sub(iris.data.mean({ dim: 0, keepdim: true })).div(iris.data.std({ dim: 0, keepdim: true }));
    const make = () => {
      manual_seed(1);
      return new nn.Sequential(new nn.Linear(4, 16), new nn.ReLU(), new nn.Linear(16, 3));
    };
    manual_seed(2);
    const results = check(
      x,
      iris.target,
      (i) => i % 5 === 0,
      make,
      (ps, lr) => new optim.Adam(ps, { lr }),
      30,
      16,
    );
    for (const r of results) expect(r.accuracy, `${r.name} at lr ${r.lr}`).toBeGreaterThanOrEqual(28 / 30);
  });
});

describe("lab.lr_finder: bad arguments throw a clear error and change nothing", () => {
  const CASES: [string, Record<string, unknown>, string][] = [
    ["an unknown option", { end_rl: 1 }, "lr_finder() got an unexpected keyword argument 'end_rl'. Did you mean 'end_lr'?"],
    ["a step_mode that is not exp or linear", { step_mode: "cos" }, `lr_finder(): argument 'step_mode' must be "exp" or "linear", but got string "cos"`],
    ["num_iter 1", { num_iter: 1 }, "lr_finder: num_iter must be larger than 1, got 1"],
    ["a fractional num_iter", { num_iter: 2.5 }, "lr_finder(): argument 'num_iter' must be an integer, but got number 2.5"],
    ["smooth_f 1", { smooth_f: 1 }, "lr_finder: smooth_f is outside the range [0, 1[, got 1"],
    ["a negative smooth_f", { smooth_f: -0.1 }, "lr_finder: smooth_f is outside the range [0, 1[, got -0.1"],
    [
      "diverge_th 1",
      { diverge_th: 1 },
      "lr_finder: diverge_th must be larger than 1 (the test stops when the smoothed loss exceeds diverge_th × its best), got 1",
    ],
    ["accumulation_steps 0", { accumulation_steps: 0 }, "lr_finder: accumulation_steps must be at least 1, got 0"],
    ["a negative skip", { skip_end: -1 }, "lr_finder: skip_start and skip_end must not be negative, got 10 and -1"],
    ["start_lr 0 in exp mode", { start_lr: 0 }, "lr_finder: the start rate must be positive and finite in 'exp' mode, got 0"],
    ["end_lr below start_lr", { start_lr: 0.1, end_lr: 0.01 }, "lr_finder: end_lr must be finite and larger than the start rate 0.1, got 0.01"],
    ["a string for end_lr", { end_lr: "10" }, `lr_finder(): argument 'end_lr' must be a number, but got string "10"`],
    ["a val_loader that is not iterable", { val_loader: 3 }, "lr_finder(): argument 'val_loader' must be an iterable of batches or null, but got number 3"],
  ];

  it.each(CASES)("%s", (_name, options, message) => {
    const { model, opt, loader, lossFn } = trainedSetup((ps) => new optim.Adam(ps, 0.01));
    const before = everything(model, opt);
    expect(() => lab.lr_finder(model, opt, lossFn, loader, options as never)).toThrow(message);
    const after = everything(model, opt);
    expect(after.values).toEqual(before.values);
    expect(after.state).toBe(before.state);
    expect(after.rng).toEqual(before.rng);
  });

  it("a model, optimizer, loss or loader of the wrong kind", () => {
    const { model, opt, loader, lossFn } = trainedSetup((ps) => new optim.SGD(ps, 0.01));
    expect(() => lab.lr_finder({} as never, opt, lossFn, loader)).toThrow("lr_finder: model must be an nn.Module");
    expect(() => lab.lr_finder(model, {} as never, lossFn, loader)).toThrow("lr_finder: optimizer must be an optim.Optimizer");
    expect(() => lab.lr_finder(model, opt, 3 as never, loader)).toThrow(
      "lr_finder: lossFn must be a loss module (with forward) or a function (output, labels) => Tensor",
    );
    expect(() => lab.lr_finder(model, opt, lossFn, 3 as never)).toThrow("lr_finder: loader must be an iterable of batches [inputs, labels]");
    expect(() => lab.lr_finder(model, opt, lossFn, [])).toThrow("lr_finder: the loader gave no batches");
  });

  it("group 0 at lr 0 with other groups (their ratio to it is undefined)", () => {
    const a = new nn.Linear(1, 1);
    const b = new nn.Linear(1, 1);
    const opt = new optim.SGD([
      { params: a.parameters(), lr: 0 },
      { params: b.parameters(), lr: 0.1 },
    ]);
    expect(() => lab.lr_finder(a, opt, new nn.MSELoss(), [[tensor([[1]]), tensor([[1]])]], { start_lr: 1e-3 })).toThrow(
      "lr_finder: group 0's lr is 0; the other groups are ramped in proportion to it, so it must be positive",
    );
  });
});

describe("lab.lr_finder's result: terminal chart and SVG", () => {
  const r = scalarRangeTest({ start_lr: 0.01, end_lr: 1.5, num_iter: 40, skip_start: 2, skip_end: 2 }, { w0: 3 });

  it("marks each suggestion under the chart at the step whose rate is nearest it, and tables them", () => {
    const lines = r.toString().split("\n");
    const chartTop = lines[0]!;
    const offset = Math.max(chartTop.indexOf("┤"), chartTop.indexOf("┼")) + 1;
    const marks = lines[10 + 1]!;
    const steepest = r.suggestions.steepest;
    expect(marks[offset + steepest.point!.step]).toMatch(/[S*]/);
    expect(lines).toContain(`steepest (S) ${String(Number(steepest.lr!.toPrecision(4))).padEnd(11)} ${steepest.rule}`);
  });

  it("draws an SVG with the curve and one line per suggestion", async () => {
    const svg = await r.toSVG({ title: "scalar problem" });
    expect(svg.startsWith("<svg")).toBe(true);
    for (const name of ["steepest", "minimum", "valley", "smoothed loss"]) expect(svg).toContain(name);
  });
});
