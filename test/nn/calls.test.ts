import { describe, expect, it } from "vitest";
import { F, type NestedArray, type Tensor, nn, tensor, testing, zeros } from "gradlab";
import { declared } from "../../src/utils/signature.ts";
import { fixture } from "../helpers.ts";

// expected values: tools/fixtures/nn_calls.py (torch 1.13, float64 default dtype): torch.nn
// constructors and functions called with their arguments positionally, on fixed inputs.
interface Case {
  name: string;
  value: unknown;
  [extra: string]: unknown;
}
const { cases } = fixture<{ cases: Case[] }>("nn/calls");
const byName = new Map(cases.map((c) => [c.name, c]));

const f64 = (v: number[] | number[][]): Tensor => tensor(v, { dtype: "float64" });
const X = f64([
  [0.5, -1.0, 2.0],
  [1.5, 0.25, -0.75],
]);
const Y = f64([
  [0.0, -0.5, 1.0],
  [2.0, 0.5, -1.0],
]);
const T = [2, 0];
const W = f64([0.5, 1.0, 2.0]);
const P = f64([
  [0.2, 0.7, 0.9],
  [0.6, 0.1, 0.4],
]);
const B = f64([
  [1.0, 0.0, 1.0],
  [0.0, 1.0, 1.0],
]);
const X3 = X.reshape([2, 3, 1]);

/** A gradlab call: the declared signature, the callee, its PyTorch-positional arguments, and what to compare. */
interface Call {
  sig: string;
  run: (...args: unknown[]) => unknown;
  args: unknown[];
}
const module =
  <M extends { forward(...a: never[]): Tensor }>(make: (...a: unknown[]) => M, ...inputs: unknown[]) =>
  (...args: unknown[]) =>
    make(...args).forward(...(inputs as never[]));
const dtype64 = { dtype: "float64" as const };

