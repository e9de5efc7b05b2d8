import { ROUNDING, isLowLerpWeight, lerpFactor } from "../kernels/rounding.ts";
import * as libm from "../math/libm.ts";
import type { Float } from "../tensor/dtype.ts";
import { Tensor } from "../methods.ts";
import { emptyTensor } from "../tensor/tensor.ts";
import { formatNumber } from "./checks.ts";
import { Optimizer, stateBuffer } from "./optimizer.ts";
import type { StepTrace } from "./step_trace.ts";
import { KEY, applyLoop, factoredLoop, meansLoop, scratchFor, thetaLoop, traceInto, vectorLoop } from "./adafactor_loops.ts";
import { nullable, number, optional, signature, tuple } from "../utils/signature.ts";
import { type GroupOf, type OptimizerArguments, type OptionsOf, paramsParameter, commonKeywords } from "./signatures.ts";

/**
 * Adafactor's signature in current PyTorch, the one declaration its types, parsing, defaults
 * and group keys come from: `Adafactor(params, lr=1e-2, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0, weight_decay=0.0, *, foreach=None, maximize=False)`.
 */
export const adafactorSignature = signature("Adafactor.__init__", [
  paramsParameter,
  optional("lr", number, 1e-2),
  optional("beta2_decay", number, -0.8),
  optional("eps", tuple(nullable(number), number), [null, 1e-3]),
  optional("d", number, 1.0),
  optional("weight_decay", number, 0.0),
  ...commonKeywords("foreach", "maximize"),
]);

/** A param group of {@link Adafactor}: PyTorch's keys, as declared in `adafactorSignature`. */
export type AdafactorGroup = GroupOf<typeof adafactorSignature>;

/** The options of {@link Adafactor}: every key of its group but the params, all optional. */
export type AdafactorOptions = OptionsOf<typeof adafactorSignature>;

/**
 * The per-parameter state of {@link Adafactor}: a parameter of two or more dims keeps
 * factored row and column averages over its last two dims; a vector keeps the full one.
 */
export interface AdafactorState {
  step: number;
  /** R, shape [..., n, 1]: the running mean of g² over each row (≥ 2-D parameters). */
  row_var?: Tensor;
  /** C, shape [..., 1, m]: the running mean of g² over each column (≥ 2-D parameters). */
  col_var?: Tensor;
  /** V, the running average of g² (vectors). */
  variance?: Tensor;
}

/** The watched elements of an untraced step: none (one array, not a new one each step). */
const NO_WATCH: readonly number[] = [];

/** Machine epsilon of each dtype, as `torch.finfo(dtype).eps`. */
const MACHINE_EPS = { float32: 2 ** -23, float64: 2 ** -52 } as const;

