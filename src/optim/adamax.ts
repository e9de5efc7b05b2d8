import type { Float } from "../tensor/dtype.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBetas, checkEps, checkLr, checkWeightDecay } from "./checks.ts";
import { Optimizer, stateBuffer } from "./optimizer.ts";
import { boolean, keyword, number, optional, signature } from "../utils/signature.ts";
import { type GroupOf, type OptimizerArguments, type OptionsOf, flag, pair, paramsParameter } from "./signatures.ts";

/**
 * Adamax's signature in current PyTorch, the one declaration its types, parsing, defaults
 * and group keys come from: `Adamax(params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, foreach=None, *, maximize=False, differentiable=False, capturable=False)`.
 */
export const adamaxSignature = signature("Adamax.__init__", [
  paramsParameter,
  optional("lr", number, 2e-3),
  optional("betas", pair, [0.9, 0.999]),
  optional("eps", number, 1e-8),
  optional("weight_decay", number, 0),
  optional("foreach", flag, null),
  keyword("maximize", boolean, false),
  keyword("differentiable", boolean, false),
  keyword("capturable", boolean, false),
]);

/** A param group of {@link Adamax}: PyTorch's keys, as declared in `adamaxSignature`. */
export type AdamaxGroup = GroupOf<typeof adamaxSignature>;

/** The options of {@link Adamax}: every key of its group but the params, all optional. */
export type AdamaxOptions = OptionsOf<typeof adamaxSignature>;

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
  constructor(...args: OptimizerArguments<typeof adamaxSignature>) {
    const { params, ...defaults } = adamaxSignature.parse(args);
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
