/**
 * The sparse-gradient paths of SGD, Adagrad and SparseAdam: a gradient from
 * `nn.Embedding(..., { sparse: true })` updates only the rows it names, as PyTorch's sparse
 * branches do (torch/optim/sgd.py, adagrad.py, _functional.py sparse_adam). Each loop
 * rounds every tensor op to the parameter's dtype and converts Python scalars to it first,
 * as PyTorch's kernels do; `a·b + c` of `add_(x, alpha=…)` is one exact fused multiply-add
 * in either dtype ({@link sparseRounding}). A dense `add_(sparse)` adds the stored entries
 * one after the other.
 */
import { sparseRounding } from "../kernels/sparse_rows.ts";
import * as libm from "../math/libm.ts";
import type { Float } from "../tensor/dtype.ts";
import { SparseTensor, addSparseInto } from "../ops/sparse.ts";
import { Tensor } from "../methods.ts";
import type { StepTrace } from "./step_trace.ts";

/** The first-dimension rows a coalesced sparse gradient names, its values, and the row width. */
function rowsOf(g: SparseTensor): { rows: Float; values: Float; width: number } {
  const values = g._values().contiguous().data.data;
  const nnz = g._nnz();
  return { rows: g._indices().contiguous().data.data.subarray(0, nnz), values, width: nnz === 0 ? 0 : values.length / nnz };
}

/**
 * SGD with a sparse gradient, as `_single_tensor_sgd` runs its dense formulas on it: the
 * momentum buffer becomes a sparse tensor (the first gradient's clone, then
 * b ← μ·b + (1 − τ)·g as entries appended), and θ ← θ − γ·g adds each entry in turn. A dense
 * buffer (from dense gradients before) takes the sparse gradient's entries, and θ ← θ − γ·b.
 * `weight_decay` would need `sparse.add(dense)`, which PyTorch refuses (checked before the step).
 *
 * With a `trace` (lab.inspect), it records at each watched element the value there of every
 * tensor the step made (g, the buffer before and after, the direction: a sparse tensor's
 * value is its entries there summed in order, as `to_dense()` sums them), and the direction's
 * entries `direction_1 … direction_n` there, which θ ← θ − γ·direction_k adds one after the
 * other: the very values the step added, read from its own tensors.
 */
export function sgdSparse(
  param: Tensor,
  grad: SparseTensor,
  state: { momentum_buffer: Tensor | null } | null,
  group: { lr: number; momentum: number; dampening: number; nesterov: boolean; maximize: boolean },
  trace: StepTrace | null = null,
): void {
  if (trace !== null) Object.assign(trace.scalars, { lr: group.lr, momentum: group.momentum, dampening: group.dampening, weight_decay: 0 });
  watchSlots(trace, param.data.data, param.data.offset);
  const before = trace !== null && state?.momentum_buffer ? valuesAt(state.momentum_buffer, trace.watch) : null;
  const made = sgdSparseStep(param, grad, state, group);
  if (trace !== null) recordSgdTerms(trace, grad, made, before);
  endWatch(trace, param.data.data, param.data.offset);
}

/** The tensors one sparse SGD step made: the gradient it used, the buffer, the direction θ moved against. */
interface SgdSparseMade {
  g: SparseTensor;
  buf: Tensor | null;
  direction: Tensor;
}

function sgdSparseStep(
  param: Tensor,
  grad: SparseTensor,
  state: { momentum_buffer: Tensor | null } | null,
  group: { lr: number; momentum: number; dampening: number; nesterov: boolean; maximize: boolean },
): SgdSparseMade {
  const { lr, momentum: mu, dampening: tau, nesterov, maximize } = group;
  const { round: r, fma } = sparseRounding(param.dtype);
  const g0: SparseTensor = maximize ? grad.neg() : grad;
  let g = g0;
  let buf: Tensor | null = null;
  if (mu !== 0 && state !== null) {
    buf = state.momentum_buffer;
    if (buf === null) {
      buf = g.clone();
    } else if (buf instanceof SparseTensor) {
      buf.mul_(r(mu)).add_(g, { alpha: r(1 - tau) });
    } else {
      buf.mul_(r(mu));
      addSparseInto(buf, g, r(1 - tau));
    }
    state.momentum_buffer = buf;
    // with nesterov the buffer is sparse here: SGD.checkGradients refuses a dense one, as PyTorch's grad.add(buf) raises
    if (nesterov) g = g.add(buf, { alpha: r(mu) });
    else if (buf instanceof SparseTensor) g = buf;
    else {
      addDenseInto(param, buf, r(-lr), fma);
      return { g: g0, buf, direction: buf };
    }
  }
  addSparseInto(param, g, r(-lr));
  return { g: g0, buf, direction: g };
}

