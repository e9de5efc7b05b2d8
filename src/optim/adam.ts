import type { Float } from "../tensor/dtype.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBetas, checkEps, checkFused, checkLr, checkWeightDecay, withDefaults } from "./checks.ts";
import { type Hyperparameters, Optimizer, type ParamGroup, type Params, stateBuffer } from "./optimizer.ts";

/** A param group of {@link Adam}: PyTorch's keys and defaults. */
export interface AdamGroup extends ParamGroup {
  /** γ, default 1e-3. */
  lr: number;
  /** β1, β2, default [0.9, 0.999]. */
  betas: [number, number];
  /** ε, default 1e-8. */
  eps: number;
  /** λ, default 0 (AdamW: 1e-2). */
  weight_decay: number;
  amsgrad: boolean;
  maximize: boolean;
  /** Decay θ directly (AdamW's rule) instead of adding λ·θ to the gradient. */
  decoupled_weight_decay: boolean;
  foreach: boolean | null;
  capturable: boolean;
  differentiable: boolean;
  fused: boolean | null;
}

/** The options of {@link Adam}: every key of its group but the params, all optional. */
export type AdamOptions = Partial<Hyperparameters<AdamGroup>>;

/** The per-parameter state of {@link Adam} (and AdamW). */
export type AdamState = {
  /** t, the number of steps this parameter has taken. */
  step: number;
  /** m, the running average of the gradient. */
  exp_avg: Tensor;
  /** v, the running average of the squared gradient. */
  exp_avg_sq: Tensor;
  /** vmax, the largest v seen, elementwise (only with amsgrad). */
  max_exp_avg_sq?: Tensor;
};

/** Adam's defaults, which AdamW shares but for weight_decay and decoupled_weight_decay. */
export const adamDefaults = (): Hyperparameters<AdamGroup> => ({
  lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false,
  foreach: null, capturable: false, differentiable: false, fused: null, decoupled_weight_decay: false,
});

/**
 * Adam, written the way `step()` evaluates it.
 *
 * ```text
 * options  γ lr · β1, β2 betas · ε eps · λ weight_decay · amsgrad · maximize · decoupled_weight_decay
 * state    t step · m exp_avg · v exp_avg_sq · vmax max_exp_avg_sq (amsgrad only)
 * for each parameter θ that has a gradient g:
 *   g ← −g                                   if maximize
 *   t ← t + 1
 *   θ ← θ·(1 − γλ)                           if λ ≠ 0 and decoupled_weight_decay
 *   g ← g + λ·θ                              if λ ≠ 0 otherwise
 *   m ← m + (1 − β1)·(g − m)                 the lerp form, as the loop computes it
 *   v ← β2·v + (1 − β2)·g·g
 *   vmax ← max(vmax, v), then use vmax as v  if amsgrad
 *   θ ← θ − (γ / (1 − β1^t)) · (m / (√v / √(1 − β2^t) + ε))
 * ```
 * The textbook form (m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t), θ ← θ − γ·m̂/(√v̂ + ε)) is the same
 * algebraically; PyTorch folds the corrections into two scalars, and so does this loop.
 *
 * @example
 * ```ts
 * import { optim, tensor } from "gradlab";
 * const w = tensor([1, -1], { dtype: "float64", requires_grad: true });
 * const opt = new optim.Adam([w], { lr: 0.1 });
 * w.grad = tensor([0.5, -2], { dtype: "float64" });
 * opt.step(); // the first step moves each weight by about lr against its gradient's sign
 * console.log((w.tolist() as number[]).map((x) => Number(x.toFixed(6)))); // [0.9, -0.9]
 * ```
 */
export class Adam extends Optimizer<AdamGroup, AdamState> {
  constructor(params: Params<AdamGroup>, options: AdamOptions = {}) {
    const defaults = withDefaults("Adam", adamDefaults(), options);
    checkLr(defaults.lr);
    checkEps(defaults.eps);
    checkBetas(defaults.betas);
    checkWeightDecay(defaults.weight_decay);
    checkFused(defaults);
    super(params, defaults);
  }

  protected override initState(param: Tensor, group: AdamGroup): AdamState {
    const state: AdamState = { step: 0, exp_avg: stateBuffer(param), exp_avg_sq: stateBuffer(param) };
    if (group.amsgrad) state.max_exp_avg_sq = stateBuffer(param);
    return state;
  }

  /** PyTorch's message for a sparse gradient points to SparseAdam. */
  protected override sparseGradientError(): string | null {
    return "Adam does not support sparse gradients, please consider SparseAdam instead";
  }

  protected override update(theta: Float, g: Float, s: AdamState, group: AdamGroup, param: Tensor): void {
    const { lr: gamma, betas: [beta1, beta2], eps, weight_decay: lambda, amsgrad, maximize } = group;
    const decoupled = lambda !== 0 && group.decoupled_weight_decay;
    const coupled = lambda !== 0 && !group.decoupled_weight_decay;
    const t = ++s.step;
    const decay = 1 - gamma * lambda;
    const step_size = gamma / (1 - beta1 ** t);
    const bias_correction2_sqrt = Math.sqrt(1 - beta2 ** t);
    if (amsgrad && s.max_exp_avg_sq === undefined) s.max_exp_avg_sq = stateBuffer(param);
    const m = s.exp_avg.data.data;
    const v = s.exp_avg_sq.data.data;
    const vmax = amsgrad ? s.max_exp_avg_sq!.data.data : v;
    const one_minus_beta1 = 1 - beta1;
    const one_minus_beta2 = 1 - beta2;
    for (let i = 0; i < theta.length; i++) {
      let gi = g[i]!;
      if (maximize) gi = -gi;
      const thetai = decoupled ? theta[i]! * decay : theta[i]!;
      if (coupled) gi += lambda * thetai;
      const m0 = m[i]!;
      // Store, then read back: the update uses m and v as stored (rounded to float32 for
      // float32 parameters), as PyTorch's state tensors hold them.
      m[i] = m0 + one_minus_beta1 * (gi - m0);
      v[i] = beta2 * v[i]! + one_minus_beta2 * gi * gi;
      const mi = m[i]!;
      let vi = v[i]!;
      if (amsgrad) vi = vmax[i] = Math.max(vmax[i]!, vi);
      theta[i] = thetai - step_size * (mi / (Math.sqrt(vi) / bias_correction2_sqrt + eps));
    }
  }
}
