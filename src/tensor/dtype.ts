/**
 * The element types a Tensor can hold, and the typed arrays behind them.
 *
 * `float32` (the default, as in PyTorch) lives in a `Float32Array`, `float64` in a
 * `Float64Array`. `int64` holds class indices and integer results (`randint`,
 * `argmax`); its values are exact integers stored in a `Float64Array`, exact up to 2^53.
 */
export type DType = "float32" | "float64" | "int64";

/** The typed arrays a tensor's storage can be. */
export type { Float } from "../kernels/view.ts";

export const DTYPES = ["float32", "float64", "int64"] as const;

/** PyTorch's name for the dtype (`torch.float32`), used in messages and printing. */
export const torchName = (dtype: DType): string => `torch.${dtype}`;

/** PyTorch's legacy tensor type name (`torch.FloatTensor`), used in autograd messages. */
export const legacyTypeName = (dtype: DType): string => ({ float32: "torch.FloatTensor", float64: "torch.DoubleTensor", int64: "torch.LongTensor" })[dtype];

export const isFloating = (dtype: DType): boolean => dtype !== "int64";

export function assertDType(dtype: string): asserts dtype is DType {
  if (!(DTYPES as readonly string[]).includes(dtype)) {
    throw new Error(`unknown dtype '${dtype}': expected one of ${DTYPES.join(", ")}`);
  }
}

/** The dtype of the result of a binary op on two dtypes (PyTorch's type promotion). */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  if (a === "float64" || b === "float64") return "float64";
  return "float32";
}
