import { Tensor } from "../../methods.ts";
import { Loss, type ReductionOptions, checkReduction, reduce, warnIfShapesDiffer } from "./reduction.ts";

/** The absolute error |x − y|, reduced, as `torch.nn.functional.l1_loss`. */
export function l1_loss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  const reduction = checkReduction(options.reduction ?? "mean");
  warnIfShapesDiffer(input, target);
  return reduce(input.sub(target).abs(), reduction);
}

/** Mean absolute error, as `torch.nn.L1Loss`; see `F.l1_loss`. */
export class L1Loss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return l1_loss(input, target, { reduction: this.reduction });
  }
}
