import type { Float } from "../tensor/dtype.ts";
import { Tensor } from "../methods.ts";
import { checkEps, checkLr, checkWeightDecay, formatNumber, withDefaults } from "./checks.ts";
import { type Hyperparameters, Optimizer, type ParamGroup, type Params, stateBuffer } from "./optimizer.ts";

/** A param group of {@link Adadelta}: PyTorch's keys and defaults. */
export interface AdadeltaGroup extends ParamGroup {
  /** γ, default 1.0 (a multiplier on the unit-correct step, not a step size). */
  lr: number;
  /** ρ, default 0.9: the decay of both running averages. */
  rho: number;
  /** ε, default 1e-6. */
  eps: number;
  /** λ, default 0. */
  weight_decay: number;
  foreach: boolean | null;
  capturable: boolean;
  maximize: boolean;
  differentiable: boolean;
}

/** The options of {@link Adadelta}: every key of its group but the params, all optional. */
export type AdadeltaOptions = Partial<Hyperparameters<AdadeltaGroup>>;

/** The per-parameter state of {@link Adadelta}. */
export interface AdadeltaState {
  step: number;
  /** v, the running average of g². */
  square_avg: Tensor;
  /** u, the running average of Δ². */
  acc_delta: Tensor;
}

/**
 * Adadelta (Zeiler, 2012), written the way `step()` evaluates it.
 *
 * ```text
 * options  γ lr · ρ rho · ε eps · λ weight_decay · maximize
 * state    t step · v square_avg · u acc_delta
 * for each parameter θ that has a gradient g:
 *   t ← t + 1
 *   g ← −g                              if maximize
 *   g ← g + λ·θ                         if λ ≠ 0
 *   v ← ρ·v + ((1 − ρ)·g)·g
 *   Δ ← (√(u + ε) / √(v + ε))·g
 *   u ← ρ·u + ((1 − ρ)·Δ)·Δ
 *   θ ← θ − γ·Δ
 * ```
 * The ratio of the two RMS values gives Δ the units of θ, which is why lr defaults to 1.
 *
 * @example
 * ```ts
 * import { optim, tensor } from "gradlab";
 * const w = tensor([1], { dtype: "float64", requires_grad: true });
 * const opt = new optim.Adadelta([w], { eps: 1e-2 });
 * w.grad = tensor([1], { dtype: "float64" });
 * opt.step();
 * console.log(w.item().toFixed(6)); // "0.698489"
 * ```
 */
export class Adadelta extends Optimizer<AdadeltaGroup, AdadeltaState> {
  constructor(params: Params<AdadeltaGroup>, options: AdadeltaOptions = {}) {
    const defaults = withDefaults("Adadelta", {
      lr: 1.0, rho: 0.9, eps: 1e-6, weight_decay: 0, foreach: null as boolean | null,
      capturable: false, maximize: false, differentiable: false,
    }, options);
    checkLr(defaults.lr);
    if (!(0 <= defaults.rho && defaults.rho <= 1)) throw new Error(`Invalid rho value: ${formatNumber(defaults.rho)}`);
    checkEps(defaults.eps);
    checkWeightDecay(defaults.weight_decay);
    super(params, defaults);
  }

  protected override initState(param: Tensor): AdadeltaState {
    return { step: 0, square_avg: stateBuffer(param), acc_delta: stateBuffer(param) };
  }

  protected override update(theta: Float, g: Float, s: AdadeltaState | null, group: AdadeltaGroup): void {
    const { lr: gamma, rho, eps, weight_decay: lambda, maximize } = group;
    const state = s!;
    state.step += 1;
    const v = state.square_avg.data.data;
    const u = state.acc_delta.data.data;
    for (let i = 0; i < theta.length; i++) {
      let gi = maximize ? -g[i]! : g[i]!;
      if (lambda !== 0) gi += lambda * theta[i]!;
      v[i] = rho * v[i]! + (1 - rho) * gi * gi;
      const delta = (Math.sqrt(u[i]! + eps) / Math.sqrt(v[i]! + eps)) * gi;
      u[i] = rho * u[i]! + (1 - rho) * delta * delta;
      theta[i] = theta[i]! - gamma * delta;
    }
  }
}
