/** The random factories: rand, randn, their `_like` forms and randint, drawn from gradlab's seeded generator. */
import { type Generator, default_generator } from "./generator.ts";
import type { Tensor } from "./tensor.ts";
import { emptyTensor } from "./tensor.ts";
import { type Arguments, type ValuesOf, integer, isPlainObject, optional, required, signature } from "../utils/signature.ts";
import {
  type RandomOptions,
  type SizeFactory,
  dtypeOf,
  factoryKeywords,
  finish,
  generatorKeyword,
  inputParameter,
  likeKeywords,
  optionsOf,
  positionalCount,
  sizeAndOptions,
  sizeArray,
  toShape,
} from "./factory_arguments.ts";

function randomTensor(name: string, shape: readonly number[], options: RandomOptions, draw: (g: Generator) => number): Tensor {
  const dtype = dtypeOf(options);
  if (dtype === "int64")
    throw new Error(
      `${name}(): a random ${name.startsWith("randn") ? "normal" : "uniform"} tensor needs a floating-point dtype, got int64 (PyTorch: "${name.startsWith("randn") ? "normal_kernel_cpu" : "check_uniform_bounds"}" not implemented for 'Long')`,
    );
  const t = emptyTensor(dtype, shape);
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
  const t = emptyTensor(dtypeOf(opts, "int64"), toShape(size));
  const g = opts.generator ?? default_generator;
  const buffer = t.data.data;
  for (let i = 0; i < buffer.length; i++) buffer[i] = g.integer(low, high);
  return finish(t, opts);
};
