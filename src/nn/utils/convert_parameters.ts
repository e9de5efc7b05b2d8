import { no_grad } from "../../autograd/grad_mode.ts";
import { cat } from "../../ops/join.ts";
import { Tensor } from "../../methods.ts";
import { emptyTensor } from "../../tensor/tensor.ts";

/**
 * All parameters flattened and joined into one 1-d tensor, in order, as
 * `torch.nn.utils.parameters_to_vector` (`cat` of `p.view(-1)`). Gradients flow back to
 * each parameter from its slice.
 *
 * @example
 * ```ts
 * import { nn, tensor } from "gradlab";
 * const v = nn.utils.parameters_to_vector([tensor([[1, 2], [3, 4]]), tensor([5])]);
 * console.log(v.tolist()); // [1, 2, 3, 4, 5]
 * ```
 */
export function parameters_to_vector(parameters: Iterable<Tensor>): Tensor {
  return cat([...parameters].map((p) => p.reshape([-1])));
}

/**
 * Copies consecutive slices of the 1-d `vec` into the parameters, in order, as
 * `torch.nn.utils.vector_to_parameters` (outside autograd).
 */
export function vector_to_parameters(vec: Tensor, parameters: Iterable<Tensor>): void {
  if (!(vec instanceof Tensor)) throw new Error(`expected torch.Tensor, but got: ${typeof vec}`);
  const list = [...parameters];
  const total = list.reduce((n, p) => n + p.numel(), 0);
  if (vec.numel() !== total) {
    throw new Error(`shape '[${total}]' is invalid for input of size ${vec.numel()}`);
  }
  const values = vec.contiguous().toTypedArray();
  let start = 0;
  no_grad(() => {
    for (const p of list) {
      const n = p.numel();
      const slice = emptyTensor(vec.dtype, p.shape);
      slice.data.data.set(values.subarray(start, start + n));
      p.copy_(slice);
      start += n;
    }
  });
}
