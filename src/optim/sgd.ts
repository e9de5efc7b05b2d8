import type { Float } from "../tensor/dtype.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkLr, checkMomentum, checkWeightDecay, withDefaults } from "./checks.ts";
import { type Hyperparameters, Optimizer, type ParamGroup, type Params, stateBuffer } from "./optimizer.ts";
import type { SparseTensor } from "../tensor/sparse.ts";
import { sgdSparse } from "./sparse_steps.ts";

/** A param group of {@link SGD}: PyTorch's keys and defaults. */
export interface SGDGroup extends ParamGroup {
  /** γ, default 1e-3. */
  lr: number;
  /** μ, default 0 (plain gradient descent, no state). */
  momentum: number;
  /** τ, default 0. */
  dampening: number;
  /** λ, default 0. */
  weight_decay: number;
  nesterov: boolean;
  maximize: boolean;
  foreach: boolean | null;
  differentiable: boolean;
  fused: boolean | null;
}

/** The options of {@link SGD}: every key of its group but the params, all optional. */
export type SGDOptions = Partial<Hyperparameters<SGDGroup>>;

/** The per-parameter state of {@link SGD}: only with momentum. */
export type SGDState = {
  /** b, a clone of the first step's gradient, then the running momentum. */
  momentum_buffer: Tensor | null;
};

/**
 * Stochastic gradient descent, optionally with momentum, written the way `step()` evaluates it.
 *
 * ```text
 * options  γ lr · μ momentum · τ dampening · λ weight_decay · nesterov · maximize
 * state    b momentum_buffer (only when μ ≠ 0)
 * for each parameter θ that has a gradient g:
 *   g ← −g                       if maximize
 *   g ← g + λ·θ                  if λ ≠ 0
 *   if μ ≠ 0:
 *     b ← g                      on the parameter's first step with momentum
 *     b ← μ·b + (1 − τ)·g        afterwards
 *     g ← g + μ·b                if nesterov
 *     g ← b                      otherwise
 *   θ ← θ − γ·g
 * ```
 * This is PyTorch's velocity form: γ scales the step outside the buffer, where Sutskever
 * et al. put it inside (b ← μ·b + γ·g, θ ← θ − b); the two agree while γ stays fixed.
 *
 * @example
 * ```ts
 * import { optim, tensor } from "gradlab";
 * const w = tensor([1, 2], { dtype: "float64", requires_grad: true });
 * const opt = new optim.SGD([w], { lr: 0.1, momentum: 0.9 });
 * w.grad = tensor([1, 1], { dtype: "float64" });
 * opt.step();
 * console.log(w.tolist()); // [0.9, 1.9]
 * ```
 */
export class SGD extends Optimizer<SGDGroup, SGDState> {
  constructor(params: Params<SGDGroup>, options: SGDOptions = {}) {
    const defaults = withDefaults("SGD", {
      lr: 1e-3, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false,
      maximize: false, foreach: null as boolean | null, differentiable: false, fused: null as boolean | null,
    }, options);
    checkLr(defaults.lr);
    checkMomentum(defaults.momentum);
    checkWeightDecay(defaults.weight_decay);
    if (defaults.nesterov && (defaults.momentum <= 0 || defaults.dampening !== 0)) {
      throw new Error("Nesterov momentum requires a momentum and zero dampening");
    }
    super(params, defaults);
  }

  /** State only with momentum; the buffer itself is made on the first update. */
  protected override initState(_param: Tensor, group: SGDGroup): SGDState | null {
    return group.momentum !== 0 ? { momentum_buffer: null } : null;
  }

  /** Sparse gradients are taken, except with weight decay (PyTorch cannot add a dense tensor to a sparse one). */
  protected override sparseGradientError(group: SGDGroup): string | null {
    return group.weight_decay !== 0 ? "add(sparse, dense) is not supported. Use add(dense, sparse) instead." : null;
  }

  /** A sparse gradient runs the same formulas on sparse tensors: sparse_steps.ts. */
  protected override updateSparse(param: Tensor, grad: SparseTensor, s: SGDState | null, group: SGDGroup): void {
    sgdSparse(param, grad, s, group);
  }

  protected override update(theta: Float, g: Float, s: SGDState | null, group: SGDGroup, param: Tensor): void {
    const { lr: gamma, momentum: mu, dampening: tau, weight_decay: lambda, nesterov, maximize } = group;
    let first = false;
    if (mu !== 0 && s!.momentum_buffer === null) {
      s!.momentum_buffer = stateBuffer(param);
      first = true;
    }
    const b = mu !== 0 ? s!.momentum_buffer!.data.data : null;
    for (let i = 0; i < theta.length; i++) {
      let gi = maximize ? -g[i]! : g[i]!;
      if (lambda !== 0) gi += lambda * theta[i]!;
      if (b !== null) {
        b[i] = first ? gi : mu * b[i]! + (1 - tau) * gi;
        gi = nesterov ? gi + mu * b[i]! : b[i]!;
      }
      theta[i] = theta[i]! - gamma * gi;
    }
  }
}
