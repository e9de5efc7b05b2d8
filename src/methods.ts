/**
 * The completed Tensor: the class of `tensor/tensor.ts` with every op attached as a method,
 * once, from the one table below (`t.add(b)` calls `add(t, b)`). The method types are
 * derived from the op functions by {@link TensorMethods}, so a method can never disagree
 * with the function it calls. Everything above `ops/` that calls tensor methods imports
 * `Tensor` from here (the check in `tools/check_imports.ts` enforces it); the layers below
 * call op functions.
 *
 * To add a method, add its op function (taking the tensor first) to `methods`. When the
 * method takes arguments beyond the tensor, declare its PyTorch signature in `calls/` (as
 * `calls/reduce.ts` declares `Tensor.sum(dim=None, keepdim=False, *, dtype=None)`) and add
 * the checked method from there: it accepts PyTorch's positional, varargs and by-name forms
 * and throws PyTorch's TypeErrors before the op runs. Overloaded functions keep their
 * overloads (up to four).
 */
import { geluMethod, leakyReluInPlaceMethod, leakyReluMethod, softplusMethod } from "./calls/activation.ts";
import { copyInPlaceMethod, toMethod } from "./calls/copy.ts";
import { backwardMethod, matmulMethod, mmMethod } from "./calls/products.ts";
import { relu, relu_, sigmoid, silu, tanh } from "./ops/activation.ts";
import { neg } from "./ops/arithmetic.ts";
import { addInPlaceMethod, addMethod, divInPlaceMethod, divMethod, mulInPlaceMethod, mulMethod, subInPlaceMethod, subMethod } from "./calls/arithmetic.ts";
import { allcloseMethod, iscloseMethod } from "./calls/isclose.ts";
import { gatherMethod, indexSelectMethod, narrowMethod } from "./calls/indexing.ts";
import {
  addcdivInPlaceMethod,
  addcdivMethod,
  addcmulInPlaceMethod,
  addcmulMethod,
  binaryOps,
  clampInPlaceMethod,
  clampMaxMethod,
  clampMethod,
  clampMinMethod,
  fillInPlaceMethod,
  lerpInPlaceMethod,
  lerpMethod,
  powMethod,
  whereMethod,
} from "./calls/pointwise.ts";
import { normalMethod, uniformMethod } from "./calls/random_fill.ts";
import { logsumexpMethod, meanMethod, normMethod, stdMethod, sumMethod, varMethod } from "./calls/reduce.ts";
import { amaxMethod, aminMethod, argmaxMethod, argminMethod, maxMethod, minMethod } from "./calls/selection.ts";
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
import { cumsumMethod } from "./calls/cumsum.ts";
import { isfinite, isinf, isnan } from "./ops/compare.ts";
import { clone, contiguous, to } from "./ops/copy.ts";
import { to_dense } from "./ops/sparse.ts";
import { sqrt_, zero_ } from "./ops/pointwise.ts";
import { square } from "./ops/pow.ts";
import { t } from "./ops/shape.ts";
import { abs, exp, log, log1p, rsqrt, sign, sqrt } from "./ops/unary.ts";
import { tensorRepr } from "./tensor/print.ts";
import { Tensor } from "./tensor/tensor.ts";
import { noArguments } from "./utils/signature.ts";

export { Tensor };

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
  square,
  sqrt,
  rsqrt,
  abs,
  sign,
  neg,
  // activation.ts (calls/activation.ts parses the ones that take arguments)
  relu,
  relu_,
  leaky_relu: leakyReluMethod,
  leaky_relu_: leakyReluInPlaceMethod,
  sigmoid,
  tanh,
  gelu: geluMethod,
  silu,
  softplus: softplusMethod,
  // pow.ts, clamp.ts, pointwise.ts
  pow: powMethod,
  clamp: clampMethod,
  clamp_: clampInPlaceMethod,
  clamp_min: clampMinMethod,
  clamp_max: clampMaxMethod,
  addcmul: addcmulMethod,
  addcdiv: addcdivMethod,
  lerp: lerpMethod,
  addcmul_: addcmulInPlaceMethod,
  addcdiv_: addcdivInPlaceMethod,
  lerp_: lerpInPlaceMethod,
  sqrt_,
  zero_,
  fill_: fillInPlaceMethod,
  // compare.ts (the method's tensor is where()'s `input`)
  eq: binaryOps.eq.method,
  ne: binaryOps.ne.method,
  lt: binaryOps.lt.method,
  le: binaryOps.le.method,
  gt: binaryOps.gt.method,
  ge: binaryOps.ge.method,
  maximum: binaryOps.maximum.method,
  minimum: binaryOps.minimum.method,
  where: whereMethod,
  isnan,
  isinf,
  isfinite,
  isclose: iscloseMethod,
  allclose: allcloseMethod,
  // copy.ts
  clone,
  contiguous,
  to_dense,
  to: toMethod,
  double: (self: Tensor): Tensor => to(self, "float64"),
  float: (self: Tensor): Tensor => to(self, "float32"),
  copy_: copyInPlaceMethod,
  // reductions (calls/reduce.ts, calls/selection.ts): dim and keepdim positionally or by name
  sum: sumMethod,
  mean: meanMethod,
  var: varMethod,
  std: stdMethod,
  logsumexp: logsumexpMethod,
  cumsum: cumsumMethod,
  norm: normMethod,
  max: maxMethod,
  min: minMethod,
  amax: amaxMethod,
  amin: aminMethod,
  argmax: argmaxMethod,
  argmin: argminMethod,
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
  narrow: narrowMethod,
  index_select: indexSelectMethod,
  gather: gatherMethod,
  // matmul.ts, softmax.ts
  matmul: matmulMethod,
  mm: mmMethod,
  softmax: softmaxMethod,
  log_softmax: logSoftmaxMethod,
  // random_fill.ts
  uniform_: uniformMethod,
  normal_: normalMethod,
  // autograd/grad.ts, tensor/print.ts
  backward: backwardMethod,
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
// A method that takes no arguments in PyTorch throws its TypeError when given some (`x.exp(1)`).
const NO_ARGUMENTS = new Set([
  "exp",
  "log",
  "log1p",
  "square",
  "sqrt",
  "rsqrt",
  "abs",
  "sign",
  "neg",
  "relu",
  "relu_",
  "sigmoid",
  "tanh",
  "silu",
  "sqrt_",
  "zero_",
  "isnan",
  "isinf",
  "isfinite",
  "t",
]);
const makeMethod = (name: string, op: unknown): unknown =>
  new Function(
    "op",
    "noArguments",
    `return function ${name}Method(...args) { ${NO_ARGUMENTS.has(name) ? `if (args.length !== 0) noArguments("${name}", args); ` : ""}return op(this, ...args); };`,
  )(op, noArguments);
for (const [name, op] of Object.entries(methods)) {
  Object.defineProperty(Tensor.prototype, name, { value: makeMethod(name, op), writable: true, configurable: true });
}
// console.log and the Node REPL show the same repr as toString().
Object.defineProperty(Tensor.prototype, Symbol.for("nodejs.util.inspect.custom"), {
  value(this: Tensor) {
    return tensorRepr(this);
  },
});
