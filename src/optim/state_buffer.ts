/**
 * The tensors an optimizer keeps per parameter (exp_avg, momentum_buffer …), as its
 * `initState` makes them.
 */
import { Tensor } from "../methods.ts";
import { emptyTensor } from "../tensor/tensor.ts";

/**
 * A zero-filled state buffer of the parameter's shape and dtype (exp_avg, momentum …).
 * State tensors are contiguous, so `buffer.data.data[i]` is element i in row-major order.
 */
export const stateBuffer = (param: Tensor, fill = 0): Tensor => {
  const t = emptyTensor(param.dtype, param.shape);
  if (fill !== 0) t.data.data.fill(fill);
  return t;
};
