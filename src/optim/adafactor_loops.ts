/**
 * Adafactor's loops (src/optim/adafactor.ts), specialised per dtype and option set as
 * Adam's are ({@link LoopFamily}): four passes over a parameter, each a plain loop in which
 * the rounding functions are constants that V8 inlines.
 *
 * ```text
 * thetaLoop     Σθ² (for ‖θ‖), then θ ← θ·(1 − γλ) if λ ≠ 0
 * vectorLoop    V ← lerp(V, g·g, w), U ← rsqrt(max(V, ε1²))·g and Σ U²                 vectors
 * meansLoop     R_i ← lerp(R_i, ‖g_i,:‖² / m, w), C_j ← lerp(C_j, ‖g_:,j‖² / n, w)    ≥ 2-D
 * factoredLoop  U ← rsqrt(max(V̂, ε1²))·g with V̂ = R_i·C_j / max(mean R, ε1), and Σ U²   ≥ 2-D
 * applyLoop     θ ← θ + α·U, once ‖U‖ has given α
 * ```
 * U goes into a scratch array ({@link scratchFor}) between the last two passes, as PyTorch
 * keeps its `update` tensor: one per dtype, shared by every parameter, as long as the longest.
 *
 * The sums of squares follow the order of torch 1.13's CPU `vector_norm` (ReduceOpsKernel.cpp)
 * as measured on this machine (tools/fixtures/optim_adafactor.py): over a contiguous run of
 * float32 (the whole tensor, or a row with dim=-1) eight lanes of fused x·x + acc, element e
 * in lane e mod 8, over the blocks of 8; the lanes then added in order; then the tail: a
 * block of 4 squares rounded and added, then the rest fused (GCC 12's order for Debian's
 * build). Across rows (dim=-2), and in float64, one fused x·x + acc after the other. The sum
 * of R for its mean follows torch 1.13's contiguous sum kernel (SumKernel.cpp), measured for
 * fewer than 32 rows: the tail after the last full block first, then the lanes (8 wide; 4
 * below 8 rows), each summed down its blocks, added in order. float64: one after the other.
 *
 * A matrix loop finds its sizes from its arrays: the batch is |R|·|C| / |g| (R holds
 * batch·n rows, C batch·m columns), so a loop takes no integer arguments (its warm-up calls,
 * specialise.ts, pass 0.5 for every scalar).
 */
import { ROUNDING, type Rounding } from "../kernels/rounding.ts";
import { LoopFamily, specialise } from "../kernels/specialise.ts";
import type { Float } from "../tensor/dtype.ts";
import type { StepTrace, TraceChannel } from "./step_trace.ts";

/**
 * Adds x[start + j]² for j < count to `sum`, the sum of a run of `length` squares, element j
 * being the run's element e0 + j. float32: lanes (a fused square each) below body = the
 * length's whole blocks of 8, then a block of 4 squares rounded and added, then the rest
 * fused; float64: fused, one after the other. A run is added in pieces of increasing e0:
 * the piece with e0 = 0 begins it, the piece that fills the last lane adds the lanes to the sum.
 */
type Squares = (x: Float, start: number, count: number, e0: number, length: number, sum: number) => number;

/** The lanes of {@link Squares}, made once per loop that sums (a private copy, see specialise.ts). */
function squaresFactory({ round, fma }: Rounding, single: boolean): Squares {
  const lanes = new Float64Array(8);
  return (x, start, count, e0, length, sum) => {
    const body = single ? length - (length % 8) : 0;
    const fours = single ? length - ((length % 8) % 4) : 0;
    if (e0 === 0) lanes.fill(0);
    const laned = Math.max(0, Math.min(count, body - e0));
    for (let j = 0; j < laned; j++) {
      const v = x[start + j]!;
      const lane = (e0 + j) & 7;
      lanes[lane] = fma(v, v, lanes[lane]!);
    }
    if (laned > 0 && e0 + laned === body) {
      sum = lanes[0]!;
      for (let lane = 1; lane < 8; lane++) sum = round(sum + lanes[lane]!);
    }
    for (let j = laned; j < count; j++) {
      const v = x[start + j]!;
      sum = e0 + j < fours ? round(sum + round(v * v)) : fma(v, v, sum);
    }
    return sum;
  };
}