/** lab.inspect: each watched element's values of the tensors a sparse SGD step made, and the direction's entries there. */
function recordSgdTerms(trace: StepTrace, grad: SparseTensor, made: SgdSparseMade, bufPrev: number[] | null): void {
  const [raw, g, direction] = [valuesAt(grad, trace.watch), valuesAt(made.g, trace.watch), valuesAt(made.direction, trace.watch)];
  const buf = made.buf === null ? null : valuesAt(made.buf, trace.watch);
  const entries = made.direction instanceof SparseTensor ? entriesAt(made.direction, trace.watch) : direction.map((d) => [d]);
  trace.watch.forEach((_, k) => {
    const e = trace.elements[k]!;
    Object.assign(e, { grad: raw[k]!, g: g[k]! });
    if (bufPrev !== null) e.buf_prev = bufPrev[k]!;
    if (buf !== null) e.buf = buf[k]!;
    e.direction = direction[k]!;
    e.entries = entries[k]!.length;
    entries[k]!.forEach((v, j) => (e[`direction_${j + 1}`] = v));
  });
}

/** The stored entries of a sparse tensor at each watched (row-major) element, in the order they are stored. */
function entriesAt(t: SparseTensor, watch: readonly number[]): number[][] {
  const sd = t.sparse_dim();
  const nnz = t._nnz();
  const width = t.shape.slice(sd).reduce((a, b) => a * b, 1);
  const ind = t._indices().contiguous().data.data;
  const values = t._values().contiguous().data.data;
  const slot = new Map(watch.map((i, k) => [i, k]));
  const out: number[][] = watch.map(() => []);
  for (let k = 0; k < nnz; k++) {
    let row = 0;
    for (let d = 0; d < sd; d++) row = row * t.shape[d]! + ind[d * nnz + k]!;
    for (let j = 0; j < width; j++) {
      const at = slot.get(row * width + j);
      if (at !== undefined) out[at]!.push(values[k * width + j]!);
    }
  }
  return out;
}

/** A tensor's value at each watched element: a dense one's element, a sparse one's entries there summed in order as `to_dense()` does. */
function valuesAt(t: Tensor, watch: readonly number[]): number[] {
  if (!(t instanceof SparseTensor)) {
    const flat = t.contiguous().data;
    return watch.map((i) => flat.data[flat.offset + i]!);
  }
  const { fma } = sparseRounding(t.dtype);
  return entriesAt(t, watch).map((vs) => vs.reduce((acc, v) => fma(1, v, acc), 0));
}

/** θ ← θ + α·b for a dense buffer b (the rare case of a dense momentum buffer meeting a sparse gradient). */
function addDenseInto(param: Tensor, b: Tensor, alpha: number, fma: (a: number, b: number, c: number) => number): void {
  const theta = param.data.data;
  const src = b.contiguous().data.data;
  for (let i = 0; i < src.length; i++) theta[param.data.offset + i] = fma(alpha, src[i]!, theta[param.data.offset + i]!);
  param._bumpVersion();
}

/**
 * Adagrad with a sparse gradient, as `_single_tensor_adagrad`'s sparse branch, on the rows
 * of the coalesced gradient only:
 *
 * ```text
 * clr = γ / (1 + (t − 1)·η)
 * s[row] ← s[row] + g²
 * θ[row] ← θ[row] − clr · g / (√s[row] + ε)
 * ```
 * With a `trace` (lab.inspect), the loop also copies the terms it computes for the watched
 * elements into it (θ only, before and after, for the elements of rows the gradient does not name).
 */
export function adagradSparse(
  param: Tensor,
  grad: SparseTensor,
  state: { step: number; sum: Tensor },
  group: { lr: number; lr_decay: number; eps: number; maximize: boolean },
  trace: StepTrace | null = null,
): void {
  const { lr, lr_decay, eps, maximize } = group;
  const { round: r, fma } = sparseRounding(param.dtype);
  const t = ++state.step;
  const clr = lr / (1 + (t - 1) * lr_decay);
  const { rows, values, width } = rowsOf((maximize ? grad.neg() : grad).coalesce());
  const theta = param.data.data;
  const s = state.sum.data.data;
  const [po, so] = [param.data.offset, state.sum.data.offset];
  const [negClr, epsR] = [r(-clr), r(eps)];
  const slots = watchSlots(trace, theta, po);
  if (trace !== null) Object.assign(trace.scalars, { t, lr, lr_decay, clr: -negClr, eps: epsR, weight_decay: 0 });
  for (let k = 0; k < rows.length; k++) {
    for (let j = 0; j < width; j++) {
      const g = values[k * width + j]!;
      const at = rows[k]! * width + j;
      const s0 = s[so + at]!;
      const sum = (s[so + at] = r(s0 + r(g * g)));
      const std = r(r(Math.sqrt(sum)) + epsR);
      const g_std = r(g / std);
      theta[po + at] = fma(negClr, g_std, theta[po + at]!);
      const slot = slots?.get(at);
      if (slot !== undefined) Object.assign(trace!.elements[slot]!, { g, s_prev: s0, s: sum, std, g_std });
    }
  }
  endWatch(trace, theta, po);
  param._bumpVersion();
}

