import type { Float } from "../tensor/dtype.ts";
import { Tensor } from "../methods.ts";
import { ROUNDING, type Rounding } from "../kernels/rounding.ts";
import { LoopFamily } from "../kernels/specialise.ts";
import { checkLr, formatNumber } from "./checks.ts";
import { Optimizer, stateBuffer } from "./optimizer.ts";
import { type StepTrace, type TraceChannel, runTraced, traceChannel, watchedCopies } from "./step_trace.ts";
import { number, optional, signature } from "../utils/signature.ts";
import { type GroupOf, type OptimizerArguments, type OptionsOf, pair, paramsParameter, commonKeywords } from "./signatures.ts";

/**
 * Rprop's signature in current PyTorch, the one declaration its types, parsing, defaults
 * and group keys come from: `Rprop(params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *, capturable=False, foreach=None, maximize=False, differentiable=False)`.
 */
export const rpropSignature = signature("Rprop.__init__", [
  paramsParameter,
  optional("lr", number, 1e-2),
  optional("etas", pair, [0.5, 1.2]),
  optional("step_sizes", pair, [1e-6, 50]),
  ...commonKeywords("capturable", "foreach", "maximize", "differentiable"),
]);

/** A param group of {@link Rprop}: PyTorch's keys, as declared in `rpropSignature`. */
export type RpropGroup = GroupOf<typeof rpropSignature>;

/** The options of {@link Rprop}: every key of its group but the params, all optional. */
export type RpropOptions = OptionsOf<typeof rpropSignature>;

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
  constructor(...args: OptimizerArguments<typeof rpropSignature>) {
    const { params, ...defaults } = rpropSignature.parse(args);
    checkLr(defaults.lr);
    const [etaminus, etaplus] = defaults.etas;
    if (!(0 < etaminus && etaminus < 1 && 1 < etaplus)) {
      throw new Error(`Invalid eta values: ${formatNumber(etaminus)}, ${formatNumber(etaplus)}`);
    }
    super(params, defaults, rpropSignature);
  }

  protected override initState(param: Tensor, group: RpropGroup): RpropState {
    return { step: 0, prev: stateBuffer(param), step_size: stateBuffer(param, group.lr) };
  }

  protected override update(theta: Float, g: Float, s: RpropState | null, group: RpropGroup, _param: Tensor, trace: StepTrace | null): void {
    const {
      etas: [etaminus, etaplus],
      step_sizes: [step_size_min, step_size_max],
      maximize,
    } = group;
    const state = s!;
    state.step += 1;
    const single = theta instanceof Float32Array;
    const key = (single ? 1 : 0) | (maximize ? 2 : 0);
    const loop = rpropLoops.get(key) ?? rpropLoops.make(key, { rounding: single ? ROUNDING.float32 : ROUNDING.float64, maximize, tracer: null });
    // A float32 tensor holds sign(g·g_prev), η−, η+ and the clamp bounds rounded to float32, as PyTorch's do.
    const { round } = single ? ROUNDING.float32 : ROUNDING.float64;
    const [prev, eta] = [state.prev.data.data, state.step_size.data.data];
    const scalars = [round(etaminus), round(etaplus), round(step_size_min), round(step_size_max)] as const;
    const watched = trace === null ? null : watchedCopies(trace.watch, theta, g, prev, eta);
    loop(theta, g, prev, eta, ...scalars);
    if (trace === null || watched === null) return;
    // lab.inspect: the same loop, traced, over copies of the watched elements as they were
    const traced = rpropLoops.variant(key, 4, { tracer: traceChannel });
    // lr: the group's lr at this step; η starts from it only when the state is made (t = 1),
    // as PyTorch reads it once, so a scheduler's later changes of lr do not move η
    Object.assign(trace.scalars, {
      t: state.step,
      lr: group.lr,
      etaminus: scalars[0],
      etaplus: scalars[1],
      step_size_min: scalars[2],
      step_size_max: scalars[3],
    });
    runTraced(trace, () => traced(...watched, ...scalars));
  }
}

/** What one specialised Rprop loop is made for. */
interface RpropLoopSettings {
  rounding: Rounding;
  maximize: boolean;
  /** Where the traced variant records its watched elements (lab.inspect); null in the untraced loops. */
  tracer: TraceChannel | null;
}

type RpropLoop = (theta: Float, g: Float, prev: Float, eta: Float, etaminus: number, etaplus: number, step_size_min: number, step_size_max: number) => void;

/**
 * Rprop's loop, one source for every (dtype, option set), op by op as `_single_tensor_rprop`:
 *
 * ```text
 * σ ← sign(g·g_prev)                      (grad.mul(prev).sign(), the product rounded)
 * η ← clamp(η·(η+ | η− | 1 by σ), η_min, η_max)   (step_size.mul_(sign).clamp_(…))
 * g ← 0 where σ < 0                       (grad[sign.eq(etaminus)] = 0)
 * θ ← θ − sign(g)·η                       (param.addcmul_(grad.sign(), step_size, value=−1))
 * g_prev ← g
 * ```
 */
const rpropLoops = new LoopFamily(4, (settings: RpropLoopSettings): RpropLoop => {
  const {
    rounding: { round },
    maximize,
    tracer,
  } = settings;
  return (theta, g, prev, eta, etaminus, etaplus, step_size_min, step_size_max) => {
    etaminus *= 1;
    etaplus *= 1;
    step_size_min *= 1;
    step_size_max *= 1; // unboxed once, not at every use (specialise.ts)
    let watched = 0;
    let next = tracer === null ? -1 : (tracer.watch[0] ?? -1);
    for (let i = 0; i < theta.length; i++) {
      const grad = g[i]!;
      const g0 = maximize ? -grad : grad;
      let gi = g0;
      const prev0 = prev[i]!;
      const product = round(gi * prev0);
      const factor = product > 0 ? etaplus : product < 0 ? etaminus : 1;
      const eta0 = eta[i]!;
      const etai = Math.min(Math.max(round(eta0 * factor), step_size_min), step_size_max);
      eta[i] = etai;
      if (product < 0) gi = 0;
      const theta0 = theta[i]!;
      const sign = gi > 0 ? 1 : gi < 0 ? -1 : 0; // torch.sign: 0 for NaN, so θ stays
      const theta1 = round(theta0 - sign * etai);
      theta[i] = theta1;
      prev[i] = gi;
      if (tracer !== null && i === next) {
        tracer.elements.push({ theta: theta0, grad, g: g0, g_prev: prev0, product, factor, eta_prev: eta0, eta: etai, g_kept: gi, sign, theta_after: theta1 });
        next = tracer.watch[++watched] ?? -1;
      }
    }
  };
});
