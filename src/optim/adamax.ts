import type { Float } from "../tensor/dtype.ts";
import { Tensor } from "../methods.ts";
import { checkBetas, checkEps, checkLr, checkWeightDecay, withDefaults } from "./checks.ts";
import { type Hyperparameters, Optimizer, type ParamGroup, type Params, stateBuffer } from "./optimizer.ts";

/** A param group of {@link Adamax}: PyTorch's keys and defaults. */
export interface AdamaxGroup extends ParamGroup {
  /** γ, default 2e-3. */
  lr: number;
  /** β1, β2, default [0.9, 0.999]. */
  betas: [number, number];
  /** ε, default 1e-8. */
  eps: number;
  /** λ, default 0. */
  weight_decay: number;
  foreach: boolean | null;
  maximize: boolean;
  differentiable: boolean;
  capturable: boolean;
}

/** The options of {@link Adamax}: every key of its group but the params, all optional. */
export type AdamaxOptions = Partial<Hyperparameters<AdamaxGroup>>;

/** The per-parameter state of {@link Adamax}. */
export type AdamaxState = {
  /** t, the number of steps this parameter has taken. */
  step: number;
  /** m, the running average of the gradient. */
  exp_avg: Tensor;
  /** u, the decaying running maximum of |g| (the infinity norm). */
  exp_inf: Tensor;
};

/**
 * Adamax, Adam with the infinity norm, written the way `step()` evaluates it.
 *
 * ```text
 * options  γ lr · β1, β2 betas · ε eps · λ weight_decay · maximize
 * state    t step · m exp_avg · u exp_inf
 * for each parameter θ that has a gradient g:
 *   g ← −g                          if maximize
 *   t ← t + 1
 *   g ← g + λ·θ                     if λ ≠ 0
 *   m ← m + (1 − β1)·(g − m)        the lerp form
 *   u ← max(β2·u, |g| + ε)
 *   θ ← θ − (γ / (1 − β1^t))·(m / u)
 * ```
 * ε is added to |g| inside the max, so u never reaches zero.
 */
export class Adamax extends Optimizer<AdamaxGroup, AdamaxState> {
  constructor(params: Params<AdamaxGroup>, options: AdamaxOptions = {}) {
    const defaults = withDefaults("Adamax", {
      lr: 2e-3, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weight_decay: 0,
      foreach: null as boolean | null, maximize: false, differentiable: false, capturable: false,
    }, options);
    checkLr(defaults.lr);
    checkEps(defaults.eps);
    checkBetas(defaults.betas);
    checkWeightDecay(defaults.weight_decay);
    super(params, defaults);
  }

  protected override initState(param: Tensor): AdamaxState {
    return { step: 0, exp_avg: stateBuffer(param), exp_inf: stateBuffer(param) };
  }

  protected override update(theta: Float, g: Float, s: AdamaxState, group: AdamaxGroup): void {
    const { lr: gamma, betas: [beta1, beta2], eps, weight_decay: lambda, maximize } = group;
    const t = ++s.step;
    const clr = gamma / (1 - beta1 ** t);
    const m = s.exp_avg.data.data;
    const u = s.exp_inf.data.data;
    for (let i = 0; i < theta.length; i++) {
      let gi = maximize ? -g[i]! : g[i]!;
      if (lambda !== 0) gi += lambda * theta[i]!;
      m[i] = m[i]! + (1 - beta1) * (gi - m[i]!);
      u[i] = Math.max(beta2 * u[i]!, Math.abs(gi) + eps);
      theta[i] = theta[i]! - clr * (m[i]! / u[i]!);
    }
  }
}
