import { empty, ones, tensor, zeros } from "../../tensor/creation.ts";
import { Tensor } from "../../methods.ts";
import { batch_norm, layer_norm } from "../functional/normalization.ts";
import { ones_, zeros_ } from "../init.ts";
import { Module } from "../module.ts";
import { Parameter } from "../parameter.ts";
import { pythonBool, pythonFloat, pythonTuple } from "../python_repr.ts";
import type { FactoryOptions } from "./linear.ts";
import { type Arguments, arrayOf, boolean, integer, nullable, number, optional, required, signature, union } from "../../utils/signature.ts";
import { deviceParameter, dtypeParameter } from "../signatures.ts";
import { get_default_dtype } from "../../tensor/default_dtype.ts";

/** `LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=True, bias=True, device=None, dtype=None)`, as PyTorch declares it. */
export const layerNormSignature = signature("LayerNorm.__init__", [
  required("normalized_shape", union(integer, arrayOf(integer, "an array of integers"))),
  optional("eps", number, 1e-5),
  optional("elementwise_affine", boolean, true),
  optional("bias", boolean, true),
  deviceParameter,
  dtypeParameter,
]);

/**
 * Normalises over the last dims (`normalized_shape`) of each sample, then applies a
 * learned elementwise scale `weight` (ones) and shift `bias` (zeros), as
 * `torch.nn.LayerNorm`; the formula is in `F.layer_norm`.
 *
 * @example
 * ```ts
 * import { nn, tensor } from "gradlab";
 * const norm = new nn.LayerNorm(2, { dtype: "float64" });
 * // mean 2, variance 1: (x − 2)/√(1 + 1e-5)
 * console.log(norm.forward(tensor([[1, 3]], { dtype: "float64" })).tolist()); // [[-0.9999950000374997, 0.9999950000374997]]
 * ```
 */
export class LayerNorm extends Module {
  readonly normalized_shape: number[];
  readonly eps: number;
  readonly elementwise_affine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(...args: Arguments<typeof layerNormSignature>) {
    const options = layerNormSignature.parse(args);
    const { normalized_shape } = options;
    super();
    this.normalized_shape = typeof normalized_shape === "number" ? [normalized_shape] : normalized_shape.slice();
    this.eps = options.eps;
    this.elementwise_affine = options.elementwise_affine;
    const dtype = options.dtype ?? get_default_dtype();
    const affine = this.elementwise_affine;
    this.weight = this.register_parameter("weight", affine ? new Parameter(empty(this.normalized_shape, { dtype })) : null);
    this.bias = this.register_parameter("bias", affine && options.bias ? new Parameter(empty(this.normalized_shape, { dtype })) : null);
    this.reset_parameters();
  }

  /** Sets the scale to ones and the shift to zeros. */
  reset_parameters(): void {
    if (this.weight !== null) ones_(this.weight);
    if (this.bias !== null) zeros_(this.bias);
  }

