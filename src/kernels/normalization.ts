import type { Float, View } from "./view.ts";

/**
 * Layer and batch normalisation, forward and backward, over contiguous row-major arrays.
 * Statistics are accumulated in float64 (`mean`, `rstd` are float64 arrays whatever the
 * dtype) and each output element is rounded once, by the store into `out`. A missing weight
 * counts as 1 and a missing bias as 0 (written into the formulas, so −0 becomes +0 as it
 * would with real ones and zeros).
 */

/**
 * Layer norm over `rows` rows of `n` numbers each (x is [rows, n]):
 *
 * ```text
 * μ = Σ_j x_j / n,   σ² = Σ_j (x_j − μ)² / n,   r = 1 / √(σ² + ε)
 * x̂_j = (x_j − μ)·r,   out_j = x̂_j·w_j + b_j
 * mean[row] = μ,   rstd[row] = r                 (kept for the backward)
 * ```
 */
export function layerNormInto(
  out: Float,
  mean: Float64Array,
  rstd: Float64Array,
  x: Float,
  weight: Float | null,
  bias: Float | null,
  rows: number,
  n: number,
  eps: number,
): Float {
  for (let m = 0; m < rows; m++) {
    const base = m * n;
    let sum = 0;
    for (let j = 0; j < n; j++) sum += x[base + j]!;
    const mu = sum / n;
    let sq = 0;
    for (let j = 0; j < n; j++) sq += (x[base + j]! - mu) ** 2;
    const r = 1 / Math.sqrt(sq / n + eps);
    mean[m] = mu;
    rstd[m] = r;
    for (let j = 0; j < n; j++) {
      const xhat = (x[base + j]! - mu) * r;
      out[base + j] = xhat * (weight === null ? 1 : weight[j]!) + (bias === null ? 0 : bias[j]!);
    }
  }
  return out;
}

/**
 * The backward of {@link layerNormInto}, from the incoming gradient g ([rows, n]) and the
 * saved `mean`, `rstd`:
 *
 * ```text
 * x̂_j = (x_j − μ)·r,   ĝ_j = g_j·w_j
 * a = Σ_j ĝ_j / n,   c = Σ_j ĝ_j·x̂_j / n
 * dx_j = r·(ĝ_j − a − x̂_j·c)
 * dw_j = Σ_rows g_j·x̂_j,   db_j = Σ_rows g_j       (float64 sums, overwritten)
 * ```
 */
export function layerNormBackwardInto(
  dx: Float,
  dw: Float64Array,
  db: Float64Array,
  g: Float,
  x: Float,
  weight: Float | null,
  mean: Float64Array,
  rstd: Float64Array,
  rows: number,
  n: number,
): Float {
  dw.fill(0);
  db.fill(0);
  for (let m = 0; m < rows; m++) {
    const base = m * n;
    let meanG = 0;
    let meanGX = 0;
    for (let j = 0; j < n; j++) {
      const gj = g[base + j]!;
      const xhat = (x[base + j]! - mean[m]!) * rstd[m]!;
      const ghat = gj * (weight === null ? 1 : weight[j]!);
      meanG += ghat;
      meanGX += ghat * xhat;
      dw[j]! += gj * xhat;
      db[j]! += gj;
    }
    meanG /= n;
    meanGX /= n;
    for (let j = 0; j < n; j++) {
      const xhat = (x[base + j]! - mean[m]!) * rstd[m]!;
      const ghat = g[base + j]! * (weight === null ? 1 : weight[j]!);
      dx[base + j] = rstd[m]! * (ghat - meanG - xhat * meanGX);
    }
  }
  return dx;
}

/**
 * Batch statistics per channel c of an [N, C, L] array (m = N·L values per channel), and,
 * when given, the update of the running statistics (1-d views of C numbers) in place:
 *
 * ```text
 * μ = Σ x / m,   s = Σ (x − μ)²,   mean[c] = μ,   rstd[c] = 1 / √(s/m + ε)
 * running_mean[c] ← momentum·μ + (1 − momentum)·running_mean[c]
 * running_var[c]  ← momentum·(s/(m − 1)) + (1 − momentum)·running_var[c]     (unbiased)
 * ```
 */
