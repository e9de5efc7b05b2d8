import type { Float } from "../tensor/dtype.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkEps, checkFused, checkLr, checkNonNegative, checkWeightDecay, withDefaults } from "./checks.ts";
import { type Hyperparameters, Optimizer, type ParamGroup, type Params, stateBuffer } from "./optimizer.ts";
import type { SparseTensor } from "../tensor/sparse.ts";
import { adagradSparse } from "./sparse_steps.ts";

/** A param group of {@link Adagrad}: PyTorch's keys and defaults. */
export interface AdagradGroup extends ParamGroup {
  /** γ, default 1e-2. */
  lr: number;
  /** η, default 0: the lr decays as γ / (1 + (t − 1)·η). */
  lr_decay: number;
  /** ε, default 1e-10. */
  eps: number;
  /** λ, default 0. */
  weight_decay: number;
  /** The value the sum of squares starts from, default 0. */
  initial_accumulator_value: number;
  foreach: boolean | null;
  maximize: boolean;
  differentiable: boolean;
  fused: boolean | null;
}

/** The options of {@link Adagrad}: every key of its group but the params, all optional. */
export type AdagradOptions = Partial<Hyperparameters<AdagradGroup>>;

/** The per-parameter state of {@link Adagrad}. */
export type AdagradState = {
  /** t, the number of steps this parameter has taken. */
  step: number;
  /** s, the running sum of squared gradients. */
  sum: Tensor;
};

/**
 * Adagrad, written the way `step()` evaluates it.
 *
 * ```text
 * options  γ lr · η lr_decay · ε eps · λ weight_decay · s₀ initial_accumulator_value · maximize
 * state    t step · s sum (starts at s₀)
 * for each parameter θ that has a gradient g:
 *   t ← t + 1
 *   g ← −g                       if maximize
 *   g ← g + λ·θ                  if λ ≠ 0
 *   γ' = γ / (1 + (t − 1)·η)
 *   s ← s + g·g
 *   θ ← θ − γ'·(g / (√s + ε))
 * ```
 * Unlike the other optimizers, Adagrad's state exists from construction, as in PyTorch:
 * every parameter gets `step` 0 and `sum` filled with the constructor's
 * initial_accumulator_value (a group's own value is not used for it). A parameter added
 * later by `add_param_group` gets its state on its first step, from its group's value
 * (PyTorch has no state for it and fails there).
 */
export class Adagrad extends Optimizer<AdagradGroup, AdagradState> {
  constructor(params: Params<AdagradGroup>, options: AdagradOptions = {}) {
    const defaults = withDefaults("Adagrad", {
      lr: 1e-2, lr_decay: 0, eps: 1e-10, weight_decay: 0, initial_accumulator_value: 0,
      foreach: null as boolean | null, maximize: false, differentiable: false, fused: null as boolean | null,
    }, options);
    checkLr(defaults.lr);
    checkNonNegative("lr_decay", defaults.lr_decay);
    checkWeightDecay(defaults.weight_decay);
    checkNonNegative("initial_accumulator_value", defaults.initial_accumulator_value);
    checkEps(defaults.eps);
    checkFused(defaults);
    super(params, defaults);
    for (const group of this.param_groups) {
      for (const p of group.params) {
        this.state.set(p, { step: 0, sum: stateBuffer(p, defaults.initial_accumulator_value) });
      }
    }
  }

  protected override initState(param: Tensor, group: AdagradGroup): AdagradState {
    return { step: 0, sum: stateBuffer(param, group.initial_accumulator_value) };
  }

  /** Sparse gradients are taken, except with weight decay, as PyTorch's Adagrad. */
  protected override sparseGradientError(group: AdagradGroup): string | null {
    return group.weight_decay !== 0 ? "weight_decay option is not compatible with sparse gradients" : null;
  }

  /** The rows a sparse gradient names: sparse_steps.ts. */
  protected override updateSparse(param: Tensor, grad: SparseTensor, st: AdagradState, group: AdagradGroup): void {
    adagradSparse(param, grad, st, group);
  }

  protected override update(theta: Float, g: Float, st: AdagradState, group: AdagradGroup): void {
    const { lr: gamma, lr_decay: eta, eps, weight_decay: lambda, maximize } = group;
    const t = ++st.step;
    const clr = gamma / (1 + (t - 1) * eta);
    const s = st.sum.data.data;
    for (let i = 0; i < theta.length; i++) {
      let gi = maximize ? -g[i]! : g[i]!;
      if (lambda !== 0) gi += lambda * theta[i]!;
      s[i] = s[i]! + gi * gi;
      theta[i] = theta[i]! - clr * (gi / (Math.sqrt(s[i]!) + eps));
    }
  }
}