/** What every Adafactor loop is made for. */
interface LoopSettings {
  rounding: Rounding;
  single: boolean;
  maximize: boolean;
  /** Which of lerp's two forms the weight w takes (below 0.5: x + w·(y − x)); the loop gets k = lerpFactor(w). */
  lowWeight: boolean;
  /** θ ← θ·(1 − γλ) in the θ pass (λ ≠ 0). */
  decayed: boolean;
  /** Where a traced pass copies its watched elements' terms (lab.inspect); null in the untraced loops. */
  tracer: TraceChannel | null;
  /** This loop's own copy of the sum of squares. */
  squares: Squares;
}

const TRACED = 64;

/** The settings of the loop for `key` (bits: 1 float32, 2 maximize, 4 low lerp weight, 8 weight decay). */
function settingsOf(key: number): LoopSettings {
  const rounding = key & 1 ? ROUNDING.float32 : ROUNDING.float64;
  const flags = { single: (key & 1) !== 0, maximize: (key & 2) !== 0, lowWeight: (key & 4) !== 0, decayed: (key & 8) !== 0 };
  return { rounding, ...flags, tracer: null, squares: specialise(squaresFactory)(rounding, flags.single) };
}

/** The bits of a loop's key: what its settings are made from. */
export const KEY = { float32: 1, maximize: 2, lowWeight: 4, decayed: 8 } as const;

/** The loop of `family` for `key`, made the first time; its traced variant if `traced` (lab.inspect). */
function loopOf<L extends (...args: never[]) => void>(family: LoopFamily<LoopSettings, L>, key: number, traced: boolean): L {
  const loop = family.get(key) ?? family.make(key, settingsOf(key));
  return traced ? family.variant(key, TRACED, { tracer: channel }) : loop;
}

/** The channel the traced passes write through: the watched indices of the parameter and their records. */
const channel: TraceChannel = { watch: [], elements: [] };
const nothing: TraceChannel = { watch: [], elements: [] };

/** Points the traced passes at `trace`'s watched elements and records, or (null) at nothing. */
export function traceInto(trace: StepTrace | null): void {
  channel.watch = (trace ?? nothing).watch;
  channel.elements = (trace ?? nothing).elements;
}

const scratch = { float32: new Float32Array(0), float64: new Float64Array(0) };

/**
 * The scratch array U of a step, at least `length` long, in the parameter's dtype: made anew
 * only when a longer parameter comes (never in a step after the first for that length).
 */
export function scratchFor(single: boolean, length: number): Float {
  if (single && scratch.float32.length < length) scratch.float32 = new Float32Array(length);
  if (!single && scratch.float64.length < length) scratch.float64 = new Float64Array(length);
  return single ? scratch.float32 : scratch.float64;
}

type ThetaLoop = (theta: Float, decay: number) => number;

/** Σθ² of the whole parameter, summed as `vector_norm` sums it; then θ ← θ·(1 − γλ), each product rounded, if λ ≠ 0. */
const thetaLoops = new LoopFamily(1, (settings: LoopSettings): ThetaLoop => {
  const {
    rounding: { round },
    decayed,
    squares,
  } = settings;
  return (theta, decay) => {
    decay *= 1; // unboxed once, not at every use (specialise.ts)
    const sum = squares(theta, 0, theta.length, 0, theta.length, 0);
    if (decayed) for (let e = 0; e < theta.length; e++) theta[e] = round(theta[e]! * decay);
    return sum;
  };
});

/** {@link thetaLoops}' loop for `key`. */
export const thetaLoop = (key: number): ThetaLoop => loopOf(thetaLoops, key, false);

type VectorLoop = (g: Float, V: Float, U: Float, k: number, floor: number) => number;

