import type { Float } from "../tensor/dtype.ts";
import { Tensor } from "../methods.ts";
import { ROUNDING, type Rounding, isLowLerpWeight, lerpFactor } from "../kernels/rounding.ts";
import { LoopFamily } from "../kernels/specialise.ts";
import { checkBetas, checkEps, checkLr, checkNonNegative, checkWeightDecay } from "./checks.ts";
import { Optimizer, stateBuffer } from "./optimizer.ts";
import { type StepTrace, type TraceChannel, runTraced, traceChannel, watchedCopies } from "./step_trace.ts";
import { number, optional, signature } from "../utils/signature.ts";
import { type GroupOf, type OptimizerArguments, type OptionsOf, paramsParameter, common, commonKeywords } from "./signatures.ts";
import { scalarRound } from "../tensor/default_dtype.ts";

/**
 * NAdam's signature in current PyTorch, the one declaration its types, parsing, defaults
 * and group keys come from: `NAdam(params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3, decoupled_weight_decay=False, *, foreach=None, maximize=False, capturable=False, differentiable=False)`.
 */
export const nAdamSignature = signature("NAdam.__init__", [
  paramsParameter,
  optional("lr", number, 2e-3),
  ...common("betas", "eps", "weight_decay"),
  optional("momentum_decay", number, 4e-3),
  ...common("decoupled_weight_decay"),
  ...commonKeywords("foreach", "maximize", "capturable", "differentiable"),
]);

/** A param group of {@link NAdam}: PyTorch's keys, as declared in `nAdamSignature`. */
export type NAdamGroup = GroupOf<typeof nAdamSignature>;

/** The options of {@link NAdam}: every key of its group but the params, all optional. */
export type NAdamOptions = OptionsOf<typeof nAdamSignature>;

/** The per-parameter state of {@link NAdam}. */
export type NAdamState = {
  /** t, the number of steps this parameter has taken. */
  step: number;
  /** Π μ, the product of the momentum schedule so far, kept in float32 as PyTorch keeps it. */
  mu_product: number;
  /** m, the running average of the gradient. */
  exp_avg: Tensor;
  /** v, the running average of the squared gradient. */
  exp_avg_sq: Tensor;
};

/**
 * NAdam, Adam with Nesterov momentum, written the way `step()` evaluates it.
 *
 * ```text
 * options  γ lr · β1, β2 betas · ε eps · λ weight_decay · ψ momentum_decay · decoupled_weight_decay · maximize
 * state    t step · Π mu_product (starts at 1) · m exp_avg · v exp_avg_sq
 * for each parameter θ that has a gradient g:
 *   g ← −g                                        if maximize
 *   t ← t + 1
 *   θ ← θ·(1 − γλ)                                if λ ≠ 0 and decoupled_weight_decay
 *   g ← g + λ·θ                                   if λ ≠ 0 otherwise
 *   μ  = β1·(1 − 0.5·0.96^(t·ψ))
 *   μ' = β1·(1 − 0.5·0.96^((t + 1)·ψ))
 *   Π ← Π·μ                                       rounded to float32, as PyTorch's float32 scalar tensor
 *   m ← lerp(m, g, 1 − β1)                        two-branch: m + w·(g − m) if w < 0.5, else g − (g − m)·(1 − w)
 *   v ← β2·v + (1 − β2)·g·g
 *   d = √(v / (1 − β2^t)) + ε
 *   θ ← θ − (γ·(1 − μ) / (1 − Π))·(g / d)
 *   θ ← θ − (γ·μ' / (1 − Π·μ'))·(m / d)
 * ```
 * The two updates are PyTorch's two `addcdiv_` calls, applied one after the other.
 */
export class NAdam extends Optimizer<NAdamGroup, NAdamState> {
  constructor(...args: OptimizerArguments<typeof nAdamSignature>) {
    const { params, ...defaults } = nAdamSignature.parse(args);
    checkLr(defaults.lr);
    checkEps(defaults.eps);
    checkBetas(defaults.betas);
    checkWeightDecay(defaults.weight_decay);
    checkNonNegative("momentum_decay", defaults.momentum_decay);
    super(params, defaults, nAdamSignature);
  }

  protected override initState(param: Tensor): NAdamState {
    return { step: 0, mu_product: 1, exp_avg: stateBuffer(param), exp_avg_sq: stateBuffer(param) };
  }

