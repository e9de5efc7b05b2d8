import { empty } from "../../tensor/creation.ts";
import type { DType } from "../../tensor/dtype.ts";
import { Tensor } from "../../methods.ts";
import type { Generator } from "../../tensor/generator.ts";
import { affine, linear } from "../functional/linear.ts";
import { _calculate_fan_in_and_fan_out, kaiming_uniform_, uniform_ } from "../init.ts";
import { Module } from "../module.ts";
import { Parameter } from "../parameter.ts";
import { type Arguments, boolean, integer, optional, required, signature } from "../../utils/signature.ts";
import { deviceParameter, dtypeParameter, generatorParameter } from "../signatures.ts";
import { get_default_dtype } from "../../tensor/default_dtype.ts";

/** Options of the layers that own parameters: PyTorch's `dtype`, and a generator for their initial values. */
export interface FactoryOptions {
  dtype?: DType;
  /** The generator drawing the initial weights (gradlab's default generator when omitted). */
  generator?: Generator | null;
}

/**
 * A placeholder that returns its input unchanged, as `torch.nn.Identity` (it accepts and
 * ignores any constructor arguments).
 */
export class Identity extends Module {
  constructor(..._args: unknown[]) {
    super();
  }

  override forward(input: Tensor): Tensor {
    return input;
  }
}

/** `Linear(in_features, out_features, bias=True, device=None, dtype=None)`, as PyTorch declares it, and gradlab's `generator`. */
export const linearSignature = signature("Linear.__init__", [
  required("in_features", integer),
  required("out_features", integer),
  optional("bias", boolean, true),
  deviceParameter,
  dtypeParameter,
  generatorParameter,
]);

/**
 * An affine map y = x·Wᵀ + b over the last dimension, as `torch.nn.Linear`.
 *
 * ```text
 * weight W  [out_features, in_features]   kaiming_uniform_(W, a = √5): U(−1/√in_features, 1/√in_features)
 * bias   b  [out_features]                U(−1/√in_features, 1/√in_features)
 * ```
 * drawn from gradlab's seeded generator, as `reset_parameters()` does in PyTorch.
 *
 * @example
 * ```ts
 * import { manual_seed, nn, randn } from "gradlab";
 * manual_seed(0);
 * const fc = new nn.Linear(3, 2);
 * console.log(fc.forward(randn([4, 3])).shape); // [4, 2]
 * console.log(fc.toString()); // Linear(in_features=3, out_features=2, bias=True)
 * ```
 */
export class Linear extends Module {
  readonly in_features: number;
  readonly out_features: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(...args: Arguments<typeof linearSignature>) {
    const { in_features, out_features, bias, dtype: given, generator } = linearSignature.parse(args);
    super();
    this.in_features = in_features;
    this.out_features = out_features;
    const dtype = given ?? get_default_dtype();
    this.weight = this.register_parameter("weight", new Parameter(empty([out_features, in_features], { dtype })));
    this.bias = this.register_parameter("bias", bias ? new Parameter(empty(out_features, { dtype })) : null);
    this.reset_parameters(generator);
  }

  /** Draws fresh initial weights and bias, as PyTorch's `Linear.reset_parameters`. */
  reset_parameters(generator?: Generator | null): void {
    kaiming_uniform_(this.weight, { a: Math.sqrt(5), generator });
    if (this.bias !== null) {
      const [fan_in] = _calculate_fan_in_and_fan_out(this.weight);
      const bound = fan_in > 0 ? 1 / Math.sqrt(fan_in) : 0;
      uniform_(this.bias, { a: -bound, b: bound, generator });
    }
  }

  override forward(input: Tensor): Tensor {
    // a tensor input skips F.linear's argument parsing; any other gets F.linear's TypeError
    return input instanceof Tensor ? affine(input, this.weight, this.bias) : linear(input, this.weight, this.bias);
  }

  override extra_repr(): string {
    return `in_features=${this.in_features}, out_features=${this.out_features}, bias=${this.bias !== null ? "True" : "False"}`;
  }
}
