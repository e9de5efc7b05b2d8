import type { Float } from "../tensor/dtype.ts";
import { Tensor } from "../methods.ts";
import { ROUNDING, type Rounding, isLowLerpWeight, lerpFactor } from "../kernels/rounding.ts";
import { LoopFamily } from "../kernels/specialise.ts";
import { checkBetas, checkEps, checkLr, checkWeightDecay } from "./checks.ts";
import { Optimizer, stateBuffer } from "./optimizer.ts";
import { type StepTrace, type TraceChannel, runTraced, traceChannel, watchedCopies } from "./step_trace.ts";
import { number, optional, signature } from "../utils/signature.ts";
import { type GroupOf, type OptimizerArguments, type OptionsOf, paramsParameter, common, commonKeywords } from "./signatures.ts";

/**
 * RAdam's signature in current PyTorch, the one declaration its types, parsing, defaults
 * and group keys come from: `RAdam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, decoupled_weight_decay=False, *, foreach=None, maximize=False, capturable=False, differentiable=False)`.
 */
export const rAdamSignature = signature("RAdam.__init__", [
  paramsParameter,
  optional("lr", number, 1e-3),
  ...common("betas", "eps", "weight_decay", "decoupled_weight_decay"),
  ...commonKeywords("foreach", "maximize", "capturable", "differentiable"),
]);

/** A param group of {@link RAdam}: PyTorch's keys, as declared in `rAdamSignature`. */
export type RAdamGroup = GroupOf<typeof rAdamSignature>;

/** The options of {@link RAdam}: every key of its group but the params, all optional. */
export type RAdamOptions = OptionsOf<typeof rAdamSignature>;

/** The per-parameter state of {@link RAdam}. */
export type RAdamState = {
  /** t, the number of steps this parameter has taken. */
  step: number;
  /** m, the running average of the gradient. */
  exp_avg: Tensor;
  /** v, the running average of the squared gradient. */
  exp_avg_sq: Tensor;
};

/**
 * RAdam, Adam with a rectified adaptive learning rate, written the way `step()` evaluates it.
 *
 * ```text
 * options  γ lr · β1, β2 betas · ε eps · λ weight_decay · decoupled_weight_decay · maximize
 * state    t step · m exp_avg · v exp_avg_sq
 * for each parameter θ that has a gradient g:
 *   g ← −g                                      if maximize
 *   t ← t + 1
 *   θ ← θ·(1 − γλ)                              if λ ≠ 0 and decoupled_weight_decay
 *   g ← g + λ·θ                                 if λ ≠ 0 otherwise
 *   m ← lerp(m, g, 1 − β1)                      two-branch: m + w·(g − m) if w < 0.5, else g − (g − m)·(1 − w)
 *   v ← β2·v + (1 − β2)·g·g
 *   ρ∞ = 2 / (1 − β2) − 1
 *   ρ  = ρ∞ − 2·t·β2^t / (1 − β2^t)
 *   if ρ > 5:
 *     r = √((ρ − 4)·(ρ − 2)·ρ∞ / ((ρ∞ − 4)·(ρ∞ − 2)·ρ))
 *     θ ← θ − (m / (1 − β1^t))·γ·(√(1 − β2^t) / (√v + ε))·r
 *   else:                                       the variance estimate is not yet trustworthy
 *     θ ← θ − (m / (1 − β1^t))·γ                 so take a plain momentum step
 * ```
 */
export class RAdam extends Optimizer<RAdamGroup, RAdamState> {
  constructor(...args: OptimizerArguments<typeof rAdamSignature>) {
    const { params, ...defaults } = rAdamSignature.parse(args);
    checkLr(defaults.lr);
    checkEps(defaults.eps);
    checkBetas(defaults.betas);
    checkWeightDecay(defaults.weight_decay);
    super(params, defaults, rAdamSignature);
  }

  protected override initState(param: Tensor): RAdamState {
    return { step: 0, exp_avg: stateBuffer(param), exp_avg_sq: stateBuffer(param) };
  }

