/**
 * The completed Tensor: the class of `tensor/tensor.ts` with every op attached as a method,
 * once, from the one table below (`t.add(b)` calls `add(t, b)`). The method types are
 * derived from the op functions by {@link TensorMethods}, so a method can never disagree
 * with the function it calls. Everything above `ops/` that calls tensor methods imports
 * `Tensor` from here (the check in `tools/check_imports.ts` enforces it); the layers below
 * call op functions.
 *
 * To add a method, add its op function (taking the tensor first) to `methods`; when the
 * method's arguments differ from the function's, add an adapter with the method's
 * signature. Overloaded functions keep their overloads (up to four).
 */
import { backward } from "./autograd/grad.ts";
import { gelu, leaky_relu, leaky_relu_, relu, relu_, sigmoid, silu, softplus, tanh } from "./ops/activation.ts";
import { neg } from "./ops/arithmetic.ts";
import { addInPlaceMethod, addMethod, divInPlaceMethod, divMethod, mulInPlaceMethod, mulMethod, subInPlaceMethod, subMethod } from "./calls/arithmetic.ts";
import { allcloseMethod, iscloseMethod } from "./calls/isclose.ts";
import { meanMethod, sumMethod } from "./calls/reduce.ts";
import {
  expandMethod,
  flattenMethod,
  permuteMethod,
  repeatMethod,
  reshapeMethod,
  squeezeMethod,
  transposeMethod,
  unsqueezeMethod,
  viewMethod,
} from "./calls/shape.ts";
import { logSoftmaxMethod, softmaxMethod } from "./calls/softmax.ts";
import { clamp, clampNamed, clamp_ } from "./ops/clamp.ts";
import { eq, ge, gt, isfinite, isinf, isnan, le, lt, maximum, minimum, ne, where } from "./ops/compare.ts";
import { clone, contiguous, to } from "./ops/copy.ts";
import { to_dense } from "./ops/sparse.ts";
import { copy_, addcdiv, addcdiv_, addcmul, addcmul_, fill_, lerp, lerp_, sqrt_, zero_ } from "./ops/pointwise.ts";
import { gather, index_select } from "./ops/indexing.ts";
import { matmul, mm } from "./ops/matmul.ts";
import { type AmaxOptions, type ArgOptions, amax, amin, argmax, argmin, dimOptions, max, min } from "./ops/minmax.ts";
import { type NormOptions, norm } from "./ops/norm.ts";
import type { Operand } from "./ops/operands.ts";
import { pow } from "./ops/pow.ts";
import { normal_, uniform_ } from "./ops/random_fill.ts";
import { reduceOptions } from "./ops/sum.ts";
import { type VarOptions, logsumexp, std, var_ } from "./ops/reduce.ts";
import { narrow, t } from "./ops/shape.ts";
import { abs, exp, log, log1p, rsqrt, sign, sqrt } from "./ops/unary.ts";
import { tensorRepr } from "./tensor/print.ts";
import { Tensor } from "./tensor/tensor.ts";

export { Tensor };

type DimArg<O> = number | readonly number[] | O | null;
const dimList = (arg: number | readonly number[] | AmaxOptions | undefined): AmaxOptions =>
  typeof arg === "number" || Array.isArray(arg) ? { dim: arg as number | number[] } : ((arg as AmaxOptions | undefined) ?? {});

