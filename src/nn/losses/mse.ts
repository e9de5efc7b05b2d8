import { Tensor } from "../../methods.ts";
import { Loss, type ReductionOptions, checkReduction, reduce, warnIfShapesDiffer } from "./reduction.ts";

/**
 * The squared error (x − y)², reduced, as `torch.nn.functional.mse_loss`.
 *
 * @example
 * ```ts
 * import { F, tensor } from "gradlab";
 * console.log(F.mse_loss(tensor([1, 2]), tensor([3, 2])).item()); // 2
 * ```
 */
export function mse_loss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  const reduction = checkReduction(options.reduction ?? "mean");
  warnIfShapesDiffer(input, target);
  const d = input.sub(target);
  return reduce(d.mul(d), reduction);
}

/** Mean squared error, as `torch.nn.MSELoss`; see `F.mse_loss`. */
export class MSELoss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return mse_loss(input, target, { reduction: this.reduction });
  }
}
