import { unaryKernel } from "../../kernels/elementwise.ts";
import { Tensor } from "../../methods.ts";
import { emptyTensor } from "../../tensor/tensor.ts";
import { Module } from "../module.ts";
import { type Reduction, checkReduction } from "./reduction.ts";
import { type Arguments, boolean, choice, optional, required, signature } from "../../utils/signature.ts";
import { legacyReduction, reduceParameter, sizeAverageParameter, tensorKind } from "../signatures.ts";
import { warn } from "../../utils/warn.ts";

/** The reductions of `kl_div`: also `batchmean`, the sum divided by the batch size. */
export type KLDivReduction = Reduction | "batchmean";

/** Options of `kl_div`, with PyTorch's defaults. */
export interface KLDivOptions {
  reduction?: KLDivReduction;
  log_target?: boolean;
}

/** out = y·log y elementwise, 0 where y = 0 (`torch.xlogy(y, y)`), for views of one shape. */
const xlogxInto = unaryKernel((y) => (y === 0 ? 0 : y * Math.log(y)));

/** y·log y of a target that needs no gradient, as a new tensor. */
function xlogyConstant(target: Tensor): Tensor {
  const out = emptyTensor(target.dtype, target.shape);
  xlogxInto(out.data, target.data);
  return out;
}

/** `kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False)`, as PyTorch declares it. */
export const klDivSignature = signature("kl_div", [
  required("input", tensorKind),
  required("target", tensorKind),
  sizeAverageParameter,
  reduceParameter,
  optional("reduction", choice("none", "batchmean", "sum", "mean"), "mean"),
  optional("log_target", boolean, false),
]);

/**
 * The Kullback–Leibler divergence of `target` from the log-probabilities `input`, as
 * `torch.nn.functional.kl_div`:
 *
 * ```text
 * ℓ = y·log y − y·x        (y·log y = 0 where y = 0)
 * ℓ = e^y·(y − x)           with log_target (the target given as log-probabilities)
 * batchmean: Σℓ / N         mean: Σℓ / numel (not the KL divergence; PyTorch warns)
 * ```
 */
export function kl_div(...args: Arguments<typeof klDivSignature>): Tensor {
  const { input, target, size_average, reduce: legacy, reduction: named, log_target } = klDivSignature.parse(args);
  const given = legacyReduction(size_average, legacy, named);
  const reduction = given === "batchmean" ? "batchmean" : checkReduction(given);
  if (reduction === "mean") {
    warn(
      "reduction: 'mean' divides the total loss by both the batch size and the support size.'batchmean' divides only by the batch size, and aligns with the KL div math definition.'mean' will be changed to behave the same as 'batchmean' in the next major release.",
    );
  }
  if (input.dtype === "int64" || target.dtype === "int64") throw new Error("kl_div: Integral inputs not supported.");
  let loss: Tensor;
  if (log_target) {
    loss = target.exp().mul(target.sub(input));
  } else {
    // With a target that requires grad, y·log y needs autograd: y·log(max(y, tiny)) is 0 at y = 0.
    const entropyTerm = target.requires_grad ? target.mul(target.clamp({ min: Number.MIN_VALUE }).log()) : xlogyConstant(target);
    loss = entropyTerm.sub(target.mul(input));
  }
  if (reduction === "none") return loss;
  if (reduction === "sum") return loss.sum();
  if (reduction === "batchmean") return input.ndim === 0 ? loss.sum() : loss.sum().div(input.shape[0]!);
  return loss.sum().div(loss.numel());
}

/** `KLDivLoss(size_average=None, reduce=None, reduction="mean", log_target=False)`, as PyTorch declares it. */
export const klDivLossSignature = signature("KLDivLoss.__init__", [
  sizeAverageParameter,
  reduceParameter,
  optional("reduction", choice("none", "batchmean", "sum", "mean"), "mean"),
  optional("log_target", boolean, false),
]);

/** The KL divergence loss, as `torch.nn.KLDivLoss`; see `F.kl_div`. */
export class KLDivLoss extends Module {
  readonly reduction: KLDivReduction;
  readonly log_target: boolean;
  constructor(...args: Arguments<typeof klDivLossSignature>) {
    const { size_average, reduce: legacy, reduction: named, log_target } = klDivLossSignature.parse(args);
    super();
    const reduction = legacyReduction(size_average, legacy, named);
    this.reduction = reduction === "batchmean" ? reduction : checkReduction(reduction);
    this.log_target = log_target;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return kl_div(input, target, { reduction: this.reduction, log_target: this.log_target });
  }
}
