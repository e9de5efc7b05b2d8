import { Tensor } from "../../methods.ts";
import { gelu, leaky_relu, log_softmax, relu, sigmoid, silu, softmax, softplus, tanh } from "../functional/activation.ts";
import { Module } from "../module.ts";
import { pythonFloat } from "../python_repr.ts";

/** Options of the activations that can work in place. */
export interface InplaceOptions {
  inplace?: boolean;
}

const inplaceRepr = (inplace: boolean): string => (inplace ? "inplace=True" : "");

/** max(0, x), as `torch.nn.ReLU`. */
export class ReLU extends Module {
  readonly inplace: boolean;
  constructor(options: InplaceOptions = {}) {
    super();
    this.inplace = options.inplace ?? false;
  }
  override forward(input: Tensor): Tensor {
    return relu(input, { inplace: this.inplace });
  }
  override extra_repr(): string {
    return inplaceRepr(this.inplace);
  }
}

/** x for x ≥ 0, negative_slope·x otherwise, as `torch.nn.LeakyReLU` (slope 0.01 by default). */
export class LeakyReLU extends Module {
  readonly negative_slope: number;
  readonly inplace: boolean;
  constructor(options: { negative_slope?: number } & InplaceOptions = {}) {
    super();
    this.negative_slope = options.negative_slope ?? 0.01;
    this.inplace = options.inplace ?? false;
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

/** x·Φ(x) (or its tanh approximation), as `torch.nn.GELU`. */
export class GELU extends Module {
  readonly approximate: "none" | "tanh";
  constructor(options: { approximate?: "none" | "tanh" } = {}) {
    super();
    this.approximate = options.approximate ?? "none";
  }
  override forward(input: Tensor): Tensor {
    return gelu(input, { approximate: this.approximate });
  }
  override extra_repr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** x·σ(x), as `torch.nn.SiLU`. */
export class SiLU extends Module {
  readonly inplace: boolean;
  constructor(options: InplaceOptions = {}) {
    super();
    this.inplace = options.inplace ?? false;
  }
  override forward(input: Tensor): Tensor {
    return silu(input, { inplace: this.inplace });
  }
  override extra_repr(): string {
    return inplaceRepr(this.inplace);
  }
}

/** log(1 + e^(β·x)) / β, linear above `threshold`, as `torch.nn.Softplus`. */
export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;
  constructor(options: { beta?: number; threshold?: number } = {}) {
    super();
    this.beta = options.beta ?? 1.0;
    this.threshold = options.threshold ?? 20.0;
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

/** e^x / Σe^x along `dim`, as `torch.nn.Softmax`. */
export class Softmax extends Module {
  readonly dim: number | null;
  constructor(options: DimOptions = {}) {
    super();
    this.dim = options.dim ?? null;
  }
  override forward(input: Tensor): Tensor {
    return softmax(input, { dim: this.dim });
  }
  override extra_repr(): string {
    return `dim=${this.dim === null ? "None" : this.dim}`;
  }
}

/** x − log Σe^x along `dim`, as `torch.nn.LogSoftmax`. */
export class LogSoftmax extends Module {
  readonly dim: number | null;
  constructor(options: DimOptions = {}) {
    super();
    this.dim = options.dim ?? null;
  }
  override forward(input: Tensor): Tensor {
    return log_softmax(input, { dim: this.dim });
  }
  override extra_repr(): string {
    return `dim=${this.dim === null ? "None" : this.dim}`;
  }
}

