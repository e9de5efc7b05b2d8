import { describe, expect, it } from "vitest";
import * as gl from "gradlab";
import { type DType, type Tensor, tensor, testing } from "gradlab";
import * as activation from "../../src/calls/activation.ts";
import * as arithmetic from "../../src/calls/arithmetic.ts";
import * as copy from "../../src/calls/copy.ts";
import * as cumsum from "../../src/calls/cumsum.ts";
import * as indexing from "../../src/calls/indexing.ts";
import * as isclose from "../../src/calls/isclose.ts";
import * as join from "../../src/calls/join.ts";
import * as pointwise from "../../src/calls/pointwise.ts";
import * as products from "../../src/calls/products.ts";
import * as reduce from "../../src/calls/reduce.ts";
import * as selection from "../../src/calls/selection.ts";
import * as shape from "../../src/calls/shape.ts";
import * as softmax from "../../src/calls/softmax.ts";
import { type Parameter, type Signature, declared } from "../../src/utils/signature.ts";
import { fixture } from "../helpers.ts";
import { type Form, callForms, listForms } from "./forms.ts";

// expected values: tools/fixtures/tensor_calls.py (torch 1.13), each method and torch function
// called with every argument by name; every form derived here from gradlab's declared
// signature (positional, mixed, by name, varargs) must give torch's result.
type Binding = Record<string, unknown>;
interface TensorResult {
  shape: number[];
  dtype: DType;
  values: number[];
}
interface Case {
  name: string;
  shape: number[];
  dtype: DType;
  binding: Binding;
  expected: TensorResult | { bool: boolean } | { values: TensorResult; indices: TensorResult };
}
interface Join {
  name: "cat" | "stack";
  binding: { tensors: Binding[]; dim?: number };
  expected: TensorResult;
}
interface JoinError {
  python: string;
  error: string;
  message: string;
}
const F = fixture<{
  methods: Case[];
  functions: Case[];
  joins: Join[];
  join_errors: JoinError[];
  to_identity: { python: string; label: string; same: boolean }[];
}>("calls/tensor_calls");

