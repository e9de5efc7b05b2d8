import { Tensor } from "../../methods.ts";
import { gelu, leaky_relu, log_softmax, relu, sigmoid, silu, softmax, softplus, tanh } from "../functional/activation.ts";
import { Module } from "../module.ts";
import { pythonFloat } from "../python_repr.ts";
import { type Arguments, boolean, choice, integer, nullable, number, optional, signature } from "../../utils/signature.ts";

/** Options of the activations that can work in place. */
export interface InplaceOptions {
  inplace?: boolean;
}

const inplaceRepr = (inplace: boolean): string => (inplace ? "inplace=True" : "");

/** `ReLU(inplace=False)`, as PyTorch declares it. */
export const reluModuleSignature = signature("ReLU.__init__", [optional("inplace", boolean, false)]);

/** max(0, x), as `torch.nn.ReLU`. */
export class ReLU extends Module {
  readonly inplace: boolean;
  constructor(...args: Arguments<typeof reluModuleSignature>) {
    const { inplace } = reluModuleSignature.parse(args);
    super();
    this.inplace = inplace;
  }
  override forward(input: Tensor): Tensor {
    return relu(input, { inplace: this.inplace });
  }
  override extra_repr(): string {
    return inplaceRepr(this.inplace);
  }
}

/** `LeakyReLU(negative_slope=0.01, inplace=False)`, as PyTorch declares it. */
export const leakyReLUSignature = signature("LeakyReLU.__init__", [optional("negative_slope", number, 0.01), optional("inplace", boolean, false)]);

/** x for x ≥ 0, negative_slope·x otherwise, as `torch.nn.LeakyReLU` (slope 0.01 by default). */
export class LeakyReLU extends Module {
  readonly negative_slope: number;
  readonly inplace: boolean;
  constructor(...args: Arguments<typeof leakyReLUSignature>) {
    const { negative_slope, inplace } = leakyReLUSignature.parse(args);
    super();
    this.negative_slope = negative_slope;
    this.inplace = inplace;
  }
  override forward(input: Tensor): Tensor {
    return leaky_relu(input, { negative_slope: this.negative_slope, inplace: this.inplace });
  }
  override extra_repr(): string {
    return `negative_slope=${pythonFloat(this.negative_slope)}${this.inplace ? ", inplace=True" : ""}`;
  }
}

/** 1 / (1 + e^(−x)), as `torch.nn.Sigmoid`. */
export class Sigmoid extends Module {
  override forward(input: Tensor): Tensor {
    return sigmoid(input);
  }
}

/** tanh(x), as `torch.nn.Tanh`. */
export class Tanh extends Module {
  override forward(input: Tensor): Tensor {
    return tanh(input);
  }
}

/** `GELU(approximate="none")`, as PyTorch declares it. */
export const geluModuleSignature = signature("GELU.__init__", [optional("approximate", choice("none", "tanh"), "none")]);

/** x·Φ(x) (or its tanh approximation), as `torch.nn.GELU`. */
export class GELU extends Module {
  readonly approximate: "none" | "tanh";
  constructor(...args: Arguments<typeof geluModuleSignature>) {
    const { approximate } = geluModuleSignature.parse(args);
    super();
    this.approximate = approximate;
  }
  override forward(input: Tensor): Tensor {
    return gelu(input, { approximate: this.approximate });
  }
  override extra_repr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** `SiLU(inplace=False)`, as PyTorch declares it. */
export const siluModuleSignature = signature("SiLU.__init__", [optional("inplace", boolean, false)]);

/** x·σ(x), as `torch.nn.SiLU`. */
export class SiLU extends Module {
  readonly inplace: boolean;
  constructor(...args: Arguments<typeof siluModuleSignature>) {
    const { inplace } = siluModuleSignature.parse(args);
    super();
    this.inplace = inplace;
  }
  override forward(input: Tensor): Tensor {
    return silu(input, { inplace: this.inplace });
  }
  override extra_repr(): string {
    return inplaceRepr(this.inplace);
  }
}

/** `Softplus(beta=1.0, threshold=20.0)`, as PyTorch declares it. */
export const softplusSignature = signature("Softplus.__init__", [optional("beta", number, 1.0), optional("threshold", number, 20.0)]);

/** log(1 + e^(β·x)) / β, linear above `threshold`, as `torch.nn.Softplus`. */
export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;
  constructor(...args: Arguments<typeof softplusSignature>) {
    const { beta, threshold } = softplusSignature.parse(args);
    super();
    this.beta = beta;
    this.threshold = threshold;
  }
  override forward(input: Tensor): Tensor {
    return softplus(input, { beta: this.beta, threshold: this.threshold });
  }
  override extra_repr(): string {
    return `beta=${pythonFloat(this.beta)}, threshold=${pythonFloat(this.threshold)}`;
  }
}

/** Options of Softmax and LogSoftmax: the dim that sums to one. */
export interface DimOptions {
  dim?: number | null;
}

/** `Softmax(dim=None)`, as PyTorch declares it. */
export const softmaxSignature = signature("Softmax.__init__", [optional("dim", nullable(integer), null)]);

/** e^x / Σe^x along `dim`, as `torch.nn.Softmax`. */
export class Softmax extends Module {
  readonly dim: number | null;
  constructor(...args: Arguments<typeof softmaxSignature>) {
    const { dim } = softmaxSignature.parse(args);
    super();
    this.dim = dim;
  }
  override forward(input: Tensor): Tensor {
    return softmax(input, { dim: this.dim });
  }
  override extra_repr(): string {
    return `dim=${this.dim === null ? "None" : this.dim}`;
  }
}

/** `LogSoftmax(dim=None)`, as PyTorch declares it. */
export const logSoftmaxSignature = signature("LogSoftmax.__init__", [optional("dim", nullable(integer), null)]);

/** x − log Σe^x along `dim`, as `torch.nn.LogSoftmax`. */
export class LogSoftmax extends Module {
  readonly dim: number | null;
  constructor(...args: Arguments<typeof logSoftmaxSignature>) {
    const { dim } = logSoftmaxSignature.parse(args);
    super();
    this.dim = dim;
  }
  override forward(input: Tensor): Tensor {
    return log_softmax(input, { dim: this.dim });
  }
  override extra_repr(): string {
    return `dim=${this.dim === null ? "None" : this.dim}`;
  }
}
