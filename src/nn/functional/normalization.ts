import { is_grad_enabled } from "../../autograd/grad_mode.ts";
import { record } from "../../autograd/node.ts";
import { emptyTensor, type Tensor } from "../../tensor/tensor.ts";
import { type Arguments, arrayOf, boolean, integer, nullable, number, optional, required, signature, union } from "../../utils/signature.ts";
import { tensorKind } from "../signatures.ts";

/**
 * Layer and batch normalisation as single operations with their own backward rules, as
 * PyTorch's `native_layer_norm` and `native_batch_norm`. Statistics are accumulated in
 * float64 (PyTorch's CPU kernels accumulate float32 in double too) and each output is
 * rounded once to the tensor's dtype. The backward rules give first derivatives; a
 * double backward through them (`create_graph`) is refused rather than silently wrong.
 */

function refuseDoubleBackward(op: string): void {
  if (is_grad_enabled()) throw new Error(`gradlab: double backward through ${op} is not supported`);
}

/**
 * A tensor's numbers in row-major order (read without a copy when contiguous). The
 * tensor rides along so that a backward closure holding this keeps its buffer alive.
 */
function values(t: Tensor): { t: Tensor; data: ArrayLike<number>; offset: number } {
  const c = t.contiguous();
  return { t: c, data: c.data.data, offset: c.data.offset };
}

/** Options of `layer_norm`, with PyTorch's defaults. */
export interface LayerNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  eps?: number;
}

/** `layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5)`, as PyTorch declares it. */
export const layerNormFunctionSignature = signature("layer_norm", [
  required("input", tensorKind),
  required("normalized_shape", union(integer, arrayOf(integer, "an array of integers"))),
  optional("weight", nullable(tensorKind), null),
  optional("bias", nullable(tensorKind), null),
  optional("eps", number, 1e-5),
]);

/**
 * Normalises over the last dims given by `normalized_shape`, as
 * `torch.nn.functional.layer_norm`. For each row x of N = ∏normalized_shape numbers:
 *
 * ```text
 * μ = Σx / N,   σ² = Σ(x − μ)² / N   (biased),   r = 1 / √(σ² + ε)
 * x̂ = (x − μ)·r,   y = x̂·w + b
 * backward   ĝ = g·w,   ∂x = r·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)),   ∂w = Σ_rows g·x̂,   ∂b = Σ_rows g
 * ```
 */