type Declared = Signature<readonly Parameter[]>;
/** Each method's declaration (by the call's names where there are two), and its list parameter if it takes varargs. */
const METHODS: Record<string, { sig: Declared | ((binding: Binding) => Declared); list?: string }> = {
  view: { sig: shape.viewSignature, list: "size" },
  reshape: { sig: shape.reshapeMethodSignature, list: "shape" },
  expand: { sig: shape.expandSignature, list: "size" },
  permute: { sig: shape.permuteMethodSignature, list: "dims" },
  repeat: { sig: shape.repeatSignature, list: "repeats" },
  sum: { sig: reduce.sumMethodSignature },
  mean: { sig: reduce.meanMethodSignature },
  softmax: { sig: softmax.softmaxMethodSignature },
  log_softmax: { sig: softmax.logSoftmaxMethodSignature },
  transpose: { sig: shape.transposeMethodSignature },
  flatten: { sig: shape.flattenMethodSignature },
  squeeze: { sig: shape.squeezeMethodSignature },
  unsqueeze: { sig: shape.unsqueezeMethodSignature },
  add: { sig: arithmetic.addMethodSignature },
  sub: { sig: arithmetic.subMethodSignature },
  mul: { sig: arithmetic.mulMethodSignature },
  div: { sig: arithmetic.divMethodSignature },
  add_: { sig: arithmetic.addInPlaceSignature },
  sub_: { sig: arithmetic.subInPlaceSignature },
  mul_: { sig: arithmetic.mulInPlaceSignature },
  div_: { sig: arithmetic.divInPlaceSignature },
  isclose: { sig: isclose.iscloseMethodSignature },
  allclose: { sig: isclose.allcloseMethodSignature },
  max: { sig: (b) => ("other" in b ? selection.maxOtherSignature : selection.maxMethodSignature) },
  min: { sig: (b) => ("other" in b ? selection.minOtherSignature : selection.minMethodSignature) },
  amax: { sig: selection.amaxMethodSignature },
  amin: { sig: selection.aminMethodSignature },
  argmax: { sig: selection.argmaxMethodSignature },
  argmin: { sig: selection.argminMethodSignature },
  var: { sig: reduce.varMethodSignature },
  std: { sig: reduce.stdMethodSignature },
  logsumexp: { sig: reduce.logsumexpMethodSignature },
  norm: { sig: reduce.normMethodSignature },
  clamp: { sig: pointwise.clampMethodSignature },
  clamp_: { sig: pointwise.clampInPlaceSignature },
  pow: { sig: pointwise.powMethodSignature },
  ...Object.fromEntries(Object.entries(pointwise.binaryOps).map(([name, calls]) => [name, { sig: calls.methodSignature }])),
  where: { sig: pointwise.whereMethodSignature },
  lerp: { sig: pointwise.lerpMethodSignature },
  lerp_: { sig: pointwise.lerpInPlaceSignature },
  addcmul: { sig: pointwise.addcmulMethodSignature },
  addcdiv: { sig: pointwise.addcdivMethodSignature },
  addcmul_: { sig: pointwise.addcmulInPlaceSignature },
  addcdiv_: { sig: pointwise.addcdivInPlaceSignature },
  fill_: { sig: pointwise.fillInPlaceSignature },
  narrow: { sig: indexing.narrowMethodSignature },
  index_select: { sig: indexing.indexSelectMethodSignature },
  gather: { sig: indexing.gatherMethodSignature },
  clamp_min: { sig: pointwise.clampMinSignature },
  clamp_max: { sig: pointwise.clampMaxSignature },
  to: { sig: (b) => ("tensor" in b ? copy.toTensorSignature : "device" in b ? copy.toDeviceSignature : copy.toSignature) },
  copy_: { sig: copy.copyInPlaceSignature },
  matmul: { sig: products.matmulMethodSignature },
  mm: { sig: products.mmMethodSignature },
  leaky_relu: { sig: activation.leakyReluMethodSignature },
  leaky_relu_: { sig: activation.leakyReluInPlaceSignature },
  gelu: { sig: activation.geluMethodSignature },
  softplus: { sig: activation.softplusMethodSignature },
  cumsum: { sig: cumsum.cumsumMethodSignature },
};
const FUNCTIONS: Record<string, Declared | ((binding: Binding) => Declared)> = {
  add: arithmetic.addSignature,
  sub: arithmetic.subSignature,
  mul: arithmetic.mulSignature,
  div: arithmetic.divSignature,
  sum: reduce.sumSignature,
  mean: reduce.meanSignature,
  reshape: shape.reshapeSignature,
  permute: shape.permuteSignature,
  transpose: shape.transposeSignature,
  flatten: shape.flattenSignature,
  squeeze: shape.squeezeSignature,
  unsqueeze: shape.unsqueezeSignature,
  softmax: softmax.softmaxSignature,
  log_softmax: softmax.logSoftmaxSignature,
  isclose: isclose.iscloseSignature,
  allclose: isclose.allcloseSignature,
  max: (b) => ("other" in b ? selection.maxOtherFunctionSignature : selection.maxSignature),
  min: (b) => ("other" in b ? selection.minOtherFunctionSignature : selection.minSignature),
  amax: selection.amaxSignature,
  amin: selection.aminSignature,
  argmax: selection.argmaxSignature,
  argmin: selection.argminSignature,
  var: reduce.varSignature,
  std: reduce.stdSignature,
  logsumexp: reduce.logsumexpSignature,
  norm: reduce.normSignature,
  clamp: pointwise.clampSignature,
  pow: pointwise.powSignature,
  ...Object.fromEntries(Object.entries(pointwise.binaryOps).map(([name, calls]) => [name, calls.functionSignature])),
  lerp: pointwise.lerpSignature,
  addcmul: pointwise.addcmulSignature,
  addcdiv: pointwise.addcdivSignature,
  narrow: indexing.narrowSignature,
  index_select: indexing.indexSelectSignature,
  gather: indexing.gatherSignature,
  clamp_min: pointwise.clampMinFunctionSignature,
  clamp_max: pointwise.clampMaxFunctionSignature,
  cumsum: cumsum.cumsumSignature,
  ...Object.fromEntries(["exp", "sign", "relu", "isnan", "t", "matmul", "mm", "square"].map((name) => [name, declared.get(`torch.${name}`)!])),
};
const declaration = (d: Declared | ((binding: Binding) => Declared), binding: Binding): Declared => (typeof d === "function" ? d(binding) : d);

