import { is_grad_enabled } from "../../autograd/grad_mode.ts";
import { record } from "../../autograd/node.ts";
import { Tensor } from "../../methods.ts";
import {
  batchNormBackwardInto,
  batchNormInto,
  batchStatisticsInto,
  layerNormBackwardInto,
  layerNormInto,
  runningStatisticsInto,
} from "../../kernels/normalization.ts";
import { type Float, contiguousElements } from "../../kernels/view.ts";
import { emptyTensor } from "../../tensor/tensor.ts";
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

/** A tensor's numbers in row-major order (read without a copy when contiguous). */
const values = (t: Tensor): Float => contiguousElements(t.contiguous().data);

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
  const out = emptyTensor(input.dtype, input.shape);
  const mean = new Float64Array(M);
  const rstd = new Float64Array(M);
  layerNormInto(out.data.data, mean, rstd, x, w, b, M, N, eps);
  return record(
    "NativeLayerNormBackward0",
    out,
    [input, weight, bias],
    (g) => {
      refuseDoubleBackward("layer_norm");
      const dx = emptyTensor(input.dtype, input.shape);
      const dw = weight === null ? null : emptyTensor(weight.dtype, weight.shape);
      const db = bias === null ? null : emptyTensor(bias.dtype, bias.shape);
      const dwAcc = new Float64Array(N);
      const dbAcc = new Float64Array(N);
      layerNormBackwardInto(dx.data.data, dwAcc, dbAcc, values(g), x, w, mean, rstd, M, N);
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
  if (training) batchStatisticsInto(mean, rstd, x, N, C, L, eps, running_mean?.data ?? null, running_var?.data ?? null, momentum);
  else runningStatisticsInto(mean, rstd, running_mean!.data, running_var!.data, eps);
  if (training && running_mean !== null && running_var !== null) {
    running_mean._bumpVersion();
    running_var._bumpVersion();
  }
  const out = emptyTensor(input.dtype, input.shape);
  batchNormInto(out.data.data, x, mean, rstd, w, b, N, C, L);
  return record(
    "NativeBatchNormBackward0",
    out,
    [input, weight, bias],
    (g) => {
      refuseDoubleBackward("batch_norm");
      const dx = emptyTensor(input.dtype, input.shape);
      const dw = weight === null ? null : emptyTensor(weight.dtype, weight.shape);
      const db = bias === null ? null : emptyTensor(bias.dtype, bias.shape);
      batchNormBackwardInto(dx.data.data, dw?.data.data ?? null, db?.data.data ?? null, values(g), x, mean, rstd, w, N, C, L, training);
      return [input.requires_grad ? dx : null, dw, db];
    },
    weight === null ? [input] : [input, weight],
  );
}
