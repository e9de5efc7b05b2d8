import type { Float } from "../tensor/dtype.ts";
import type { SparseTensor } from "../ops/sparse.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBetas, formatNumber } from "./checks.ts";
import { Optimizer, stateBuffer } from "./optimizer.ts";
import { sparseAdam } from "./sparse_steps.ts";
import { stepTracerOf } from "./step_trace.ts";
import { boolean, number, optional, signature } from "../utils/signature.ts";
import { type GroupOf, type OptimizerArguments, type OptionsOf, paramsParameter, common } from "./signatures.ts";

/**
 * SparseAdam's signature in current PyTorch, the one declaration its types, parsing, defaults
 * and group keys come from: `SparseAdam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, maximize=False)`.
 */
export const sparseAdamSignature = signature("SparseAdam.__init__", [
  paramsParameter,
  optional("lr", number, 1e-3),
  ...common("betas", "eps"),
  optional("maximize", boolean, false),
]);

/** A param group of {@link SparseAdam}: PyTorch's keys, as declared in `sparseAdamSignature`. */
export type SparseAdamGroup = GroupOf<typeof sparseAdamSignature>;

/** The options of {@link SparseAdam}: every key of its group but the params, all optional. */
export type SparseAdamOptions = OptionsOf<typeof sparseAdamSignature>;

/** The per-parameter state of {@link SparseAdam}. */
export type SparseAdamState = {
  /** t, the number of steps this parameter has taken (a number, as PyTorch's Python int). */
  step: number;
  /** m, the running average of the gradient (dense; only the rows a gradient names change). */
  exp_avg: Tensor;
  /** v, the running average of the squared gradient. */
  exp_avg_sq: Tensor;
};

/**
 * SparseAdam, the lazy Adam for sparse gradients (`nn.Embedding(..., { sparse: true })`):
 * each step moves only the rows its gradient names, and only their moments decay.
 *
 * ```text
 * options  γ lr (1e-3) · β1, β2 betas ([0.9, 0.999]) · ε eps (1e-8) · maximize
 * state    t step · m exp_avg · v exp_avg_sq
 * for each parameter θ with a sparse gradient g (coalesced: distinct rows, repeats summed):
 *   t ← t + 1;  g ← −g if maximize
 *   for each row i of g:
 *     Δm = (g − m[i])·(1 − β1);   m[i] ← m[i] + Δm
 *     Δv = (g² − v[i])·(1 − β2);  v[i] ← v[i] + Δv
 *     θ[i] ← θ[i] − (γ·√(1 − β2^t) / (1 − β1^t)) · m[i] / (√v[i] + ε)
 * ```
 * A dense gradient is refused at `step()` with PyTorch's message, before the group changes.
 *
 * @example
 * ```ts
 * import { nn, optim } from "gradlab";
 * const emb = new nn.Embedding(5, 2, { sparse: true });
 * const before = emb.weight.detach().clone();
 * const opt = new optim.SparseAdam(emb.parameters(), { lr: 0.1 });
 * emb.forward([1, 3, 1]).sum().backward();
 * opt.step();
 * console.log(emb.weight.sub(before).abs().sum(1).gt(0).tolist()); // [0,1,0,1,0]
 * ```
 */
export class SparseAdam extends Optimizer<SparseAdamGroup, SparseAdamState> {
  constructor(...args: OptimizerArguments<typeof sparseAdamSignature>) {
    const { params, ...defaults } = sparseAdamSignature.parse(args);
    if (!(0 < defaults.lr)) throw new Error(`Invalid learning rate: ${formatNumber(defaults.lr)}`);
    if (!(0 < defaults.eps)) throw new Error(`Invalid epsilon value: ${formatNumber(defaults.eps)}`);
    checkBetas(defaults.betas);
    super(params, defaults, sparseAdamSignature);
  }

  protected override initState(param: Tensor): SparseAdamState {
    return { step: 0, exp_avg: stateBuffer(param), exp_avg_sq: stateBuffer(param) };
  }

  /** SparseAdam takes only sparse gradients. */
  protected override checkGradients(group: SparseAdamGroup): void {
    for (const p of group.params) {
      if (p.grad !== null && !p.grad.is_sparse) throw new Error("SparseAdam does not support dense gradients, please consider Adam instead");
    }
  }

  protected override updateSparse(param: Tensor, grad: SparseTensor, state: SparseAdamState, group: SparseAdamGroup): void {
    state.step += 1;
    // lab.inspect's trace, if it watches this parameter (the base class traces dense updates only)
    const trace = stepTracerOf(this)?.traceFor(param, this.param_groups.indexOf(group)) ?? null;
    sparseAdam(param, grad, state, group, trace);
  }

  protected override update(_theta: Float, _g: Float, _state: SparseAdamState, _group: SparseAdamGroup): void {
    throw new Error("SparseAdam does not support dense gradients, please consider Adam instead");
  }
}