/**
 * Adafactor (Shazeer and Stern, 2018) as current PyTorch's `torch.optim.Adafactor`,
 * written the way `step()` evaluates it, for a parameter of shape [..., n, m].
 *
 * ```text
 * options  γ lr · τ beta2_decay · (ε1, ε2) eps · d · λ weight_decay · maximize
 * state    t step · R row_var · C col_var (≥ 2-D) · V variance (vectors)
 * for each parameter θ that has a gradient g:
 *   g ← −g                                        if maximize
 *   t ← t + 1
 *   w ← t^τ                                       (that is 1 − β̂2)
 *   ρ ← min(γ, 1/√t)
 *   a ← max(ε2, ‖θ‖ / √numel(θ))·ρ                 θ before weight decay
 *   θ ← θ·(1 − γ·λ)                               if λ ≠ 0
 *   if θ has ≥ 2 dims, for each matrix of the last two:
 *     R_i ← lerp(R_i, ‖g_i,:‖² / m, w)             row i
 *     C_j ← lerp(C_j, ‖g_:,j‖² / n, w)             column j
 *     V̂_ij ← (R_i·C_j) / max(mean_i R_i, ε1)
 *   else:
 *     V ← lerp(V, g·g, w);  V̂ ← V
 *   U ← (1 / √max(V̂, ε1²))·g
 *   θ ← θ − (a / max(1, (‖U‖ / √numel(U)) / d))·U
 * ```
 * where lerp(x, y, w) is x + w·(y − x) for w < 0.5 and y − (y − x)·(1 − w) otherwise,
 * as PyTorch's kernel computes it. U is kept in a scratch array (one per dtype, as long as the
 * longest parameter, shared) between the pass that finds ‖U‖ and the one that applies it.
 *
 * Each line is the tensor op `_single_tensor_adafactor` runs, rounded to the parameter's
 * dtype as PyTorch's CPU kernel rounds it: Python scalars (1 − γλ, w, ε1, ε1², −a/max(…))
 * converted to the dtype first; lerp_ and add_(U, alpha) as one FMA; rsqrt as 1/√x, two
 * roundings; R_i·C_j (a matmul with k = 1) rounded once; the norms ‖θ‖, ‖g_i,:‖, ‖g_:,j‖,
 * ‖U‖ in the dtype, read by `.item()` into doubles where Python uses them. The norms and
 * the sum of R follow the summation order of torch 1.13's kernels, measured on this machine
 * (src/optim/adafactor_loops.ts). float32 trajectories are bit-identical to current
 * PyTorch's function run on torch 1.13's ops (test/optim/adafactor.test.ts prints the
 * fraction). Not matched: the row sum for 6, 7 or 32 and more rows (a cascade not modelled),
 * and whatever order another build's compiler gives the reductions' tails.
 *
 * @example
 * ```ts
 * import { optim, tensor } from "gradlab";
 * const w = tensor([3, 4], { dtype: "float64", requires_grad: true });
 * const opt = new optim.Adafactor([w], { lr: 0.1 });
 * w.grad = tensor([2, -2], { dtype: "float64" });
 * opt.step(); // a = RMS(θ)·0.1; V = g², so U = sign(g)
 * console.log(w.tolist().map((x) => Number(x).toFixed(6))); // ["2.646447", "4.353553"]
 * ```
 */
export class Adafactor extends Optimizer<AdafactorGroup, AdafactorState> {
  constructor(...args: OptimizerArguments<typeof adafactorSignature>) {
    const { params, ...defaults } = adafactorSignature.parse(args);
    const {
      lr,
      beta2_decay,
      eps: [eps1, eps2],
      d,
      weight_decay,
    } = defaults;
    if (!(0 <= lr)) throw new Error(`Learning rate should be >= 0 but is: ${formatNumber(lr)}`);
    if (!(0 >= beta2_decay)) throw new Error(`beta2_decay should be <= 0 but is: ${formatNumber(beta2_decay)}`);
    if (eps1 !== null && !(0 <= eps1)) throw new Error(`epsilon1 should be >= 0 but is: ${formatNumber(eps1)}`);
    if (!(0 <= eps2)) throw new Error(`epsilon2 should be >= 0 but is: ${formatNumber(eps2)}`);
    if (!(1 <= d)) throw new Error(`Clipping threshold d should be >= 1 but is: ${formatNumber(d)}`);
    if (!(0 <= weight_decay)) throw new Error(`weight_decay should be >= 0 but is: ${formatNumber(weight_decay)}`);
    super(params, defaults, adafactorSignature);
  }

  protected override initState(param: Tensor): AdafactorState {
    if (param.ndim <= 1) return { step: 0, variance: stateBuffer(param) };
    const rowShape = param.shape.slice();
    rowShape[rowShape.length - 1] = 1;
    const colShape = param.shape.slice();
    colShape[colShape.length - 2] = 1;
    return { step: 0, row_var: emptyTensor(param.dtype, rowShape), col_var: emptyTensor(param.dtype, colShape) };
  }

