import { bufferIndices } from "../kernels/view.ts";
import type { Float } from "../tensor/dtype.ts";
import { Tensor } from "../methods.ts";
import { emptyTensor } from "../tensor/tensor.ts";
import { fma64, mulAdd } from "../kernels/rounding.ts";
import type { StateSpec } from "./load_checks.ts";
import { checkLr } from "./checks.ts";
import { type Closure, type Loss, Optimizer } from "./optimizer.ts";
import { dot, strong_wolfe } from "./strong_wolfe.ts";
import { LBFGSRecorder } from "./lbfgs_trace.ts";
import { stepTracerOf } from "./step_trace.ts";
import { integer, kind, nullable, number, optional, signature } from "../utils/signature.ts";
import { type GroupOf, type OptimizerArguments, type OptionsOf, paramsParameter } from "./signatures.ts";

/** A string or null: another string than "strong_wolfe" fails at step time, with PyTorch's message. */
const lineSearchFn = kind<"strong_wolfe" | null>('"strong_wolfe" or null', (v) => v === null || typeof v === "string");

/**
 * LBFGS's signature in current PyTorch, the one declaration its types, parsing, defaults
 * and group keys come from: `LBFGS(params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7, tolerance_change=1e-9, history_size=100, line_search_fn=None)`.
 */
export const lbfgsSignature = signature("LBFGS.__init__", [
  paramsParameter,
  optional("lr", number, 1),
  optional("max_iter", integer, 20),
  optional("max_eval", nullable(integer), null),
  optional("tolerance_grad", number, 1e-7),
  optional("tolerance_change", number, 1e-9),
  optional("history_size", integer, 100),
  optional("line_search_fn", lineSearchFn, null),
]);

/** The param group of {@link LBFGS}: PyTorch's keys, as declared in `lbfgsSignature`; max_eval is filled in (max_iter·5/4). */
export type LBFGSGroup = GroupOf<typeof lbfgsSignature> & { max_eval: number };

/** The options of {@link LBFGS}: every key of its group but the params, all optional. */
export type LBFGSOptions = OptionsOf<typeof lbfgsSignature>;

/**
 * The state of {@link LBFGS}: one record for the whole optimizer, kept (as in PyTorch)
 * under the first parameter. Vectors are flat over all parameters, in their dtype.
 */
export interface LBFGSState {
  func_evals: number;
  n_iter: number;
  /** d, the last search direction. */
  d?: Tensor;
  /** t, the last step length. */
  t?: number;
  /** y_i = g_{i+1} − g_i, oldest first. */
  old_dirs?: Tensor[];
  /** s_i = t·d_i, oldest first. */
  old_stps?: Tensor[];
  /** ρ_i = 1 / (y_iᵀ s_i). */
  ro?: number[];
  /** H₀ = yᵀs / yᵀy, the scale of the initial inverse Hessian. */
  H_diag?: number;
  prev_flat_grad?: Tensor;
  prev_loss?: number;
  /** α_i of the two-loop recursion (history_size slots). */
  al?: (number | null)[];
}

/**
 * L-BFGS (Nocedal, 1980; Liu and Nocedal, 1989) as PyTorch's `torch.optim.LBFGS`, after
 * minFunc: each `step(closure)` runs up to max_iter iterations, calling the closure as
 * often as it needs. All parameters form one flat vector θ with flat gradient g.
 *
 * ```text
 * options  γ lr · max_iter · max_eval · tolerance_grad · tolerance_change · m history_size · line_search_fn
 * state    d · t · (y_i, s_i, ρ_i) old_dirs, old_stps, ro · H₀ H_diag · prev_flat_grad · prev_loss
 * f, g ← closure();  return f at once if max|g| ≤ tolerance_grad
 * repeat (n_iter counts across calls):
 *   first iteration ever:  d ← −g;  H₀ ← 1;  history empty
 *   otherwise:  y ← g − g_prev;  s ← t·d
 *               if yᵀs > 1e-10: push (y, s, 1/(yᵀs)), dropping the oldest past m;  H₀ ← yᵀs / yᵀy
 *               q ← −g;  for i newest → oldest:  α_i ← (s_iᵀq)·ρ_i;  q ← q − α_i·y_i
 *               d ← H₀·q;  for i oldest → newest:  β ← (y_iᵀd)·ρ_i;  d ← d + (α_i − β)·s_i
 *   g_prev ← g;  f_prev ← f
 *   t ← min(1, 1/Σ|g|)·γ on the first iteration ever, else γ
 *   stop if gᵀd > −tolerance_change
 *   strong_wolfe:  (f, g, t) ← line search from t along d (see strong_wolfe.ts);  θ ← θ + t·d
 *   fixed step:    θ ← θ + t·d;  f, g ← closure() unless this is the last iteration
 *   stop at max_iter iterations or max_eval evaluations, if max|g| ≤ tolerance_grad,
 *   if max|t·d| ≤ tolerance_change, or if |f − f_prev| < tolerance_change
 * return the loss of the first closure call
 * ```
 *
 * @example
 * ```ts
 * import { optim, tensor } from "gradlab";
 * const x = tensor([3], { dtype: "float64", requires_grad: true });
 * const opt = new optim.LBFGS([x], { line_search_fn: "strong_wolfe" });
 * const closure = () => {
 *   opt.zero_grad();
 *   const loss = x.sub(1).mul(x.sub(1)).sum(); // (x − 1)²
 *   loss.backward();
 *   return loss;
 * };
 * opt.step(closure);
 * console.log(x.item()); // 1
 * ```
 */