/**
 * A vector's V and U, element by element, each op rounded to the dtype:
 * ```text
 * V ← lerp(V, g·g, w)                    variance.lerp_(grad * grad, w): fma(k, g·g − V, V or g·g)
 * U ← (1 / √max(V, ε1²))·g               clamp_(min=ε1²), rsqrt_ as 1/√x, mul_(grad)
 * ```
 * U into the scratch `U`; returns Σ U² (for update.norm(2)), summed 1024 elements at a time
 * while they are in cache. The traced variant copies the watched elements' v and u.
 */
const vectorLoops = new LoopFamily(3, (settings: LoopSettings): VectorLoop => {
  const {
    rounding: { round, fma },
    maximize,
    lowWeight,
    tracer,
    squares,
  } = settings;
  return (g, V, U, k, floor) => {
    k *= 1;
    floor *= 1;
    const n = g.length;
    let sum = 0;
    let watched = 0;
    let next = tracer === null ? -1 : (tracer.watch[0] ?? -1);
    for (let e0 = 0; e0 < n; e0 += 1024) {
      const count = Math.min(1024, n - e0);
      for (let e = e0; e < e0 + count; e++) {
        const gi = maximize ? -g[e]! : g[e]!;
        const square = round(gi * gi);
        const diff = round(square - V[e]!);
        // once V has converged to g·g the FMA is exact, base + k·0: computed so, not by fma32's rare path
        const v = diff === 0 ? (lowWeight ? V[e]! : square) + k * diff : fma(k, diff, lowWeight ? V[e]! : square);
        const u = round(round(1 / round(Math.sqrt(Math.max(v, floor)))) * gi);
        V[e] = v;
        U[e] = u;
        if (tracer !== null && e === next) {
          Object.assign(tracer.elements[watched]!, { v, u });
          next = tracer.watch[++watched] ?? -1;
        }
      }
      sum = squares(U, e0, count, e0, n, sum);
    }
    return sum;
  };
});

/** {@link vectorLoops}' loop for `key`, traced when `traced` (lab.inspect). */
export const vectorLoop = (key: number, traced = false): VectorLoop => loopOf(vectorLoops, key, traced);

type ApplyLoop = (theta: Float, U: Float, alpha: number) => void;

/** θ ← fma(U, α, θ), param.add_(update, alpha=α) as one FMA; the traced variant copies the watched elements' θ after. */
const applyLoops = new LoopFamily(2, (settings: LoopSettings): ApplyLoop => {
  const {
    rounding: { fma },
    tracer,
  } = settings;
  return (theta, U, alpha) => {
    alpha *= 1;
    let watched = 0;
    let next = tracer === null ? -1 : (tracer.watch[0] ?? -1);
    for (let e = 0; e < theta.length; e++) {
      theta[e] = fma(U[e]!, alpha, theta[e]!);
      if (tracer !== null && e === next) {
        tracer.elements[watched]!.theta_after = theta[e]!;
        next = tracer.watch[++watched] ?? -1;
      }
    }
  };
});

/** {@link applyLoops}' loop for `key`, traced when `traced` (lab.inspect). */
export const applyLoop = (key: number, traced = false): ApplyLoop => loopOf(applyLoops, key, traced);

type MeansLoop = (g: Float, R: Float, C: Float, k: number) => void;

/**
 * row_var.lerp_(‖g_i,:‖² / m, w) and col_var.lerp_(‖g_:,j‖² / n, w) for each matrix of the
 * batch: each norm in the dtype (a row's as `vector_norm` sums a contiguous run, a column's
 * one fused square after the other down the rows), then `.square_().div_(size)`, each
 * rounded. Columns go 1024 at a time, their sums in a piece of that many.
 */