const CALLS: Record<string, Call> = {
  "CrossEntropyLoss(weight)": { sig: "CrossEntropyLoss.__init__", run: module((...a) => new nn.CrossEntropyLoss(...(a as [])), X, T), args: [W] },
  "CrossEntropyLoss(weight, None, 0, None, 'sum', 0.1)": {
    sig: "CrossEntropyLoss.__init__",
    run: module((...a) => new nn.CrossEntropyLoss(...(a as [])), X, T),
    args: [W, null, 0, null, "sum", 0.1],
  },
  "F.cross_entropy(x, t, w, None, 2, None, 'mean', 0.2)": {
    sig: "cross_entropy",
    run: (...a) => F.cross_entropy(...(a as [Tensor, number[]])),
    args: [X, T, W, null, 2, null, "mean", 0.2],
  },
  "NLLLoss(weight, None, 0)": { sig: "NLLLoss.__init__", run: module((...a) => new nn.NLLLoss(...(a as [])), F.log_softmax(X, 1), T), args: [W, null, 0] },
  "F.nll_loss(x, t, w, None, -100, None, 'sum')": {
    sig: "nll_loss",
    run: (...a) => F.nll_loss(...(a as [Tensor, number[]])),
    args: [F.log_softmax(X, 1), T, W, null, -100, null, "sum"],
  },
  "MSELoss(None, None, 'sum')": { sig: "MSELoss.__init__", run: module((...a) => new nn.MSELoss(...(a as [])), X, Y), args: [null, null, "sum"] },
  "MSELoss(False) (legacy size_average)": { sig: "MSELoss.__init__", run: module((...a) => new nn.MSELoss(...(a as [])), X, Y), args: [false] },
  "MSELoss(None, False) (legacy reduce)": { sig: "MSELoss.__init__", run: module((...a) => new nn.MSELoss(...(a as [])), X, Y), args: [null, false] },
  "F.mse_loss(x, y, None, None, 'sum')": { sig: "mse_loss", run: (...a) => F.mse_loss(...(a as [Tensor, Tensor])), args: [X, Y, null, null, "sum"] },
  "L1Loss(None, None, 'sum')": { sig: "L1Loss.__init__", run: module((...a) => new nn.L1Loss(...(a as [])), X, Y), args: [null, null, "sum"] },
  "F.l1_loss(x, y, None, None, 'none')": { sig: "l1_loss", run: (...a) => F.l1_loss(...(a as [Tensor, Tensor])), args: [X, Y, null, null, "none"] },
  "SmoothL1Loss(None, None, 'mean', 0.5)": {
    sig: "SmoothL1Loss.__init__",
    run: module((...a) => new nn.SmoothL1Loss(...(a as [])), X, Y),
    args: [null, null, "mean", 0.5],
  },
  "F.smooth_l1_loss(x, y, None, None, 'sum', 2.0)": {
    sig: "smooth_l1_loss",
    run: (...a) => F.smooth_l1_loss(...(a as [Tensor, Tensor])),
    args: [X, Y, null, null, "sum", 2.0],
  },
  "HuberLoss('sum', 0.5)": { sig: "HuberLoss.__init__", run: module((...a) => new nn.HuberLoss(...(a as [])), X, Y), args: ["sum", 0.5] },
  "F.huber_loss(x, y, 'mean', 2.0)": { sig: "huber_loss", run: (...a) => F.huber_loss(...(a as [Tensor, Tensor])), args: [X, Y, "mean", 2.0] },
  "BCELoss(weight)": { sig: "BCELoss.__init__", run: module((...a) => new nn.BCELoss(...(a as [])), P, B), args: [W] },
  "F.binary_cross_entropy(p, b, w, None, None, 'sum')": {
    sig: "binary_cross_entropy",
    run: (...a) => F.binary_cross_entropy(...(a as [Tensor, Tensor])),
    args: [P, B, W, null, null, "sum"],
  },
  "BCEWithLogitsLoss(weight, None, None, 'mean', pos_weight)": {
    sig: "BCEWithLogitsLoss.__init__",
    run: module((...a) => new nn.BCEWithLogitsLoss(...(a as [])), X, B),
    args: [W, null, null, "mean", W.mul(2)],
  },
  "F.binary_cross_entropy_with_logits(x, b, None, None, None, 'sum', pos_weight)": {
    sig: "binary_cross_entropy_with_logits",
    run: (...a) => F.binary_cross_entropy_with_logits(...(a as [Tensor, Tensor])),
    args: [X, B, null, null, null, "sum", W],
  },
  "KLDivLoss(None, None, 'batchmean', True)": {
    sig: "KLDivLoss.__init__",
    run: module((...a) => new nn.KLDivLoss(...(a as [])), F.log_softmax(X, 1), F.log_softmax(Y, 1)),
    args: [null, null, "batchmean", true],
  },
  "F.kl_div(x, y, None, None, 'sum')": {
    sig: "kl_div",
    run: (...a) => F.kl_div(...(a as [Tensor, Tensor])),
    args: [F.log_softmax(X, 1), P, null, null, "sum"],
  },
  "LeakyReLU(0.2)": { sig: "LeakyReLU.__init__", run: module((...a) => new nn.LeakyReLU(...(a as [])), X), args: [0.2] },
  "F.leaky_relu(x, 0.2)": { sig: "leaky_relu", run: (...a) => F.leaky_relu(...(a as [Tensor])), args: [X, 0.2] },
  "Softplus(2.0, 1.0)": { sig: "Softplus.__init__", run: module((...a) => new nn.Softplus(...(a as [])), X), args: [2.0, 1.0] },
  "F.softplus(x, 2.0, 1.0)": { sig: "softplus", run: (...a) => F.softplus(...(a as [Tensor])), args: [X, 2.0, 1.0] },
  "GELU('tanh')": { sig: "GELU.__init__", run: module((...a) => new nn.GELU(...(a as [])), X), args: ["tanh"] },
  "F.gelu(x, approximate='tanh')": { sig: "gelu", run: (...a) => F.gelu(...(a as [Tensor])), args: [X, "tanh"] },
  "Softmax(0)": { sig: "Softmax.__init__", run: module((...a) => new nn.Softmax(...(a as [])), X), args: [0] },
  "F.softmax(x, 1)": { sig: "softmax", run: (...a) => F.softmax(...(a as [Tensor])), args: [X, 1] },
  "LogSoftmax(0)": { sig: "LogSoftmax.__init__", run: module((...a) => new nn.LogSoftmax(...(a as [])), X), args: [0] },
  "F.log_softmax(x, 0)": { sig: "log_softmax", run: (...a) => F.log_softmax(...(a as [Tensor])), args: [X, 0] },
  "Flatten(0, -1)": { sig: "Flatten.__init__", run: (...a) => new nn.Flatten(...(a as [])).forward(X3).shape, args: [0, -1] },
  "Dropout(0.0)": { sig: "Dropout.__init__", run: module((...a) => new nn.Dropout(...(a as [])), X), args: [0.0] },
  "F.dropout(x, 0.5, False)": { sig: "dropout", run: (...a) => F.dropout(...(a as [Tensor])), args: [X, 0.5, false] },
  "LayerNorm(3, 1e-3)": {
    sig: "LayerNorm.__init__",
    run: module((...a) => new nn.LayerNorm(...(a as [number])), X),
    args: [3, 1e-3, true, true, null, "float64"],
  },
  "F.layer_norm(x, [3], w, None, 1e-3)": { sig: "layer_norm", run: (...a) => F.layer_norm(...(a as [Tensor, number[]])), args: [X, [3], W, null, 1e-3] },
  "BatchNorm1d(3, 1e-3, 0.5)": {
    sig: "BatchNorm1d.__init__",
    run: (...a) => {
      const bn = new nn.BatchNorm1d(...(a as [number]));
      const out = bn.forward(X);
      return { value: out, running_mean: bn.running_mean!, running_var: bn.running_var! };
    },
    args: [3, 1e-3, 0.5, true, true, null, "float64"],
  },
  "Linear(3, 2, False)": { sig: "Linear.__init__", run: (...a) => new nn.Linear(...(a as [number, number])).toString(), args: [3, 2, false] },
  "Embedding(5, 2, 0)": {
    sig: "Embedding.__init__",
    run: (...a) => (new nn.Embedding(...(a as [number, number])).weight.tolist() as number[][])[0],
    args: [5, 2, 0],
  },
  "clip_grad_norm_(ps, 1.0, 1.0)": {
    sig: "clip_grad_norm_",
    run: (...a) => {
      const total = nn.utils.clip_grad_norm_(...(a as [Tensor[], number]));
      return { value: total, grad: paramsOf(a)[0]!.grad! };
    },
    args: [[withGrad()], 1.0, 1.0],
  },
  "clip_grad_value_(ps, 3.5)": {
    sig: "clip_grad_value_",
    run: (...a) => {
      nn.utils.clip_grad_value_(...(a as [Tensor[], number]));
      return paramsOf(a)[0]!.grad!;
    },
    args: [[withGrad()], 3.5],
  },
  "init.calculate_gain('leaky_relu', 0.2)": {
    sig: "calculate_gain",
    run: (...a) => nn.init.calculate_gain(...(a as ["leaky_relu"])),
    args: ["leaky_relu", 0.2],
  },
  "init.constant_(t, 0.3)": { sig: "constant_", run: (...a) => nn.init.constant_(...(a as [Tensor, number])), args: [zeros([2, 3], dtype64), 0.3] },
};

