import { makeView } from "./view.ts";
import { Generator, default_generator } from "../utils/random.ts";
import { type DType, assertDType } from "./dtype.ts";
import { type NestedArray, Tensor, contiguousStrides, emptyTensor, shapeSize } from "./tensor.ts";
import { get_default_dtype } from "./default_dtype.ts";
import { type Arguments, type Kind, type ValuesOf, anything, arrayOf, boolean, describeValue, instanceOf, integer, isPlainObject, keyword, kind, nullable, optional, required, signature } from "../utils/signature.ts";

/** Options every factory takes, as PyTorch's keyword arguments. */
export interface TensorOptions {
  dtype?: DType;
  requires_grad?: boolean;
}

/** Options of the random factories: also the generator to draw from. */
export interface RandomOptions extends TensorOptions {
  generator?: Generator;
}

/** A shape: an array of sizes, or a bare number for a 1-D size (as `zeros(5)`). */
export type Size = number | readonly number[];

/** Normalises a size argument to an array, with PyTorch's message for negative sizes. */
export function toShape(size: Size): number[] {
  const shape = typeof size === "number" ? [size] : size.slice();
  for (const s of shape) {
    if (!Number.isInteger(s) || s < 0) {
      throw new Error(`Trying to create tensor with negative dimension ${s}: [${shape.join(", ")}]`);
    }
  }
  return shape;
}

function finish(t: Tensor, options: TensorOptions): Tensor {
  if (options.requires_grad) {
    if (t.dtype === "int64") throw new Error("Only Tensors of floating point and complex dtype can require gradients");
    t.requires_grad = true;
  }
  return t;
}

function dtypeOf(options: TensorOptions, fallback: DType = get_default_dtype()): DType {
  const dtype = options.dtype ?? fallback;
  assertDType(dtype);
  return dtype;
}

function filled(size: Size, value: number, options: TensorOptions, fallback?: DType): Tensor {
  const dtype = dtypeOf(options, fallback);
  const t = emptyTensor(dtype, toShape(size), value === 0);
  if (value !== 0) t.data.data.fill(value);
  return finish(t, options);
}

const dtypeKind = kind<DType>('"float32", "float64" or "int64"', (v) => v === "float32" || v === "float64" || v === "int64");
/** Any JavaScript number, NaN and the infinities included (a fill value, a linspace end). */
const anyNumber: Kind<number> = kind("a number", (v) => typeof v === "number");
/** A size given as one array (full, randint: PyTorch takes no varargs there). */
const sizeArray = arrayOf(integer, "an array of integers");

/** The keyword-only parameters every factory takes (`device`, `layout` and `pin_memory` are accepted and ignored). */
const factoryKeywords = [
  keyword("dtype", nullable(dtypeKind), null),
  keyword("layout", anything<unknown>(), null),
  keyword("device", anything<unknown>(), null),
  keyword("pin_memory", boolean, false),
  keyword("requires_grad", boolean, false),
] as const;
const generatorKeyword = keyword("generator", nullable(instanceOf(Generator, "a Generator")), null);
/** The keyword-only parameters of the `*_like` factories (`memory_format` accepted and ignored). */
const likeKeywords = [
  keyword("dtype", nullable(dtypeKind), null),
  keyword("layout", anything<unknown>(), null),
  keyword("device", anything<unknown>(), null),
  keyword("requires_grad", boolean, false),
  keyword("memory_format", anything<unknown>(), null),
] as const;
const inputParameter = required("input", instanceOf(Tensor, "a Tensor"));

/** The options a parsed call carries on: its dtype (if given), requires_grad and generator. */
function optionsOf(values: { dtype: DType | null; requires_grad: boolean; generator?: Generator | null }): RandomOptions {
  const options: RandomOptions = { requires_grad: values.requires_grad };
  if (values.dtype !== null) options.dtype = values.dtype;
  if (values.generator) options.generator = values.generator;
  return options;
}

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
    const t = emptyTensor(dtype, [data.length], false);
    t.data.data.set(data);
    return finish(t, options);
  }
  const shape: number[] = [];
  for (let level: NestedArray = data; Array.isArray(level); level = level[0]!) {
    shape.push(level.length);
    if (level.length === 0) break;
  }
  const t = emptyTensor(dtype, shape, false);
  const buffer = t.data.data;
  let k = 0;
  const fill = (value: NestedArray, dim: number): void => {
    if (dim === shape.length) {
      if (typeof value !== "number") {
        throw new Error(`expected a number at depth ${dim}, got ${Array.isArray(value) ? "a sequence" : typeof value}`);
      }
      buffer[k++] = value;
      return;
    }
    if (!Array.isArray(value) || value.length !== shape[dim]) {
      throw new Error(`expected sequence of length ${shape[dim]} at dim ${dim} (got ${Array.isArray(value) ? value.length : "a number"})`);
    }
    for (const v of value) fill(v, dim + 1);
  };
  fill(data, 0);
  return finish(t, options);
}

