import type { Float } from "../tensor/dtype.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkEps, checkLr, checkMomentum, checkNonNegative, checkWeightDecay } from "./checks.ts";
import { Optimizer, stateBuffer } from "./optimizer.ts";
import { boolean, number, optional, signature } from "../utils/signature.ts";
import { type GroupOf, type OptimizerArguments, type OptionsOf, flag, paramsParameter } from "./signatures.ts";

/**
 * RMSprop's signature in current PyTorch, the one declaration its types, parsing, defaults
 * and group keys come from: `RMSprop(params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False, capturable=False, foreach=None, maximize=False, differentiable=False)`.
 */
export const rMSpropSignature = signature("RMSprop.__init__", [
  paramsParameter,
  optional("lr", number, 1e-2),
  optional("alpha", number, 0.99),
  optional("eps", number, 1e-8),
  optional("weight_decay", number, 0),
  optional("momentum", number, 0),
  optional("centered", boolean, false),
  optional("capturable", boolean, false),
  optional("foreach", flag, null),
  optional("maximize", boolean, false),
  optional("differentiable", boolean, false),
]);

/** A param group of {@link RMSprop}: PyTorch's keys, as declared in `rMSpropSignature`. */
export type RMSpropGroup = GroupOf<typeof rMSpropSignature>;

/** The options of {@link RMSprop}: every key of its group but the params, all optional. */
export type RMSpropOptions = OptionsOf<typeof rMSpropSignature>;

/** The per-parameter state of {@link RMSprop}; the optional buffers exist only with their option. */
export interface RMSpropState {
  step: number;
  /** v, the running average of g². */
  square_avg: Tensor;
  /** b, only when μ > 0 at the parameter's first step. */
  momentum_buffer?: Tensor;
  /** ḡ, only when centered at the parameter's first step. */
  grad_avg?: Tensor;
}

/**
 * RMSprop (Hinton's lecture 6e), written the way `step()` evaluates it.
 *
 * ```text
 * options  γ lr · α alpha · ε eps · λ weight_decay · μ momentum · centered · maximize
 * state    t step · v square_avg · ḡ grad_avg (centered) · b momentum_buffer (μ > 0)
 * for each parameter θ that has a gradient g:
 *   t ← t + 1
 *   g ← −g                              if maximize
 *   g ← g + λ·θ                         if λ ≠ 0
 *   v ← α·v + ((1 − α)·g)·g
 *   if centered:
 *     ḡ ← ḡ + (1 − α)·(g − ḡ)           the lerp form current PyTorch uses
 *     avg ← √(v − ḡ·ḡ) + ε
 *   else:
 *     avg ← √v + ε
 *   if μ > 0:
 *     b ← μ·b + g / avg
 *     θ ← θ − γ·b
 *   else:
 *     θ ← θ + (−γ·g) / avg
 * ```
 *
 * @example
 * ```ts
 * import { optim, tensor } from "gradlab";
 * const w = tensor([1], { dtype: "float64", requires_grad: true });
 * const opt = new optim.RMSprop([w], { lr: 0.01, alpha: 0.75 });
 * w.grad = tensor([2], { dtype: "float64" });
 * opt.step();
 * console.log(w.item().toFixed(6)); // "0.980000"
 * ```
 */
export class RMSprop extends Optimizer<RMSpropGroup, RMSpropState> {
  constructor(...args: OptimizerArguments<typeof rMSpropSignature>) {
    const { params, ...defaults } = rMSpropSignature.parse(args);
    checkLr(defaults.lr);
    checkEps(defaults.eps);
    checkMomentum(defaults.momentum);
    checkWeightDecay(defaults.weight_decay);
    checkNonNegative("alpha", defaults.alpha);
    super(params, defaults);
  }

  protected override initState(param: Tensor, group: RMSpropGroup): RMSpropState {
    const state: RMSpropState = { step: 0, square_avg: stateBuffer(param) };
    if (group.momentum > 0) state.momentum_buffer = stateBuffer(param);
    if (group.centered) state.grad_avg = stateBuffer(param);
    return state;
  }

  protected override update(theta: Float, g: Float, s: RMSpropState | null, group: RMSpropGroup): void {
    const { lr: gamma, alpha, eps, weight_decay: lambda, momentum: mu, centered, maximize } = group;
    const state = s!;
    state.step += 1;
    const v = state.square_avg.data.data;
    const gbar = centered ? state.grad_avg!.data.data : null;
    const b = mu > 0 ? state.momentum_buffer!.data.data : null;
    const w = 1 - alpha; // the lerp weight of ḡ; PyTorch's lerp switches form at 0.5
    for (let i = 0; i < theta.length; i++) {
      let gi = maximize ? -g[i]! : g[i]!;
      if (lambda !== 0) gi += lambda * theta[i]!;
      v[i] = alpha * v[i]! + (1 - alpha) * gi * gi;
      let avg: number;
      if (gbar !== null) {
        gbar[i] = Math.abs(w) < 0.5 ? gbar[i]! + w * (gi - gbar[i]!) : gi - (gi - gbar[i]!) * (1 - w);
        avg = Math.sqrt(v[i]! - gbar[i]! * gbar[i]!) + eps;
      } else {
        avg = Math.sqrt(v[i]!) + eps;
      }
      if (b !== null) {
        b[i] = mu * b[i]! + gi / avg;
        theta[i] = theta[i]! - gamma * b[i]!;
      } else {
        theta[i] = theta[i]! + (-gamma * gi) / avg;
      }
    }
  }
}
