/**
 * gradlab: a tape-based autograd over ndarray buffers, and a faithful mirror of
 * `torch.optim`, in pure TypeScript.
 *
 * @packageDocumentation
 */
import { grad } from "./autograd/grad.ts";
import { gradcheck } from "./autograd/gradcheck.ts";
import { autogradBackward } from "./calls/products.ts";

export { Tensor } from "./methods.ts";
export type { TensorMethods } from "./methods.ts";
export { SparseTensor } from "./ops/sparse.ts";
export type { NestedArray, View } from "./tensor/tensor.ts";
export type { DType } from "./tensor/dtype.ts";
export * from "./tensor/creation.ts";
export { no_grad, enable_grad, is_grad_enabled, set_grad_enabled } from "./autograd/grad_mode.ts";
export { Generator, manual_seed, default_generator } from "./tensor/generator.ts";

/** Functional autograd, as `torch.autograd`: `backward`, `grad`, `gradcheck`. */
export const autograd = { backward: autogradBackward, grad, gradcheck };
export * as optim from "./optim/index.ts";
export * as nn from "./nn/index.ts";
export * as F from "./nn/functional/index.ts";
export * as utils from "./utils/index.ts";
/**
 * Python's `math.log`, `**` and `math.cos` as CPython computes them with glibc (correctly
 * rounded), which the schedulers use; `Math.*` differs in the last bit. PyTorch has no such
 * namespace: it is here for functions written for LambdaLR and friends.
 */
export * as libm from "./math/libm.ts";
/** Learner tools beside the PyTorch mirror (PyTorch has no such namespace): `lab.preview_schedule`, `lab.lr_finder`, `lab.inspect`. */
export * as lab from "./lab/index.ts";
export * as testing from "./testing/index.ts";
export { get_default_dtype, set_default_dtype } from "./tensor/default_dtype.ts";
export type { FloatDType } from "./tensor/default_dtype.ts";
export { allclose, isclose } from "./calls/isclose.ts";
export { sum, mean, var_ as var, std, logsumexp, norm } from "./calls/reduce.ts";
export { cumsum } from "./calls/cumsum.ts";
export { max, min, amax, amin, argmax, argmin } from "./calls/selection.ts";
export { transpose, permute, squeeze, unsqueeze, flatten, reshape } from "./calls/shape.ts";
export { narrow, index_select, gather } from "./calls/indexing.ts";
export { cat, stack } from "./calls/join.ts";
export { add, sub, mul, div } from "./calls/arithmetic.ts";
export { exp, log, log1p, square, sqrt, rsqrt, abs, sign, neg, relu, sigmoid, tanh, isnan, isinf, isfinite, t, matmul, mm } from "./calls/functions.ts";
export type { MatmulArguments, MmArguments, OneTensorArguments } from "./calls/functions.ts";
export { pow, clamp, clamp_min, clamp_max, eq, ne, lt, le, gt, ge, where, maximum, minimum, addcmul, addcdiv, lerp } from "./calls/pointwise.ts";
export { softmax, log_softmax } from "./calls/softmax.ts";
export type { BackwardOptions, GradOptions } from "./autograd/grad.ts";
export type { GradcheckOptions } from "./autograd/gradcheck.ts";
export type { Edge, Node } from "./autograd/node.ts";
export type { Storage } from "./tensor/storage.ts";
export type { Float } from "./tensor/dtype.ts";
export type { Operand } from "./ops/operands.ts";
export type { AlphaOptions } from "./ops/arithmetic.ts";
export type { ClampOptions } from "./ops/clamp.ts";
export type { GeluOptions, SoftplusOptions } from "./ops/activation.ts";
export type { ValueOptions } from "./ops/pointwise.ts";
export type { FillOptions } from "./ops/random_fill.ts";
export type { ReduceOptions } from "./ops/sum.ts";
export type { VarOptions } from "./ops/reduce.ts";
export type { NormOptions } from "./ops/norm.ts";
export type { AmaxOptions, ArgOptions, KeepdimOptions, ValuesIndices } from "./ops/minmax.ts";
export type { FlattenOptions } from "./ops/shape.ts";
export type { IndexLike } from "./ops/indexing.ts";
export type { DimOptions } from "./ops/join.ts";
