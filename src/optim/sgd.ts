import type { Float } from "../tensor/dtype.ts";
import { Tensor } from "../methods.ts";
import { ROUNDING, type Rounding } from "../kernels/rounding.ts";
import { LoopFamily } from "../kernels/specialise.ts";
import { checkLr, checkMomentum, checkWeightDecay } from "./checks.ts";
import { Optimizer, stateBuffer } from "./optimizer.ts";
import { type StepTrace, type TraceChannel, runTraced, stepTracerOf, traceChannel, watchedCopies } from "./step_trace.ts";
import { boolean, number, optional, signature } from "../utils/signature.ts";
import { type GroupOf, type OptimizerArguments, type OptionsOf, paramsParameter, common, commonKeywords } from "./signatures.ts";
import type { SparseTensor } from "../ops/sparse.ts";
import { sgdSparse } from "./sparse_steps.ts";
import type { StateSpec } from "./load_checks.ts";

/** PyTorch's message for adding a dense tensor to a sparse one. */
const SPARSE_PLUS_DENSE = "add(sparse, dense) is not supported. Use add(dense, sparse) instead.";

/**
 * SGD's signature in current PyTorch, the one declaration its types, parsing, defaults
 * and group keys come from: `SGD(params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *, maximize=False, foreach=None, differentiable=False, fused=None)`.
 */
export const sgdSignature = signature("SGD.__init__", [
  paramsParameter,
  optional("lr", number, 1e-3),
  optional("momentum", number, 0),
  optional("dampening", number, 0),
  ...common("weight_decay"),
  optional("nesterov", boolean, false),
  ...commonKeywords("maximize", "foreach", "differentiable", "fused"),
]);

/** A param group of {@link SGD}: PyTorch's keys, as declared in `sgdSignature`. */
export type SGDGroup = GroupOf<typeof sgdSignature>;

/** The options of {@link SGD}: every key of its group but the params, all optional. */
export type SGDOptions = OptionsOf<typeof sgdSignature>;

/** The per-parameter state of {@link SGD}: only with momentum. */
export type SGDState = {
  /** b, a clone of the first step's gradient, then the running momentum. */
  momentum_buffer: Tensor | null;
};

/**
 * Stochastic gradient descent, optionally with momentum, written the way `step()` evaluates it.
 *
 * ```text
 * options  γ lr · μ momentum · τ dampening · λ weight_decay · nesterov · maximize
 * state    b momentum_buffer (only when μ ≠ 0)
 * for each parameter θ that has a gradient g:
 *   g ← −g                       if maximize
 *   g ← g + λ·θ                  if λ ≠ 0
 *   if μ ≠ 0:
 *     b ← g                      on the parameter's first step with momentum
 *     b ← μ·b + (1 − τ)·g        afterwards
 *     g ← g + μ·b                if nesterov
 *     g ← b                      otherwise
 *   θ ← θ − γ·g
 * ```
 * This is PyTorch's velocity form: γ scales the step outside the buffer, where Sutskever
 * et al. put it inside (b ← μ·b + γ·g, θ ← θ − b); the two agree while γ stays fixed.
 *
 * @example
 * ```ts
 * import { optim, tensor } from "gradlab";
 * const w = tensor([1, 2], { dtype: "float64", requires_grad: true });
 * const opt = new optim.SGD([w], { lr: 0.1, momentum: 0.9 });
 * w.grad = tensor([1, 1], { dtype: "float64" });
 * opt.step();
 * console.log(w.tolist()); // [0.9, 1.9]
 * ```
 */
export class SGD extends Optimizer<SGDGroup, SGDState> {
  constructor(...args: OptimizerArguments<typeof sgdSignature>) {
    const { params, ...defaults } = sgdSignature.parse(args);
    checkLr(defaults.lr);
    checkMomentum(defaults.momentum);
    checkWeightDecay(defaults.weight_decay);
    if (defaults.nesterov && (defaults.momentum <= 0 || defaults.dampening !== 0)) {
      throw new Error("Nesterov momentum requires a momentum and zero dampening");
    }
    super(params, defaults, sgdSignature);
  }

