import type { Float } from "../tensor/dtype.ts";
import { Tensor } from "../methods.ts";
import { ROUNDING, type Rounding, isLowLerpWeight, lerpFactor } from "../kernels/rounding.ts";
import { LoopFamily } from "../kernels/specialise.ts";
import { boolean, keyword, number, optional, signature } from "../utils/signature.ts";
import { checkBetas, checkEps, checkFused, checkLr, checkWeightDecay } from "./checks.ts";
import { Optimizer, stateBuffer } from "./optimizer.ts";
import { type StepTrace, type TraceChannel, runTraced, traceChannel, watchedCopies } from "./step_trace.ts";
import { type GroupOf, type OptimizerArguments, type OptionsOf, paramsParameter, common, commonKeywords } from "./signatures.ts";

/**
 * Adam's signature in current PyTorch, the one declaration its types, parsing, defaults and
 * group keys come from: `Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
 * amsgrad=False, *, foreach=None, maximize=False, capturable=False, differentiable=False,
 * fused=None, decoupled_weight_decay=False)`.
 */
export const adamSignature = signature("Adam.__init__", [
  paramsParameter,
  optional("lr", number, 1e-3),
  ...common("betas", "eps", "weight_decay", "amsgrad"),
  ...commonKeywords("foreach", "maximize", "capturable", "differentiable", "fused"),
  keyword("decoupled_weight_decay", boolean, false),
]);

/** A param group of {@link Adam}: PyTorch's keys (γ lr, β1, β2 betas, ε eps, λ weight_decay …). */
export type AdamGroup = GroupOf<typeof adamSignature>;

