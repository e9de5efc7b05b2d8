import { type Rounding, roundingOf } from "../kernels/rounding.ts";
import * as libm from "../math/libm.ts";
import type { Float } from "../tensor/dtype.ts";
import { Tensor } from "../methods.ts";
import { emptyTensor } from "../tensor/tensor.ts";
import { formatNumber } from "./checks.ts";
import { Optimizer, stateBuffer } from "./optimizer.ts";
import type { StepTrace } from "./step_trace.ts";
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
 * Each line is the tensor op `_single_tensor_adafactor` runs, rounded to the parameter's
 * dtype as PyTorch's CPU kernel rounds it: Python scalars (1 − γλ, w, ε1, ε1², −a/max(…))
 * converted to the dtype first; lerp_ and add_(U, alpha) as one FMA; rsqrt as 1/√x, two
 * roundings; R_i·C_j (a matmul with k = 1) rounded once; the norms ‖θ‖, ‖g_i,:‖, ‖g_:,j‖,
 * ‖U‖ in the dtype, read by `.item()` into doubles where Python uses them. The norms and
 * the sum of R follow the summation order of torch 1.13's kernels, measured on this machine
 * (`SquareSum` and `rowVarSum` below). float32 trajectories are bit-identical to current
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
    const rounding = roundingOf(theta);
    const { round } = rounding;
    const single = theta instanceof Float32Array;
    const sign = maximize ? -1 : 1;
    const t = ++state.step;
    // Python floats: step_float ** beta2_decay with C's pow, as CPython computes it; ** 0.5 is √ (both correctly rounded)
    const w = libm.pow(t, tau);
    const rho = Math.min(gamma, 1 / Math.sqrt(t));
    const numel = theta.length;
    const squares = new SquareSum(rounding);
    // alpha from param.norm(2).item(): a norm in the parameter's dtype, read into a Python float
    squares.reset(numel, single);
    for (let i = 0; i < numel; i++) squares.add(theta[i]!);
    const a = Math.max(eps2, squares.norm() / Math.sqrt(numel)) * rho;
    // lab.inspect: the watched elements' terms are copied as the loops compute them (plain
    // loops, not closures: a closure over θ or V would move them out of registers in the hot loops)
    const watch = trace?.watch ?? [];
    for (const i of watch) trace!.elements.push({ theta: theta[i]!, grad: g[i]!, g: sign * g[i]! });
    if (lambda !== 0) {
      const decay = round(1 - gamma * lambda); // param.mul_(1 − lr·λ): the scalar in the dtype, the product rounded
      for (let i = 0; i < numel; i++) theta[i] = round(theta[i]! * decay);
      for (let k = 0; k < watch.length; k++) trace!.elements[k]!.theta_decayed = theta[watch[k]!]!;
    }
    if (trace !== null) Object.assign(trace.scalars, { t, lr: gamma, beta2_decay: tau, w, rho, a, eps1, eps2, d, weight_decay: lambda });
    const k: UpdateConstants = { sign, w: round(w), eps1: round(eps1), floor: round(eps1 * eps1), single };
    // U is computed twice (first for its norm, then to apply it), so nothing is stored.
    let apply: (alpha: number) => void;
    if (state.variance !== undefined) {
      const V = state.variance.data.data;
      for (let j = 0; j < watch.length; j++) trace!.elements[j]!.v_prev = V[watch[j]!]!;
      squares.reset(numel, single);
      for (let i = 0; i < numel; i++) {
        const gi = sign * g[i]!;
        V[i] = rounding.lerp(V[i]!, round(gi * gi), k.w); // variance.lerp_(grad * grad, w)
        squares.add(rsqrtTimes(rounding, V[i]!, k.floor, gi));
      }
      apply = (alpha) => vectorUpdate(theta, g, V, rounding, k, alpha, trace);
    } else {
      const [n, m] = param.shape.slice(-2) as [number, number];
      const [R, C] = [state.row_var!.data.data, state.col_var!.data.data];
      factoredMeans(g, R, C, n, m, rounding, k, squares);
      for (let j = 0; j < watch.length; j++) {
        const e = watch[j]!;
        const [b, i, c] = [Math.floor(e / (n * m)), Math.floor(e / m) % n, e % m];
        Object.assign(trace!.elements[j]!, { row_var: R[b * n + i]!, col_var: C[b * m + c]! });
      }
      squares.reset(numel, single);
      factoredUpdate(theta, g, R, C, n, m, rounding, k, 0, squares, null);
      apply = (alpha) => factoredUpdate(theta, g, R, C, n, m, rounding, k, alpha, null, trace);
    }
    const uNorm = squares.norm(); // update.norm(2).item()
    const scale = a / Math.max(1, uNorm / (Math.sqrt(numel) * d));
    if (trace !== null) Object.assign(trace.scalars, { u_rms: uNorm / Math.sqrt(numel), scale });
    apply(round(-scale)); // param.add_(update, alpha=−alpha/denom): the scalar in the dtype, one FMA
  }
}

