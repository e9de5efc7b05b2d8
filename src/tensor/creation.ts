/**
 * The tensor factories, as PyTorch's: tensor, zeros/ones/empty/full, their `_like` forms,
 * arange, linspace, eye and fromBuffer; the random ones come from random_factories.ts.
 */
import { makeView } from "../kernels/view.ts";
import type { DType, Float } from "./dtype.ts";
import { type NestedArray, Tensor, contiguousStrides, emptyTensor, shapeSize } from "./tensor.ts";
import { get_default_dtype } from "./default_dtype.ts";
import {
  type Arguments,
  type ValuesOf,
  anything,
  boolean,
  integer,
  isPlainObject,
  keyword,
  nullable,
  optional,
  required,
  signature,
} from "../utils/signature.ts";
import {
  type SizeFactory,
  type TensorOptions,
  anyNumber,
  dtypeKind,
  dtypeOf,
  factoryKeywords,
  filled,
  finish,
  inputParameter,
  likeKeywords,
  optionsOf,
  positionalCount,
  sizeAndOptions,
  sizeArray,
} from "./factory_arguments.ts";

export { type RandomOptions, type Size, type SizeFactory, type TensorOptions, toShape } from "./factory_arguments.ts";
export { type Randint, type RandintOptions, rand, rand_like, randint, randn, randn_like } from "./random_factories.ts";

/** `torch.tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False)`. */
const tensorSignature = signature("tensor", [
  required("data", anything<NestedArray | Float32Array | Float64Array>()),
  keyword("dtype", nullable(dtypeKind), null),
  keyword("device", anything<unknown>(), null),
  keyword("requires_grad", boolean, false),
  keyword("pin_memory", boolean, false),
]);

/**
 * A tensor from a number or nested arrays of numbers, as `torch.tensor`: the default dtype
 * (see `set_default_dtype`) unless `dtype` says otherwise.
 *
 * @example
 * ```ts
 * import { tensor } from "gradlab";
 * const t = tensor([[1, 2, 3], [4, 5, 6]], { dtype: "float64" });
 * console.log(t.shape); // [2, 3]
 * ```
 */
export function tensor(...args: Arguments<typeof tensorSignature>): Tensor {
  const { data, ...values } = tensorSignature.parse(args);
  const options = optionsOf(values);
  const dtype = dtypeOf(options);
  if (data instanceof Float32Array || data instanceof Float64Array) {
    const t = emptyTensor(dtype, [data.length]);
    t.data.data.set(data);
    return finish(t, options);
  }
  const shape: number[] = [];
  for (let level: NestedArray = data; Array.isArray(level); level = level[0]!) {
    shape.push(level.length);
    if (level.length === 0) break;
  }
  const t = emptyTensor(dtype, shape);
  fillFrom(t.data.data, shape, data, 0, 0);
  return finish(t, options);
}

/**
 * Writes the numbers of `value`, the nested arrays at depth `dim` of `shape`, into `buffer`
 * from index `k` in row-major order, and returns the index after them. A module-level
 * function, not a closure inside `tensor`: under tsx (esbuild's keepNames) a named closure
 * is renamed with an Object.defineProperty call on every call (test/speed/renames.test.ts).
 */
function fillFrom(buffer: Float, shape: readonly number[], value: NestedArray, dim: number, k: number): number {
  if (dim === shape.length) {
    if (typeof value !== "number") {
      throw new Error(`expected a number at depth ${dim}, got ${Array.isArray(value) ? "a sequence" : typeof value}`);
    }
    buffer[k] = value;
    return k + 1;
  }
  if (!Array.isArray(value) || value.length !== shape[dim]) {
    throw new Error(`expected sequence of length ${shape[dim]} at dim ${dim} (got ${Array.isArray(value) ? value.length : "a number"})`);
  }
  let next = k;
  for (const v of value) next = fillFrom(buffer, shape, v, dim + 1, next);
  return next;
}

/** A tensor of zeros: `zeros(2, 3)`, `zeros([2, 3])`, `zeros(2, 3, { dtype: "float64" })`. */
export const zeros: SizeFactory<TensorOptions> = (...args: unknown[]): Tensor => {
  const { shape, options } = sizeAndOptions("zeros", args);
  return filled(shape, 0, options);
};
/** A tensor of ones, sized as {@link zeros}. */
export const ones: SizeFactory<TensorOptions> = (...args: unknown[]): Tensor => {
  const { shape, options } = sizeAndOptions("ones", args);
  return filled(shape, 1, options);
};
/** A tensor whose values are unspecified (gradlab gives zeros, from reused memory zero-filled). */
export const empty: SizeFactory<TensorOptions> = (...args: unknown[]): Tensor => {
  const { shape, options } = sizeAndOptions("empty", args);
  return filled(shape, 0, options);
};

