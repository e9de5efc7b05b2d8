import type { Float } from "../tensor/dtype.ts";
import { Tensor } from "../methods.ts";
import { ROUNDING, type Rounding } from "../kernels/rounding.ts";
import { LoopFamily } from "../kernels/specialise.ts";
import { checkEps, checkFused, checkLr, checkNonNegative, checkWeightDecay } from "./checks.ts";
import { Optimizer, stateBuffer } from "./optimizer.ts";
import { type StepTrace, type TraceChannel, recordElement, runTraced, stepTracerOf, traceChannel, watchedCopies } from "./step_trace.ts";
import { number, optional, signature } from "../utils/signature.ts";
import { type GroupOf, type OptimizerArguments, type OptionsOf, paramsParameter, common, commonKeywords } from "./signatures.ts";
import type { SparseTensor } from "../ops/sparse.ts";
import { adagradSparse } from "./sparse_steps.ts";

/**
 * Adagrad's signature in current PyTorch, the one declaration its types, parsing, defaults
 * and group keys come from: `Adagrad(params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10, foreach=None, *, maximize=False, differentiable=False, fused=None)`.
 */
export const adagradSignature = signature("Adagrad.__init__", [
  paramsParameter,
  optional("lr", number, 1e-2),
  optional("lr_decay", number, 0),
  ...common("weight_decay"),
  optional("initial_accumulator_value", number, 0),
  optional("eps", number, 1e-10),
  ...common("foreach"),
  ...commonKeywords("maximize", "differentiable", "fused"),
]);

/** A param group of {@link Adagrad}: PyTorch's keys, as declared in `adagradSignature`. */
export type AdagradGroup = GroupOf<typeof adagradSignature>;

/** The options of {@link Adagrad}: every key of its group but the params, all optional. */
export type AdagradOptions = OptionsOf<typeof adagradSignature>;

/** The per-parameter state of {@link Adagrad}. */
export type AdagradState = {
  /** t, the number of steps this parameter has taken. */
  step: number;
  /** s, the running sum of squared gradients. */
  sum: Tensor;
};

/**
 * Adagrad, written the way `step()` evaluates it.
 *
 * ```text
 * options  γ lr · η lr_decay · ε eps · λ weight_decay · s₀ initial_accumulator_value · maximize
 * state    t step · s sum (starts at s₀)
 * for each parameter θ that has a gradient g:
 *   t ← t + 1
 *   g ← −g                       if maximize
 *   g ← g + λ·θ                  if λ ≠ 0
 *   γ' = γ / (1 + (t − 1)·η)
 *   s ← s + g·g
 *   θ ← θ − γ'·(g / (√s + ε))
 * ```
 * Unlike the other optimizers, Adagrad's state exists from construction, as in PyTorch:
 * every parameter gets `step` 0 and `sum` filled with the constructor's
 * initial_accumulator_value (a group's own value is not used for it). A parameter added
 * later by `add_param_group` gets its state on its first step, from its group's value
 * (PyTorch has no state for it and fails there).
 */
export class Adagrad extends Optimizer<AdagradGroup, AdagradState> {
  constructor(...args: OptimizerArguments<typeof adagradSignature>) {
    const { params, ...defaults } = adagradSignature.parse(args);
    checkLr(defaults.lr);
    checkNonNegative("lr_decay", defaults.lr_decay);
    checkWeightDecay(defaults.weight_decay);
    checkNonNegative("initial_accumulator_value", defaults.initial_accumulator_value);
    checkEps(defaults.eps);
    checkFused(defaults);
    super(params, defaults, adagradSignature);
    for (const group of this.param_groups) {
      for (const p of group.params) {
        this.state.set(p, { step: 0, sum: stateBuffer(p, defaults.initial_accumulator_value) });
      }
    }
  }

  protected override initState(param: Tensor, group: AdagradGroup): AdagradState {
    return { step: 0, sum: stateBuffer(param, group.initial_accumulator_value) };
  }

  /** Sparse gradients are taken, except with weight decay, as PyTorch's Adagrad. */
  protected override sparseGradientError(group: AdagradGroup): string | null {
    return group.weight_decay !== 0 ? "weight_decay option is not compatible with sparse gradients" : null;
  }

