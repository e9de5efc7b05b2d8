import type { Float } from "../tensor/dtype.ts";
import { Tensor } from "../methods.ts";
import { ROUNDING, type Rounding } from "../kernels/rounding.ts";
import { LoopFamily } from "../kernels/specialise.ts";
import { checkLr, checkWeightDecay } from "./checks.ts";
import { Optimizer, stateBuffer } from "./optimizer.ts";
import { type StepTrace, type TraceChannel, recordElement, runTraced, traceChannel, watchedCopies } from "./step_trace.ts";
import { boolean, number, optional, signature } from "../utils/signature.ts";
import { type GroupOf, type OptimizerArguments, type OptionsOf, paramsParameter, common } from "./signatures.ts";
import { scalarRound } from "../tensor/default_dtype.ts";

/**
 * ASGD's signature in current PyTorch, the one declaration its types, parsing, defaults
 * and group keys come from: `ASGD(params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0, foreach=None, maximize=False, differentiable=False, capturable=False)`.
 */
export const asgdSignature = signature("ASGD.__init__", [
  paramsParameter,
  optional("lr", number, 1e-2),
  optional("lambd", number, 1e-4),
  optional("alpha", number, 0.75),
  optional("t0", number, 1e6),
  ...common("weight_decay", "foreach"),
  optional("maximize", boolean, false),
  optional("differentiable", boolean, false),
  optional("capturable", boolean, false),
]);

/** A param group of {@link ASGD}: PyTorch's keys, as declared in `asgdSignature`. */
export type ASGDGroup = GroupOf<typeof asgdSignature>;

/** The options of {@link ASGD}: every key of its group but the params, all optional. */
export type ASGDOptions = OptionsOf<typeof asgdSignature>;

/** The per-parameter state of {@link ASGD}, as current PyTorch keeps it. */
export interface ASGDState {
  step: number;
  /** η, the current step size (float32, as PyTorch's scalar state tensor). */
  eta: number;
  /** μ, the current averaging weight (float32, as PyTorch's scalar state tensor). */
  mu: number;
  /** ax, the running average of θ. */
  ax: Tensor;
}

/**
 * Averaged stochastic gradient descent (Polyak and Juditsky, 1992), written the way
 * `step()` evaluates it.
 *
 * ```text
 * options  γ lr · λ lambd · α alpha · t₀ t0 · wd weight_decay · maximize
 * state    t step · η eta (starts at γ) · μ mu (starts at 1) · ax (starts at 0)
 * for each parameter θ that has a gradient g:
 *   t ← t + 1
 *   g ← −g                              if maximize
 *   g ← g + wd·θ                        if wd ≠ 0
 *   θ ← θ·(1 − λ·η)
 *   θ ← θ − η·g
 *   ax ← ax + (θ − ax)·μ                if μ ≠ 1, else ax ← θ
 *   η ← γ / (1 + λ·γ·t)^α               rounded to float32
 *   μ ← 1 / max(1, t − t₀)              rounded to float32
 * ```
 * θ itself is plain SGD with a decaying step; ax, the average of θ since step t₀, is the
 * estimate ASGD is about (read it from `opt.state.get(param).ax`).
 *
 * @example
 * ```ts
 * import { optim, tensor } from "gradlab";
 * const w = tensor([1], { dtype: "float64", requires_grad: true });
 * const opt = new optim.ASGD([w], { lr: 0.5, lambd: 0, t0: 1 });
 * for (const g of [1, 1, 1]) {
 *   w.grad = tensor([g], { dtype: "float64" });
 *   opt.step();
 * }
 * console.log([w.item(), opt.state.get(w)!.ax.item()]); // [-0.5, -0.5]
 * ```
 */
export class ASGD extends Optimizer<ASGDGroup, ASGDState> {
  constructor(...args: OptimizerArguments<typeof asgdSignature>) {
    const { params, ...defaults } = asgdSignature.parse(args);
    checkLr(defaults.lr);
    checkWeightDecay(defaults.weight_decay);
    super(params, defaults, asgdSignature);
  }

  protected override initState(param: Tensor, group: ASGDGroup): ASGDState {
    return { step: 0, eta: scalarRound()(group.lr), mu: 1, ax: stateBuffer(param) };
  }

