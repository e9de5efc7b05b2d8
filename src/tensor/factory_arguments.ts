/**
 * What the tensor factories share: their options, the declared keyword parameters, and the
 * parsing of a size given as varargs, one array or a bare number, with PyTorch's errors.
 */
import { Generator } from "./generator.ts";
import { type DType, assertDType } from "./dtype.ts";
import { Tensor, emptyTensor } from "./tensor.ts";
import { get_default_dtype } from "./default_dtype.ts";
import {
  type Kind,
  anything,
  arrayOf,
  boolean,
  describeValue,
  instanceOf,
  integer,
  isPlainObject,
  keyword,
  kind,
  nullable,
  required,
  signature,
} from "../utils/signature.ts";
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

export function finish(t: Tensor, options: TensorOptions): Tensor {
  if (options.requires_grad) {
    if (t.dtype === "int64") throw new Error("Only Tensors of floating point and complex dtype can require gradients");
    t.requires_grad = true;
  }
  return t;
}

export function dtypeOf(options: TensorOptions, fallback: DType = get_default_dtype()): DType {
  const dtype = options.dtype ?? fallback;
  assertDType(dtype);
  return dtype;
}

export function filled(size: Size, value: number, options: TensorOptions, fallback?: DType): Tensor {
  const dtype = dtypeOf(options, fallback);
  const t = emptyTensor(dtype, toShape(size));
  if (value !== 0) t.data.data.fill(value);
  return finish(t, options);
}

export const dtypeKind = kind<DType>('"float32", "float64" or "int64"', (v) => v === "float32" || v === "float64" || v === "int64");
/** Any JavaScript number, NaN and the infinities included (a fill value, a linspace end). */
export const anyNumber: Kind<number> = kind("a number", (v) => typeof v === "number");
/** A size given as one array (full, randint: PyTorch takes no varargs there). */
export const sizeArray = arrayOf(integer, "an array of integers");

/** The keyword-only parameters every factory takes (`device`, `layout` and `pin_memory` are accepted and ignored). */
export const factoryKeywords = [
  keyword("dtype", nullable(dtypeKind), null),
  keyword("layout", anything<unknown>(), null),
  keyword("device", anything<unknown>(), null),
  keyword("pin_memory", boolean, false),
  keyword("requires_grad", boolean, false),
] as const;
export const generatorKeyword = keyword("generator", nullable(instanceOf(Generator, "a Generator")), null);
/** The keyword-only parameters of the `*_like` factories (`memory_format` accepted and ignored). */
export const likeKeywords = [
  keyword("dtype", nullable(dtypeKind), null),
  keyword("layout", anything<unknown>(), null),
  keyword("device", anything<unknown>(), null),
  keyword("requires_grad", boolean, false),
  keyword("memory_format", anything<unknown>(), null),
] as const;
export const inputParameter = required("input", instanceOf(Tensor, "a Tensor"));

/** The options a parsed call carries on: its dtype (if given), requires_grad and generator. */
export function optionsOf(values: { dtype: DType | null; requires_grad: boolean; generator?: Generator | null }): RandomOptions {
  const options: RandomOptions = { requires_grad: values.requires_grad };
  if (values.dtype !== null) options.dtype = values.dtype;
  if (values.generator) options.generator = values.generator;
  return options;
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
export const positionalCount = (args: readonly unknown[]): number => {
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  return n > 0 && isPlainObject(args[n - 1]) ? n - 1 : n;
};

export const sizeParameter = required("size", anything<number | readonly number[]>());
export const sizedSignatures = {
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
export function sizeAndOptions(name: keyof typeof sizedSignatures, args: readonly unknown[]): { shape: number[]; options: RandomOptions } {
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
