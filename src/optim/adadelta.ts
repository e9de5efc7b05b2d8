import type { Float } from "../tensor/dtype.ts";
import { Tensor } from "../methods.ts";
import { ROUNDING, type Rounding } from "../kernels/rounding.ts";
import { LoopFamily } from "../kernels/specialise.ts";
import { checkEps, checkLr, checkWeightDecay, formatNumber } from "./checks.ts";
import { Optimizer, stateBuffer } from "./optimizer.ts";
import { type StepTrace, type TraceChannel, recordElement, runTraced, traceChannel, watchedCopies } from "./step_trace.ts";
import { number, optional, signature } from "../utils/signature.ts";
import { type GroupOf, type OptimizerArguments, type OptionsOf, paramsParameter, common, commonKeywords } from "./signatures.ts";

/**
 * Adadelta's signature in current PyTorch, the one declaration its types, parsing, defaults
 * and group keys come from: `Adadelta(params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *, capturable=False, maximize=False, differentiable=False)`.
 */
export const adadeltaSignature = signature("Adadelta.__init__", [
  paramsParameter,
  optional("lr", number, 1.0),
  optional("rho", number, 0.9),
  optional("eps", number, 1e-6),
  ...common("weight_decay", "foreach"),
  ...commonKeywords("capturable", "maximize", "differentiable"),
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
    super(params, defaults, adadeltaSignature);
  }

  protected override initState(param: Tensor): AdadeltaState {
    return { step: 0, square_avg: stateBuffer(param), acc_delta: stateBuffer(param) };
  }

  protected override update(theta: Float, g: Float, s: AdadeltaState | null, group: AdadeltaGroup, _param: Tensor, trace: StepTrace | null): void {
    const { lr: gamma, rho, eps, weight_decay: lambda, maximize } = group;
    const state = s!;
    state.step += 1;
    const single = theta instanceof Float32Array;
    const key = (single ? 1 : 0) | (maximize ? 2 : 0) | (lambda !== 0 ? 4 : 0);
    const loop =
      adadeltaLoops.get(key) ??
      adadeltaLoops.make(key, { rounding: single ? ROUNDING.float32 : ROUNDING.float64, maximize, decay: lambda !== 0, tracer: null, record: recordElement });
    const { round } = single ? ROUNDING.float32 : ROUNDING.float64;
    const v = state.square_avg.data.data;
    const u = state.acc_delta.data.data;
    const neg_lr = round(-gamma);
    const r = round(rho);
    const omr = round(1 - rho);
    const e = round(eps);
    const l = round(lambda);
    const watched = trace === null ? null : watchedCopies(trace.watch, theta, g, v, u);
    loop(theta, g, v, u, neg_lr, r, omr, e, l);
    if (trace === null || watched === null) return;
    // lab.inspect: the same loop, traced, over copies of the watched elements as they were
    const traced = adadeltaLoops.variant(key, 8, { tracer: traceChannel });
    Object.assign(trace.scalars, { t: state.step, lr: gamma, rho: r, eps: e, weight_decay: lambda });
    runTraced(trace, () => traced(...watched, neg_lr, r, omr, e, l));
  }
}

/** What one specialised Adadelta loop is made for. */
interface AdadeltaLoopSettings {
  rounding: Rounding;
  maximize: boolean;
  decay: boolean;
  /** Where the traced variant records its watched elements (lab.inspect); null in the untraced loops. */
  tracer: TraceChannel | null;
  /** Records one element in the traced variant: {@link recordElement}. */
  record: typeof recordElement;
}

type AdadeltaLoop = (theta: Float, g: Float, v: Float, u: Float, neg_lr: number, rho: number, one_minus_rho: number, eps: number, lambda: number) => void;

/**
 * Adadelta's loop, one source for every (dtype, option set), op by op as
 * `_single_tensor_adadelta` (each result rounded to the dtype, FMAs as in rounding.ts):
 *
 * ```text
 * g ← fma(θ, λ, g)                         λ ≠ 0  (grad.add(param, alpha=λ))
 * v ← fma((1 − ρ)·g, g, v·ρ)                      (square_avg.mul_(ρ).addcmul_(grad, grad, value=1 − ρ))
 * Δ ← (√(u + ε) / √(v + ε))·g                     (acc_delta.add(eps).sqrt_().div_(std).mul_(grad))
 * u ← fma((1 − ρ)·Δ, Δ, u·ρ)                      (acc_delta.mul_(ρ).addcmul_(delta, delta, value=1 − ρ))
 * θ ← fma(Δ, −γ, θ)                               (param.add_(delta, alpha=−γ))
 * ```
 * One element per iteration: in two lanes (`twoLanes` in src/kernels/specialise.ts), as the
 * other elementwise optimizers run, this loop measured 1.2× slower here. Its six FMAs per
 * pair of elements, each inlined with its narrow path (rounding.ts, fma32Narrow),
 * exceed TurboFan's budget of inlined bytecode per function (920 bytes), so two of those
 * paths stay calls inside the loop; with the budget raised
 * (`--max-inlined-bytecode-size-cumulative=4000`) the two lanes measured 0.94×.
 * fma32's early out for float32 sums does not change this (two lanes 1.14× at 1M, 1.17× at
 * 10M; 0.97× with the budget raised): the nine fma32 of the two lanes and their tail take
 * 900 of the 920 bytes alone, and true midpoints stay common enough (0.4% of the FMAs in
 * the bench's first steps at γ = 1, where θ − γ·Δ is mostly an exact float64 sum) for V8
 * to keep inlining the midpoint path wherever the budget lets it.
 */
const adadeltaLoops = new LoopFamily(4, (settings: AdadeltaLoopSettings): AdadeltaLoop => {
  const {
    rounding: { fma, round },
    maximize,
    decay,
    tracer,
    record,
  } = settings;
  return (theta, g, v, u, neg_lr, rho, one_minus_rho, eps, lambda) => {
    neg_lr *= 1;
    rho *= 1;
    one_minus_rho *= 1;
    eps *= 1;
    lambda *= 1; // unboxed once, not at every use (specialise.ts)
    for (let i = 0; i < theta.length; i++) {
      const grad = g[i]!;
      const theta0 = theta[i]!;
      let gi = maximize ? -grad : grad;
      if (decay) gi = fma(theta0, lambda, gi);
      const v0 = v[i]!;
      const vi = fma(round(one_minus_rho * gi), gi, round(v0 * rho));
      v[i] = vi;
      const std = round(Math.sqrt(round(vi + eps)));
      const u0 = u[i]!;
      const rms_delta = round(Math.sqrt(round(u0 + eps)));
      const delta = round(round(rms_delta / std) * gi);
      const ui = fma(round(one_minus_rho * delta), delta, round(u0 * rho));
      u[i] = ui;
      const theta1 = fma(delta, neg_lr, theta0);
      theta[i] = theta1;
      if (tracer !== null) record(tracer, i, { theta: theta0, grad, g: gi, v_prev: v0, v: vi, std, u_prev: u0, rms_delta, delta, u: ui, theta_after: theta1 });
    }
  };
});
