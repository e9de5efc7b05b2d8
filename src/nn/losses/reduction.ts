import { Tensor } from "../../methods.ts";
import { Module } from "../module.ts";
import { warn } from "../../utils/warn.ts";
import { sameShape } from "../../kernels/broadcast.ts";

/** How a loss combines its elementwise values: keep them, average them, or add them up. */
export type Reduction = "none" | "mean" | "sum";

/** Options every loss takes. */
export interface ReductionOptions {
  reduction?: Reduction;
}

/** Checks a reduction name with PyTorch's message. */
export function checkReduction(reduction: string): Reduction {
  if (reduction !== "none" && reduction !== "mean" && reduction !== "sum") {
    throw new Error(`${reduction} is not a valid value for reduction`);
  }
  return reduction;
}

/** Applies `reduction` to elementwise losses: as they are, their mean, or their sum. */
export function reduce(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === "none") return loss;
  const total = loss.sum();
  return reduction === "sum" ? total : total.div(loss.numel());
}

/** PyTorch's warning when a regression target broadcasts against a differently shaped input. */
export function warnIfShapesDiffer(input: Tensor, target: Tensor): void {
  if (!sameShape(input.shape, target.shape)) {
    warn(
      `Using a target size (torch.Size([${target.shape.join(", ")}])) that is different to the input size (torch.Size([${input.shape.join(", ")}])). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.`,
    );
  }
}

/** The base of the loss modules, as PyTorch's `_Loss`: it holds `reduction`. */
export class Loss extends Module {
  readonly reduction: Reduction;
  constructor(options: ReductionOptions = {}) {
    super();
    this.reduction = checkReduction(options.reduction ?? "mean");
  }
}