/** The parameters a clip call was given, positionally or by name. */
const paramsOf = (args: unknown[]): Tensor[] => (Array.isArray(args[0]) ? args[0] : (args[0] as { parameters: Tensor[] }).parameters);

function withGrad(): Tensor {
  const w = zeros(3, { dtype: "float64", requires_grad: true });
  w.grad = f64([3.0, -4.0, 12.0]);
  return w;
}

/**
 * The same call positionally, half by name, and all by name (Python's keyword arguments);
 * a keyword-only parameter (gelu's approximate) is given by name in every form.
 */
function forms(call: Call): { form: string; args: unknown[] }[] {
  const parameters = declared.get(call.sig)!.parameters;
  const names = parameters.map((p) => p.name);
  const positional = parameters.filter((p) => !p.keywordOnly).length;
  const fresh = (): unknown[] => (call.sig.startsWith("clip_grad") ? [[withGrad()], ...call.args.slice(1)] : call.args);
  const named = (args: unknown[], from: number): Record<string, unknown> => Object.fromEntries(args.slice(from).map((a, i) => [names[from + i]!, a]));
  const upTo = (args: unknown[], n: number): unknown[] => (args.length > n ? [...args.slice(0, n), named(args, n)] : args);
  const half = Math.min(Math.ceil(call.args.length / 2), positional);
  return [
    { form: "positional", args: upTo(fresh(), positional) },
    { form: "mixed", args: [...fresh().slice(0, half), named(fresh(), half)] },
    { form: "by name", args: [named(fresh(), 0)] },
  ];
}

