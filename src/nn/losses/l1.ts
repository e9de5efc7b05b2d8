import { Tensor } from "../../methods.ts";
import { Loss, checkReduction, reduce, warnIfShapesDiffer } from "./reduction.ts";
import { type Arguments, required, signature } from "../../utils/signature.ts";
import { legacyReduction, reduceParameter, reductionParameter, sizeAverageParameter, tensorKind } from "../signatures.ts";

/** `l1_loss(input, target, size_average=None, reduce=None, reduction="mean")`, as PyTorch declares it. */
export const l1LossSignature = signature("l1_loss", [
  required("input", tensorKind),
  required("target", tensorKind),
  sizeAverageParameter,
  reduceParameter,
  reductionParameter,
]);

/** The absolute error |x − y|, reduced, as `torch.nn.functional.l1_loss`. */
export function l1_loss(...args: Arguments<typeof l1LossSignature>): Tensor {
  const { input, target, size_average, reduce: legacy, reduction: given } = l1LossSignature.parse(args);
  const reduction = checkReduction(legacyReduction(size_average, legacy, given));
  warnIfShapesDiffer(input, target);
  return reduce(input.sub(target).abs(), reduction);
}

/** `L1Loss(size_average=None, reduce=None, reduction="mean")`, as PyTorch declares it. */
export const l1LossModuleSignature = signature("L1Loss.__init__", [sizeAverageParameter, reduceParameter, reductionParameter]);

/** Mean absolute error, as `torch.nn.L1Loss`; see `F.l1_loss`. */
export class L1Loss extends Loss {
  constructor(...args: Arguments<typeof l1LossModuleSignature>) {
    const { size_average, reduce: legacy, reduction } = l1LossModuleSignature.parse(args);
    super({ reduction: checkReduction(legacyReduction(size_average, legacy, reduction)) });
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return l1_loss(input, target, { reduction: this.reduction });
  }
}