  protected override update(theta: Float, g: Float, s: NAdamState, group: NAdamGroup, _param: Tensor, trace: StepTrace | null): void {
    const { lr: gamma, betas, eps, weight_decay: lambda, momentum_decay: psi, maximize } = group;
    const decoupled = lambda !== 0 && group.decoupled_weight_decay;
    const coupled = lambda !== 0 && !group.decoupled_weight_decay;
    const beta1 = betas[0];
    const beta2 = betas[1]; // not destructured: an array pattern allocates an iterator in unoptimised code
    const t = ++s.step;
    const bias_correction2 = 1 - beta2 ** t;
    const mu = beta1 * (1 - 0.5 * 0.96 ** (t * psi));
    const mu_next = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi));
    // PyTorch keeps mu_product in a float32 scalar tensor and multiplies by μ as a float32.
    const scalar = scalarRound();
    s.mu_product = scalar(s.mu_product * scalar(mu));
    const grad_coefficient = (-gamma * (1 - mu)) / (1 - s.mu_product);
    const exp_avg_coefficient = (-gamma * mu_next) / (1 - s.mu_product * mu_next);
    const single = theta instanceof Float32Array;
    const { round, divisor } = single ? ROUNDING.float32 : ROUNDING.float64;
    const w = round(1 - beta1);
    const lowWeight = isLowLerpWeight(w);
    const key = (single ? 1 : 0) | (maximize ? 2 : 0) | (coupled ? 4 : 0) | (decoupled ? 8 : 0) | (lowWeight ? 16 : 0);
    const loop =
      nadamLoops.get(key) ??
      nadamLoops.make(key, {
        rounding: single ? ROUNDING.float32 : ROUNDING.float64,
        maximize,
        coupled,
        decoupled,
        lowWeight,
        tracer: null,
        record: recordNAdam,
      });
    const m = s.exp_avg.data.data;
    const v = s.exp_avg_sq.data.data;
    // PyTorch converts each Python scalar to the tensor's dtype before the kernel runs.
    const decay = round(1 - gamma * lambda);
    const l = round(lambda);
    const k = lerpFactor(w, round);
    const b2 = round(beta2);
    const omb2 = round(1 - beta2);
    const bc2 = round(bias_correction2);
    const e = round(eps);
    const cg = round(grad_coefficient);
    const cm = round(exp_avg_coefficient);
    const watched = trace === null ? null : watchedCopies(trace.watch, theta, g, m, v);
    loop(theta, g, m, v, decay, l, k, b2, omb2, divisor(bc2), e, cg, cm);
    if (trace === null || watched === null) return;
    // lab.inspect: the same loop, traced, over copies of the watched elements as they were
    const traced = nadamLoops.variant(key, 32, { tracer: traceChannel });
    Object.assign(trace.scalars, {
      t,
      lr: gamma,
      beta1,
      beta2: b2,
      eps: e,
      weight_decay: lambda,
      momentum_decay: psi,
      mu,
      mu_next,
      mu_product: s.mu_product,
      bias_correction2: bc2,
      grad_coefficient: cg,
      exp_avg_coefficient: cm,
    });
    runTraced(trace, () => traced(...watched, decay, l, k, b2, omb2, divisor(bc2), e, cg, cm));
  }
}

/** What one specialised NAdam loop is made for. */
interface NAdamLoopSettings {
  rounding: Rounding;
  maximize: boolean;
  coupled: boolean;
  decoupled: boolean;
  /** Which of lerp's two forms the weight 1 − β1 takes (below 0.5: m + w·(g − m)); the loop gets k = lerpFactor(w). */
  lowWeight: boolean;
  /** Where the traced variant records its watched elements (lab.inspect); null in the untraced loops. */
  tracer: TraceChannel | null;
  /** Records one element in the traced variant: {@link recordNAdam}. */
  record: typeof recordNAdam;
}

/**
 * lab.inspect's record of element `index` of a traced NAdam loop, if it is watched, in the
 * loop's names: `values` = θ, grad, the decayed θ, g, m_prev, m, v_prev, v, denom,
 * grad_update, theta_mid, exp_avg_update, theta_after.
 */
