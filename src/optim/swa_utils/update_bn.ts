import { no_grad } from "../../autograd/grad_mode.ts";
import { BatchNorm1d } from "../../nn/layers/normalization.ts";
import { Module } from "../../nn/module.ts";
import { type Arguments, anything, instanceOf, kind, optional, required, signature } from "../../utils/signature.ts";

/** update_bn's signature in current PyTorch: `update_bn(loader, model, device=None)`; `device` is ignored. */
export const updateBnSignature = signature("update_bn", [
  required(
    "loader",
    kind<Iterable<unknown>>("an iterable", (v) => typeof (v as { [Symbol.iterator]?: unknown } | null)?.[Symbol.iterator] === "function"),
  ),
  required("model", instanceOf(Module, "a Module")),
  optional("device", anything<unknown>(), null),
]);

/**
 * Recomputes the BatchNorm running statistics of `model` with one pass over `loader`, as
 * `torch.optim.swa_utils.update_bn` (needed after averaging weights, whose statistics
 * were never seen by the BatchNorm layers).
 *
 * ```text
 * for each BatchNorm layer: reset running_mean, running_var, num_batches_tracked; momentum ← null
 * model.train(); for each batch (a tensor, or an array whose first element is the input): model.forward(input)
 * restore every momentum and the model's training mode
 * ```
 * With momentum null each layer keeps a cumulative average over the batches (its factor
 * is 1/num_batches_tracked), so the statistics are the mean of the per-batch ones.
 */
export function update_bn(...args: Arguments<typeof updateBnSignature>): void {
  const { loader, model } = updateBnSignature.parse(args);
  const momenta = new Map<BatchNorm1d, number | null>();
  for (const module of model.modules()) {
    if (module instanceof BatchNorm1d) {
      module.reset_running_stats();
      momenta.set(module, module.momentum);
    }
  }
  if (momenta.size === 0) return;
  const was_training = model.training;
  model.train();
  for (const module of momenta.keys()) module.momentum = null;
  no_grad(() => {
    for (let input of loader) {
      if (Array.isArray(input)) input = input[0];
      model.forward(input);
    }
  });
  for (const [module, momentum] of momenta) module.momentum = momentum;
  model.train(was_training);
}
