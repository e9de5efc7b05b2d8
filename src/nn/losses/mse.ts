import { Tensor } from "../../methods.ts";
import { Loss, type Reduction, checkReduction, reduce, warnIfShapesDiffer } from "./reduction.ts";
import { type Arguments, required, signature } from "../../utils/signature.ts";
import { legacyReduction, reduceParameter, reductionParameter, sizeAverageParameter, tensorKind } from "../signatures.ts";

/** `mse_loss(input, target, size_average=None, reduce=None, reduction="mean")`, as PyTorch declares it. */
export const mseLossSignature = signature("mse_loss", [
  required("input", tensorKind),
  required("target", tensorKind),
  sizeAverageParameter,
  reduceParameter,
  reductionParameter,
]);

/**
 * The squared error (x − y)², reduced, as `torch.nn.functional.mse_loss`.
 *
 * @example
 * ```ts
 * import { F, tensor } from "gradlab";
 * console.log(F.mse_loss(tensor([1, 2]), tensor([3, 2])).item()); // 2
 * ```
 */
export function mse_loss(...args: Arguments<typeof mseLossSignature>): Tensor {
  const { input, target, size_average, reduce: legacy, reduction: given } = mseLossSignature.parse(args);
  return squaredError(input, target, checkReduction(legacyReduction(size_average, legacy, given)));
}

/** `mse_loss` on two tensors and a checked reduction (MSELoss's forward): no call to parse. */
function squaredError(input: Tensor, target: Tensor, reduction: Reduction): Tensor {
  warnIfShapesDiffer(input, target);
  const d = input.sub(target);
  return reduce(d.mul(d), reduction);
}

/** `MSELoss(size_average=None, reduce=None, reduction="mean")`, as PyTorch declares it. */
export const mseLossModuleSignature = signature("MSELoss.__init__", [sizeAverageParameter, reduceParameter, reductionParameter]);

/** Mean squared error, as `torch.nn.MSELoss`; see `F.mse_loss`. */
export class MSELoss extends Loss {
  constructor(...args: Arguments<typeof mseLossModuleSignature>) {
    const { size_average, reduce: legacy, reduction } = mseLossModuleSignature.parse(args);
    super({ reduction: checkReduction(legacyReduction(size_average, legacy, reduction)) });
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    // two tensors skip mse_loss's argument parsing; anything else gets its TypeError
    if (input instanceof Tensor && target instanceof Tensor) return squaredError(input, target, this.reduction);
    return mse_loss(input, target, { reduction: this.reduction });
  }
}
