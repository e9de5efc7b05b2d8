import { Tensor } from "../../methods.ts";
import { flatten } from "../functional/flatten.ts";
import { Module } from "../module.ts";

/**
 * Flattens dims `start_dim` … `end_dim` into one, as `torch.nn.Flatten` (by default every
 * dim but the batch dim).
 */
export class Flatten extends Module {
  readonly start_dim: number;
  readonly end_dim: number;
  constructor(options: { start_dim?: number; end_dim?: number } = {}) {
    super();
    this.start_dim = options.start_dim ?? 1;
    this.end_dim = options.end_dim ?? -1;
  }

  override forward(input: Tensor): Tensor {
    return flatten(input, { start_dim: this.start_dim, end_dim: this.end_dim });
  }

  override extra_repr(): string {
    return `start_dim=${this.start_dim}, end_dim=${this.end_dim}`;
  }
}
