import type { Float } from "../tensor/dtype.ts";
import { Tensor } from "../methods.ts";
import { ROUNDING, type Rounding, isLowLerpWeight, lerpFactor } from "../kernels/rounding.ts";
import { LoopFamily } from "../kernels/specialise.ts";
import { checkBetas, checkEps, checkLr, checkWeightDecay } from "./checks.ts";
import { Optimizer, stateBuffer } from "./optimizer.ts";
import { type StepTrace, type TraceChannel, recordElement, runTraced, traceChannel, watchedCopies } from "./step_trace.ts";
import { number, optional, signature } from "../utils/signature.ts";
import { type GroupOf, type OptimizerArguments, type OptionsOf, paramsParameter, common, commonKeywords } from "./signatures.ts";

/**
 * Adamax's signature in current PyTorch, the one declaration its types, parsing, defaults
 * and group keys come from: `Adamax(params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, foreach=None, *, maximize=False, differentiable=False, capturable=False)`.
 */
export const adamaxSignature = signature("Adamax.__init__", [
  paramsParameter,
  optional("lr", number, 2e-3),
  ...common("betas", "eps", "weight_decay", "foreach"),
  ...commonKeywords("maximize", "differentiable", "capturable"),
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
 *   m ← lerp(m, g, 1 − β1)          two-branch: m + w·(g − m) if w < 0.5, else g − (g − m)·(1 − w)
 *   u ← max(β2·u, |g| + ε)
 *   θ ← θ + (−γ / (1 − β1^t))·m / u
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
    super(params, defaults, adamaxSignature);
  }

  protected override initState(param: Tensor): AdamaxState {
    return { step: 0, exp_avg: stateBuffer(param), exp_inf: stateBuffer(param) };
  }

  protected override update(theta: Float, g: Float, s: AdamaxState, group: AdamaxGroup, _param: Tensor, trace: StepTrace | null): void {
    const { lr: gamma, betas, eps, weight_decay: lambda, maximize } = group;
    const beta1 = betas[0];
    const beta2 = betas[1]; // not destructured: an array pattern allocates an iterator in unoptimised code
    const t = ++s.step;
    const clr = gamma / (1 - beta1 ** t);
    const single = theta instanceof Float32Array;
    const { round } = single ? ROUNDING.float32 : ROUNDING.float64;
    const w = round(1 - beta1);
    const lowWeight = isLowLerpWeight(w);
    const key = (single ? 1 : 0) | (maximize ? 2 : 0) | (lambda !== 0 ? 4 : 0) | (lowWeight ? 8 : 0);
    const loop =
      adamaxLoops.get(key) ??
      adamaxLoops.make(key, {
        rounding: single ? ROUNDING.float32 : ROUNDING.float64,
        maximize,
        decay: lambda !== 0,
        lowWeight,
        tracer: null,
        record: recordElement,
      });
    const m = s.exp_avg.data.data;
    const u = s.exp_inf.data.data;
    // PyTorch converts each Python scalar to the tensor's dtype before the kernel runs.
    const l = round(lambda);
    const k = lerpFactor(w, round);
    const b2 = round(beta2);
    const e = round(eps);
    const neg_clr = round(-clr);
    const watched = trace === null ? null : watchedCopies(trace.watch, theta, g, m, u);
    loop(theta, g, m, u, l, k, b2, e, neg_clr);
    if (trace === null || watched === null) return;
    // lab.inspect: the same loop, traced, over copies of the watched elements as they were
    const traced = adamaxLoops.variant(key, 16, { tracer: traceChannel });
    Object.assign(trace.scalars, { t, lr: gamma, beta1, beta2: b2, eps: e, weight_decay: lambda, clr: -neg_clr });
    runTraced(trace, () => traced(...watched, l, k, b2, e, neg_clr));
  }
}

/** What one specialised Adamax loop is made for. */
interface AdamaxLoopSettings {
  rounding: Rounding;
  maximize: boolean;
  decay: boolean;
  /** Which of lerp's two forms the weight 1 − β1 takes (below 0.5: m + w·(g − m)); the loop gets k = lerpFactor(w). */
  lowWeight: boolean;
  /** Where the traced variant records its watched elements (lab.inspect); null in the untraced loops. */
  tracer: TraceChannel | null;
  /** Records one element in the traced variant: {@link recordElement}. */
  record: typeof recordElement;
}

type AdamaxLoop = (theta: Float, g: Float, m: Float, u: Float, lambda: number, k: number, beta2: number, eps: number, neg_clr: number) => void;

/**
 * Adamax's loop, one source for every (dtype, option set), op by op as current PyTorch's
 * `_single_tensor_adamax`, each result rounded to the dtype (rounding.ts):
 *
 * ```text
 * g ← fma(θ, λ, g)              λ ≠ 0   (grad.add(param, alpha=λ))
 * m ← lerp(m, g, w = 1 − β1)            (exp_avg.lerp_(grad, 1 − β1), two-branch)
 * u ← max(u·β2, |g| + ε)                (amax of exp_inf.mul_(β2) and grad.abs().add_(eps))
 * θ ← θ + (−clr·m) / u                  (param.addcdiv_(exp_avg, exp_inf, value=−clr))
 * ```
 * The loop is written once, per element; the family runs it two elements per iteration,
 * side by side, so their dependency chains overlap (`twoLanes` in src/kernels/specialise.ts).
 */
const adamaxLoops = new LoopFamily(
  4,
  (settings: AdamaxLoopSettings): AdamaxLoop => {
    const {
      rounding: { fma, round },
      maximize,
      decay,
      lowWeight,
      tracer,
      record,
    } = settings;
    return (theta, g, m, u, lambda, k, beta2, eps, neg_clr) => {
      lambda *= 1;
      k *= 1;
      beta2 *= 1;
      eps *= 1;
      neg_clr *= 1; // unboxed once, not at every use (specialise.ts)
      for (let i = 0; i < theta.length; i++) {
        const u0 = u[i]!;
        const m0 = m[i]!;
        const grad = g[i]!;
        const theta0 = theta[i]!;
        const gi = decay ? fma(theta0, lambda, maximize ? -grad : grad) : maximize ? -grad : grad;
        const mi = fma(k, round(gi - m0), lowWeight ? m0 : gi);
        const ui = Math.max(round(u0 * beta2), round(Math.abs(gi) + eps));
        const update = round(round(neg_clr * mi) / ui);
        const theta1 = round(theta0 + update);
        m[i] = mi;
        u[i] = ui;
        theta[i] = theta1;
        if (tracer !== null) record(tracer, i, { theta: theta0, grad, g: gi, m_prev: m0, m: mi, u_prev: u0, u: ui, update, theta_after: theta1 });
      }
    };
  },
  { name: "adamax" },
);