  /** State only with momentum; the buffer itself is made on the first update. */
  protected override initState(_param: Tensor, group: SGDGroup): SGDState | null {
    return group.momentum !== 0 ? { momentum_buffer: null } : null;
  }

  /** Sparse gradients are taken, except with weight decay (PyTorch cannot add a dense tensor to a sparse one). */
  protected override sparseGradientError(group: SGDGroup): string | null {
    return group.weight_decay !== 0 ? SPARSE_PLUS_DENSE : null;
  }

  /**
   * Also refuses, before any parameter moves, what PyTorch's formulas cannot add: a sparse
   * momentum buffer and a dense gradient (`buf.add_(grad)`), or a dense buffer and a sparse
   * gradient with nesterov (`grad.add(buf)`). PyTorch raises there mid-step.
   */
  protected override checkGradients(group: SGDGroup): void {
    super.checkGradients(group);
    if (group.momentum === 0) return;
    for (const p of group.params) {
      const buf = this.state.get(p)?.momentum_buffer ?? null;
      if (p.grad === null || buf === null) continue;
      if (buf.is_sparse ? !p.grad.is_sparse : p.grad.is_sparse && group.nesterov) throw new Error(SPARSE_PLUS_DENSE);
    }
  }

  /** A loaded momentum buffer may be sparse, as PyTorch's state_dict keeps one from sparse gradients. */
  protected override loadedStateSpec(param: Tensor, group: SGDGroup): StateSpec | null {
    const spec = super.loadedStateSpec(param, group);
    if (spec !== null) spec.momentum_buffer = { value: { kind: "tensor", shape: param.shape, nullable: true, sparse: true } };
    return spec;
  }

  /** A sparse gradient runs the same formulas on sparse tensors: sparse_steps.ts. */
  protected override updateSparse(param: Tensor, grad: SparseTensor, s: SGDState | null, group: SGDGroup): void {
    // lab.inspect's trace, if it watches this parameter (the base class traces dense updates only)
    sgdSparse(param, grad, s, group, stepTracerOf(this)?.traceFor(param, this.param_groups.indexOf(group)) ?? null);
  }

  protected override update(theta: Float, g: Float, s: SGDState | null, group: SGDGroup, param: Tensor, trace: StepTrace | null): void {
    const { lr, momentum: mu, dampening: tau, weight_decay: lambda, nesterov, maximize } = group;
    let first = false;
    if (mu !== 0 && s!.momentum_buffer === null) {
      s!.momentum_buffer = stateBuffer(param);
      first = true;
    }
    const single = theta instanceof Float32Array;
    const undamped = tau === 0;
    const key =
      (single ? 1 : 0) | (maximize ? 2 : 0) | (lambda !== 0 ? 4 : 0) | (mu !== 0 ? 8 : 0) | (nesterov ? 16 : 0) | (first ? 32 : 0) | (undamped ? 64 : 0);
    const loop =
      sgdLoops.get(key) ??
      sgdLoops.make(key, {
        rounding: single ? ROUNDING.float32 : ROUNDING.float64,
        maximize,
        decay: lambda !== 0,
        momentum: mu !== 0,
        nesterov,
        first,
        undamped,
        tracer: null,
        record: recordSGD,
      });
    const { round } = single ? ROUNDING.float32 : ROUNDING.float64;
    const b = mu !== 0 ? s!.momentum_buffer!.data.data : theta;
    // PyTorch converts each Python scalar to the tensor's dtype before the kernel runs.
    const neg_lr = round(-lr);
    const l = round(lambda);
    const m = round(mu);
    const one_minus_tau = round(1 - tau);
    const watched = trace === null ? null : watchedCopies(trace.watch, theta, g, b);
    loop(theta, g, b, neg_lr, l, m, one_minus_tau);
    if (trace === null || watched === null) return;
    // lab.inspect: the same loop, traced, over copies of the watched elements as they were
    const traced = sgdLoops.variant(key, 128, { tracer: traceChannel });
    Object.assign(trace.scalars, { lr, momentum: mu, dampening: tau, weight_decay: lambda });
    runTraced(trace, () => traced(...watched, neg_lr, l, m, one_minus_tau));
  }
}