type Loose = (...args: unknown[]) => unknown;
const method = (x: Tensor, name: string): Loose => ((x as unknown as Record<string, Loose>)[name] as Loose).bind(x);
const torchFunction = (name: string): Loose => (gl as unknown as Record<string, Loose>)[name] as Loose;

/** x as the fixture builds it: (i − ⌊n/2⌋)/4 for i = 0 … n−1, in `shape` and `dtype`. */
function inputOf(c: Case): Tensor {
  const n = c.shape.reduce((a, b) => a * b, 1);
  return tensor(
    Array.from({ length: n }, (_, i) => (i - Math.floor(n / 2)) / 4),
    { dtype: "float64" },
  )
    .reshape(c.shape)
    .to(c.dtype);
}

/** The binding with the fixture's tensors made tensors (dtype names are gradlab's already). */
const decoded = (binding: Binding): Binding =>
  Object.fromEntries(
    Object.entries(binding).map(([k, v]) => {
      const spec = v as { tensor?: number[]; dtype?: DType } | null;
      if (spec === null || typeof spec !== "object" || !("tensor" in spec)) return [k, v];
      // gradlab has no bool dtype: a mask is int64 0s and 1s
      return [k, tensor(spec.tensor!.flat(2).map(Number), { dtype: (spec.dtype as string) === "bool" ? "int64" : spec.dtype! }).reshape(shapeOf(spec.tensor!))];
    }),
  );

/** The shape of nested arrays. */
const shapeOf = (v: unknown): number[] => (Array.isArray(v) ? [v.length, ...shapeOf(v[0])] : []);

const tensorOf = (r: TensorResult): Tensor => tensor(r.values, { dtype: r.dtype }).reshape(r.shape);

function expectTorchResult(result: unknown, expected: Case["expected"]): void {
  if ("bool" in expected) {
    expect(result).toBe(expected.bool);
  } else if ("indices" in expected) {
    const r = result as { values: Tensor; indices: Tensor };
    testing.assert_close(r.values, tensorOf(expected.values));
    testing.assert_close(r.indices, tensorOf(expected.indices));
  } else {
    testing.assert_close(result as Tensor, tensorOf(expected));
  }
}

const title = (c: Case): string => `${c.name}(${JSON.stringify(c.binding).replace(/\{"tensor":[^}]*\}/g, "t")}) of ${c.dtype} [${c.shape}]`;

describe("tensor methods called as in PyTorch: every form gives torch's result", () => {
  for (const c of F.methods) {
    const declared = METHODS[c.name]!;
    const binding = decoded(c.binding);
    const forms: Form[] = declared.list === undefined ? callForms(declaration(declared.sig, binding), binding) : listForms(declared.list, binding);
    describe(title(c), () => {
      it.each(forms)("x.$label", (form) => {
        const x = inputOf(c);
        const result = method(x, c.name)(...form.args);
        expectTorchResult(result, c.expected);
        // An in-place method returns the tensor it changed.
        if (c.name.endsWith("_")) expect(result).toBe(x);
      });
    });
  }
});

describe("torch functions called as in PyTorch: every form gives torch's result", () => {
  for (const c of F.functions) {
    describe(title(c), () => {
      const x = inputOf(c);
      const binding = { input: x, ...decoded(c.binding) };
      it.each(callForms(declaration(FUNCTIONS[c.name]!, binding), binding))("$label", (form) => {
        expectTorchResult(torchFunction(c.name)(...form.args), c.expected);
      });
    });
  }
});