  protected override update(theta: Float, g: Float, s: RAdamState, group: RAdamGroup, _param: Tensor, trace: StepTrace | null): void {
    const { lr: gamma, betas, eps, weight_decay: lambda, maximize } = group;
    const decoupled = lambda !== 0 && group.decoupled_weight_decay;
    const coupled = lambda !== 0 && !group.decoupled_weight_decay;
    const beta1 = betas[0];
    const beta2 = betas[1]; // not destructured: an array pattern allocates an iterator in unoptimised code
    const t = ++s.step;
    const bias_correction1 = 1 - beta1 ** t;
    const bias_correction2 = 1 - beta2 ** t;
    const rho_inf = 2 / (1 - beta2) - 1;
    const rho_t = rho_inf - (2 * t * beta2 ** t) / bias_correction2;
    const rectified = rho_t > 5;
    const rect = rectified ? Math.sqrt(((rho_t - 4) * (rho_t - 2) * rho_inf) / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) : 1;
    const single = theta instanceof Float32Array;
    const { round, divisor } = single ? ROUNDING.float32 : ROUNDING.float64;
    const w = round(1 - beta1);
    const lowWeight = isLowLerpWeight(w);
    const key = (single ? 1 : 0) | (maximize ? 2 : 0) | (coupled ? 4 : 0) | (decoupled ? 8 : 0) | (rectified ? 16 : 0) | (lowWeight ? 32 : 0);
    const loop =
      radamLoops.get(key) ??
      radamLoops.make(key, {
        rounding: single ? ROUNDING.float32 : ROUNDING.float64,
        maximize,
        coupled,
        decoupled,
        rectified,
        lowWeight,
        tracer: null,
        record: recordRAdam,
      });
    const m = s.exp_avg.data.data;
    const v = s.exp_avg_sq.data.data;
    // PyTorch converts each Python scalar to the tensor's dtype before the kernel runs.
    const decay = round(1 - gamma * lambda);
    const l = round(lambda);
    const k = lerpFactor(w, round);
    const b2 = round(beta2);
    const omb2 = round(1 - beta2);
    const bc1 = round(bias_correction1);
    const bc2_sqrt = round(Math.sqrt(bias_correction2));
    const e = round(eps);
    const lr = round(gamma);
    const r = round(rect);
    const watched = trace === null ? null : watchedCopies(trace.watch, theta, g, m, v);
    loop(theta, g, m, v, decay, l, k, b2, omb2, divisor(bc1), bc2_sqrt, e, lr, r);
    if (trace === null || watched === null) return;
    // lab.inspect: the same loop, traced, over copies of the watched elements as they were
    const traced = radamLoops.variant(key, 64, { tracer: traceChannel });
    Object.assign(trace.scalars, {
      t,
      lr: gamma,
      beta1,
      beta2: b2,
      eps: e,
      weight_decay: lambda,
      rho_inf,
      rho_t,
      rect: r,
      bias_correction1: bc1,
      bias_correction2_sqrt: bc2_sqrt,
    });
    runTraced(trace, () => traced(...watched, decay, l, k, b2, omb2, divisor(bc1), bc2_sqrt, e, lr, r));
  }
}

/** What one specialised RAdam loop is made for (`rectified`: ρ_t > 5 this step). */
interface RAdamLoopSettings {
  rounding: Rounding;
  maximize: boolean;
  coupled: boolean;
  decoupled: boolean;
  rectified: boolean;
  /** Which of lerp's two forms the weight 1 − β1 takes (below 0.5: m + w·(g − m)); the loop gets k = lerpFactor(w). */
  lowWeight: boolean;
  /** Where the traced variant records its watched elements (lab.inspect); null in the untraced loops. */
  tracer: TraceChannel | null;
  /** Records one element in the traced variant: {@link recordRAdam}. */
  record: typeof recordRAdam;
}

/**
 * lab.inspect's record of element `index` of a traced RAdam loop, if it is watched, in the
 * loop's names: `values` = θ, grad, the decayed θ, g, m_prev, m, v_prev, v, m_hat, step,
 * adaptive_lr, update, theta_after.
 */
function recordRAdam(settings: RAdamLoopSettings, index: number, values: number[]): void {
  const { tracer, decoupled, rectified } = settings;
  if (tracer === null || !tracer.watch.includes(index)) return;
  const [theta, grad, decayed, g, m_prev, m, v_prev, v, m_hat, step, adaptive_lr, update, theta_after] = values as Thirteen;
  const terms: Record<string, number> = { theta, grad };
  if (decoupled) terms.theta_decayed = decayed;
  Object.assign(terms, { g, m_prev, m, v_prev, v, m_hat, step });
  if (rectified) terms.adaptive_lr = adaptive_lr;
  tracer.elements.push(Object.assign(terms, { update, theta_after }));
}