/** What one specialised SGD loop is made for: the dtype's rounding and the options that are on. */
interface SGDLoopSettings {
  rounding: Rounding;
  maximize: boolean;
  decay: boolean;
  momentum: boolean;
  nesterov: boolean;
  first: boolean;
  /** τ = 0: the buffer's FMA has the factor 1, so it is the sum g + b·μ, rounded once. */
  undamped: boolean;
  /** Where the traced variant records its watched elements (lab.inspect); null in the untraced loops. */
  tracer: TraceChannel | null;
  /** Records one element in the traced variant: {@link recordSGD}. */
  record: typeof recordSGD;
}

/**
 * lab.inspect's record of element `index` of a traced SGD loop, if it is watched, in the
 * loop's names: `values` = θ, grad, g, the decayed g, buf_prev, buf, direction, theta_after.
 */
function recordSGD(settings: SGDLoopSettings, index: number, values: number[]): void {
  const { tracer, decay, momentum, first } = settings;
  if (tracer === null || !tracer.watch.includes(index)) return;
  const [theta, grad, g, g_decayed, buf_prev, buf, direction, theta_after] = values as [number, number, number, number, number, number, number, number];
  const terms: Record<string, number> = { theta, grad, g };
  if (decay) terms.g_decayed = g_decayed;
  if (momentum && !first) terms.buf_prev = buf_prev;
  if (momentum) terms.buf = buf;
  tracer.elements.push(Object.assign(terms, { direction, theta_after }));
}

type SGDLoop = (theta: Float, g: Float, b: Float, neg_lr: number, lambda: number, mu: number, one_minus_tau: number) => void;

/**
 * SGD's loop, one source for every (dtype, option set); each line is one PyTorch op of
 * `_single_tensor_sgd`, rounded as that op rounds (see src/kernels/rounding.ts):
 *
 * ```text
 * g ← −g                       maximize           (grad = −grad)
 * g ← fma(θ, λ, g)             λ ≠ 0              (grad.add(param, alpha=λ))
 * b ← g                        first momentum step (clone)
 * b ← fma(g, 1 − τ, b·μ)       later steps         (buf.mul_(μ).add_(grad, alpha=1 − τ)); with τ = 0 the
 *                                                  product g·1 is exact, and one rounding of g + b·μ is the FMA
 * g ← fma(b, μ, g)             nesterov            (grad.add(buf, alpha=μ)), else g ← b
 * θ ← fma(g, −γ, θ)                                (param.add_(grad, alpha=−γ))
 * ```
 * The loop is written once, per element; the family runs it two elements per iteration,
 * side by side, so their dependency chains overlap (`twoLanes` in src/kernels/specialise.ts).
 */
const sgdLoops = new LoopFamily(
  3,
  (settings: SGDLoopSettings): SGDLoop => {
    const {
      rounding: { fma, round },
      maximize,
      decay,
      momentum,
      nesterov,
      first,
      undamped,
      tracer,
      record,
    } = settings;
    return (theta, g, b, neg_lr, lambda, mu, one_minus_tau) => {
      const n = theta.length;
      neg_lr *= 1;
      lambda *= 1;
      mu *= 1;
      one_minus_tau *= 1; // unboxed once, not at every use (specialise.ts)
      for (let i = 0; i < n; i++) {
        const b0 = momentum && !first ? b[i]! : 0;
        const grad = g[i]!;
        const theta0 = theta[i]!;
        const g0 = maximize ? -grad : grad;
        const gd = decay ? fma(theta0, lambda, g0) : g0;
        const bi = !momentum ? 0 : first ? gd : undamped ? round(gd + round(b0 * mu)) : fma(gd, one_minus_tau, round(b0 * mu));
        const d = !momentum ? gd : nesterov ? fma(bi, mu, gd) : bi;
        const theta1 = fma(d, neg_lr, theta0);
        if (momentum) b[i] = bi;
        theta[i] = theta1;
        if (tracer !== null) record(settings, i, [theta0, grad, g0, gd, b0, bi, d, theta1]);
      }
    };
  },
  { name: "sgd" },
);