  protected override update(theta: Float, g: Float, s: AdafactorState | null, group: AdafactorGroup, param: Tensor, trace: StepTrace | null): void {
    const { lr: gamma, beta2_decay: tau, d, weight_decay: lambda, maximize } = group;
    const eps1 = group.eps[0] ?? MACHINE_EPS[param.dtype as "float32" | "float64"];
    const eps2 = group.eps[1];
    const state = s!;
    const single = theta instanceof Float32Array;
    const { round } = single ? ROUNDING.float32 : ROUNDING.float64;
    const t = ++state.step;
    // Python floats: step_float ** beta2_decay with C's pow, as CPython computes it; ** 0.5 is √ (both correctly rounded)
    const w = libm.pow(t, tau);
    const rho = Math.min(gamma, 1 / Math.sqrt(t));
    const numel = theta.length;
    // lab.inspect: the watched elements' terms are copied between the passes, and by the traced loops
    const watch = trace?.watch ?? NO_WATCH;
    for (const i of watch) trace!.elements.push({ theta: theta[i]!, grad: g[i]!, g: maximize ? -g[i]! : g[i]! });
    // alpha from param.norm(2).item(): a norm in the parameter's dtype, read into a Python float;
    // then param.mul_(1 − lr·λ): the scalar in the dtype, each product rounded
    const decayed = lambda !== 0;
    const thetaSquares = thetaLoop((single ? KEY.float32 : 0) | (decayed ? KEY.decayed : 0))(theta, round(1 - gamma * lambda));
    const a = Math.max(eps2, round(Math.sqrt(thetaSquares)) / Math.sqrt(numel)) * rho;
    if (decayed) for (let k = 0; k < watch.length; k++) trace!.elements[k]!.theta_decayed = theta[watch[k]!]!;
    if (trace !== null) Object.assign(trace.scalars, { t, lr: gamma, beta2_decay: tau, w, rho, a, eps1, eps2, d, weight_decay: lambda });
    // w, ε1 and ε1·ε1 (a Python float) in the dtype, as lerp_ and clamp_ take them
    const k = lerpFactor(round(w), round);
    const floor = round(eps1 * eps1);
    const key = (single ? KEY.float32 : 0) | (maximize ? KEY.maximize : 0);
    const lerpKey = (single ? KEY.float32 : 0) | (isLowLerpWeight(round(w)) ? KEY.lowWeight : 0);
    const V = state.variance?.data.data;
    const R = state.row_var?.data.data;
    const C = state.col_var?.data.data;
    const U = scratchFor(single, numel);
    traceInto(trace);
    try {
      let uSquares: number;
      if (V !== undefined) {
        for (let j = 0; j < watch.length; j++) trace!.elements[j]!.v_prev = V[watch[j]!]!;
        uSquares = vectorLoop(key | lerpKey, trace !== null)(g, V, U, k, floor);
      } else {
        meansLoop(lerpKey)(g, R!, C!, k);
        if (trace !== null) recordFactors(trace, param.shape, R!, C!);
        uSquares = factoredLoop(key, trace !== null)(g, R!, C!, U, round(eps1), floor);
      }
      const uNorm = round(Math.sqrt(uSquares)); // update.norm(2).item()
      const scale = a / Math.max(1, uNorm / (Math.sqrt(numel) * d));
      if (trace !== null) Object.assign(trace.scalars, { u_rms: uNorm / Math.sqrt(numel), scale });
      // param.add_(update, alpha=−alpha/denom): the scalar in the dtype, one FMA
      applyLoop(key & KEY.float32, trace !== null)(theta, U, round(-scale));
    } finally {
      traceInto(null);
    }
  }
}

/** lab.inspect: each watched element's row's R_i and column's C_j, as the means pass left them. */
function recordFactors(trace: StepTrace, shape: readonly number[], R: Float, C: Float): void {
  const [n, m] = shape.slice(-2) as [number, number];
  trace.watch.forEach((e, j) => {
    const [b, i, c] = [Math.floor(e / (n * m)), Math.floor(e / m) % n, e % m];
    Object.assign(trace.elements[j]!, { row_var: R[b * n + i]!, col_var: C[b * m + c]! });
  });
}