/**
 * A factory that takes its size as PyTorch does: varargs (`zeros(2, 3)`), one array
 * (`zeros([2, 3])`) or a bare number, then the keyword arguments as an options object.
 */
export interface SizeFactory<O> {
  (size: Size, options?: O): Tensor;
  (...size: number[]): Tensor;
  (...args: [...size: number[], options: O]): Tensor;
}

/** How many leading arguments are given positionally (those before a trailing options object). */
const positionalCount = (args: readonly unknown[]): number => {
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  return n > 0 && isPlainObject(args[n - 1]) ? n - 1 : n;
};

const sizeParameter = required("size", anything<number | readonly number[]>());
const sizedSignatures = {
  zeros: signature("zeros", [sizeParameter, ...factoryKeywords]),
  ones: signature("ones", [sizeParameter, ...factoryKeywords]),
  empty: signature("empty", [sizeParameter, ...factoryKeywords]),
  rand: signature("rand", [sizeParameter, generatorKeyword, ...factoryKeywords]),
  randn: signature("randn", [sizeParameter, generatorKeyword, ...factoryKeywords]),
};

/**
 * The shape and options of a sized factory call (`zeros(2, 3)`, `zeros([2, 3], { dtype })`,
 * `zeros({ size: [2, 3] })`), with PyTorch's errors: a size that is not a whole number, a
 * negative size, an unknown option (with a did-you-mean), a wrong dtype.
 */
function sizeAndOptions(name: keyof typeof sizedSignatures, args: readonly unknown[]): { shape: number[]; options: RandomOptions } {
  const n = positionalCount(args);
  const given = isPlainObject(args[n]) ? args[n] : {};
  const sizes = n === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args.slice(0, n);
  const { size, ...values } = sizedSignatures[name].parse(n === 0 ? [given] : [sizes, given]);
  const shape: unknown[] = typeof size === "number" ? [size] : Array.isArray(size) ? size : [size];
  shape.forEach((s, i) => {
    if (!Number.isInteger(s)) {
      throw new TypeError(`${name}(): argument 'size' must be an array of integers, but found ${describeValue(s)} at index ${i}`);
    }
  });
  return { shape: toShape(shape as number[]), options: optionsOf(values) };
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

const likeFactory = (name: keyof typeof likeSignatures, value: number): LikeFactory =>
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
const arangeSignature = signature("arange", [
  optional("start", anyNumber, 0),
  required("end", anyNumber),
  optional("step", anyNumber, 1),
  ...factoryKeywords,
]);

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
  const t = emptyTensor(dtype, [count], false);
  for (let i = 0; i < count; i++) t.data.data[i] = start + i * step;
  return finish(t, opts);
};

/** A number as PyTorch's messages print a Python float: `nan`, `inf`, `-inf`, `1.5`. */
const formatScalar = (x: number): string => (Number.isNaN(x) ? "nan" : x === Infinity ? "inf" : x === -Infinity ? "-inf" : String(x));

/** `torch.linspace(start, end, steps, *, dtype=None, layout, device, requires_grad=False)`. */
const linspaceSignature = signature("linspace", [
  required("start", anyNumber),
  required("end", anyNumber),
  required("steps", integer),
  ...factoryKeywords,
]);

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
  const t = emptyTensor(dtype, [steps], false);
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

function randomTensor(name: string, shape: readonly number[], options: RandomOptions, draw: (g: Generator) => number): Tensor {
  const dtype = dtypeOf(options);
  if (dtype === "int64") throw new Error(`${name}(): a random ${name.startsWith("randn") ? "normal" : "uniform"} tensor needs a floating-point dtype, got int64 (PyTorch: "${name.startsWith("randn") ? "normal_kernel_cpu" : "check_uniform_bounds"}" not implemented for 'Long')`);
  const t = emptyTensor(dtype, shape, false);
  const g = options.generator ?? default_generator;
  const buffer = t.data.data;
  for (let i = 0; i < buffer.length; i++) buffer[i] = draw(g);
  return finish(t, options);
}

