import type { Float } from "../tensor/dtype.ts";
import { Tensor } from "../methods.ts";
import { emptyTensor } from "../tensor/tensor.ts";
import { formatNumber } from "./checks.ts";
import { Optimizer, stateBuffer } from "./optimizer.ts";
import type { StepTrace } from "./step_trace.ts";
import { boolean, keyword, nullable, number, optional, signature, tuple } from "../utils/signature.ts";
import { type GroupOf, type OptimizerArguments, type OptionsOf, flag, paramsParameter } from "./signatures.ts";

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
  keyword("foreach", flag, null),
  keyword("maximize", boolean, false),
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
 * as PyTorch's kernel computes it. U is never stored: one pass finds ‖U‖, the next applies it.
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
    const sign = maximize ? -1 : 1;
    const t = ++state.step;
    const w = t ** tau;
    const rho = Math.min(gamma, 1 / Math.sqrt(t));
    const numel = theta.length;
    let thetaSq = 0;
    for (let i = 0; i < numel; i++) thetaSq += theta[i]! * theta[i]!;
    const a = Math.max(eps2, Math.sqrt(thetaSq) / Math.sqrt(numel)) * rho;
    // lab.inspect: the watched elements' terms are copied as the loops compute them (plain
    // loops, not closures: a closure over θ or V would move them out of registers in the hot loops)
    const watch = trace?.watch ?? [];
    for (const i of watch) trace!.elements.push({ theta: theta[i]!, grad: g[i]!, g: sign * g[i]! });
    if (lambda !== 0) {
      const decay = 1 - gamma * lambda;
      for (let i = 0; i < numel; i++) theta[i] = theta[i]! * decay;
      for (let k = 0; k < watch.length; k++) trace!.elements[k]!.theta_decayed = theta[watch[k]!]!;
    }
    if (trace !== null) Object.assign(trace.scalars, { t, lr: gamma, beta2_decay: tau, w, rho, a, eps1, eps2, d, weight_decay: lambda });
    const floor = eps1 * eps1;
    let uSq = 0;
    if (state.variance !== undefined) {
      const V = state.variance.data.data;
      for (let k = 0; k < watch.length; k++) trace!.elements[k]!.v_prev = V[watch[k]!]!;
      for (let i = 0; i < numel; i++) {
        const gi = sign * g[i]!;
        V[i] = lerp(V[i]!, gi * gi, w);
        const ui = (1 / Math.sqrt(Math.max(V[i]!, floor))) * gi;
        uSq += ui * ui;
      }
    } else {
      const n = param.shape[param.ndim - 2]!;
      const m = param.shape[param.ndim - 1]!;
      const R = state.row_var!.data.data;
      const C = state.col_var!.data.data;
      for (let b = 0; b < numel / (n * m); b++) {
        const base = b * n * m;
        for (let i = 0; i < n; i++) {
          let rowSq = 0;
          for (let j = 0; j < m; j++) rowSq += g[base + i * m + j]! * g[base + i * m + j]!;
          R[b * n + i] = lerp(R[b * n + i]!, Math.sqrt(rowSq) ** 2 / m, w);
        }
        for (let j = 0; j < m; j++) {
          let colSq = 0;
          for (let i = 0; i < n; i++) colSq += g[base + i * m + j]! * g[base + i * m + j]!;
          C[b * m + j] = lerp(C[b * m + j]!, Math.sqrt(colSq) ** 2 / n, w);
        }
      }
      for (let k = 0; k < watch.length; k++) {
        const e = watch[k]!;
        const [b, i, j] = [Math.floor(e / (n * m)), Math.floor(e / m) % n, e % m];
        Object.assign(trace!.elements[k]!, { row_var: R[b * n + i]!, col_var: C[b * m + j]! });
      }
      // U is computed twice (here for its norm, below to apply it), so nothing is stored.
      uSq = factoredUpdate(theta, g, R, C, n, m, sign, eps1, floor, 0, null);
      const scale = a / Math.max(1, Math.sqrt(uSq) / (Math.sqrt(numel) * d));
      if (trace !== null) Object.assign(trace.scalars, { u_rms: Math.sqrt(uSq) / Math.sqrt(numel), scale });
      factoredUpdate(theta, g, R, C, n, m, sign, eps1, floor, scale, trace);
      return;
    }
    const scale = a / Math.max(1, Math.sqrt(uSq) / (Math.sqrt(numel) * d));
    if (trace !== null) Object.assign(trace.scalars, { u_rms: Math.sqrt(uSq) / Math.sqrt(numel), scale });
    vectorUpdate(theta, g, state.variance.data.data, sign, floor, scale, trace);
  }
}

/** PyTorch's lerp kernel: x + w·(y − x) for |w| < 0.5, else y − (y − x)·(1 − w). */
const lerp = (x: number, y: number, w: number): number => (Math.abs(w) < 0.5 ? x + w * (y - x) : y - (y - x) * (1 - w));

/**
 * θ ← θ − scale·U with U_i = (1/√max(V_i, ε1²))·g_i, for a vector parameter, copying the
 * watched elements' terms into `trace` (lab.inspect) as it goes.
 */
function vectorUpdate(theta: Float, g: Float, V: Float, sign: number, floor: number, scale: number, trace: StepTrace | null): void {
  const watch = trace?.watch ?? [];
  let next = watch[0] ?? -1;
  let watched = 0;
  for (let i = 0; i < theta.length; i++) {
    const gi = sign * g[i]!;
    const u = (1 / Math.sqrt(Math.max(V[i]!, floor))) * gi;
    theta[i] = theta[i]! - scale * u;
    if (i === next) {
      Object.assign(trace!.elements[watched]!, { v: V[i]!, u, theta_after: theta[i]! });
      next = watch[++watched] ?? -1;
    }
  }
}

/**
 * U_ij = (1/√max((R_i·C_j)/max(mean R, ε1), ε1²))·g_ij for each matrix of the batch:
 * with scale 0 returns Σ U², otherwise applies θ ← θ − scale·U and returns 0, copying the
 * watched elements' terms into `trace` (lab.inspect) as it goes.
 */
function factoredUpdate(
  theta: Float,
  g: Float,
  R: Float,
  C: Float,
  n: number,
  m: number,
  sign: number,
  eps1: number,
  floor: number,
  scale: number,
  trace: StepTrace | null,
): number {
  const watch = trace?.watch ?? [];
  let next = watch[0] ?? -1;
  let watched = 0;
  let uSq = 0;
  for (let b = 0; b < theta.length / (n * m); b++) {
    let rowSum = 0;
    for (let i = 0; i < n; i++) rowSum += R[b * n + i]!;
    const rowMean = Math.max(rowSum / n, eps1);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        const k = b * n * m + i * m + j;
        const vhat = (R[b * n + i]! * C[b * m + j]!) / rowMean;
        const u = (1 / Math.sqrt(Math.max(vhat, floor))) * (sign * g[k]!);
        if (scale === 0) uSq += u * u;
        else theta[k] = theta[k]! - scale * u;
        if (k === next) {
          Object.assign(trace!.elements[watched]!, { row_mean: rowMean, vhat, u, theta_after: theta[k]! });
          next = watch[++watched] ?? -1;
        }
      }
    }
  }
  return uSq;
}