/** `torch.full(size, fill_value, *, dtype=None, layout, device, pin_memory, requires_grad=False)`. */
const fullSignature = signature("full", [required("size", sizeArray), required("fill_value", anyNumber), ...factoryKeywords]);

/**
 * A tensor of shape `size` filled with `fill_value`, as `torch.full`. JavaScript has no
 * integer literals, so the dtype is the default one (as `tensor()`), where PyTorch makes an
 * int64 tensor for an int fill value: pass `{ dtype: "int64" }` for that.
 *
 * @example
 * ```ts
 * import { full } from "gradlab";
 * console.log(full([2, 2], 0.5).tolist()); // [[0.5, 0.5], [0.5, 0.5]]
 * ```
 */
export function full(...args: Arguments<typeof fullSignature>): Tensor {
  const { size, fill_value, ...values } = fullSignature.parse(args);
  return filled(size, fill_value, optionsOf(values));
}

/** `torch.zeros_like(input, *, dtype=None, layout, device, requires_grad=False, memory_format)` (also ones_like, empty_like). */
const zerosLikeSignature = signature("zeros_like", [inputParameter, ...likeKeywords]);
const likeSignatures = {
  zeros_like: zerosLikeSignature,
  ones_like: signature("ones_like", [inputParameter, ...likeKeywords]),
  empty_like: signature("empty_like", [inputParameter, ...likeKeywords]),
};
/** `torch.full_like(input, fill_value, *, dtype=None, …)`. */
const fullLikeSignature = signature("full_like", [inputParameter, required("fill_value", anyNumber), ...likeKeywords]);

/** A `*_like` factory: one tensor (whose shape and dtype it takes), then keyword-only options. */
export type LikeFactory = (...args: Arguments<typeof zerosLikeSignature>) => Tensor;

const likeFactory =
  (name: keyof typeof likeSignatures, value: number): LikeFactory =>
  (...args) => {
    // The common internal call, one tensor and nothing else, skips the parse.
    if (args.length === 1 && args[0] instanceof Tensor) return filled(args[0].shape, value, {}, args[0].dtype);
    const { input, ...values } = likeSignatures[name].parse(args);
    return filled(input.shape, value, optionsOf(values), input.dtype);
  };

/** Zeros of `input`'s shape and dtype (unless `dtype` says otherwise), as `torch.zeros_like`. */
export const zeros_like: LikeFactory = likeFactory("zeros_like", 0);
/** Ones of `input`'s shape and dtype, as `torch.ones_like`. */
export const ones_like: LikeFactory = likeFactory("ones_like", 1);
/** An uninitialised tensor like `input` (gradlab gives zeros), as `torch.empty_like`. */
export const empty_like: LikeFactory = likeFactory("empty_like", 0);
/** `fill_value` in `input`'s shape and dtype, as `torch.full_like(input, fill_value)`. */
export function full_like(...args: Arguments<typeof fullLikeSignature>): Tensor {
  const { input, fill_value, ...values } = fullLikeSignature.parse(args);
  return filled(input.shape, fill_value, optionsOf(values), input.dtype);
}

/**
 * `torch.arange(start=0, end, step=1, *, dtype=None, layout, device, requires_grad=False)`:
 * Python's overloads `arange(end)`, `arange(start, end)` and `arange(start, end, step)`.
 */
const arangeSignature = signature("arange", [optional("start", anyNumber, 0), required("end", anyNumber), optional("step", anyNumber, 1), ...factoryKeywords]);

export type ArangeOptions = Partial<Omit<ValuesOf<typeof arangeSignature>, "start" | "end" | "step">>;

/** The calls `arange` accepts, as PyTorch's overloads. */
export interface Arange {
  (end: number, options?: ArangeOptions): Tensor;
  (start: number, options: ArangeOptions & { end: number; step?: number }): Tensor;
  (start: number, end: number, options?: ArangeOptions & { step?: number }): Tensor;
  (start: number, end: number, step: number | undefined, options?: ArangeOptions): Tensor;
  (options: ArangeOptions & { start?: number; end: number; step?: number }): Tensor;
}

/**
 * Values start, start + step, … below end, as `torch.arange`: `arange(5)`, `arange(1, 4)`,
 * `arange(0, 1, 0.1)`. int64 when start, end and step are all whole numbers (as PyTorch's
 * ints), the default dtype otherwise; `n = ⌈(end − start) / step⌉` values.
 *
 * @example
 * ```ts
 * import { arange } from "gradlab";
 * console.log(arange(5).tolist()); // [0, 1, 2, 3, 4]
 * console.log(arange(1, 2.5, 0.5).tolist()); // [1, 1.5, 2]
 * ```
 */