/** Uniform numbers in [0, 1) from gradlab's seeded generator (see `manual_seed`), sized as {@link zeros}. */
export const rand: SizeFactory<RandomOptions> = (...args: unknown[]): Tensor => {
  const { shape, options } = sizeAndOptions("rand", args);
  return randomTensor("rand", shape, options, (g) => g.uniform());
};
/** Standard normal numbers from gradlab's seeded generator, sized as {@link zeros}. */
export const randn: SizeFactory<RandomOptions> = (...args: unknown[]): Tensor => {
  const { shape, options } = sizeAndOptions("randn", args);
  return randomTensor("randn", shape, options, (g) => g.normal());
};

/** `torch.rand_like(input, *, generator=None, dtype=None, …)` (and randn_like). */
const randLikeSignature = signature("rand_like", [inputParameter, generatorKeyword, ...likeKeywords]);
const randnLikeSignature = signature("randn_like", [inputParameter, generatorKeyword, ...likeKeywords]);

/** Uniform numbers in [0, 1) in `input`'s shape and dtype, as `torch.rand_like`. */
export function rand_like(...args: Arguments<typeof randLikeSignature>): Tensor {
  const { input, ...values } = randLikeSignature.parse(args);
  return randomTensor("rand_like", input.shape, { dtype: input.dtype, ...optionsOf(values) }, (g) => g.uniform());
}
/** Standard normal numbers in `input`'s shape and dtype, as `torch.randn_like`. */
export function randn_like(...args: Arguments<typeof randLikeSignature>): Tensor {
  const { input, ...values } = randnLikeSignature.parse(args);
  return randomTensor("randn_like", input.shape, { dtype: input.dtype, ...optionsOf(values) }, (g) => g.normal());
}

/**
 * `torch.randint(low=0, high, size, *, generator=None, dtype=None, …)`: Python's overloads
 * `randint(high, size)` and `randint(low, high, size)`.
 */
const randintSignature = signature("randint", [
  optional("low", integer, 0),
  required("high", integer),
  required("size", sizeArray),
  generatorKeyword,
  ...factoryKeywords,
]);

export type RandintOptions = Partial<Omit<ValuesOf<typeof randintSignature>, "low" | "high" | "size">>;

/** The calls `randint` accepts, as PyTorch's overloads. */
export interface Randint {
  (high: number, size: readonly number[], options?: RandintOptions): Tensor;
  (high: number, options: RandintOptions & { size: readonly number[] }): Tensor;
  (low: number, high: number, size: readonly number[], options?: RandintOptions): Tensor;
  (low: number, high: number, options: RandintOptions & { size: readonly number[] }): Tensor;
  (options: RandintOptions & { low?: number; high: number; size: readonly number[] }): Tensor;
}

/**
 * Uniform integers in [low, high), int64 unless `dtype` says otherwise, as `torch.randint`:
 * `randint(10, [3])` or `randint(2, 10, [3])`.
 */
export const randint: Randint = (...args: unknown[]): Tensor => {
  // randint(high, size): two positional arguments without a named size, or one without a named high.
  const n = positionalCount(args);
  const options = isPlainObject(args[n]) ? args[n] : {};
  const highFirst = (n === 2 && !("size" in options)) || (n === 1 && !("high" in options));
  const { low, high, size, ...values } = randintSignature.parse(highFirst ? [0, ...args] : args);
  if (low >= high) throw new Error(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  const opts = optionsOf(values);
  const t = emptyTensor(dtypeOf(opts, "int64"), toShape(size), false);
  const g = opts.generator ?? default_generator;
  const buffer = t.data.data;
  for (let i = 0; i < buffer.length; i++) buffer[i] = g.integer(low, high);
  return finish(t, opts);
};

/** A tensor viewing an existing typed array with the given shape (no copy). */
export function fromBuffer(buffer: Float32Array | Float64Array, shape: readonly number[], dtype?: DType): Tensor {
  if (shapeSize(shape) !== buffer.length) {
    throw new Error(`shape '[${shape.join(", ")}]' is invalid for input of size ${buffer.length}`);
  }
  const kind: DType = dtype ?? (buffer instanceof Float32Array ? "float32" : "float64");
  return new Tensor(makeView(buffer, shape.slice(), contiguousStrides(shape), 0), kind);
}
