import type { Float } from "../tensor/dtype.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { ROUNDING, type Rounding } from "../kernels/rounding.ts";
import { LoopFamily } from "../kernels/specialise.ts";
import { checkEps, checkFused, checkLr, checkNonNegative, checkWeightDecay, withDefaults } from "./checks.ts";
import { type Hyperparameters, Optimizer, type ParamGroup, type Params, stateBuffer } from "./optimizer.ts";

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

  protected override update(theta: Float, g: Float, st: AdagradState, group: AdagradGroup): void {
    const { lr: gamma, lr_decay: eta, eps, weight_decay: lambda, maximize } = group;
    const t = ++st.step;
    const clr = gamma / (1 + (t - 1) * eta);
    const single = theta instanceof Float32Array;
    const key = (single ? 1 : 0) | (maximize ? 2 : 0) | (lambda !== 0 ? 4 : 0);
    const loop = adagradLoops.get(key) ?? adagradLoops.make(key, { rounding: single ? ROUNDING.float32 : ROUNDING.float64, maximize, decay: lambda !== 0 });
    const { round } = single ? ROUNDING.float32 : ROUNDING.float64;
    loop(theta, g, st.sum.data.data, round(-clr), round(lambda), round(eps));
  }
}

/** What one specialised Adagrad loop is made for. */
interface AdagradLoopSettings {
  rounding: Rounding;
  maximize: boolean;
  decay: boolean;
}

type AdagradLoop = (theta: Float, g: Float, s: Float, neg_clr: number, lambda: number, eps: number) => void;

/**
 * Adagrad's loop, one source for every (dtype, option set), op by op as
 * `_single_tensor_adagrad` (each result rounded to the dtype, FMAs as in rounding.ts):
 *
 * ```text
 * g ← fma(θ, λ, g)                 λ ≠ 0   (grad.add(param, alpha=λ))
 * s ← fma(g, g, s)                         (state_sum.addcmul_(grad, grad, value=1))
 * σ ← √s + ε                               (state_sum.sqrt().add_(eps), rounded twice)
 * θ ← θ + ((−clr)·g) / σ                   (param.addcdiv_(grad, std, value=−clr))
 * ```
 */
const adagradLoops = new LoopFamily((settings: AdagradLoopSettings): AdagradLoop => {
  const { rounding: { fma, round }, maximize, decay } = settings;
  return (theta, g, s, neg_clr, lambda, eps) => {
    for (let i = 0; i < theta.length; i++) {
      let gi = maximize ? -g[i]! : g[i]!;
      if (decay) gi = fma(theta[i]!, lambda, gi);
      const si = fma(gi, gi, s[i]!);
      s[i] = si;
      const std = round(round(Math.sqrt(si)) + eps);
      theta[i] = round(theta[i]! + round(round(neg_clr * gi) / std));
    }
  };
});