export function batchStatisticsInto(
  mean: Float64Array,
  rstd: Float64Array,
  x: Float,
  N: number,
  C: number,
  L: number,
  eps: number,
  runningMean: View | null,
  runningVar: View | null,
  momentum: number,
): Float64Array {
  const m = N * L;
  for (let c = 0; c < C; c++) {
    let sum = 0;
    for (let i = 0; i < N; i++) for (let l = 0; l < L; l++) sum += x[(i * C + c) * L + l]!;
    const mu = sum / m;
    let sq = 0;
    for (let i = 0; i < N; i++) for (let l = 0; l < L; l++) sq += (x[(i * C + c) * L + l]! - mu) ** 2;
    mean[c] = mu;
    rstd[c] = 1 / Math.sqrt(sq / m + eps);
    if (runningMean !== null && runningVar !== null) {
      const rm = runningMean.data;
      const rv = runningVar.data;
      const im = runningMean.offset + c * runningMean.stride[0]!;
      const iv = runningVar.offset + c * runningVar.stride[0]!;
      rm[im] = momentum * mu + (1 - momentum) * rm[im]!;
      rv[iv] = momentum * (sq / (m - 1)) + (1 - momentum) * rv[iv]!;
    }
  }
  return mean;
}

/**
 * Evaluation-mode statistics from the running ones (1-d views of C numbers):
 * mean[c] = running_mean[c],   rstd[c] = 1 / √(running_var[c] + ε).
 */
export function runningStatisticsInto(mean: Float64Array, rstd: Float64Array, runningMean: View, runningVar: View, eps: number): Float64Array {
  const C = mean.length;
  for (let c = 0; c < C; c++) {
    mean[c] = runningMean.data[runningMean.offset + c * runningMean.stride[0]!]!;
    rstd[c] = 1 / Math.sqrt(runningVar.data[runningVar.offset + c * runningVar.stride[0]!]! + eps);
  }
  return mean;
}

/**
 * Batch norm of an [N, C, L] array with per-channel statistics:
 * out[i, c, l] = (x[i, c, l] − mean[c])·rstd[c]·w[c] + b[c].
 */
export function batchNormInto(
  out: Float,
  x: Float,
  mean: Float64Array,
  rstd: Float64Array,
  weight: Float | null,
  bias: Float | null,
  N: number,
  C: number,
  L: number,
): Float {
  for (let i = 0; i < N; i++) {
    for (let c = 0; c < C; c++) {
      const scale = weight === null ? 1 : weight[c]!;
      const shift = bias === null ? 0 : bias[c]!;
      for (let l = 0; l < L; l++) {
        const k = (i * C + c) * L + l;
        out[k] = (x[k]! - mean[c]!) * rstd[c]! * scale + shift;
      }
    }
  }
  return out;
}

/**
 * The backward of {@link batchNormInto}, per channel c over its m = N·L positions k, from the
 * incoming gradient g:
 *
 * ```text
 * x̂_k = (x_k − mean[c])·rstd[c],   ĝ_k = g_k·w[c]
 * G = Σ_k g_k,   GX = Σ_k g_k·(x_k − mean[c])·rstd[c]
 * training   dx_k = rstd[c]·(ĝ_k − (G·w[c])/m − x̂_k·((GX·w[c])/m))    (the statistics depend on x)
 * otherwise  dx_k = ĝ_k·rstd[c]
 * dw[c] = GX,   db[c] = G                          (skipped when null)
 * ```
 */
export function batchNormBackwardInto(
  dx: Float,
  dw: Float | null,
  db: Float | null,
  g: Float,
  x: Float,
  mean: Float64Array,
  rstd: Float64Array,
  weight: Float | null,
  N: number,
  C: number,
  L: number,
  training: boolean,
): Float {
  const m = N * L;
  for (let c = 0; c < C; c++) {
    const scale = weight === null ? 1 : weight[c]!;
    let sumG = 0;
    let sumGX = 0;
    for (let i = 0; i < N; i++) {
      for (let l = 0; l < L; l++) {
        const k = (i * C + c) * L + l;
        const gk = g[k]!;
        sumG += gk;
        sumGX += gk * (x[k]! - mean[c]!) * rstd[c]!;
      }
    }
    if (dw !== null) dw[c] = sumGX;
    if (db !== null) db[c] = sumG;
    for (let i = 0; i < N; i++) {
      for (let l = 0; l < L; l++) {
        const k = (i * C + c) * L + l;
        const ghat = g[k]! * scale;
        if (training) {
          const xhat = (x[k]! - mean[c]!) * rstd[c]!;
          dx[k] = rstd[c]! * (ghat - (sumG * scale) / m - xhat * ((sumGX * scale) / m));
        } else {
          dx[k] = ghat * rstd[c]!;
        }
      }
    }
  }
  return dx;
}
