import type { Float } from "../tensor/dtype.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkEps, checkLr, checkWeightDecay, formatNumber } from "./checks.ts";
import { Optimizer, stateBuffer } from "./optimizer.ts";
import { boolean, keyword, number, optional, signature } from "../utils/signature.ts";
import { type GroupOf, type OptimizerArguments, type OptionsOf, flag, paramsParameter } from "./signatures.ts";

/**
 * Adadelta's signature in current PyTorch, the one declaration its types, parsing, defaults
 * and group keys come from: `Adadelta(params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *, capturable=False, maximize=False, differentiable=False)`.
 */
export const adadeltaSignature = signature("Adadelta.__init__", [
  paramsParameter,
  optional("lr", number, 1.0),
  optional("rho", number, 0.9),
  optional("eps", number, 1e-6),
  optional("weight_decay", number, 0),
  optional("foreach", flag, null),
  keyword("capturable", boolean, false),
  keyword("maximize", boolean, false),
  keyword("differentiable", boolean, false),
]);

/** A param group of {@link Adadelta}: PyTorch's keys, as declared in `adadeltaSignature`. */
export type AdadeltaGroup = GroupOf<typeof adadeltaSignature>;

/** The options of {@link Adadelta}: every key of its group but the params, all optional. */
export type AdadeltaOptions = OptionsOf<typeof adadeltaSignature>;

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
  constructor(...args: OptimizerArguments<typeof adadeltaSignature>) {
    const { params, ...defaults } = adadeltaSignature.parse(args);
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
