import { checkBetas, formatNumber, withDefaults } from "./checks.ts";
import type { Hyperparameters, ParamGroup, Params } from "./optimizer.ts";

/** A param group of {@link SparseAdam}: PyTorch's keys and defaults. */
export interface SparseAdamGroup extends ParamGroup {
  /** default 1e-3. */
  lr: number;
  /** default [0.9, 0.999]. */
  betas: [number, number];
  /** default 1e-8. */
  eps: number;
  maximize: boolean;
}

/** The options of {@link SparseAdam}: every key of its group but the params, all optional. */
export type SparseAdamOptions = Partial<Hyperparameters<SparseAdamGroup>>;

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
  constructor(params: Params<SparseAdamGroup>, options: SparseAdamOptions = {}) {
    const defaults = withDefaults("SparseAdam", { lr: 1e-3, betas: [0.9, 0.999] as [number, number], eps: 1e-8, maximize: false }, options);
    if (!(0 < defaults.lr)) throw new Error(`Invalid learning rate: ${formatNumber(defaults.lr)}`);
    if (!(0 < defaults.eps)) throw new Error(`Invalid epsilon value: ${formatNumber(defaults.eps)}`);
    checkBetas(defaults.betas);
    void params;
    throw new Error(
      "SparseAdam does not support dense gradients, please consider Adam instead (gradlab has no sparse tensors, so every gradient is dense)",
    );
  }
}