function recordNAdam(settings: NAdamLoopSettings, index: number, values: number[]): void {
  const { tracer, decoupled } = settings;
  if (tracer === null || !tracer.watch.includes(index)) return;
  const [theta, grad, decayed, g, m_prev, m, v_prev, v, denom, grad_update, theta_mid, exp_avg_update, theta_after] = values as Thirteen;
  const terms: Record<string, number> = { theta, grad };
  if (decoupled) terms.theta_decayed = decayed;
  tracer.elements.push(Object.assign(terms, { g, m_prev, m, v_prev, v, denom, grad_update, theta_mid, exp_avg_update, theta_after }));
}

type Thirteen = [number, number, number, number, number, number, number, number, number, number, number, number, number];

type NAdamLoop = (
  theta: Float,
  g: Float,
  m: Float,
  v: Float,
  decay: number,
  lambda: number,
  k: number,
  beta2: number,
  one_minus_beta2: number,
  /** 1 − β2^t in the dtype's divisor form (Rounding.divisor: its reciprocal in float32). */
  bias_correction2: number,
  eps: number,
  grad_coefficient: number,
  exp_avg_coefficient: number,
) => void;

/**
 * NAdam's loop, one source for every (dtype, option set), op by op as current PyTorch's
 * `_single_tensor_nadam`, each result rounded to the dtype (rounding.ts):
 *
 * ```text
 * θ ← θ·(1 − γλ)                 decoupled  (param.mul_(1 − lr·weight_decay))
 * g ← fma(θ, λ, g)               coupled    (grad.add(param, alpha=λ))
 * m ← lerp(m, g, w = 1 − β1)                (exp_avg.lerp_(grad, 1 − β1), two-branch)
 * v ← fma((1 − β2)·g, g, v·β2)              (exp_avg_sq.mul_(β2).addcmul_(grad, grad, value=1 − β2))
 * d ← √(v / (1 − β2^t)) + ε                 (exp_avg_sq.div(bias_correction2).sqrt(), then add_(eps))
 * θ ← θ + c_g·g / d                         (param.addcdiv_(grad, denom, value=−γ(1 − μ)/(1 − Π)))
 * θ ← θ + c_m·m / d                         (param.addcdiv_(exp_avg, denom, value=−γμ'/(1 − Π·μ')))
 * ```
 * The division by 1 − β2^t is a multiplication by its reciprocal in float32, the same bits
 * (rounding.ts, quotient32). The loop is written once, per element; the family runs it two
 * elements per iteration, side by side, so their dependency chains overlap (`twoLanes` in
 * src/kernels/specialise.ts).
 */
const nadamLoops = new LoopFamily(
  4,
  (settings: NAdamLoopSettings): NAdamLoop => {
    const {
      rounding: { fma, round, quotient },
      maximize,
      coupled,
      decoupled,
      lowWeight,
      tracer,
      record,
    } = settings;
    return (theta, g, m, v, decay, lambda, k, beta2, one_minus_beta2, bias_correction2, eps, grad_coefficient, exp_avg_coefficient) => {
      decay *= 1;
      lambda *= 1;
      k *= 1;
      beta2 *= 1;
      one_minus_beta2 *= 1;
      bias_correction2 *= 1;
      eps *= 1;
      grad_coefficient *= 1;
      exp_avg_coefficient *= 1; // unboxed once, not at every use (specialise.ts)
      for (let i = 0; i < theta.length; i++) {
        const grad = g[i]!;
        const theta0 = theta[i]!;
        const m0 = m[i]!;
        const v0 = v[i]!;
        const thetai = decoupled ? round(theta0 * decay) : theta0;
        const gi = coupled ? fma(thetai, lambda, maximize ? -grad : grad) : maximize ? -grad : grad;
        const mi = fma(k, round(gi - m0), lowWeight ? m0 : gi);
        const vi = fma(round(one_minus_beta2 * gi), gi, round(v0 * beta2));
        m[i] = mi; // every input is read: the stores may start
        v[i] = vi;
        const denom = round(round(Math.sqrt(quotient(vi, bias_correction2))) + eps);
        const grad_update = round(round(grad_coefficient * gi) / denom);
        const theta_mid = round(thetai + grad_update);
        const exp_avg_update = round(round(exp_avg_coefficient * mi) / denom);
        const theta1 = round(theta_mid + exp_avg_update);
        theta[i] = theta1;
        if (tracer !== null) record(settings, i, [theta0, grad, thetai, gi, m0, mi, v0, vi, denom, grad_update, theta_mid, exp_avg_update, theta1]);
      }
    };
  },
  { name: "nadam" },
);