  override forward(input: Tensor): Tensor {
    return layer_norm(input, this.normalized_shape, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extra_repr(): string {
    return `${pythonTuple(this.normalized_shape)}, eps=${pythonFloat(this.eps)}, elementwise_affine=${pythonBool(this.elementwise_affine)}`;
  }
}

/** Options of `BatchNorm1d`, with PyTorch's defaults. */
export interface BatchNormModuleOptions extends FactoryOptions {
  eps?: number;
  /** The weight of the newest batch in the running averages; null for a cumulative average. */
  momentum?: number | null;
  affine?: boolean;
  track_running_stats?: boolean;
}

/** `BatchNorm1d(num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None)`, as PyTorch declares it. */
export const batchNorm1dSignature = signature("BatchNorm1d.__init__", [
  required("num_features", integer),
  optional("eps", number, 1e-5),
  optional("momentum", nullable(number), 0.1),
  optional("affine", boolean, true),
  optional("track_running_stats", boolean, true),
  deviceParameter,
  dtypeParameter,
]);

/**
 * Batch normalisation over the channel dim of (N, C) or (N, C, L) inputs, as
 * `torch.nn.BatchNorm1d`. In training it normalises with the batch's statistics and
 * updates `running_mean`, `running_var` and `num_batches_tracked`; in eval mode it uses
 * the running statistics. The averaging factor of the running update is
 *
 * ```text
 * factor = momentum                       when momentum is a number
 * factor = 1 / num_batches_tracked        when momentum is null: a cumulative average
 * ```
 * (`num_batches_tracked` is incremented first), which is what `swa_utils.update_bn` uses.
 */
export class BatchNorm1d extends Module {
  readonly num_features: number;
  readonly eps: number;
  momentum: number | null;
  readonly affine: boolean;
  readonly track_running_stats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;
  running_mean: Tensor | null;
  running_var: Tensor | null;
  num_batches_tracked: Tensor | null;

  constructor(...args: Arguments<typeof batchNorm1dSignature>) {
    const options = batchNorm1dSignature.parse(args);
    const { num_features } = options;
    super();
    this.num_features = num_features;
    this.eps = options.eps;
    this.momentum = options.momentum;
    this.affine = options.affine;
    this.track_running_stats = options.track_running_stats;
    const dtype = options.dtype ?? get_default_dtype();
    this.weight = this.register_parameter("weight", this.affine ? new Parameter(ones(num_features, { dtype })) : null);
    this.bias = this.register_parameter("bias", this.affine ? new Parameter(zeros(num_features, { dtype })) : null);
    const track = this.track_running_stats;
    this.running_mean = this.register_buffer("running_mean", track ? zeros(num_features, { dtype }) : null);
    this.running_var = this.register_buffer("running_var", track ? ones(num_features, { dtype }) : null);
    this.num_batches_tracked = this.register_buffer("num_batches_tracked", track ? tensor(0, { dtype: "int64" }) : null);
  }

  /** Resets the running statistics: mean 0, variance 1, no batches seen. */
  reset_running_stats(): void {
    if (this.running_mean !== null) zeros_(this.running_mean);
    if (this.running_var !== null) ones_(this.running_var);
    if (this.num_batches_tracked !== null) zeros_(this.num_batches_tracked);
  }

  /** Resets the running statistics and sets the scale to ones and the shift to zeros. */
  reset_parameters(): void {
    this.reset_running_stats();
    if (this.weight !== null) ones_(this.weight);
    if (this.bias !== null) zeros_(this.bias);
  }

  override forward(input: Tensor): Tensor {
    if (input.ndim !== 2 && input.ndim !== 3) throw new Error(`expected 2D or 3D input (got ${input.ndim}D input)`);
    if (this.training && input.numel() / input.shape[1]! <= 1) {
      // Checked here, before the batch is counted, so a refused batch changes nothing.
      throw new Error(`Expected more than 1 value per channel when training, got input size torch.Size([${input.shape.join(", ")}])`);
    }
    let factor = this.momentum ?? 0;
    if (this.training && this.track_running_stats && this.num_batches_tracked !== null) {
      const counter = this.num_batches_tracked;
      counter.data.data[counter.data.offset]! += 1;
      counter._bumpVersion();
      factor = this.momentum === null ? 1 / counter.item() : this.momentum;
    }
    const use_batch_stats = this.training || (this.running_mean === null && this.running_var === null);
    const keep = !this.training || this.track_running_stats;
    return batch_norm(input, keep ? this.running_mean : null, keep ? this.running_var : null, {
      weight: this.weight,
      bias: this.bias,
      training: use_batch_stats,
      momentum: factor,
      eps: this.eps,
    });
  }

  override extra_repr(): string {
    const momentum = this.momentum === null ? "None" : pythonFloat(this.momentum);
    return `${this.num_features}, eps=${pythonFloat(this.eps)}, momentum=${momentum}, affine=${pythonBool(this.affine)}, track_running_stats=${pythonBool(this.track_running_stats)}`;
  }
}
