/**
 * The default dtype, as `torch.set_default_dtype` / `torch.get_default_dtype`: what the
 * factories, `tensor()` from JS numbers and nn's parameters and buffers get when no dtype is
 * given, and the precision of optimizers' scalar state (ASGD's `eta` and `mu`, NAdam's
 * `mu_product`), which PyTorch keeps in float64 when the default is float64 and in float32
 * otherwise (`_get_scalar_dtype`).
 *
 * @example
 * ```ts
 * import { get_default_dtype, set_default_dtype, zeros } from "gradlab";
 * set_default_dtype("float64");
 * console.log(zeros(2).dtype); // float64
 * set_default_dtype("float32");
 * console.log(get_default_dtype()); // float32
 * ```
 */
import type { DType } from "./dtype.ts";

/** The floating dtypes that can be the default. */
export type FloatDType = "float32" | "float64";

let defaultDType: FloatDType = "float32";

/** Sets the default floating dtype; PyTorch's TypeError for any other dtype. */
export function set_default_dtype(d: DType): void {
  if (d !== "float32" && d !== "float64") throw new TypeError("only floating-point types are supported as the default type");
  defaultDType = d;
}

/** The current default floating dtype (float32 unless `set_default_dtype` changed it). */
export const get_default_dtype = (): FloatDType => defaultDType;

const exact = (x: number): number => x;

/**
 * How an optimizer's scalar state is rounded: to float32 under the float32 default
 * (`Math.fround`), not at all under float64, as PyTorch's scalar tensors of `_get_scalar_dtype()`.
 */
export const scalarRound = (): ((x: number) => number) => (defaultDType === "float32" ? Math.fround : exact);