/** What the loops of one Adafactor update share: the gradient's sign, w and the ε's in the dtype, the dtype. */
interface UpdateConstants {
  sign: number;
  /** w = t^τ in the dtype, as lerp_ takes its Python-float weight. */
  w: number;
  /** ε1 in the dtype, as clamp_(min=ε1) takes it. */
  eps1: number;
  /** ε1·ε1 computed as a Python float, then in the dtype, as clamp_(min=ε1·ε1) takes it. */
  floor: number;
  single: boolean;
}

/** `V̂.clamp_(min=ε1²).rsqrt_().mul_(g)` at one element: rsqrt is 1/√x, each op rounded to the dtype. */
const rsqrtTimes = ({ round }: Rounding, vhat: number, floor: number, g: number): number => round(round(1 / round(Math.sqrt(Math.max(vhat, floor)))) * g);

/**
 * Σ x² in the order of PyTorch's CPU `vector_norm` (ReduceOpsKernel.cpp): over a contiguous
 * run of float32 (a whole tensor, or a row with dim=-1) eight lanes of fused x·x + acc over
 * each block of 8, the lanes then added in order, then the tail; across rows (dim=-2), one
 * fused x·x + acc per row, in row order. The tail's order is the compiler's: Debian's GCC 12
 * build of torch 1.13 adds a block of 4 squares rounded, then the rest fused (measured on
 * 880 random lengths 1 to 200, and rows of dim=-1, all bit for bit; tools/fixtures/optim_adafactor.py).
 * float64 adds x·x + acc one element after the other (not checked bit for bit: the float64
 * fixtures compare at 1e-12).
 */
class SquareSum {
  private readonly lanes = new Float64Array(8);
  private sum = 0;
  private k = 0;
  private body = 0;
  private fours = 0;

  private readonly rounding: Rounding;

  constructor(rounding: Rounding) {
    this.rounding = rounding;
  }

  /** Starts a sum of `count` squares, in lanes (a contiguous float32 run) or one after the other. */
  reset(count: number, contiguous: boolean): void {
    this.lanes.fill(0);
    this.sum = 0;
    this.k = 0;
    this.body = contiguous ? count - (count % 8) : 0;
    this.fours = contiguous ? count - ((count % 8) % 4) : 0;
  }

  add(x: number): void {
    const { fma, round } = this.rounding;
    const k = this.k++;
    if (k < this.body) {
      this.lanes[k & 7] = fma(x, x, this.lanes[k & 7]!);
      if (k === this.body - 1) for (let j = 0; j < 8; j++) this.sum = j === 0 ? this.lanes[0]! : round(this.sum + this.lanes[j]!);
    } else if (k < this.fours) this.sum = round(this.sum + round(x * x));
    else this.sum = fma(x, x, this.sum);
  }

  /** √Σx², rounded to the dtype, as the norm's result tensor holds it. */
  norm(): number {
    return this.rounding.round(Math.sqrt(this.sum));
  }
}

/**
 * Σ R_i over the n rows of one matrix (`row_var.mean(dim=-2)` is a sum, then a division by
 * n, on CPU). float32: the order torch 1.13's contiguous sum kernel (SumKernel.cpp) was
 * measured to use for n < 32: the tail after the last full block first, then the lanes (8
 * wide; 4 below n = 8), each summed down its blocks, added in order. Not measured bit for
 * bit beyond n = 32, where the kernel cascades its lanes. float64: one after the other.
 */