/** Every method's op function, taking the tensor first. */
const methods = {
  // arithmetic (calls/arithmetic.ts parses PyTorch's forms, then calls ops/arithmetic.ts)
  add: addMethod,
  sub: subMethod,
  mul: mulMethod,
  div: divMethod,
  add_: addInPlaceMethod,
  sub_: subInPlaceMethod,
  mul_: mulInPlaceMethod,
  div_: divInPlaceMethod,
  // unary.ts
  exp,
  log,
  log1p,
  sqrt,
  rsqrt,
  abs,
  sign,
  neg,
  // activation.ts
  relu,
  relu_,
  leaky_relu,
  leaky_relu_,
  sigmoid,
  tanh,
  gelu,
  silu,
  softplus,
  // pow.ts, clamp.ts, pointwise.ts
  pow,
  clamp,
  clamp_,
  clamp_min: (self: Tensor, min: number | Tensor): Tensor => clampNamed(self, { min }, "ClampMin"),
  clamp_max: (self: Tensor, max: number | Tensor): Tensor => clampNamed(self, { max }, "ClampMax"),
  addcmul,
  addcdiv,
  lerp,
  addcmul_,
  addcdiv_,
  lerp_,
  sqrt_,
  zero_,
  fill_,
  // compare.ts (the method's tensor is where()'s `input`)
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  maximum,
  minimum,
  where: (self: Tensor, condition: Tensor, other: Operand): Tensor => where(condition, self, other),
  isnan,
  isinf,
  isfinite,
  isclose: iscloseMethod,
  allclose: allcloseMethod,
  // copy.ts
  clone,
  contiguous,
  to_dense,
  to,
  double: (self: Tensor): Tensor => to(self, "float64"),
  float: (self: Tensor): Tensor => to(self, "float32"),
  copy_,
  // reduce.ts, norm.ts, minmax.ts: methods also take a dim (or list of dims) in place of options
  sum: sumMethod,
  mean: meanMethod,
  var: (self: Tensor, dim?: DimArg<VarOptions>): Tensor => var_(self, reduceOptions<VarOptions>(dim)),
  std: (self: Tensor, dim?: DimArg<VarOptions>): Tensor => std(self, reduceOptions<VarOptions>(dim)),
  logsumexp,
  norm: (self: Tensor, p?: NormOptions | number | "fro"): Tensor =>
    norm(self, typeof p === "number" || typeof p === "string" ? { p } : reduceOptions<NormOptions>(p ?? {})),
  max,
  min,
  amax: (self: Tensor, dim?: number | readonly number[] | AmaxOptions): Tensor => amax(self, dimList(dim)),
  amin: (self: Tensor, dim?: number | readonly number[] | AmaxOptions): Tensor => amin(self, dimList(dim)),
  argmax: (self: Tensor, dim?: number | ArgOptions): Tensor => argmax(self, dimOptions<ArgOptions>(dim)),
  argmin: (self: Tensor, dim?: number | ArgOptions): Tensor => argmin(self, dimOptions<ArgOptions>(dim)),
  // reshape.ts, shape.ts, indexing.ts
  view: viewMethod,
  reshape: reshapeMethod,
  expand: expandMethod,
  repeat: repeatMethod,
  transpose: transposeMethod,
  t,
  permute: permuteMethod,
  squeeze: squeezeMethod,
  unsqueeze: unsqueezeMethod,
  flatten: flattenMethod,
  narrow,
  index_select,
  gather,
  // matmul.ts, softmax.ts
  matmul,
  mm,
  softmax: softmaxMethod,
  log_softmax: logSoftmaxMethod,
  // random_fill.ts
  uniform_,
  normal_,
  // autograd/grad.ts, tensor/print.ts
  backward,
  toString: tensorRepr,
};

/** The op function `F` as a method: the same parameters and result without the tensor. */
type Method<F> = F extends {
  (self: Tensor, ...args: infer A1): infer R1;
  (self: Tensor, ...args: infer A2): infer R2;
  (self: Tensor, ...args: infer A3): infer R3;
  (self: Tensor, ...args: infer A4): infer R4;
}
  ? ((...args: A1) => R1) & ((...args: A2) => R2) & ((...args: A3) => R3) & ((...args: A4) => R4)
  : never;

/** An in-place op as a method: it returns the tensor it was called on, with that tensor's type. */
type InPlaceMethod<F> = F extends (self: Tensor, ...args: infer A) => Tensor ? <T extends Tensor>(this: T, ...args: A) => T : never;

/** The type of every method in the table, derived from its op function. */
type MethodTypes = {
  [K in keyof typeof methods]: K extends `${string}_` ? InPlaceMethod<(typeof methods)[K]> : Method<(typeof methods)[K]>;
};

/**
 * Every method of a Tensor that comes from an op function (an interface, so that the API
 * reference shows Tensor's hierarchy).
 */
export interface TensorMethods extends MethodTypes {}

declare module "./tensor/tensor.ts" {
  interface Tensor extends TensorMethods {}
}

// Each method gets its own function (not one shared closure), so that V8 keeps a separate,
// monomorphic call site per method and can inline the op into it, as with hand-written methods.
const makeMethod = (name: string, op: unknown): unknown => new Function("op", `return function ${name}Method(...args) { return op(this, ...args); };`)(op);
for (const [name, op] of Object.entries(methods)) {
  Object.defineProperty(Tensor.prototype, name, { value: makeMethod(name, op), writable: true, configurable: true });
}
// console.log and the Node REPL show the same repr as toString().
Object.defineProperty(Tensor.prototype, Symbol.for("nodejs.util.inspect.custom"), {
  value(this: Tensor) {
    return tensorRepr(this);
  },
});