export class LBFGS extends Optimizer<LBFGSGroup, LBFGSState> {
  private readonly params: Tensor[];
  /** Where each parameter's elements sit in its buffer, in row-major order. */
  private readonly positions: number[][];
  private readonly numel: number;

  constructor(...args: OptimizerArguments<typeof lbfgsSignature>) {
    const { params, ...merged } = lbfgsSignature.parse(args);
    checkLr(merged.lr);
    const max_eval = merged.max_eval ?? Math.floor((merged.max_iter * 5) / 4);
    super(params, { ...merged, max_eval }, lbfgsSignature);
    if (this.param_groups.length !== 1) throw new Error("LBFGS doesn't support per-parameter options (parameter groups)");
    this.params = this.param_groups[0]!.params;
    this.positions = this.params.map((p) => bufferIndices(p.data));
    this.numel = this.params.reduce((total, p) => total + p.numel(), 0);
  }

  /** What loading accepts: LBFGS keeps its state on the first parameter, over the flat vector of all of them. */
  protected override loadedStateSpec(param: Tensor): StateSpec | null {
    if (param !== this.params[0]) return null;
    const flat = { kind: "tensor", shape: [this.numel] } as const;
    const history = { kind: "tensors", shape: [this.numel] } as const;
    return {
      func_evals: { value: { kind: "count" } },
      n_iter: { value: { kind: "count" } },
      d: { value: flat, optional: true },
      t: { value: { kind: "number" }, optional: true },
      old_dirs: { value: history, optional: true, sameLengthAs: "old_stps" },
      old_stps: { value: history, optional: true, sameLengthAs: "ro" },
      ro: { value: { kind: "numbers" }, optional: true, sameLengthAs: "old_dirs" },
      H_diag: { value: { kind: "number" }, optional: true },
      prev_flat_grad: { value: flat, optional: true },
      prev_loss: { value: { kind: "number" }, optional: true },
      al: { value: { kind: "numbers", nullable: true }, optional: true },
    };
  }

  /** A flat vector of the parameters' dtype, as a tensor (so it can sit in the state_dict). */
  private flatTensor(): Tensor {
    return emptyTensor(this.params[0]!.dtype, [this.numel]);
  }

  /** g: every parameter's gradient, flattened and concatenated (zeros for a missing one). */
  private gatherFlatGrad(): Float {
    const flat = this.flatTensor().data.data;
    let offset = 0;
    this.params.forEach((p) => {
      if (p.grad !== null) {
        const values = p.grad.to_dense().toTypedArray(); // a sparse gradient is densified, as _gather_flat_grad
        for (let i = 0; i < values.length; i++) flat[offset + i] = values[i]!;
      }
      offset += p.numel();
    });
    return flat;
  }

  /**
   * `a·b + c` as PyTorch's `add_(x, alpha=…)` computes it for these parameters: one FMA in
   * float64 (the line search amplifies its last bit), product and sum in float32.
   */
  private get fma(): (a: number, b: number, c: number) => number {
    return this.params[0]!.dtype === "float64" ? fma64 : mulAdd;
  }