export function layer_norm(...args: Arguments<typeof layerNormFunctionSignature>): Tensor {
  const { input, normalized_shape, weight, bias, eps } = layerNormFunctionSignature.parse(args);
  const shape = typeof normalized_shape === "number" ? [normalized_shape] : normalized_shape.slice();
  const k = shape.length;
  const tail = input.shape.slice(input.ndim - k);
  if (input.ndim < k || tail.some((s, i) => s !== shape[i])) {
    throw new Error(
      `Given normalized_shape=[${shape.join(", ")}], expected input with shape [*, ${shape.join(", ")}], but got input of size[${input.shape.join(", ")}]`,
    );
  }
  const N = shape.reduce((a, b) => a * b, 1);
  const M = N === 0 ? 0 : input.numel() / N;
  const x = values(input);
  const w = weight === null ? null : values(weight);
  const b = bias === null ? null : values(bias);
  const out = emptyTensor(input.dtype, input.shape, false);
  const y = out.data.data;
  const mean = new Float64Array(M);
  const rstd = new Float64Array(M);
  for (let m = 0; m < M; m++) {
    const base = x.offset + m * N;
    let sum = 0;
    for (let j = 0; j < N; j++) sum += x.data[base + j]!;
    const mu = sum / N;
    let sq = 0;
    for (let j = 0; j < N; j++) sq += (x.data[base + j]! - mu) ** 2;
    const r = 1 / Math.sqrt(sq / N + eps);
    mean[m] = mu;
    rstd[m] = r;
    for (let j = 0; j < N; j++) {
      const xhat = (x.data[base + j]! - mu) * r;
      y[m * N + j] = xhat * (w === null ? 1 : w.data[w.offset + j]!) + (b === null ? 0 : b.data[b.offset + j]!);
    }
  }
  return record(
    "NativeLayerNormBackward0",
    out,
    [input, weight, bias],
    (g) => {
      refuseDoubleBackward("layer_norm");
      const gv = values(g);
      const dx = emptyTensor(input.dtype, input.shape, false);
      const dw = weight === null ? null : emptyTensor(weight.dtype, weight.shape);
      const db = bias === null ? null : emptyTensor(bias.dtype, bias.shape);
      const dwAcc = new Float64Array(N);
      const dbAcc = new Float64Array(N);
      for (let m = 0; m < M; m++) {
        const base = m * N;
        let meanG = 0;
        let meanGX = 0;
        for (let j = 0; j < N; j++) {
          const gj = gv.data[gv.offset + base + j]!;
          const xhat = (x.data[x.offset + base + j]! - mean[m]!) * rstd[m]!;
          const ghat = gj * (w === null ? 1 : w.data[w.offset + j]!);
          meanG += ghat;
          meanGX += ghat * xhat;
          dwAcc[j]! += gj * xhat;
          dbAcc[j]! += gj;
        }
        meanG /= N;
        meanGX /= N;
        for (let j = 0; j < N; j++) {
          const xhat = (x.data[x.offset + base + j]! - mean[m]!) * rstd[m]!;
          const ghat = gv.data[gv.offset + base + j]! * (w === null ? 1 : w.data[w.offset + j]!);
          dx.data.data[base + j] = rstd[m]! * (ghat - meanG - xhat * meanGX);
        }
      }
      if (dw !== null) dw.data.data.set(dwAcc);
      if (db !== null) db.data.data.set(dbAcc);
      return [input.requires_grad ? dx : null, dw, db];
    },
    weight === null ? [input] : [input, weight],
  );
}

/** Options of `batch_norm`, with PyTorch's defaults. */
export interface BatchNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  training?: boolean;
  momentum?: number;
  eps?: number;
}

/** `batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5)`, as PyTorch declares it. */
export const batchNormFunctionSignature = signature("batch_norm", [
  required("input", tensorKind),
  required("running_mean", nullable(tensorKind)),
  required("running_var", nullable(tensorKind)),
  optional("weight", nullable(tensorKind), null),
  optional("bias", nullable(tensorKind), null),
  optional("training", boolean, false),
  optional("momentum", number, 0.1),
  optional("eps", number, 1e-5),
]);

/**
 * Normalises each channel (dim 1) of an (N, C) or (N, C, L) input, as
 * `torch.nn.functional.batch_norm`. With n = N·L values per channel:
 *
 * ```text
 * training   μ = Σx / n,  σ² = Σ(x − μ)² / n,  r = 1/√(σ² + ε)
 *            running_mean ← (1 − momentum)·running_mean + momentum·μ
 *            running_var  ← (1 − momentum)·running_var  + momentum·σ²·n/(n − 1)   (unbiased)
 * otherwise  μ = running_mean, r = 1/√(running_var + ε)
 * y = (x − μ)·r·w + b
 * backward (training)  ĝ = g·w,  ∂x = r·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂));  (eval) ∂x = g·w·r
 *                      ∂w = Σ g·x̂,  ∂b = Σ g
 * ```
 * The running statistics are updated in place (no gradient flows into them).
 */