  protected override update(theta: Float, g: Float, s: ASGDState | null, group: ASGDGroup, _param: Tensor, trace: StepTrace | null): void {
    const { lr: gamma, lambd: lambda, alpha, t0, weight_decay: wd, maximize } = group;
    const state = s!;
    const t = ++state.step;
    const { eta, mu } = state;
    const single = theta instanceof Float32Array;
    const key = (single ? 1 : 0) | (maximize ? 2 : 0) | (wd !== 0 ? 4 : 0) | (mu !== 1 ? 8 : 0);
    const loop =
      asgdLoops.get(key) ??
      asgdLoops.make(key, {
        rounding: single ? ROUNDING.float32 : ROUNDING.float64,
        maximize,
        decay: wd !== 0,
        averaging: mu !== 1,
        tracer: null,
        record: recordElement,
      });
    const { round } = single ? ROUNDING.float32 : ROUNDING.float64;
    const ax = state.ax.data.data;
    const shrink = round(1 - lambda * eta);
    const neg_eta = round(-eta);
    const w = round(wd);
    const m = round(mu);
    const watched = trace === null ? null : watchedCopies(trace.watch, theta, g, ax);
    loop(theta, g, ax, shrink, neg_eta, w, m);
    // PyTorch keeps η and μ in float32 scalar tensors (the default scalar dtype).
    const scalar = scalarRound();
    state.eta = scalar(gamma / (1 + lambda * gamma * t) ** alpha);
    state.mu = scalar(1 / Math.max(1, t - t0));
    if (trace === null || watched === null) return;
    // lab.inspect: the same loop, traced, over copies of the watched elements as they were
    const traced = asgdLoops.variant(key, 16, { tracer: traceChannel });
    Object.assign(trace.scalars, {
      t,
      lr: gamma,
      lambd: lambda,
      alpha,
      t0,
      weight_decay: wd,
      eta,
      mu,
      shrink,
      eta_next: state.eta,
      mu_next: state.mu,
    });
    runTraced(trace, () => traced(...watched, shrink, neg_eta, w, m));
  }
}

/** What one specialised ASGD loop is made for (`averaging`: μ ≠ 1 this step). */
interface ASGDLoopSettings {
  rounding: Rounding;
  maximize: boolean;
  decay: boolean;
  averaging: boolean;
  /** Where the traced variant records its watched elements (lab.inspect); null in the untraced loops. */
  tracer: TraceChannel | null;
  /** Records one element in the traced variant: {@link recordElement}. */
  record: typeof recordElement;
}

type ASGDLoop = (theta: Float, g: Float, ax: Float, shrink: number, neg_eta: number, wd: number, mu: number) => void;

/**
 * ASGD's loop, one source for every (dtype, option set), op by op as `_single_tensor_asgd`:
 *
 * ```text
 * g ← fma(θ, wd, g)            wd ≠ 0   (grad.add(param, alpha=weight_decay))
 * θ ← θ·(1 − λη)                        (param.mul_(1 − lambd·eta))
 * θ ← fma(g, −η, θ)                     (param.add_(grad, alpha=−eta))
 * ax ← ax + (θ − ax)·μ         μ ≠ 1    (ax.add_(param.sub(ax).mul_(mu))), else ax ← θ
 * ```
 * The loop is written once, per element; the family runs it two elements per iteration,
 * side by side, so their dependency chains overlap (`twoLanes` in src/kernels/specialise.ts).
 */
const asgdLoops = new LoopFamily(
  3,
  (settings: ASGDLoopSettings): ASGDLoop => {
    const {
      rounding: { fma, round },
      maximize,
      decay,
      averaging,
      tracer,
      record,
    } = settings;
    return (theta, g, ax, shrink, neg_eta, wd, mu) => {
      shrink *= 1;
      neg_eta *= 1;
      wd *= 1;
      mu *= 1; // unboxed once, not at every use (specialise.ts)
      for (let i = 0; i < theta.length; i++) {
        const grad = g[i]!;
        let gi = maximize ? -grad : grad;
        const theta0 = theta[i]!;
        if (decay) gi = fma(theta0, wd, gi);
        const theta_shrunk = round(theta0 * shrink);
        const theta1 = fma(gi, neg_eta, theta_shrunk);
        theta[i] = theta1;
        const ax0 = averaging || tracer !== null ? ax[i]! : 0; // read only where it is used or recorded
        const axi = averaging ? round(ax0 + round(round(theta1 - ax0) * mu)) : theta1;
        ax[i] = axi;
        if (tracer !== null) record(tracer, i, { theta: theta0, grad, g: gi, theta_shrunk, theta_after: theta1, ax_prev: ax0, ax: axi });
      }
    };
  },
  { name: "asgd" },
);