  /** The rows a sparse gradient names: sparse_steps.ts. */
  protected override updateSparse(param: Tensor, grad: SparseTensor, st: AdagradState, group: AdagradGroup): void {
    // lab.inspect's trace, if it watches this parameter (the base class traces dense updates only)
    adagradSparse(param, grad, st, group, stepTracerOf(this)?.traceFor(param, this.param_groups.indexOf(group)) ?? null);
  }

  protected override update(theta: Float, g: Float, st: AdagradState, group: AdagradGroup, _param: Tensor, trace: StepTrace | null): void {
    const { lr: gamma, lr_decay: eta, eps, weight_decay: lambda, maximize } = group;
    const t = ++st.step;
    const clr = gamma / (1 + (t - 1) * eta);
    const single = theta instanceof Float32Array;
    const key = (single ? 1 : 0) | (maximize ? 2 : 0) | (lambda !== 0 ? 4 : 0);
    const loop =
      adagradLoops.get(key) ??
      adagradLoops.make(key, { rounding: single ? ROUNDING.float32 : ROUNDING.float64, maximize, decay: lambda !== 0, tracer: null, record: recordElement });
    const { round } = single ? ROUNDING.float32 : ROUNDING.float64;
    const s = st.sum.data.data;
    const neg_clr = round(-clr);
    const l = round(lambda);
    const e = round(eps);
    const watched = trace === null ? null : watchedCopies(trace.watch, theta, g, s);
    loop(theta, g, s, neg_clr, l, e);
    if (trace === null || watched === null) return;
    // lab.inspect: the same loop, traced, over copies of the watched elements as they were
    const traced = adagradLoops.variant(key, 8, { tracer: traceChannel });
    Object.assign(trace.scalars, { t, lr: gamma, lr_decay: eta, clr: -neg_clr, eps: e, weight_decay: lambda });
    runTraced(trace, () => traced(...watched, neg_clr, l, e));
  }
}

/** What one specialised Adagrad loop is made for. */
interface AdagradLoopSettings {
  rounding: Rounding;
  maximize: boolean;
  decay: boolean;
  /** Where the traced variant records its watched elements (lab.inspect); null in the untraced loops. */
  tracer: TraceChannel | null;
  /** Records one element in the traced variant: {@link recordElement}. */
  record: typeof recordElement;
}

type AdagradLoop = (theta: Float, g: Float, s: Float, neg_clr: number, lambda: number, eps: number) => void;

/**
 * Adagrad's loop, one source for every (dtype, option set), op by op as
 * `_single_tensor_adagrad` (each result rounded to the dtype, FMAs as in rounding.ts):
 *
 * ```text
 * g ← fma(θ, λ, g)                 λ ≠ 0   (grad.add(param, alpha=λ))
 * s ← fma(g, g, s)                         (state_sum.addcmul_(grad, grad, value=1))
 * σ ← √s + ε                               (state_sum.sqrt().add_(eps), rounded twice)
 * θ ← θ + ((−clr)·g) / σ                   (param.addcdiv_(grad, std, value=−clr))
 * ```
 * The loop is written once, per element; the family runs it two elements per iteration,
 * side by side, so their dependency chains overlap (`twoLanes` in src/kernels/specialise.ts).
 */
const adagradLoops = new LoopFamily(
  3,
  (settings: AdagradLoopSettings): AdagradLoop => {
    const {
      rounding: { fma, round },
      maximize,
      decay,
      tracer,
      record,
    } = settings;
    return (theta, g, s, neg_clr, lambda, eps) => {
      neg_clr *= 1;
      lambda *= 1;
      eps *= 1; // unboxed once, not at every use (specialise.ts)
      for (let i = 0; i < theta.length; i++) {
        const grad = g[i]!;
        let gi = maximize ? -grad : grad;
        if (decay) gi = fma(theta[i]!, lambda, gi);
        const s0 = s[i]!;
        const si = fma(gi, gi, s0);
        s[i] = si;
        const std = round(round(Math.sqrt(si)) + eps);
        const update = round(round(neg_clr * gi) / std);
        const theta0 = theta[i]!; // read after s is written, as the untraced loop always did
        const theta1 = round(theta0 + update);
        theta[i] = theta1;
        if (tracer !== null) record(tracer, i, { theta: theta0, grad, g: gi, s_prev: s0, s: si, std, update, theta_after: theta1 });
      }
    };
  },
  { name: "adagrad" },
);