describe("Tensor.to returns the tensor itself exactly where PyTorch does", () => {
  const CALLS: Record<string, (x: Tensor, y: Tensor) => Tensor> = {
    'x.to("float32")': (x) => x.to("float32"),
    'x.to("float32", { copy: true })': (x) => x.to("float32", { copy: true }),
    'x.to("float64")': (x) => x.to("float64"),
    "x.to(x)": (x) => x.to(x),
    "x.to(x, false, true)": (x) => x.to(x, false, true),
    'x.to("cpu")': (x) => x.to("cpu"),
    'x.to("cpu", { copy: true })': (x) => x.to("cpu", { copy: true }),
    "x.to()": (x) => x.to(),
    "x.to(null, null)": (x) => x.to(null, null),
    "x.to({ copy: true })": (x) => x.to({ copy: true }),
    "x.to({ non_blocking: true })": (x) => x.to({ non_blocking: true }),
    "x.to({ device: null })": (x) => x.to({ device: null }),
  };
  it("has a call for each case of the fixture", () => {
    expect(Object.keys(CALLS).sort()).toEqual(F.to_identity.map((c) => c.label).sort());
  });
  it.each(F.to_identity)("$label (torch: $python is x: $same)", (c) => {
    const x = tensor([1, 2], { dtype: "float32" });
    const y = tensor([1, 2], { dtype: "float64" });
    const out = CALLS[c.label]!(x, y);
    expect(out === x).toBe(c.same);
    expect(out.tolist()).toEqual([1, 2]);
  });
  it("refuses devices gradlab has not", () => {
    expect(() => (tensor([1]) as unknown as { to: (d: string) => Tensor }).to("cuda")).toThrow(
      'to(): gradlab computes on the CPU only ("cpu"), but got device "cuda"',
    );
  });
});

describe("torch.cat and torch.stack called as in PyTorch: every form gives torch's result", () => {
  const JOINS = { cat: join.catSignature, stack: join.stackSignature };
  for (const c of F.joins) {
    describe(`${c.name}(${JSON.stringify({ ...c.binding, tensors: c.binding.tensors.map(() => "t") })})`, () => {
      const binding = { ...c.binding, tensors: c.binding.tensors.map((t) => decoded({ t }).t) };
      it.each(callForms(JOINS[c.name], binding))("$label", (form) => {
        expectTorchResult(torchFunction(c.name)(...form.args), c.expected);
      });
    });
  }
});

describe("torch.cat and torch.stack refuse lists as PyTorch does, with its messages", () => {
  const x = gl.ones(2, 3);
  const y = gl.ones(2, 3);
  const CALLS: Record<string, () => unknown> = {
    "torch.cat([])": () => gl.cat([]),
    "torch.stack([])": () => gl.stack([]),
    "torch.cat([x, torch.ones(3, 3)], 1)": () => gl.cat([x, gl.ones(3, 3)], 1),
    "torch.cat([x, torch.ones(2)])": () => gl.cat([x, gl.ones(2)]),
    "torch.cat([torch.tensor(1.0)])": () => gl.cat([tensor(1)]),
    "torch.cat([x, y], 2)": () => gl.cat([x, y], 2),
    "torch.cat([x, y], -3)": () => gl.cat([x, y], -3),
    "torch.stack([x, torch.ones(3, 2)])": () => gl.stack([x, gl.ones(3, 2)]),
    "torch.stack([x, y], 3)": () => gl.stack([x, y], 3),
    "torch.stack([x, y], -4)": () => gl.stack([x, y], -4),
  };
  it("has a call for each case of the fixture", () => {
    expect(Object.keys(CALLS).sort()).toEqual(F.join_errors.map((c) => c.python).sort());
  });
  it.each(F.join_errors)("$python: $message", (c) => {
    expect(CALLS[c.python]!).toThrow(c.message);
  });
});

describe("the fixture covers every declared method and function", () => {
  it("has a case for each", () => {
    expect([...new Set(F.methods.map((c) => c.name))].sort()).toEqual(Object.keys(METHODS).sort());
    expect([...new Set(F.functions.map((c) => c.name))].sort()).toEqual(Object.keys(FUNCTIONS).sort());
  });
});

describe("a method and a torch function of one name have their own declarations", () => {
  it.each(["sum", "mean", "softmax", "max", "clamp", "div", "norm", "reshape"])("Tensor.%s and torch.%s", (name) => {
    const method = declared.get(`Tensor.${name}`)!;
    const fn = declared.get(`torch.${name}`)!;
    expect(fn.parameters[0]!.name).toBe("input");
    expect(fn.parameters.slice(1).map((p) => p.name)).toEqual(method.parameters.map((p) => p.name));
    // Both spell the callee as Python's messages do.
    expect([method.name, fn.name]).toEqual([name, name]);
  });

  it("keeps an overload apart: Tensor.max(dim) and Tensor.max(other)", () => {
    expect(declared.get("Tensor.max")!.parameters[0]!.name).toBe("dim");
    expect(declared.get("Tensor.max(other)")!.parameters.map((p) => p.name)).toEqual(["other"]);
  });
});