/** The options of {@link Adam}: every key of its group but the params, all optional. */
export type AdamOptions = OptionsOf<typeof adamSignature>;

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
 *   m ← lerp(m, g, 1 − β1)                   PyTorch's two-branch lerp: m + w·(g − m) if w < 0.5, else g − (g − m)·(1 − w)
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
 * const opt = new optim.Adam([w], 0.1);
 * w.grad = tensor([0.5, -2], { dtype: "float64" });
 * opt.step(); // the first step moves each weight by about lr against its gradient's sign
 * console.log((w.tolist() as number[]).map((x) => Number(x.toFixed(6)))); // [0.9, -0.9]
 * ```
 */
export class Adam extends Optimizer<AdamGroup, AdamState> {
  constructor(...args: OptimizerArguments<typeof adamSignature>) {
    const { params, ...defaults } = adamSignature.parse(args);
    checkLr(defaults.lr);
    checkEps(defaults.eps);
    checkBetas(defaults.betas);
    checkWeightDecay(defaults.weight_decay);
    checkFused(defaults);
    super(params, defaults, adamSignature);
  }

  protected override initState(param: Tensor, group: AdamGroup): AdamState {
    const state: AdamState = { step: 0, exp_avg: stateBuffer(param), exp_avg_sq: stateBuffer(param) };
    if (group.amsgrad) state.max_exp_avg_sq = stateBuffer(param);
    return state;
  }

  /** PyTorch's message for a sparse gradient points to SparseAdam (AdamW inherits it, as in current PyTorch). */
  protected override sparseGradientError(): string | null {
    return "Adam does not support sparse gradients, please consider SparseAdam instead";
  }

  protected override update(theta: Float, g: Float, s: AdamState, group: AdamGroup, param: Tensor, trace: StepTrace | null): void {
    const { lr, betas, eps, weight_decay: lambda, amsgrad, maximize } = group;
    const decoupled = lambda !== 0 && group.decoupled_weight_decay;
    const coupled = lambda !== 0 && !group.decoupled_weight_decay;
    const beta1 = betas[0];
    const beta2 = betas[1]; // not destructured: an array pattern allocates an iterator in unoptimised code
    const t = ++s.step;
    const step_size = lr / (1 - beta1 ** t);
    const bias_correction2_sqrt = Math.sqrt(1 - beta2 ** t);
    if (amsgrad && s.max_exp_avg_sq === undefined) s.max_exp_avg_sq = stateBuffer(param);
    const v = s.exp_avg_sq.data.data;
    const single = theta instanceof Float32Array;
    // Python scalars become the tensor's dtype before each op, as in PyTorch.
    const { round, divisor } = single ? ROUNDING.float32 : ROUNDING.float64;
    const w = round(1 - beta1);
    const lowWeight = isLowLerpWeight(w);
    const key = (single ? 1 : 0) | (maximize ? 2 : 0) | (coupled ? 4 : 0) | (decoupled ? 8 : 0) | (amsgrad ? 16 : 0) | (lowWeight ? 32 : 0);
    const loop =
      adamLoops.get(key) ??
      adamLoops.make(key, {
        rounding: single ? ROUNDING.float32 : ROUNDING.float64,
        maximize,
        coupled,
        decoupled,
        amsgrad,
        lowWeight,
        tracer: null,
        record: recordAdam,
      });
    const m = s.exp_avg.data.data;
    const vmax = amsgrad ? s.max_exp_avg_sq!.data.data : v;
    const decay = round(1 - lr * lambda);
    const l = round(lambda);
    const k = lerpFactor(w, round);
    const b2 = round(beta2);
    const omb2 = round(1 - beta2);
    const bc2 = round(bias_correction2_sqrt);
    const e = round(eps);
    const nss = round(-step_size);
    const watched = trace === null ? null : watchedCopies(trace.watch, theta, g, m, v, vmax);
    loop(theta, g, m, v, vmax, decay, l, k, b2, omb2, divisor(bc2), e, nss);
    if (trace === null || watched === null) return;
    // lab.inspect: the same loop, traced, over copies of the watched elements as they were
    const traced = adamLoops.variant(key, 64, { tracer: traceChannel });
    Object.assign(trace.scalars, { t, lr, beta1, beta2: b2, eps: e, weight_decay: lambda, step_size: -nss, bias_correction2_sqrt: bc2 });
    runTraced(trace, () => traced(...watched, decay, l, k, b2, omb2, divisor(bc2), e, nss));
  }
}

/** What one specialised Adam loop is made for. */
interface AdamLoopSettings {
  rounding: Rounding;
  maximize: boolean;
  coupled: boolean;
  decoupled: boolean;
  amsgrad: boolean;
  /** Which of lerp's two forms the weight 1 − β1 takes (below 0.5: m + w·(g − m)); the loop gets k = lerpFactor(w). */
  lowWeight: boolean;
  /** Where the traced variant records its watched elements (lab.inspect); null in the untraced loops. */
  tracer: TraceChannel | null;
  /** Records one element in the traced variant: {@link recordAdam}. */
  record: typeof recordAdam;
}

/**
 * lab.inspect's record of element `index` of a traced Adam loop, if it is watched, in the
 * loop's names: `values` = θ, grad, g, the decayed θ, m_prev, m, v_prev, v, vmax_prev, vmax,
 * denom, update, theta_after.
 */
function recordAdam(settings: AdamLoopSettings, index: number, values: number[]): void {
  const { tracer, decoupled, amsgrad } = settings;
  if (tracer === null || !tracer.watch.includes(index)) return;
  const [theta, grad, g, decayed, m_prev, m, v_prev, v, vmax_prev, vmax, denom, update, theta_after] = values as Thirteen;
  const terms: Record<string, number> = { theta, grad, g };
  if (decoupled) terms.theta_decayed = decayed;
  Object.assign(terms, { m_prev, m, v_prev, v });
  if (amsgrad) Object.assign(terms, { vmax_prev, vmax });
  tracer.elements.push(Object.assign(terms, { denom, update, theta_after }));
}

type Thirteen = [number, number, number, number, number, number, number, number, number, number, number, number, number];

type AdamLoop = (
  theta: Float,
  g: Float,
  m: Float,
  v: Float,
  vmax: Float,
  decay: number,
  lambda: number,
  k: number,
  beta2: number,
  one_minus_beta2: number,
  /** √(1 − β2^t) in the dtype's divisor form (Rounding.divisor: its reciprocal in float32). */
  bias_correction2_sqrt: number,
  eps: number,
  neg_step_size: number,
) => void;

/**
 * Adam's (and AdamW's) loop, one source for every (dtype, option set), op by op as current
 * PyTorch's `_single_tensor_adam`, each result rounded to the dtype (rounding.ts):
 *
 * ```text
 * θ ← θ·(1 − γλ)                        decoupled  (param.mul_(1 − lr·weight_decay))
 * g ← fma(θ, λ, g)                      coupled    (grad.add(param, alpha=λ))
 * m ← lerp(m, g, w = 1 − β1)                       (exp_avg.lerp_(grad, 1 − β1), two-branch)
 * v ← fma((1 − β2)·g, g, v·β2)                     (exp_avg_sq.mul_(β2).addcmul_(grad, grad, value=1 − β2))
 * v ← max(vmax, v) → vmax               amsgrad    (torch.maximum(…, out=max_exp_avg_sq))
 * d ← √v / √(1 − β2^t) + ε                         ((…sqrt() / bias_correction2_sqrt).add_(eps))
 * θ ← θ + (−γ/(1 − β1^t))·m / d                    (param.addcdiv_(exp_avg, denom, value=−step_size))
 * ```
 * The division by √(1 − β2^t) is a multiplication by its reciprocal in float32, the same
 * bits (rounding.ts, quotient32). The loop is written once, per element, and runs two
 * elements per iteration: in float32 every element is a chain of some twenty dependent
 * roundings (two FMA checks, a square root, a division), and one element's chain alone leaves the core mostly idle; two
 * chains side by side overlap. The family writes the two-lane form from this one
 * (`twoLanes` in src/kernels/specialise.ts); the arithmetic of each element is unchanged.
 */
const adamLoops = new LoopFamily(
  5,
  (settings: AdamLoopSettings): AdamLoop => {
    const {
      rounding: { fma, round, quotient },
      maximize,
      coupled,
      decoupled,
      amsgrad,
      lowWeight,
      tracer,
      record,
    } = settings;
    return (theta, g, m, v, vmax, decay, lambda, k, beta2, one_minus_beta2, bias_correction2_sqrt, eps, neg_step_size) => {
      decay *= 1;
      lambda *= 1;
      k *= 1;
      beta2 *= 1;
      one_minus_beta2 *= 1;
      bias_correction2_sqrt *= 1;
      eps *= 1;
      neg_step_size *= 1; // unboxed once, not at every use (specialise.ts)
      for (let i = 0; i < theta.length; i++) {
        const grad = g[i]!;
        let gi = maximize ? -grad : grad;
        const theta0 = theta[i]!;
        const thetai = decoupled ? round(theta0 * decay) : theta0;
        if (coupled) gi = fma(thetai, lambda, gi);
        const m0 = m[i]!;
        const v0 = v[i]!;
        const vmax0 = amsgrad ? vmax[i]! : 0;
        const mi = fma(k, round(gi - m0), lowWeight ? m0 : gi);
        const vi = fma(round(one_minus_beta2 * gi), gi, round(v0 * beta2));
        const vused = amsgrad ? Math.max(vmax0, vi) : vi;
        const denom = round(quotient(round(Math.sqrt(vused)), bias_correction2_sqrt) + eps);
        const update = round(round(neg_step_size * mi) / denom);
        const theta1 = round(thetai + update);
        m[i] = mi;
        v[i] = vi;
        if (amsgrad) vmax[i] = vused;
        theta[i] = theta1;
        if (tracer !== null) record(settings, i, [theta0, grad, gi, thetai, m0, mi, v0, vi, vmax0, vused, denom, update, theta1]);
      }
    };
  },
  { name: "adam" },
);