type Thirteen = [number, number, number, number, number, number, number, number, number, number, number, number, number];

type RAdamLoop = (
  theta: Float,
  g: Float,
  m: Float,
  v: Float,
  decay: number,
  lambda: number,
  k: number,
  beta2: number,
  one_minus_beta2: number,
  /** 1 − β1^t in the dtype's divisor form (Rounding.divisor: its reciprocal in float32). */
  bias_correction1: number,
  bias_correction2_sqrt: number,
  eps: number,
  lr: number,
  rect: number,
) => void;

/**
 * RAdam's loop, one source for every (dtype, option set), op by op as current PyTorch's
 * `_single_tensor_radam`, each result rounded to the dtype (rounding.ts):
 *
 * ```text
 * θ ← θ·(1 − γλ)                 decoupled  (param.mul_(1 − lr·weight_decay))
 * g ← fma(θ, λ, g)               coupled    (grad.add(param, alpha=λ))
 * m ← lerp(m, g, w = 1 − β1)                (exp_avg.lerp_(grad, 1 − β1), two-branch)
 * v ← fma((1 − β2)·g, g, v·β2)              (exp_avg_sq.mul_(β2).addcmul_(grad, grad, value=1 − β2))
 * m̂ ← m / (1 − β1^t)                        (exp_avg / bias_correction1)
 * a ← (1 / (√v + ε))·√(1 − β2^t)  rectified (bias_correction2**0.5 / …: Tensor.__rtruediv__ is reciprocal, then mul)
 * θ ← θ − ((m̂·γ)·a)·r             rectified (param.add_(bias_corrected_exp_avg * lr * adaptive_lr * rect, alpha=−1))
 * θ ← θ − m̂·γ                     otherwise
 * ```
 * The division by 1 − β1^t is a multiplication by its reciprocal in float32, the same bits
 * (rounding.ts, quotient32). The loop is written once, per element; the family runs it two
 * elements per iteration, side by side, so their dependency chains overlap (`twoLanes` in
 * src/kernels/specialise.ts).
 */
const radamLoops = new LoopFamily(
  4,
  (settings: RAdamLoopSettings): RAdamLoop => {
    const {
      rounding: { fma, round, quotient },
      maximize,
      coupled,
      decoupled,
      rectified,
      lowWeight,
      tracer,
      record,
    } = settings;
    return (theta, g, m, v, decay, lambda, k, beta2, one_minus_beta2, bias_correction1, bias_correction2_sqrt, eps, lr, rect) => {
      decay *= 1;
      lambda *= 1;
      k *= 1;
      beta2 *= 1;
      one_minus_beta2 *= 1;
      bias_correction1 *= 1;
      bias_correction2_sqrt *= 1;
      eps *= 1;
      lr *= 1;
      rect *= 1; // unboxed once, not at every use (specialise.ts)
      for (let i = 0; i < theta.length; i++) {
        const grad = g[i]!;
        let gi = maximize ? -grad : grad;
        const theta0 = theta[i]!;
        const thetai = decoupled ? round(theta0 * decay) : theta0;
        if (coupled) gi = fma(thetai, lambda, gi);
        const m0 = m[i]!;
        const mi = fma(k, round(gi - m0), lowWeight ? m0 : gi);
        m[i] = mi;
        const v0 = v[i]!;
        const vi = fma(round(one_minus_beta2 * gi), gi, round(v0 * beta2));
        v[i] = vi;
        const m_hat = quotient(mi, bias_correction1);
        const step = round(m_hat * lr);
        const adaptive_lr = rectified ? round(round(1 / round(round(Math.sqrt(vi)) + eps)) * bias_correction2_sqrt) : 0;
        // θ − x is θ + (−x) exactly: the update is what θ gains
        const update = rectified ? -round(round(step * adaptive_lr) * rect) : -step;
        const theta1 = round(thetai + update);
        theta[i] = theta1;
        if (tracer !== null) record(settings, i, [theta0, grad, thetai, gi, m0, mi, v0, vi, m_hat, step, adaptive_lr, update, theta1]);
      }
    };
  },
  { name: "radam" },
);
