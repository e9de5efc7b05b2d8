import type { Tensor } from "../../tensor/tensor.ts";
import { flatten } from "../functional/flatten.ts";
import { Module } from "../module.ts";
import { type Arguments, integer, optional, signature } from "../../utils/signature.ts";

/** `Flatten(start_dim=1, end_dim=-1)`, as PyTorch declares it. */
export const flattenModuleSignature = signature("Flatten.__init__", [optional("start_dim", integer, 1), optional("end_dim", integer, -1)]);

/**
 * Flattens dims `start_dim` … `end_dim` into one, as `torch.nn.Flatten` (by default every
 * dim but the batch dim).
 */
export class Flatten extends Module {
  readonly start_dim: number;
  readonly end_dim: number;
  constructor(...args: Arguments<typeof flattenModuleSignature>) {
    const { start_dim, end_dim } = flattenModuleSignature.parse(args);
    super();
    this.start_dim = start_dim;
    this.end_dim = end_dim;
  }

  override forward(input: Tensor): Tensor {
    return flatten(input, { start_dim: this.start_dim, end_dim: this.end_dim });
  }

  override extra_repr(): string {
    return `start_dim=${this.start_dim}, end_dim=${this.end_dim}`;
  }
}
