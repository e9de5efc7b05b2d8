import { Tensor } from "../../methods.ts";

/**
 * The affine map y = x·Wᵀ + b over the last dimension of `input`, as
 * `torch.nn.functional.linear`; `weight` is [out_features, in_features].
 */
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  const y = input.matmul(weight.t());
  return bias === null ? y : y.add(bias);
}