const meansLoops = new LoopFamily(3, (settings: LoopSettings): MeansLoop => {
  const {
    rounding: { round, fma },
    lowWeight,
    squares,
  } = settings;
  const piece = new Float64Array(1024);
  const lerp = (self: number, end: number, k: number): number => fma(k, round(end - self), lowWeight ? self : end);
  return (g, R, C, k) => {
    k *= 1;
    const batch = (R.length * C.length) / g.length;
    const n = R.length / batch;
    const m = C.length / batch;
    for (let b = 0; b < batch; b++) {
      for (let i = b * n; i < (b + 1) * n; i++) {
        const norm = round(Math.sqrt(squares(g, i * m, m, 0, m, 0)));
        R[i] = lerp(R[i]!, round(round(norm * norm) / m), k);
      }
      for (let c0 = 0; c0 < m; c0 += 1024) {
        const count = Math.min(1024, m - c0);
        piece.fill(0, 0, count);
        for (let i = b * n; i < (b + 1) * n; i++) {
          for (let j = 0; j < count; j++) piece[j] = fma(g[i * m + c0 + j]!, g[i * m + c0 + j]!, piece[j]!);
        }
        for (let j = 0; j < count; j++) {
          const norm = round(Math.sqrt(piece[j]!));
          C[b * m + c0 + j] = lerp(C[b * m + c0 + j]!, round(round(norm * norm) / n), k);
        }
      }
    }
  };
});

/** {@link meansLoops}' loop for `key`. */
export const meansLoop = (key: number): MeansLoop => loopOf(meansLoops, key, false);

type FactoredLoop = (g: Float, R: Float, C: Float, U: Float, eps1: number, floor: number) => number;

/**
 * A factored update, element by element, each op rounded to the dtype:
 * ```text
 * r ← max(Σ_i R_i / n, ε1)               row_var.mean(dim=-2), clamp_(min=ε1), per matrix
 * V̂_ij ← (R_i·C_j) / r                   (row_var @ col_var).div_(…): the product rounded once
 * U ← (1 / √max(V̂, ε1²))·g               clamp_(min=ε1²), rsqrt_ as 1/√x, mul_(grad)
 * ```
 * U into the scratch `U`; returns Σ U² over the whole parameter (for update.norm(2)), summed
 * a row at a time while it is in cache. The traced variant copies the watched elements' row
 * mean, V̂ and u.
 */
const factoredLoops = new LoopFamily(4, (settings: LoopSettings): FactoredLoop => {
  const {
    rounding: { round },
    single,
    maximize,
    tracer,
    squares,
  } = settings;
  /** Σ R over the n rows from `offset`, as torch 1.13's contiguous sum kernel adds them (see the file's comment). */
  const rowSum = (R: Float, offset: number, n: number): number => {
    let sum = 0;
    const width = n < 8 ? 4 : 8;
    const body = single ? n - (n % width) : 0;
    for (let i = body; i < n; i++) sum = round(sum + R[offset + i]!);
    for (let lane = 0; single && lane < width; lane++) {
      let partial = 0;
      for (let i = lane; i < body; i += width) partial = round(partial + R[offset + i]!);
      sum = round(sum + partial);
    }
    return sum;
  };
  return (g, R, C, U, eps1, floor) => {
    eps1 *= 1;
    floor *= 1;
    const size = g.length;
    const batch = (R.length * C.length) / size;
    const n = R.length / batch;
    const m = C.length / batch;
    let sum = 0;
    let watched = 0;
    let next = tracer === null ? -1 : (tracer.watch[0] ?? -1);
    for (let b = 0; b < batch; b++) {
      const rowMean = Math.max(round(rowSum(R, b * n, n) / n), eps1);
      for (let i = b * n; i < (b + 1) * n; i++) {
        const r = R[i]!;
        for (let j = 0; j < m; j++) {
          const e = i * m + j;
          const gi = maximize ? -g[e]! : g[e]!;
          const vhat = round(round(r * C[b * m + j]!) / rowMean);
          const u = round(round(1 / round(Math.sqrt(Math.max(vhat, floor)))) * gi);
          U[e] = u;
          if (tracer !== null && e === next) {
            Object.assign(tracer.elements[watched]!, { row_mean: rowMean, vhat, u });
            next = tracer.watch[++watched] ?? -1;
          }
        }
        sum = squares(U, i * m, m, i * m, size, sum);
      }
    }
    return sum;
  };
});

/** {@link factoredLoops}' loop for `key`, traced when `traced` (lab.inspect). */
export const factoredLoop = (key: number, traced = false): FactoredLoop => loopOf(factoredLoops, key, traced);
