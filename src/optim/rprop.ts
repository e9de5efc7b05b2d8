import type { Float } from "../tensor/dtype.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkLr, formatNumber, withDefaults } from "./checks.ts";
import { type Hyperparameters, Optimizer, type ParamGroup, type Params, stateBuffer } from "./optimizer.ts";

/** A param group of {@link Rprop}: PyTorch's keys and defaults. */
export interface RpropGroup extends ParamGroup {
  /** The initial step size η₀ of every element, default 1e-2. */
  lr: number;
  /** (η−, η+), default (0.5, 1.2): how a step size shrinks after a sign change and grows otherwise. */
  etas: [number, number];
  /** (Γmin, Γmax), default (1e-6, 50): the bounds of every step size. */
  step_sizes: [number, number];
  capturable: boolean;
  foreach: boolean | null;
  maximize: boolean;
  differentiable: boolean;
}

/** The options of {@link Rprop}: every key of its group but the params, all optional. */
export type RpropOptions = Partial<Hyperparameters<RpropGroup>>;

/** The per-parameter state of {@link Rprop}. */
export interface RpropState {
  step: number;
  /** g_prev, the gradient used last step (zeroed where the sign changed). */
  prev: Tensor;
  /** η, one step size per element, starting at lr. */
  step_size: Tensor;
}

/**
 * Resilient backpropagation (Riedmiller and Braun, 1993), the variant PyTorch implements
 * (no weight backtracking), written the way `step()` evaluates it.
 *
 * ```text
 * options  η₀ lr · (η−, η+) etas · (Γmin, Γmax) step_sizes · maximize
 * state    t step · g_prev prev · η step_size (starts at η₀)
 * for each parameter θ that has a gradient g:
 *   t ← t + 1
 *   g ← −g                              if maximize
 *   s ← sign(g·g_prev)
 *   η ← clamp(η·η+, Γmin, Γmax)          where s > 0
 *   η ← clamp(η·η−, Γmin, Γmax)          where s < 0, and there g ← 0
 *   η ← clamp(η, Γmin, Γmax)             where s = 0
 *   θ ← θ − sign(g)·η
 *   g_prev ← g
 * ```
 * Only the sign of the gradient moves θ; its size never does.
 *
 * @example
 * ```ts
 * import { optim, tensor } from "gradlab";
 * const w = tensor([1, 1], { dtype: "float64", requires_grad: true });
 * const opt = new optim.Rprop([w], { lr: 0.1 });
 * for (const g of [[3, -2], [5, 4]]) {
 *   w.grad = tensor(g, { dtype: "float64" });
 *   opt.step();
 * }
 * console.log(w.tolist()); // [0.78, 1.1]
 * ```
 */
export class Rprop extends Optimizer<RpropGroup, RpropState> {
  constructor(params: Params<RpropGroup>, options: RpropOptions = {}) {
    const defaults = withDefaults("Rprop", {
      lr: 1e-2, etas: [0.5, 1.2] as [number, number], step_sizes: [1e-6, 50] as [number, number],
      capturable: false, foreach: null as boolean | null, maximize: false, differentiable: false,
    }, options);
    checkLr(defaults.lr);
    const [etaminus, etaplus] = defaults.etas;
    if (!(0 < etaminus && etaminus < 1 && 1 < etaplus)) {
      throw new Error(`Invalid eta values: ${formatNumber(etaminus)}, ${formatNumber(etaplus)}`);
    }
    super(params, defaults);
  }

  protected override initState(param: Tensor, group: RpropGroup): RpropState {
    return { step: 0, prev: stateBuffer(param), step_size: stateBuffer(param, group.lr) };
  }

  protected override update(theta: Float, g: Float, s: RpropState | null, group: RpropGroup): void {
    const { etas, step_sizes: [step_size_min, step_size_max], maximize } = group;
    const state = s!;
    state.step += 1;
    const prev = state.prev.data.data;
    const eta = state.step_size.data.data;
    // A float32 tensor holds sign(g·g_prev), η− and η+ rounded to float32, as PyTorch's do.
    const single = theta instanceof Float32Array;
    const [etaminus, etaplus] = single ? [Math.fround(etas[0]), Math.fround(etas[1])] : etas;
    for (let i = 0; i < theta.length; i++) {
      let gi = maximize ? -g[i]! : g[i]!;
      const product = single ? Math.fround(gi * prev[i]!) : gi * prev[i]!;
      const factor = product > 0 ? etaplus : product < 0 ? etaminus : 1;
      eta[i] = Math.min(Math.max(eta[i]! * factor, step_size_min), step_size_max);
      if (product < 0) gi = 0;
      theta[i] = theta[i]! - (gi > 0 ? 1 : gi < 0 ? -1 : 0) * eta[i]!; // torch.sign: 0 for NaN, so θ stays
      prev[i] = gi;
    }
  }
}