/** For a traced sparse step: records θ before at every watched element, and maps each watched index to its record. */
function watchSlots(trace: StepTrace | null, theta: Float, offset: number): Map<number, number> | null {
  if (trace === null) return null;
  for (const i of trace.watch) trace.elements.push({ theta: theta[offset + i]! });
  return new Map(trace.watch.map((i, k) => [i, k]));
}

/** For a traced sparse step: records θ after at every watched element. */
function endWatch(trace: StepTrace | null, theta: Float, offset: number): void {
  if (trace !== null) trace.watch.forEach((i, k) => (trace.elements[k]!.theta_after = theta[offset + i]!));
}

/**
 * SparseAdam's step, PyTorch's lazy Adam: only the rows in the (coalesced) gradient move,
 * and only their moments decay.
 *
 * ```text
 * for each row i of g:   (t counts the optimizer's steps on this parameter)
 *   Δm = (g − m[i])·(1 − β1);   m[i] ← m[i] + Δm
 *   Δv = (g² − v[i])·(1 − β2);  v[i] ← v[i] + Δv
 *   θ[i] ← θ[i] + (−γ·√(1 − β2^t) / (1 − β1^t)) · (m[i] / (√v[i] + ε))
 * ```
 * An empty gradient changes nothing but `t`. With a `trace` (lab.inspect), the loop also
 * copies the terms it computes for the watched elements into it (θ only, before and after,
 * for the elements of rows the gradient does not name).
 */
export function sparseAdam(
  param: Tensor,
  grad: SparseTensor,
  state: { step: number; exp_avg: Tensor; exp_avg_sq: Tensor },
  group: { lr: number; betas: [number, number]; eps: number; maximize: boolean },
  trace: StepTrace | null = null,
): void {
  const {
    lr,
    betas: [beta1, beta2],
    eps,
    maximize,
  } = group;
  const t = state.step; // already counted by the caller, as SparseAdam.step does before the update
  const { round: r } = sparseRounding(param.dtype);
  const { rows, values, width } = rowsOf((maximize ? grad.neg() : grad).coalesce());
  const theta = param.data.data;
  const po = param.data.offset;
  const slots = watchSlots(trace, theta, po);
  const step_size = (lr * Math.sqrt(1 - libm.pow(beta2, t))) / (1 - libm.pow(beta1, t));
  const m = state.exp_avg.data.data;
  const v = state.exp_avg_sq.data.data;
  const [mo, vo] = [state.exp_avg.data.offset, state.exp_avg_sq.data.offset];
  const [oneMinusBeta1, oneMinusBeta2, epsR, negStep] = [r(1 - beta1), r(1 - beta2), r(eps), r(-step_size)];
  if (trace !== null) Object.assign(trace.scalars, { t, lr, beta1, beta2, eps: epsR, step_size: -negStep });
  for (let k = 0; k < rows.length; k++) {
    for (let j = 0; j < width; j++) {
      const g = values[k * width + j]!;
      const at = rows[k]! * width + j;
      const oldM = m[mo + at]!;
      const dm = r(r(g - oldM) * oneMinusBeta1);
      const mi = r(oldM + dm);
      m[mo + at] = mi;
      const oldV = v[vo + at]!;
      const dv = r(r(r(g * g) - oldV) * oneMinusBeta2);
      const vi = r(oldV + dv);
      v[vo + at] = vi;
      const numer = r(dm + oldM);
      const denom = r(r(Math.sqrt(r(dv + oldV))) + epsR);
      const update = r(r(numer / denom) * negStep);
      theta[po + at] = r(theta[po + at]! + update);
      const slot = slots?.get(at);
      if (slot !== undefined) Object.assign(trace!.elements[slot]!, { g, m_prev: oldM, dm, m: mi, v_prev: oldV, dv, v: vi, numer, denom, update });
    }
  }
  endWatch(trace, theta, po);
  if (rows.length > 0) param._bumpVersion();
}
