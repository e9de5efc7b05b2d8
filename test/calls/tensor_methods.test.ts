import { describe, expect, it } from "vitest";
import * as gl from "gradlab";
import { type DType, type Tensor, tensor, testing } from "gradlab";
import * as arithmetic from "../../src/calls/arithmetic.ts";
import * as isclose from "../../src/calls/isclose.ts";
import * as reduce from "../../src/calls/reduce.ts";
import * as shape from "../../src/calls/shape.ts";
import * as softmax from "../../src/calls/softmax.ts";
import type { Parameter, Signature } from "../../src/utils/signature.ts";
import { fixture } from "../helpers.ts";
import { type Form, callForms, listForms } from "./forms.ts";

// expected values: tools/fixtures/tensor_calls.py (torch 1.13), each method and torch function
// called with every argument by name; every form derived here from gradlab's declared
// signature (positional, mixed, by name, varargs) must give torch's result.
type Binding = Record<string, unknown>;
interface Case {
  name: string;
  shape: number[];
  dtype: DType;
  binding: Binding;
  expected: { shape: number[]; dtype: DType; values: number[] } | { bool: boolean };
}
const F = fixture<{ methods: Case[]; functions: Case[] }>("calls/tensor_calls");

type Declared = Signature<readonly Parameter[]>;
/** Each method's declaration, and the name of its list parameter when it takes varargs. */
const METHODS: Record<string, { sig: Declared; list?: string }> = {
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
};
const FUNCTIONS: Record<string, Declared> = {
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
};

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
      return [k, spec !== null && typeof spec === "object" && "tensor" in spec ? tensor(spec.tensor!, { dtype: spec.dtype! }) : v];
    }),
  );

function expectTorchResult(result: unknown, expected: Case["expected"]): void {
  if ("bool" in expected) {
    expect(result).toBe(expected.bool);
    return;
  }
  const r = result as Tensor;
  testing.assert_close(r, tensor(expected.values, { dtype: expected.dtype }).reshape(expected.shape));
}

const title = (c: Case): string => `${c.name}(${JSON.stringify(c.binding).replace(/\{"tensor":[^}]*\}/g, "t")}) of ${c.dtype} [${c.shape}]`;

describe("tensor methods called as in PyTorch: every form gives torch's result", () => {
  for (const c of F.methods) {
    const declared = METHODS[c.name]!;
    const binding = decoded(c.binding);
    const forms: Form[] = declared.list === undefined ? callForms(declared.sig, binding) : listForms(declared.list, binding);
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
      it.each(callForms(FUNCTIONS[c.name]!, { input: x, ...decoded(c.binding) }))("$label", (form) => {
        expectTorchResult(torchFunction(c.name)(...form.args), c.expected);
      });
    });
  }
});

describe("the fixture covers every declared method and function", () => {
  it("has a case for each", () => {
    expect([...new Set(F.methods.map((c) => c.name))].sort()).toEqual(Object.keys(METHODS).sort());
    expect([...new Set(F.functions.map((c) => c.name))].sort()).toEqual(Object.keys(FUNCTIONS).sort());
  });
});
