import { makeView } from "./view.ts";
import { Generator, default_generator } from "../utils/random.ts";
import { type DType, assertDType } from "./dtype.ts";
import { type NestedArray, Tensor, contiguousStrides, emptyTensor, shapeSize } from "./tensor.ts";
import { get_default_dtype } from "./default_dtype.ts";
import { type Parameter, type Signature, anything, boolean, describeValue, instanceOf, isPlainObject, keyword, kind, nullable, signature } from "../utils/signature.ts";

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

/**
 * A tensor from a number or nested arrays of numbers, as `torch.tensor`.
 *
 * @example
 * ```ts
 * import { tensor } from "gradlab";
 * const t = tensor([[1, 2, 3], [4, 5, 6]], { dtype: "float64" });
 * console.log(t.shape); // [2, 3]
 * ```
 */
export function tensor(data: NestedArray | Float32Array | Float64Array, options: TensorOptions = {}): Tensor {
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

const factoryKeywords = [
  keyword("dtype", nullable(kind<DType>('"float32", "float64" or "int64"', (v) => v === "float32" || v === "float64" || v === "int64")), null),
  keyword("requires_grad", boolean, false),
  keyword("device", anything<unknown>(), null),
  keyword("layout", anything<unknown>(), null),
  keyword("pin_memory", boolean, false),
] as const;
const randomKeywords = [...factoryKeywords, keyword("generator", nullable(instanceOf(Generator, "a Generator")), null)] as const;
const keywordSignatures = new Map<string, Signature<readonly Parameter[]>>();

/**
 * The shape and options of a sized factory call, with PyTorch's errors: a size that is not
 * a whole number, a negative size, an unknown option (with a did-you-mean), a wrong dtype.
 */
function sizeAndOptions(name: string, args: readonly unknown[], random = false): { shape: number[]; options: RandomOptions } {
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  const last = args[n - 1];
  const given = n > 0 && isPlainObject(last) ? last : {};
  if (n > 0 && isPlainObject(last)) n--;
  if (n === 0) throw new TypeError(`${name}() missing 1 required positional argument: 'size'`);
  const sizes: unknown[] = n === 1 && Array.isArray(args[0]) ? [...(args[0] as unknown[])] : args.slice(0, n);
  sizes.forEach((size, i) => {
    if (!Number.isInteger(size)) {
      throw new TypeError(`${name}(): argument 'size' must be an array of integers, but found ${describeValue(size)} at index ${i}`);
    }
  });
  let sig = keywordSignatures.get(name);
  if (sig === undefined) {
    sig = signature(`${name}`, random ? randomKeywords : factoryKeywords);
    keywordSignatures.set(name, sig);
  }
  const parsed = sig.parse([given]) as { dtype: DType | null; requires_grad: boolean; generator?: Generator | null };
  const options: RandomOptions = { requires_grad: parsed.requires_grad };
  if (parsed.dtype !== null) options.dtype = parsed.dtype;
  if (parsed.generator) options.generator = parsed.generator;
  return { shape: toShape(sizes as number[]), options };
}

/** A tensor of zeros. */
export const zeros: SizeFactory<TensorOptions> = (...args: unknown[]): Tensor => {
  const { shape, options } = sizeAndOptions("zeros", args);
  return filled(shape, 0, options);
};
/** A tensor of ones. */
export const ones: SizeFactory<TensorOptions> = (...args: unknown[]): Tensor => {
  const { shape, options } = sizeAndOptions("ones", args);
  return filled(shape, 1, options);
};
/** A tensor filled with `fill_value`. */
export const full = (size: Size, fill_value: number, options: TensorOptions = {}): Tensor =>
  filled(size, fill_value, options);
/** A tensor whose values are unspecified (gradlab gives zeros, from reused memory zero-filled). */
export const empty: SizeFactory<TensorOptions> = (...args: unknown[]): Tensor => {
  const { shape, options } = sizeAndOptions("empty", args);
  return filled(shape, 0, options);
};

export const zeros_like = (t: Tensor, options: TensorOptions = {}): Tensor =>
  filled(t.shape, 0, options, t.dtype);
export const ones_like = (t: Tensor, options: TensorOptions = {}): Tensor =>
  filled(t.shape, 1, options, t.dtype);
export const full_like = (t: Tensor, fill_value: number, options: TensorOptions = {}): Tensor =>
  filled(t.shape, fill_value, options, t.dtype);
export const empty_like = (t: Tensor, options: TensorOptions = {}): Tensor =>
  filled(t.shape, 0, options, t.dtype);

/** Values start, start+step, … below end, as `torch.arange(start, end, step)` (or `arange(end)`). */
export function arange(start: number, end?: number, step = 1, options: TensorOptions = {}): Tensor {
  if (end === undefined) [start, end] = [0, start];
  if (step === 0) throw new Error("step must be nonzero");
  if ((step > 0 && end < start) || (step < 0 && end > start)) {
    throw new Error("upper bound and larger bound inconsistent with step sign");
  }
  const integral = Number.isInteger(start) && Number.isInteger(end) && Number.isInteger(step);
  const dtype = dtypeOf(options, integral ? "int64" : get_default_dtype());
  const n = Math.ceil((end - start) / step);
  const t = emptyTensor(dtype, [n], false);
  for (let i = 0; i < n; i++) t.data.data[i] = start + i * step;
  return finish(t, options);
}

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
export function linspace(start: number, end: number, steps: number, options: TensorOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new Error("number of steps must be non-negative");
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

/** The n×m identity matrix (m defaults to n). */
export function eye(n: number, m: number = n, options: TensorOptions = {}): Tensor {
  const t = emptyTensor(dtypeOf(options), toShape([n, m]));
  for (let i = 0; i < Math.min(n, m); i++) t.data.data[i * m + i] = 1;
  return finish(t, options);
}

function randomTensor(size: Size, options: RandomOptions, draw: (g: Generator) => number): Tensor {
  const t = emptyTensor(dtypeOf(options), toShape(size), false);
  const g = options.generator ?? default_generator;
  const buffer = t.data.data;
  for (let i = 0; i < buffer.length; i++) buffer[i] = draw(g);
  return finish(t, options);
}

/** Uniform numbers in [0, 1) from gradlab's seeded generator (see `manual_seed`). */
export const rand: SizeFactory<RandomOptions> = (...args: unknown[]): Tensor => {
  const { shape, options } = sizeAndOptions("rand", args, true);
  return randomTensor(shape, options, (g) => g.uniform());
};
/** Standard normal numbers from gradlab's seeded generator. */
export const randn: SizeFactory<RandomOptions> = (...args: unknown[]): Tensor => {
  const { shape, options } = sizeAndOptions("randn", args, true);
  return randomTensor(shape, options, (g) => g.normal());
};
/** Uniform integers in [low, high), int64 by default, as `torch.randint(low, high, size)`. */
export function randint(low: number, high: number, size: Size, options: RandomOptions = {}): Tensor {
  if (low >= high) throw new Error(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  return randomTensor(size, { dtype: "int64", ...options }, (g) => g.integer(low, high));
}
export const rand_like = (t: Tensor, options: RandomOptions = {}): Tensor =>
  rand(t.shape, { dtype: t.dtype, ...options });
export const randn_like = (t: Tensor, options: RandomOptions = {}): Tensor =>
  randn(t.shape, { dtype: t.dtype, ...options });

/** A tensor viewing an existing typed array with the given shape (no copy). */
export function fromBuffer(buffer: Float32Array | Float64Array, shape: readonly number[], dtype?: DType): Tensor {
  if (shapeSize(shape) !== buffer.length) {
    throw new Error(`shape '[${shape.join(", ")}]' is invalid for input of size ${buffer.length}`);
  }
  const kind: DType = dtype ?? (buffer instanceof Float32Array ? "float32" : "float64");
  return new Tensor(makeView(buffer, shape.slice(), contiguousStrides(shape), 0), kind);
}
