/**
 * What nn's signatures share: the kinds of tensors, dtypes and generators, the factory
 * parameters every layer with parameters takes (`device`, `dtype`, and gradlab's keyword-only
 * `generator`), and the legacy `size_average` / `reduce` of the losses.
 */
import type { DType } from "../tensor/dtype.ts";
import { Tensor } from "../tensor/tensor.ts";
import { anything, choice, instanceOf, keyword, kind, nullable, optional } from "../utils/signature.ts";
import { Generator } from "../utils/random.ts";
import { warn } from "../utils/warn.ts";

/** A Tensor. */
export const tensorKind = instanceOf(Tensor, "a Tensor");

/** A dtype name: "float32", "float64" or "int64". */
export const dtypeKind = kind<DType>('"float32", "float64" or "int64"', (v) => v === "float32" || v === "float64" || v === "int64");

/** `device=None`: accepted and ignored (everything runs on the CPU). */
export const deviceParameter = optional("device", anything<unknown>(), null);

/** `dtype=None`: the dtype of the parameters (float32 when null). */
export const dtypeParameter = optional("dtype", nullable(dtypeKind), null);

/** gradlab's keyword-only `generator`: draws the initial values (the default generator when null). */
export const generatorParameter = keyword("generator", nullable(instanceOf(Generator, "a Generator")), null);

/** `size_average=None`, deprecated in PyTorch in favour of `reduction`. */
export const sizeAverageParameter = optional("size_average", nullable(anything<boolean>()), null);

/** `reduce=None`, deprecated in PyTorch in favour of `reduction`. */
export const reduceParameter = optional("reduce", nullable(anything<boolean>()), null);

/** `reduction="mean"` (checked with PyTorch's message). */
export const reductionParameter = optional("reduction", choice("none", "mean", "sum"), "mean");

/**
 * The reduction the deprecated `size_average` and `reduce` choose, as PyTorch's
 * `_Reduction.legacy_get_string` (with its warning); `reduction` when both are null.
 */
export function legacyReduction(size_average: unknown, reduce: unknown, reduction: string): string {
  if ((size_average === null || size_average === undefined) && (reduce === null || reduce === undefined)) return reduction;
  const average = size_average === null || size_average === undefined ? true : Boolean(size_average);
  const keep = reduce === null || reduce === undefined ? true : Boolean(reduce);
  const result = average && keep ? "mean" : keep ? "sum" : "none";
  warn(`size_average and reduce args will be deprecated, please use reduction: "${result}" instead.`);
  return result;
}