/** Plain numbers from a gradlab value, for comparison with the fixture. */
function plain(v: unknown): unknown {
  if (v !== null && typeof v === "object" && "tolist" in v) return (v as Tensor).tolist();
  if (v !== null && typeof v === "object" && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/**
 * A gradlab value against the fixture's: numbers and arrays by `testing.assert_close`
 * (5e-13 + 5e-13·|want| never exceeds the 1e-12·max(1, |want|) allowed before), anything
 * else exactly.
 */
function expectMatches(got: unknown, want: unknown): void {
  if (typeof want === "number" || Array.isArray(want)) {
    testing.assert_close(got as NestedArray, want as NestedArray, { rtol: 5e-13, atol: 5e-13 });
  } else {
    expect(got).toEqual(want);
  }
}

describe.each(Object.entries(CALLS))("%s called as in PyTorch", (name, call) => {
  const expected = byName.get(name)!;
  it.each(forms(call))("matches PyTorch when called $form", ({ args }) => {
    const got = plain(call.run(...args));
    if (name === "Linear(3, 2, False)") {
      expect(got).toBe(expected.value);
      return;
    }
    if (got !== null && typeof got === "object" && !Array.isArray(got)) {
      const { value, ...extra } = got as Record<string, unknown>;
      expectMatches(value, expected.value);
      for (const [k, v] of Object.entries(extra)) expectMatches(v, expected[k]);
    } else {
      expectMatches(got, expected.value);
    }
  });

  const params = declared.get(call.sig)!.parameters;
  const positional = params.filter((p) => !p.keywordOnly).length;
  const args = call.args.slice(0, positional);
  const last = params[args.length - 1]!.name;
  it("throws PyTorch's TypeErrors for a misspelt name, too many arguments and a value given twice", () => {
    const owner = call.sig;
    expect(() => call.run(...args, { [`${last}x`]: 1 })).toThrow(`${owner}() got an unexpected keyword argument '${last}x'`);
    expect(() => call.run(...args, ...new Array(positional - args.length + 1).fill(null))).toThrow("positional argument");
    expect(() => call.run(...args, { [last]: args[args.length - 1] })).toThrow(`${owner}() got multiple values for argument '${last}'`);
  });
});

describe("nn calls refuse wrong kinds by name", () => {
  it.each([
    { call: () => new nn.Linear(3, "2" as never), message: `Linear.__init__(): argument 'out_features' must be an integer, but got string "2"` },
    { call: () => new nn.Linear(3, 2, { bias: 0 as never }), message: "Linear.__init__(): argument 'bias' must be a boolean, but got number 0" },
    // torch 1.13 and current PyTorch: approximate is keyword-only
    { call: () => F.gelu(X, "tanh" as never), message: "gelu() takes 1 positional argument but 2 were given" },
    {
      call: () => new nn.CrossEntropyLoss([1, 2] as never),
      message: "CrossEntropyLoss.__init__(): argument 'weight' must be a Tensor or null, but got array [1,2]",
    },
    { call: () => new nn.Dropout(NaN), message: "Dropout.__init__(): argument 'p' must be a number, but got NaN" },
    { call: () => F.softmax(X, 1.5), message: "softmax(): argument 'dim' must be an integer or null, but got number 1.5" },
    {
      call: () => nn.utils.clip_grad_norm_([withGrad()], "1" as never),
      message: `clip_grad_norm_(): argument 'max_norm' must be a number, but got string "1"`,
    },
    {
      call: () => new nn.MSELoss({ reduction: "mean", reductoin: "sum" } as never),
      message: "MSELoss.__init__() got an unexpected keyword argument 'reductoin'. Did you mean 'reduction'?",
    },
  ])("$message", ({ call, message }) => {
    expect(call).toThrow(TypeError);
    expect(call).toThrow(message);
  });
});

describe("a float target of class indices", () => {
  it("keeps PyTorch's message and says how to call", () => {
    expect(() => F.cross_entropy(X, f64([2, 0]))).toThrow(
      "expected scalar type Long but found Double: class-index targets are int64 or a number[]; a floating target holds class probabilities and must have the input's shape [2, 3]",
    );
  });
});