function rowVarSum({ round }: Rounding, R: Float, offset: number, n: number, single: boolean): number {
  let sum = 0;
  if (!single) {
    for (let i = 0; i < n; i++) sum += R[offset + i]!;
    return sum;
  }
  const width = n < 8 ? 4 : 8;
  const body = n - (n % width);
  for (let i = body; i < n; i++) sum = round(sum + R[offset + i]!);
  for (let j = 0; j < width; j++) {
    let lane = 0;
    for (let i = j; i < body; i += width) lane = round(lane + R[offset + i]!);
    sum = round(sum + lane);
  }
  return sum;
}

/**
 * row_var.lerp_(‖g_i,:‖² / m, w) and col_var.lerp_(‖g_:,j‖² / n, w) for each matrix of the
 * batch: each norm in the dtype ({@link SquareSum}), then `.square_().div_(size)`, each rounded.
 */
function factoredMeans(g: Float, R: Float, C: Float, n: number, m: number, rounding: Rounding, k: UpdateConstants, squares: SquareSum): void {
  const { round, lerp } = rounding;
  for (let b = 0; b < g.length / (n * m); b++) {
    const base = b * n * m;
    for (let i = 0; i < n; i++) {
      squares.reset(m, k.single);
      for (let j = 0; j < m; j++) squares.add(g[base + i * m + j]!);
      const norm = squares.norm();
      R[b * n + i] = lerp(R[b * n + i]!, round(round(norm * norm) / m), k.w);
    }
    for (let j = 0; j < m; j++) {
      squares.reset(n, false);
      for (let i = 0; i < n; i++) squares.add(g[base + i * m + j]!);
      const norm = squares.norm();
      C[b * m + j] = lerp(C[b * m + j]!, round(round(norm * norm) / n), k.w);
    }
  }
}

/**
 * θ ← θ + α·U (one FMA per element, α = −scale in the dtype) with U_i = rsqrt(max(V_i, ε1²))·g_i,
 * for a vector parameter, copying the watched elements' terms into `trace` (lab.inspect) as it goes.
 */
function vectorUpdate(theta: Float, g: Float, V: Float, rounding: Rounding, k: UpdateConstants, alpha: number, trace: StepTrace | null): void {
  const watch = trace?.watch ?? [];
  let next = watch[0] ?? -1;
  let watched = 0;
  for (let i = 0; i < theta.length; i++) {
    const u = rsqrtTimes(rounding, V[i]!, k.floor, k.sign * g[i]!);
    theta[i] = rounding.fma(u, alpha, theta[i]!);
    if (i === next) {
      Object.assign(trace!.elements[watched]!, { v: V[i]!, u, theta_after: theta[i]! });
      next = watch[++watched] ?? -1;
    }
  }
}

/**
 * U_ij = rsqrt(max(V̂_ij, ε1²))·g_ij with V̂_ij = (R_i·C_j) / max(mean R, ε1), each op rounded,
 * for each matrix of the batch: with `squares`, adds each U_ij to it; otherwise applies
 * θ ← θ + α·U (one FMA), copying the watched elements' terms into `trace` (lab.inspect) as it goes.
 */
function factoredUpdate(
  theta: Float,
  g: Float,
  R: Float,
  C: Float,
  n: number,
  m: number,
  rounding: Rounding,
  k: UpdateConstants,
  alpha: number,
  squares: SquareSum | null,
  trace: StepTrace | null,
): void {
  const { round, fma } = rounding;
  const watch = trace?.watch ?? [];
  let next = watch[0] ?? -1;
  let watched = 0;
  for (let b = 0; b < theta.length / (n * m); b++) {
    const rowMean = Math.max(round(rowVarSum(rounding, R, b * n, n, k.single) / n), k.eps1);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        const e = b * n * m + i * m + j;
        const vhat = round(round(R[b * n + i]! * C[b * m + j]!) / rowMean); // (row_var @ col_var).div_(…)
        const u = rsqrtTimes(rounding, vhat, k.floor, k.sign * g[e]!);
        if (squares !== null) squares.add(u);
        else theta[e] = fma(u, alpha, theta[e]!);
        if (e === next) {
          Object.assign(trace!.elements[watched]!, { row_mean: rowMean, vhat, u, theta_after: theta[e]! });
          next = watch[++watched] ?? -1;
        }
      }
    }
  }
}
