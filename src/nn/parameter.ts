import { no_grad } from "../autograd/grad_mode.ts";
import { empty } from "../tensor/creation.ts";
import type { DType } from "../tensor/dtype.ts";
import { Tensor } from "../tensor/tensor.ts";

/** Options of `nn.Parameter`, as PyTorch's keyword arguments. */
export interface ParameterOptions {
  requires_grad?: boolean;
}

/**
 * A tensor that a `Module` treats as one of its parameters, as `torch.nn.Parameter`:
 * it shares the memory of the tensor it wraps and requires grad by default.
 *
 * @example
 * ```ts
 * import { nn, zeros } from "gradlab";
 * const w = new nn.Parameter(zeros([2, 3]));
 * console.log(w.requires_grad); // true
 * ```
 */
export class Parameter extends Tensor {
  constructor(data: Tensor = empty(0), options: ParameterOptions = {}) {
    const requires_grad = options.requires_grad ?? true;
    if (requires_grad && data.dtype === "int64") {
      throw new Error("Only Tensors of floating point and complex dtype can require gradients");
    }
    super(data.data, data.dtype, data.storage, requires_grad);
  }
}

/**
 * Points `t` at the memory of `source` (which may have another dtype), keeping the same
 * object, as PyTorch's `t.data = source` does when a module changes dtype.
 */
export function setData(t: Tensor, source: Tensor): void {
  const target = t as { data: Tensor["data"]; storage: Tensor["storage"]; dtype: Tensor["dtype"] };
  target.data = source.data;
  target.storage = source.storage;
  target.dtype = source.dtype;
}

/**
 * Converts each floating-point tensor of `tensors` (and its gradient) to `dtype` in place,
 * as `Module.to(dtype)` does; nulls and int64 tensors are left as they are.
 */
export function castFloating(tensors: readonly (Tensor | null)[], dtype: DType): void {
  no_grad(() => {
    for (const t of tensors) {
      if (t === null || t.dtype === "int64" || t.dtype === dtype) continue;
      setData(t, t.to(dtype));
      if (t.grad !== null) t.grad = t.grad.to(dtype);
    }
  });
}
