import type { Tensor } from "../../tensor/tensor.ts";
import { dropout } from "../functional/dropout.ts";
import { Module } from "../module.ts";
import { pythonFloat } from "../python_repr.ts";
import { type Arguments, boolean, number, optional, signature } from "../../utils/signature.ts";

/** `Dropout(p=0.5, inplace=False)`, as PyTorch declares it. */
export const dropoutModuleSignature = signature("Dropout.__init__", [optional("p", number, 0.5), optional("inplace", boolean, false)]);

/**
 * During training, zeroes each element with probability `p` and scales the others by
 * 1/(1 − p); in evaluation mode returns the input unchanged, as `torch.nn.Dropout`.
 * The mask is drawn from gradlab's default generator (see `manual_seed`).
 */
export class Dropout extends Module {
  readonly p: number;
  readonly inplace: boolean;
  constructor(...args: Arguments<typeof dropoutModuleSignature>) {
    const { p, inplace } = dropoutModuleSignature.parse(args);
    super();
    if (p < 0 || p > 1) throw new Error(`dropout probability has to be between 0 and 1, but got ${p}`);
    this.p = p;
    this.inplace = inplace;
  }

  override forward(input: Tensor): Tensor {
    return dropout(input, { p: this.p, training: this.training, inplace: this.inplace });
  }

  override extra_repr(): string {
    return `p=${pythonFloat(this.p)}, inplace=${this.inplace ? "True" : "False"}`;
  }
}
