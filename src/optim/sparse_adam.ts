import { checkBetas, formatNumber } from "./checks.ts";
import { boolean, number, optional, signature } from "../utils/signature.ts";
import { type GroupOf, type OptimizerArguments, type OptionsOf, pair, paramsParameter } from "./signatures.ts";

/**
 * SparseAdam's signature in current PyTorch, the one declaration its types, parsing, defaults
 * and group keys come from: `SparseAdam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, maximize=False)`.
 */
export const sparseAdamSignature = signature("SparseAdam.__init__", [
  paramsParameter,
  optional("lr", number, 1e-3),
  optional("betas", pair, [0.9, 0.999]),
  optional("eps", number, 1e-8),
  optional("maximize", boolean, false),
]);

/** A param group of {@link SparseAdam}: PyTorch's keys, as declared in `sparseAdamSignature`. */
export type SparseAdamGroup = GroupOf<typeof sparseAdamSignature>;

/** The options of {@link SparseAdam}: every key of its group but the params, all optional. */
export type SparseAdamOptions = OptionsOf<typeof sparseAdamSignature>;

/**
 * SparseAdam, the Adam variant for sparse gradients, which gradlab cannot run.
 *
 * PyTorch's SparseAdam updates only the entries present in a sparse gradient (as an
 * `nn.Embedding(..., sparse=True)` produces) and refuses dense gradients with "SparseAdam
 * does not support dense gradients, please consider Adam instead". gradlab has no sparse
 * tensors, so every gradient is dense and no step could ever run: constructing one
 * checks the options as PyTorch does (lr > 0, eps > 0, betas in [0, 1)), then throws
 * that message with the reason. Use `optim.Adam`, which on dense gradients computes what
 * SparseAdam computes on the entries it touches.
 */
export class SparseAdam {
  constructor(...args: OptimizerArguments<typeof sparseAdamSignature>) {
    const { params, ...defaults } = sparseAdamSignature.parse(args);
    if (!(0 < defaults.lr)) throw new Error(`Invalid learning rate: ${formatNumber(defaults.lr)}`);
    if (!(0 < defaults.eps)) throw new Error(`Invalid epsilon value: ${formatNumber(defaults.eps)}`);
    checkBetas(defaults.betas);
    void params;
    throw new Error(
      "SparseAdam does not support dense gradients, please consider Adam instead (gradlab has no sparse tensors, so every gradient is dense)",
    );
  }
}