export function batch_norm(...args: Arguments<typeof batchNormFunctionSignature>): Tensor {
  const { input, running_mean, running_var, weight, bias, training, momentum, eps } = batchNormFunctionSignature.parse(args);
  if (input.ndim < 2) throw new Error(`expected 2D or 3D input (got ${input.ndim}D input)`);
  const [N, C] = [input.shape[0]!, input.shape[1]!];
  const L = input.numel() / Math.max(N * C, 1);
  const n = N * L;
  if (training && n <= 1) {
    throw new Error(`Expected more than 1 value per channel when training, got input size torch.Size([${input.shape.join(", ")}])`);
  }
  if (!training && (running_mean === null || running_var === null)) {
    throw new Error("running_mean and running_var must be defined in evaluation mode");
  }
  const x = values(input);
  const w = weight === null ? null : values(weight);
  const b = bias === null ? null : values(bias);
  const mean = new Float64Array(C);
  const rstd = new Float64Array(C);
  const at = (i: number, c: number, l: number): number => (i * C + c) * L + l;
  for (let c = 0; c < C; c++) {
    if (training) {
      let sum = 0;
      for (let i = 0; i < N; i++) for (let l = 0; l < L; l++) sum += x.data[x.offset + at(i, c, l)]!;
      const mu = sum / n;
      let sq = 0;
      for (let i = 0; i < N; i++) for (let l = 0; l < L; l++) sq += (x.data[x.offset + at(i, c, l)]! - mu) ** 2;
      mean[c] = mu;
      rstd[c] = 1 / Math.sqrt(sq / n + eps);
      if (running_mean !== null && running_var !== null) {
        const rm = running_mean.data;
        const rv = running_var.data;
        const im = rm.offset + c * rm.stride[0]!;
        const iv = rv.offset + c * rv.stride[0]!;
        rm.data[im] = momentum * mu + (1 - momentum) * rm.data[im]!;
        rv.data[iv] = momentum * (sq / (n - 1)) + (1 - momentum) * rv.data[iv]!;
      }
    } else {
      const rm = running_mean!.data;
      const rv = running_var!.data;
      mean[c] = rm.data[rm.offset + c * rm.stride[0]!]!;
      rstd[c] = 1 / Math.sqrt(rv.data[rv.offset + c * rv.stride[0]!]! + eps);
    }
  }
  if (training && running_mean !== null && running_var !== null) {
    running_mean._bumpVersion();
    running_var._bumpVersion();
  }
  const out = emptyTensor(input.dtype, input.shape, false);
  const y = out.data.data;
  for (let i = 0; i < N; i++) {
    for (let c = 0; c < C; c++) {
      const scale = w === null ? 1 : w.data[w.offset + c]!;
      const shift = b === null ? 0 : b.data[b.offset + c]!;
      for (let l = 0; l < L; l++) {
        const k = at(i, c, l);
        y[k] = (x.data[x.offset + k]! - mean[c]!) * rstd[c]! * scale + shift;
      }
    }
  }
  return record(
    "NativeBatchNormBackward0",
    out,
    [input, weight, bias],
    (g) => {
      refuseDoubleBackward("batch_norm");
      const gv = values(g);
      const dx = emptyTensor(input.dtype, input.shape, false);
      const dw = weight === null ? null : emptyTensor(weight.dtype, weight.shape, false);
      const db = bias === null ? null : emptyTensor(bias.dtype, bias.shape, false);
      for (let c = 0; c < C; c++) {
        const scale = w === null ? 1 : w.data[w.offset + c]!;
        let sumG = 0;
        let sumGX = 0;
        for (let i = 0; i < N; i++) {
          for (let l = 0; l < L; l++) {
            const k = at(i, c, l);
            const gk = gv.data[gv.offset + k]!;
            sumG += gk;
            sumGX += gk * (x.data[x.offset + k]! - mean[c]!) * rstd[c]!;
          }
        }
        if (dw !== null) dw.data.data[c] = sumGX;
        if (db !== null) db.data.data[c] = sumG;
        for (let i = 0; i < N; i++) {
          for (let l = 0; l < L; l++) {
            const k = at(i, c, l);
            const ghat = gv.data[gv.offset + k]! * scale;
            if (training) {
              const xhat = (x.data[x.offset + k]! - mean[c]!) * rstd[c]!;
              dx.data.data[k] = rstd[c]! * (ghat - (sumG * scale) / n - xhat * ((sumGX * scale) / n));
            } else {
              dx.data.data[k] = ghat * rstd[c]!;
            }
          }
        }
      }
      return [input.requires_grad ? dx : null, dw, db];
    },
    weight === null ? [input] : [input, weight],
  );
}
