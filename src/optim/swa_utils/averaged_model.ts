import { no_grad } from "../../autograd/grad_mode.ts";
import { Module } from "../../nn/module.ts";
import { tensor } from "../../tensor/creation.ts";
import { Tensor } from "../../methods.ts";
import { type AvgFn, type MultiAvgFn, get_swa_avg_fn } from "./averaging.ts";
import { deepcopyModule } from "./deepcopy.ts";
import { type Arguments, type ValuesOf, anything, boolean, func, instanceOf, nullable, optional, required, signature } from "../../utils/signature.ts";

/**
 * AveragedModel's signature in current PyTorch: `AveragedModel(model, device=None, avg_fn=None,
 * multi_avg_fn=None, use_buffers=False)`; `device` is accepted and ignored (everything runs on
 * the CPU).
 */
export const averagedModelSignature = signature("AveragedModel.__init__", [
  required("model", instanceOf(Module, "a Module")),
  optional("device", anything<unknown>(), null),
  optional("avg_fn", nullable(func<AvgFn>()), null),
  optional("multi_avg_fn", nullable(func<MultiAvgFn>()), null),
  optional("use_buffers", boolean, false),
]);

/** The options of {@link AveragedModel} after `model`. */
export type AveragedModelOptions = Partial<Omit<ValuesOf<typeof averagedModelSignature>, "model">>;

/**
 * A running average of a model's weights, for Stochastic Weight Averaging (SWA, the
 * default) or an exponential moving average (EMA, with `get_ema_multi_avg_fn`), as
 * `torch.optim.swa_utils.AveragedModel`.
 *
 * ```text
 * update_parameters(model):   n ← n_averaged
 *   n = 0:  avg ← θ for every parameter (and buffer, with use_buffers)
 *   n > 0:  multi_avg_fn(avgs, θs, n)  if given;  avg ← avg_fn(avg, θ, n)  if given;
 *           avg ← avg + (θ − avg)/(n + 1) otherwise (SWA; PyTorch's CPU path)
 *   without use_buffers, the buffers are copied from the model
 *   n_averaged ← n + 1
 * ```
 * The averaged model is a deep copy of `model`; `forward` runs it. Call `update_bn`
 * afterwards when the model has BatchNorm layers and `use_buffers` is false.
 */
export class AveragedModel extends Module {
  module: Module;
  n_averaged: Tensor;
  avg_fn: AvgFn | null;
  multi_avg_fn: MultiAvgFn | null;
  use_buffers: boolean;

  constructor(...args: Arguments<typeof averagedModelSignature>) {
    const { model, avg_fn, multi_avg_fn, use_buffers } = averagedModelSignature.parse(args);
    if (avg_fn !== null && multi_avg_fn !== null) throw new Error("Only one of avg_fn and multi_avg_fn should be provided");
    super();
    this.module = this.register_module("module", deepcopyModule(model));
    this.n_averaged = this.register_buffer("n_averaged", tensor(0, { dtype: "int64" }));
    this.avg_fn = avg_fn;
    this.multi_avg_fn = multi_avg_fn;
    this.use_buffers = use_buffers;
  }

  /** Runs the averaged model. */
  override forward(...inputs: unknown[]): unknown {
    return this.module.forward(...inputs);
  }

  /** Folds `model`'s current parameters (and buffers, with `use_buffers`) into the average. */
  update_parameters(model: Module): void {
    const averaged = this.use_buffers ? [...this.module.parameters(), ...this.module.buffers()] : this.parameters();
    const current = this.use_buffers ? [...model.parameters(), ...model.buffers()] : model.parameters();
    const count = Math.min(averaged.length, current.length);
    const avgs = averaged.slice(0, count).map((p) => p.detach());
    const models = current.slice(0, count).map((p) => p.detach());
    const n = this.n_averaged.item();
    no_grad(() => {
      if (n === 0) avgs.forEach((a, i) => a.copy_(models[i]!));
      if (n > 0) {
        if (this.multi_avg_fn !== null) {
          // PyTorch calls multi_avg_fn once per (device, dtype) group.
          for (const dtype of new Set(avgs.map((a) => a.dtype))) {
            const idx = avgs.flatMap((a, i) => (a.dtype === dtype ? [i] : []));
            this.multi_avg_fn(
              idx.map((i) => avgs[i]!),
              idx.map((i) => models[i]!),
              n,
            );
          }
        } else {
          const fn = this.avg_fn ?? get_swa_avg_fn();
          avgs.forEach((a, i) => a.copy_(fn(a, models[i]!, n)));
        }
      }
      if (!this.use_buffers) {
        const mine = this.module.buffers();
        const theirs = model.buffers();
        for (let i = 0; i < Math.min(mine.length, theirs.length); i++) mine[i]!.detach().copy_(theirs[i]!.detach());
      }
      this.n_averaged.copy_(tensor(n + 1, { dtype: "int64" }));
    });
  }
}
