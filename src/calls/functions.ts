/**
 * The torch functions that take tensors and nothing else, declared as PyTorch declares
 * them, so that a wrong call throws PyTorch's TypeError instead of being ignored:
 *
 * ```text
 * torch.exp(input)   (and log, log1p, square, sqrt, rsqrt, abs, sign, neg, relu, sigmoid, tanh,
 *                     isnan, isinf, isfinite, t)     exp(x), exp({ input: x })
 * torch.matmul(input, other)                          matmul(x, w)
 * torch.mm(input, mat2)                               mm(x, w), mm(x, { mat2: w })
 * ```
 * `exp(x, 1)` throws "exp() takes 1 positional argument but 2 were given", `exp(5)`
 * "exp(): argument 'input' must be a Tensor, but got number 5", as PyTorch refuses them.
 */
import * as activation from "../ops/activation.ts";
import * as arithmetic from "../ops/arithmetic.ts";
import * as compare from "../ops/compare.ts";
import * as powers from "../ops/pow.ts";
import * as products from "../ops/matmul.ts";
import * as shape from "../ops/shape.ts";
import * as unary from "../ops/unary.ts";
import { Tensor } from "../tensor/tensor.ts";
import { type Arguments, required } from "../utils/signature.ts";
import { functionSignature, inputParameter, tensorKind } from "./kinds.ts";

/** `torch.f(input)`: the signature of every one-tensor function below. */
const oneTensorSignature = (name: string) => functionSignature(name, [inputParameter]);

/** The calls of a one-tensor torch function: `f(x)` or `f({ input: x })`. */
export type OneTensorArguments = Arguments<ReturnType<typeof oneTensorSignature>>;

/** Declares `torch.<name>(input)` and returns the checked function; the plain call `f(x)` goes straight to the op. */
function oneTensor(name: string, op: (x: Tensor) => Tensor): (...args: OneTensorArguments) => Tensor {
  const signature = oneTensorSignature(name);
  return (...args) => op(args.length === 1 && args[0] instanceof Tensor ? args[0] : signature.parse(args).input);
}

/** eˣ, as `torch.exp(input)`. */
export const exp = oneTensor("exp", unary.exp);
/** ln x, as `torch.log(input)`. */
export const log = oneTensor("log", unary.log);
/** ln(1 + x), as `torch.log1p(input)`. */
export const log1p = oneTensor("log1p", unary.log1p);
/** x², as `torch.square(input)` (int64 stays int64). */
export const square = oneTensor("square", powers.square);
/** √x, as `torch.sqrt(input)`. */
export const sqrt = oneTensor("sqrt", unary.sqrt);
/** 1/√x, as `torch.rsqrt(input)`. */
export const rsqrt = oneTensor("rsqrt", unary.rsqrt);
/** |x|, as `torch.abs(input)`. */
export const abs = oneTensor("abs", unary.abs);
/** The sign of x (0 for 0 and NaN), as `torch.sign(input)`. */
export const sign = oneTensor("sign", unary.sign);
/** −x, as `torch.neg(input)`. */
export const neg = oneTensor("neg", arithmetic.neg);
/** max(x, 0), as `torch.relu(input)`. */
export const relu = oneTensor("relu", activation.relu);
/** 1/(1 + e⁻ˣ), as `torch.sigmoid(input)`. */
export const sigmoid = oneTensor("sigmoid", activation.sigmoid);
/** tanh x, as `torch.tanh(input)`. */
export const tanh = oneTensor("tanh", activation.tanh);
/** 1 where x is NaN, as `torch.isnan(input)`. */
export const isnan = oneTensor("isnan", compare.isnan);
/** 1 where x is ±∞, as `torch.isinf(input)`. */
export const isinf = oneTensor("isinf", compare.isinf);
/** 1 where x is finite, as `torch.isfinite(input)`. */
export const isfinite = oneTensor("isfinite", compare.isfinite);
/** The transpose of a matrix (a 0-d or 1-d tensor as it is), as `torch.t(input)`. */
export const t = oneTensor("t", shape.t);

/** `torch.matmul(input, other)`. */
const matmulSignature = functionSignature("matmul", [inputParameter, required("other", tensorKind)]);
/** `torch.mm(input, mat2)`. */
const mmSignature = functionSignature("mm", [inputParameter, required("mat2", tensorKind)]);

/** The calls of {@link matmul}: `matmul(x, w)`, `matmul(x, { other: w })`, `matmul({ input: x, other: w })`. */
export type MatmulArguments = Arguments<typeof matmulSignature>;
/** The calls of {@link mm}: `mm(x, w)`, `mm(x, { mat2: w })`, `mm({ input: x, mat2: w })`. */
export type MmArguments = Arguments<typeof mmSignature>;

/** The matrix product, batched and broadcast, as `torch.matmul(input, other)`. */
export function matmul(...args: MatmulArguments): Tensor {
  const [a, b] = args;
  if (args.length === 2 && a instanceof Tensor && b instanceof Tensor) return products.matmul(a, b);
  const { input, other } = matmulSignature.parse(args);
  return products.matmul(input, other);
}

/** The product of two matrices, as `torch.mm(input, mat2)`. */
export function mm(...args: MmArguments): Tensor {
  const [a, b] = args;
  if (args.length === 2 && a instanceof Tensor && b instanceof Tensor) return products.mm(a, b);
  const { input, mat2 } = mmSignature.parse(args);
  return products.mm(input, mat2);
}
