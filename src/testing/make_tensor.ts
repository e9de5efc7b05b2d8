import { rand } from "../tensor/creation.ts";
import type { DType } from "../tensor/dtype.ts";
import type { Generator } from "../tensor/generator.ts";
import { Tensor } from "../methods.ts";

/** Options of {@link make_tensor}, as `torch.testing.make_tensor`'s keyword arguments. */
export interface MakeTensorOptions {
  dtype?: DType;
  /** The lower bound of the values (inclusive); default −9, as PyTorch's. */
  low?: number;
  /** The upper bound of the values (exclusive); default 9, as PyTorch's. */
  high?: number;
  requires_grad?: boolean;
  generator?: Generator;
}

/**
 * A tensor of `shape` filled with values drawn uniformly from [low, high) with gradlab's
 * seeded generator, as `torch.testing.make_tensor`: floats by default in [−9, 9), int64
 * values are whole numbers in [low, high). Not PyTorch's numbers (the generators differ).
 *
 * ```text
 * x = low + (high − low)·u,  u uniform in [0, 1)      (int64: ⌊x⌋)
 * ```
 *
 * @example
 * ```ts
 * import { manual_seed } from "gradlab";
 * import { make_tensor } from "gradlab/testing";
 * manual_seed(0);
 * const x = make_tensor([2, 3], { dtype: "float64", low: 0, high: 1 });
 * console.log(x.max().item() < 1); // true
 * console.log(x.shape); // [2, 3]
 * ```
 */
export function make_tensor(shape: readonly number[], options: MakeTensorOptions = {}): Tensor {
  const { dtype = "float32", low = -9, high = 9, requires_grad = false } = options;
  if (!(low < high)) throw new Error(`low must be less than high, but got low=${low} and high=${high}`);
  const u = rand(shape, {
    dtype: dtype === "int64" ? "float64" : dtype,
    ...(options.generator ? { generator: options.generator } : {}),
  });
  const data = u.data.data;
  for (let i = 0; i < data.length; i++) {
    const x = low + (high - low) * data[i]!;
    data[i] = dtype === "int64" ? Math.floor(x) : x;
  }
  const out = dtype === "int64" ? u.to("int64") : u;
  return requires_grad ? out.requires_grad_() : out;
}
