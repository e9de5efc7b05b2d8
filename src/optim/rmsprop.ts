import type { Float } from "../tensor/dtype.ts";
import { Tensor } from "../methods.ts";
import { ROUNDING, type Rounding } from "../kernels/rounding.ts";
import { LoopFamily } from "../kernels/specialise.ts";
import { checkEps, checkLr, checkMomentum, checkNonNegative, checkWeightDecay } from "./checks.ts";
import { Optimizer, stateBuffer } from "./optimizer.ts";
import { type StepTrace, type TraceChannel, runTraced, traceChannel, watchedCopies } from "./step_trace.ts";
import { boolean, number, optional, signature } from "../utils/signature.ts";
import { type GroupOf, type OptimizerArguments, type OptionsOf, paramsParameter, common } from "./signatures.ts";

/**
 * RMSprop's signature in current PyTorch, the one declaration its types, parsing, defaults
 * and group keys come from: `RMSprop(params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False, capturable=False, foreach=None, maximize=False, differentiable=False)`.
 */
export const rMSpropSignature = signature("RMSprop.__init__", [
  paramsParameter,
  optional("lr", number, 1e-2),
  optional("alpha", number, 0.99),
  ...common("eps", "weight_decay"),
  optional("momentum", number, 0),
  optional("centered", boolean, false),
  optional("capturable", boolean, false),
  ...common("foreach"),
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
 *     ḡ ← lerp(ḡ, g, 1 − α)             two-branch: ḡ + w·(g − ḡ) if w < 0.5, else g − (g − ḡ)·(1 − w)
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
    super(params, defaults, rMSpropSignature);
  }

  protected override initState(param: Tensor, group: RMSpropGroup): RMSpropState {
    const state: RMSpropState = { step: 0, square_avg: stateBuffer(param) };
    if (group.momentum > 0) state.momentum_buffer = stateBuffer(param);
    if (group.centered) state.grad_avg = stateBuffer(param);
    return state;
  }

  protected override update(theta: Float, g: Float, s: RMSpropState | null, group: RMSpropGroup, _param: Tensor, trace: StepTrace | null): void {
    const { lr: gamma, alpha, eps, weight_decay: lambda, momentum: mu, centered, maximize } = group;
    const state = s!;
    state.step += 1;
    const v = state.square_avg.data.data;
    const single = theta instanceof Float32Array;
    const key = (single ? 1 : 0) | (maximize ? 2 : 0) | (lambda !== 0 ? 4 : 0) | (centered ? 8 : 0) | (mu > 0 ? 16 : 0);
    const loop =
      rmspropLoops.get(key) ??
      rmspropLoops.make(key, {
        rounding: single ? ROUNDING.float32 : ROUNDING.float64,
        maximize,
        decay: lambda !== 0,
        centered,
        momentum: mu > 0,
        tracer: null,
        record: recordRMSprop,
      });
    const { round } = single ? ROUNDING.float32 : ROUNDING.float64;
    const gbar = centered ? state.grad_avg!.data.data : v;
    const b = mu > 0 ? state.momentum_buffer!.data.data : v;
    // PyTorch converts each Python scalar to the tensor's dtype before the kernel runs.
    const l = round(lambda);
    const a = round(alpha);
    const w = round(1 - alpha);
    const e = round(eps);
    const m = round(mu);
    const neg_lr = round(-gamma);
    const watched = trace === null ? null : watchedCopies(trace.watch, theta, g, v, gbar, b);
    loop(theta, g, v, gbar, b, l, a, w, e, m, neg_lr);
    if (trace === null || watched === null) return;
    // lab.inspect: the same loop, traced, over copies of the watched elements as they were
    const traced = rmspropLoops.variant(key, 32, { tracer: traceChannel });
    Object.assign(trace.scalars, { t: state.step, lr: gamma, alpha: a, eps: e, weight_decay: lambda, momentum: mu });
    runTraced(trace, () => traced(...watched, l, a, w, e, m, neg_lr));
  }
}

/** What one specialised RMSprop loop is made for. */
interface RMSpropLoopSettings {
  rounding: Rounding;
  maximize: boolean;
  decay: boolean;
  centered: boolean;
  momentum: boolean;
  /** Where the traced variant records its watched elements (lab.inspect); null in the untraced loops. */
  tracer: TraceChannel | null;
  /** Records one element in the traced variant: {@link recordRMSprop}. */
  record: typeof recordRMSprop;
}