export const arange: Arange = (...args: unknown[]): Tensor => {
  // arange(end) with the end given alone positionally: Python's first overload.
  const n = positionalCount(args);
  const options = isPlainObject(args[n]) ? args[n] : {};
  const bound = n === 1 && !("end" in options) ? [0, ...args] : args;
  const { start, end, step, ...values } = arangeSignature.parse(bound);
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new Error(`unsupported range: ${formatScalar(start)} -> ${formatScalar(end)}`);
  if (step === 0) throw new Error("step must be nonzero");
  if ((step > 0 && end < start) || (step < 0 && end > start)) {
    throw new Error("upper bound and larger bound inconsistent with step sign");
  }
  const opts = optionsOf(values);
  const integral = Number.isInteger(start) && Number.isInteger(end) && Number.isInteger(step);
  const dtype = dtypeOf(opts, integral ? "int64" : get_default_dtype());
  const count = Math.ceil((end - start) / step);
  const t = emptyTensor(dtype, [count]);
  for (let i = 0; i < count; i++) t.data.data[i] = start + i * step;
  return finish(t, opts);
};

/** A number as PyTorch's messages print a Python float: `nan`, `inf`, `-inf`, `1.5`. */
const formatScalar = (x: number): string => (Number.isNaN(x) ? "nan" : x === Infinity ? "inf" : x === -Infinity ? "-inf" : String(x));

/** `torch.linspace(start, end, steps, *, dtype=None, layout, device, requires_grad=False)`. */
const linspaceSignature = signature("linspace", [required("start", anyNumber), required("end", anyNumber), required("steps", integer), ...factoryKeywords]);

/**
 * `steps` evenly spaced values from start to end inclusive, as `torch.linspace`.
 *
 * ```text
 * step = (end − start) / (steps − 1)
 * x[i] = start + step·i               for i < ⌊steps/2⌋
 * x[i] = end − step·(steps − 1 − i)   otherwise, so both ends are exact
 * ```
 * computed in the tensor's dtype (float32 rounds after each operation), as current
 * PyTorch's CPU kernel does; `steps = 1` gives `[start]`.
 */
export function linspace(...args: Arguments<typeof linspaceSignature>): Tensor {
  const { start, end, steps, ...values } = linspaceSignature.parse(args);
  if (steps < 0) throw new Error("number of steps must be non-negative");
  const options = optionsOf(values);
  const dtype = dtypeOf(options);
  const t = emptyTensor(dtype, [steps]);
  const round = dtype === "float32" ? Math.fround : (x: number) => x;
  const [a, b] = [round(start), round(end)];
  if (steps === 1) t.data.data[0] = a;
  const step = round((b - a) / (steps - 1));
  const halfway = Math.floor(steps / 2);
  for (let i = 0; i < steps && steps > 1; i++) {
    t.data.data[i] = i < halfway ? round(a + round(step * i)) : round(b - round(step * (steps - i - 1)));
  }
  return finish(t, options);
}

/** `torch.eye(n, m=None, *, dtype=None, layout, device, requires_grad=False)`. */
const eyeSignature = signature("eye", [required("n", integer), optional("m", nullable(integer), null), ...factoryKeywords]);

/** The n×m identity matrix (m defaults to n), as `torch.eye`. */
export function eye(...args: Arguments<typeof eyeSignature>): Tensor {
  const { n, m: given, ...values } = eyeSignature.parse(args);
  const m = given ?? n;
  if (n < 0) throw new Error(`n must be greater or equal to 0, got ${n}`);
  if (m < 0) throw new Error(`m must be greater or equal to 0, got ${m}`);
  const options = optionsOf(values);
  const t = emptyTensor(dtypeOf(options), [n, m]);
  for (let i = 0; i < Math.min(n, m); i++) t.data.data[i * m + i] = 1;
  return finish(t, options);
}

/** A tensor viewing an existing typed array with the given shape (no copy). */
export function fromBuffer(buffer: Float32Array | Float64Array, shape: readonly number[], dtype?: DType): Tensor {
  if (shapeSize(shape) !== buffer.length) {
    throw new Error(`shape '[${shape.join(", ")}]' is invalid for input of size ${buffer.length}`);
  }
  const kind: DType = dtype ?? (buffer instanceof Float32Array ? "float32" : "float64");
  return new Tensor(makeView(buffer, shape.slice(), contiguousStrides(shape), 0), kind);
}