  /** θ ← θ + step_size·update (p.add_(update, alpha=step_size), an FMA). */
  private addGrad(step_size: number, update: Float): void {
    let offset = 0;
    const fma = this.fma;
    this.params.forEach((p, k) => {
      const buffer = p.data.data;
      const positions = this.positions[k]!;
      for (let i = 0; i < positions.length; i++) buffer[positions[i]!] = fma(step_size, update[offset + i]!, buffer[positions[i]!]!);
      offset += positions.length;
      p._bumpVersion();
    });
  }

  private cloneParams(): Float[] {
    return this.params.map((p) => p.toTypedArray());
  }

  private setParams(values: Float[]): void {
    this.params.forEach((p, k) => {
      const buffer = p.data.data;
      const positions = this.positions[k]!;
      for (let i = 0; i < positions.length; i++) buffer[positions[i]!] = values[k]![i]!;
      p._bumpVersion();
    });
  }

  protected override performStep(closure: Closure | null): Loss {
    if (closure === null) throw new TypeError("'NoneType' object is not callable");
    const group = this.param_groups[0]!;
    const { lr, max_iter, max_eval, tolerance_grad, tolerance_change, line_search_fn, history_size } = group;
    if (line_search_fn !== null && line_search_fn !== "strong_wolfe") throw new Error("only 'strong_wolfe' is supported");
    const first = this.params[0]!;
    let state = this.state.get(first);
    if (state === undefined) {
      state = { func_evals: 0, n_iter: 0 };
      this.state.set(first, state);
    }
    const evaluate = (): number => toNumber(this.evaluateClosure(closure));

    const orig_loss = this.evaluateClosure(closure);
    let loss = toNumber(orig_loss);
    let current_evals = 1;
    state.func_evals += 1;
    let flat_grad = this.gatherFlatGrad();
    let opt_cond = maxAbs(flat_grad) <= tolerance_grad;
    const tracer = stepTracerOf(this); // lab.inspect's, if one is attached: it records the iterations
    const rec = tracer === undefined ? null : new LBFGSRecorder(tracer, this, this.params, this.positions);
    if (opt_cond) {
      rec?.end(this, { loss, func_evals: state.func_evals, n_iter: state.n_iter });
      return orig_loss;
    }

    let d = state.d?.data.data;
    let t = state.t ?? lr;
    let old_dirs = state.old_dirs ?? [];
    let old_stps = state.old_stps ?? [];
    let ro = state.ro ?? [];
    let H_diag = state.H_diag ?? 1;
    let prev_flat_grad = state.prev_flat_grad;
    let prev_loss = state.prev_loss ?? loss;
    let dTensor = state.d;

    let n_iter = 0;
    while (n_iter < max_iter) {
      n_iter += 1;
      state.n_iter += 1;

      // The search direction: steepest descent first, then the two-loop recursion.
      dTensor = this.flatTensor();
      const dNew = dTensor.data.data;
      if (state.n_iter === 1) {
        for (let i = 0; i < this.numel; i++) dNew[i] = -flat_grad[i]!;
        old_dirs = [];
        old_stps = [];
        ro = [];
        H_diag = 1;
      } else {
        const y = this.flatTensor();
        const s = this.flatTensor();
        const [yv, sv, g_prev] = [y.data.data, s.data.data, prev_flat_grad!.data.data];
        for (let i = 0; i < this.numel; i++) {
          yv[i] = flat_grad[i]! - g_prev[i]!;
          sv[i] = d![i]! * t;
        }
        const ys = dot(yv, sv);
        if (ys > 1e-10) {
          if (old_dirs.length === history_size) {
            old_dirs.shift();
            old_stps.shift();
            ro.shift();
          }
          old_dirs.push(y);
          old_stps.push(s);
          ro.push(1 / ys);
          H_diag = ys / dot(yv, yv);
        }
        const num_old = old_dirs.length;
        const fma = this.fma;
        if (state.al === undefined) state.al = new Array<number | null>(history_size).fill(null);
        const al = state.al;
        // q ← −g, then the first loop; q lives in d's buffer (PyTorch's single buffer).
        for (let i = 0; i < this.numel; i++) dNew[i] = -flat_grad[i]!;
        for (let i = num_old - 1; i >= 0; i--) {
          const a = dot(old_stps[i]!.data.data, dNew) * ro[i]!;
          al[i] = a;
          const yi = old_dirs[i]!.data.data;
          for (let k = 0; k < this.numel; k++) dNew[k] = fma(-a, yi[k]!, dNew[k]!); // q.add_(y_i, alpha=−α_i)
        }
        for (let k = 0; k < this.numel; k++) dNew[k] = dNew[k]! * H_diag;
        for (let i = 0; i < num_old; i++) {
          const be_i = dot(old_dirs[i]!.data.data, dNew) * ro[i]!;
          const si = old_stps[i]!.data.data;
          const alpha = al[i]! - be_i;
          for (let k = 0; k < this.numel; k++) dNew[k] = fma(alpha, si[k]!, dNew[k]!); // r.add_(s_i, alpha=α_i − β_i)
        }
      }
      d = dNew;
      rec?.beginIteration(state.n_iter, flat_grad, d);
      rec?.scalars({ lr, H_diag, history: old_dirs.length, loss });
      if (prev_flat_grad === undefined) prev_flat_grad = this.flatTensor();
      prev_flat_grad.data.data.set(flat_grad);
      prev_loss = loss;

      // The step length: a cautious first guess on the very first iteration.
      if (state.n_iter === 1) {
        let sumAbs = 0;
        for (let i = 0; i < this.numel; i++) sumAbs += Math.abs(flat_grad[i]!);
        t = Math.min(1, 1 / sumAbs) * lr;
      } else {
        t = lr;
      }
      const gtd = dot(flat_grad, d);
      rec?.scalars({ gtd, t_init: t });
      if (gtd > -tolerance_change) {
        rec?.moved();
        rec?.stopped("gᵀd > −tolerance_change: d is not a descent direction");
        break;
      }

      let ls_func_evals = 0;
      if (line_search_fn !== null) {
        const x_init = this.cloneParams();
        const direction = d;
        const obj_func = (step: number): { loss: number; grad: Float } => {
          this.addGrad(step, direction);
          const value = evaluate();
          rec?.evaluation(step, value);
          const grad = this.gatherFlatGrad();
          this.setParams(x_init);
          return { loss: value, grad };
        };
        ({ loss, grad: flat_grad, t, ls_func_evals } = strong_wolfe(obj_func, t, d, loss, flat_grad, gtd));
        this.addGrad(t, d);
        opt_cond = maxAbs(flat_grad) <= tolerance_grad;
      } else {
        this.addGrad(t, d);
        if (n_iter !== max_iter) {
          loss = evaluate();
          rec?.evaluation(t, loss);
          flat_grad = this.gatherFlatGrad();
          opt_cond = maxAbs(flat_grad) <= tolerance_grad;
          ls_func_evals = 1;
        }
      }
      current_evals += ls_func_evals;
      state.func_evals += ls_func_evals;
      rec?.moved();
      rec?.scalars(ls_func_evals > 0 ? { t, ls_func_evals, loss_after: loss } : { t, ls_func_evals });

      let stop: string | null = null;
      if (n_iter === max_iter) stop = "max_iter iterations";
      else if (current_evals >= max_eval) stop = "max_eval evaluations";
      else if (opt_cond) stop = "max|g| ≤ tolerance_grad";
      else if (maxAbsStep(d, t) <= tolerance_change) stop = "max|t·d| ≤ tolerance_change";
      else if (Math.abs(loss - prev_loss) < tolerance_change) stop = "|f − f_prev| < tolerance_change";
      if (stop !== null) {
        rec?.stopped(stop);
        break;
      }
    }

    Object.assign(state, { d: dTensor, t, old_dirs, old_stps, ro, H_diag, prev_flat_grad, prev_loss });
    rec?.end(this, { loss: toNumber(orig_loss), func_evals: state.func_evals, n_iter: state.n_iter });
    return orig_loss;
  }
}

/** The loss as a number, as Python's `float(closure())`. */
const toNumber = (loss: Loss): number => (loss instanceof Tensor ? loss.item() : (loss as number));

/** max|t·d_i|: the largest move of the iteration (each product rounded, as (d·t).abs().max()). */
function maxAbsStep(d: Float, t: number): number {
  let stepMax = 0;
  for (let i = 0; i < d.length; i++) stepMax = Math.max(stepMax, Math.abs(d[i]! * t));
  return stepMax;
}

function maxAbs(v: Float): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]!));
  return m;
}