/**
 * lab.inspect's record of element `index` of a traced RMSprop loop, if it is watched, in the
 * loop's names: `values` = θ, grad, g, v_prev, v, gbar_prev, gbar, avg, buf_prev, buf,
 * update, theta_after.
 */
function recordRMSprop(settings: RMSpropLoopSettings, index: number, values: number[]): void {
  const { tracer, centered, momentum } = settings;
  if (tracer === null || !tracer.watch.includes(index)) return;
  const [theta, grad, g, v_prev, v, gbar_prev, gbar, avg, buf_prev, buf, update, theta_after] = values as Twelve;
  const terms: Record<string, number> = { theta, grad, g, v_prev, v };
  if (centered) Object.assign(terms, { gbar_prev, gbar });
  terms.avg = avg;
  if (momentum) Object.assign(terms, { buf_prev, buf });
  else terms.update = update;
  terms.theta_after = theta_after;
  tracer.elements.push(terms);
}

type Twelve = [number, number, number, number, number, number, number, number, number, number, number, number];

type RMSpropLoop = (
  theta: Float,
  g: Float,
  v: Float,
  gbar: Float,
  b: Float,
  lambda: number,
  alpha: number,
  w: number,
  eps: number,
  mu: number,
  neg_lr: number,
) => void;

/**
 * RMSprop's loop, one source for every (dtype, option set), op by op as current PyTorch's
 * `_single_tensor_rmsprop`, each result rounded to the dtype (rounding.ts):
 *
 * ```text
 * g ← fma(θ, λ, g)               λ ≠ 0     (grad.add(param, alpha=λ))
 * v ← fma((1 − α)·g, g, v·α)               (square_avg.mul_(α).addcmul_(grad, grad, value=1 − α))
 * ḡ ← lerp(ḡ, g, w = 1 − α)      centered  (grad_avg.lerp_(grad, 1 − α), two-branch)
 * s ← √fma(−ḡ, ḡ, v) + ε         centered  (square_avg.addcmul(grad_avg, grad_avg, value=−1).sqrt_(), add_(eps))
 * s ← √v + ε                     otherwise
 * b ← b·μ + g / s                μ > 0     (buf.mul_(μ).addcdiv_(grad, avg))
 * θ ← fma(b, −γ, θ)              μ > 0     (param.add_(buf, alpha=−γ))
 * θ ← θ + (−γ·g) / s             otherwise (param.addcdiv_(grad, avg, value=−γ))
 * ```
 * The loop is written once, per element; the family runs it two elements per iteration,
 * side by side, so their dependency chains overlap (`twoLanes` in src/kernels/specialise.ts).
 */
const rmspropLoops = new LoopFamily(
  5,
  (settings: RMSpropLoopSettings): RMSpropLoop => {
    const {
      rounding: { fma, round, lerp },
      maximize,
      decay,
      centered,
      momentum,
      tracer,
      record,
    } = settings;
    return (theta, g, v, gbar, b, lambda, alpha, w, eps, mu, neg_lr) => {
      lambda *= 1;
      alpha *= 1;
      w *= 1;
      eps *= 1;
      mu *= 1;
      neg_lr *= 1; // unboxed once, not at every use (specialise.ts)
      for (let i = 0; i < theta.length; i++) {
        const grad = g[i]!;
        const theta0 = theta[i]!;
        let gi = maximize ? -grad : grad;
        if (decay) gi = fma(theta0, lambda, gi);
        const v0 = v[i]!;
        const gbar0 = centered ? gbar[i]! : 0;
        const b0 = momentum ? b[i]! : 0;
        const vi = fma(round(w * gi), gi, round(v0 * alpha));
        const gbari = centered ? lerp(gbar0, gi, w) : 0;
        const avg = round(round(Math.sqrt(centered ? fma(-gbari, gbari, vi) : vi)) + eps);
        const bi = momentum ? round(round(b0 * mu) + round(gi / avg)) : 0;
        const update = momentum ? 0 : round(round(neg_lr * gi) / avg);
        const theta1 = momentum ? fma(bi, neg_lr, theta0) : round(theta0 + update);
        v[i] = vi;
        if (centered) gbar[i] = gbari;
        if (momentum) b[i] = bi;
        theta[i] = theta1;
        if (tracer !== null) record(settings, i, [theta0, grad, gi, v0, vi, gbar0, gbari, avg, b0, bi, update, theta1]);
      }
    };
  },
  { name: "rmsprop" },
);
