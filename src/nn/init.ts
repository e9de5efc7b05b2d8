import { default_generator } from "../tensor/generator.ts";
import { Tensor } from "../methods.ts";
import { fillIndexedInto } from "../kernels/elementwise.ts";
import { orthonormalColumnsInto } from "../kernels/orthogonal.ts";
import { type Arguments, anything, choice, instanceOf, nullable, number, optional, required, signature } from "../utils/signature.ts";
import { Generator } from "../tensor/generator.ts";
import { tensorKind } from "./signatures.ts";

const generatorKind = instanceOf(Generator, "a Generator");
import { warn } from "../utils/warn.ts";

/** The generator option every random initialiser takes, as PyTorch 2.x's `generator=`. */
export interface GeneratorOptions {
  generator?: Generator | null;
}

/** The nonlinearities `calculate_gain` knows. */
export type Nonlinearity =
  | "linear"
  | "conv1d"
  | "conv2d"
  | "conv3d"
  | "conv_transpose1d"
  | "conv_transpose2d"
  | "conv_transpose3d"
  | "sigmoid"
  | "tanh"
  | "relu"
  | "leaky_relu"
  | "selu";

/** Writes `value(i)` for i = 0, 1, … into `t` in row-major order, outside autograd, and bumps its version. */
function fillWith(t: Tensor, value: (i: number) => number): Tensor {
  fillIndexedInto(t.data, value);
  t._bumpVersion();
  return t;
}

const generatorOf = (options: GeneratorOptions): Generator => options.generator ?? default_generator;

/** `calculate_gain(nonlinearity, param=None)`, as PyTorch declares it. */
export const calculateGainSignature = signature("calculate_gain", [
  required(
    "nonlinearity",
    choice("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"),
  ),
  optional("param", anything<number | null>(), null),
]);

/**
 * The recommended gain for a nonlinearity, as `torch.nn.init.calculate_gain`:
 *
 * ```text
 * linear, conv*, sigmoid   1
 * tanh                     5/3
 * relu                     √2
 * leaky_relu               √(2 / (1 + slope²))    slope = param, 0.01 when omitted
 * selu                     3/4
 * ```
 */
export function calculate_gain(...args: Arguments<typeof calculateGainSignature>): number {
  const { nonlinearity, param } = calculateGainSignature.parse(args);
  const linear = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d"];
  if (linear.includes(nonlinearity) || nonlinearity === "sigmoid") return 1;
  if (nonlinearity === "tanh") return 5.0 / 3;
  if (nonlinearity === "relu") return Math.sqrt(2.0);
  if (nonlinearity === "leaky_relu") {
    if (param !== null && (typeof param !== "number" || Number.isNaN(param))) {
      throw new Error(`negative_slope ${String(param)} not a valid number`);
    }
    const negative_slope = param ?? 0.01;
    return Math.sqrt(2.0 / (1 + negative_slope ** 2));
  }
  if (nonlinearity === "selu") return 3.0 / 4;
  throw new Error(`Unsupported nonlinearity ${String(nonlinearity)}`);
}

/**
 * fan_in and fan_out of a weight, as PyTorch computes them: for shape [out, in, k…],
 * fan_in = in·∏k and fan_out = out·∏k.
 */
export function _calculate_fan_in_and_fan_out(t: Tensor): [number, number] {
  if (t.ndim < 2) throw new Error("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
  const receptive_field_size = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return [t.shape[1]! * receptive_field_size, t.shape[0]! * receptive_field_size];
}

function correctFan(t: Tensor, mode: string): number {
  const m = mode.toLowerCase();
  if (m !== "fan_in" && m !== "fan_out") throw new Error(`Mode ${mode} not supported, please use one of fan_in, fan_out`);
  const [fan_in, fan_out] = _calculate_fan_in_and_fan_out(t);
  return m === "fan_in" ? fan_in : fan_out;
}

/** `uniform_(tensor, a=0.0, b=1.0, generator=None)`, as PyTorch declares it. */
export const uniformSignature = signature("uniform_", [
  required("tensor", tensorKind),
  optional("a", number, 0.0),
  optional("b", number, 1.0),
  optional("generator", nullable(generatorKind), null),
]);

/** Fills `t` with numbers uniform in [a, b): x = a + (b − a)·u. */
export function uniform_(...args: Arguments<typeof uniformSignature>): Tensor {
  const { tensor: t, a, b, generator } = uniformSignature.parse(args);
  const g = generator ?? default_generator;
  return fillWith(t, () => a + (b - a) * g.uniform());
}

/** `normal_(tensor, mean=0.0, std=1.0, generator=None)`, as PyTorch declares it. */
export const normalSignature = signature("normal_", [
  required("tensor", tensorKind),
  optional("mean", number, 0.0),
  optional("std", number, 1.0),
  optional("generator", nullable(generatorKind), null),
]);

/** Fills `t` with normal numbers: x = mean + std·z, z ~ N(0, 1). */
export function normal_(...args: Arguments<typeof normalSignature>): Tensor {
  const { tensor: t, mean, std, generator } = normalSignature.parse(args);
  const g = generator ?? default_generator;
  return fillWith(t, () => mean + std * g.normal());
}

/** `constant_(tensor, val)`, as PyTorch declares it. */
export const constantSignature = signature("constant_", [required("tensor", tensorKind), required("val", number)]);

/** Fills `t` with `val`. */
export function constant_(...args: Arguments<typeof constantSignature>): Tensor {
  const { tensor: t, val } = constantSignature.parse(args);
  return fillWith(t, () => val);
}
/** Fills `t` with zeros. */
export const zeros_ = (t: Tensor): Tensor => fillWith(t, () => 0);
/** Fills `t` with ones. */
export const ones_ = (t: Tensor): Tensor => fillWith(t, () => 1);

/** Fills a 2-D `t` with the identity matrix (ones on the diagonal). */
export function eye_(t: Tensor): Tensor {
  if (t.ndim !== 2) throw new Error("Only tensors with 2 dimensions are supported");
  const cols = t.shape[1]!;
  return fillWith(t, (i) => (Math.floor(i / cols) === i % cols ? 1 : 0));
}

/** `xavier_uniform_(tensor, gain=1.0, generator=None)`, as PyTorch declares it. */
export const xavierUniformSignature = signature("xavier_uniform_", [
  required("tensor", tensorKind),
  optional("gain", number, 1.0),
  optional("generator", nullable(generatorKind), null),
]);

/**
 * Glorot uniform initialisation: U(−a, a) with a = gain·√(2 / (fan_in + fan_out))·√3.
 */
export function xavier_uniform_(...args: Arguments<typeof xavierUniformSignature>): Tensor {
  const { tensor: t, ...options } = xavierUniformSignature.parse(args);
  const [fan_in, fan_out] = _calculate_fan_in_and_fan_out(t);
  const std = (options.gain ?? 1) * Math.sqrt(2.0 / (fan_in + fan_out));
  const a = Math.sqrt(3.0) * std;
  return uniform_(t, { a: -a, b: a, generator: options.generator });
}

/** `xavier_normal_(tensor, gain=1.0, generator=None)`, as PyTorch declares it. */
export const xavierNormalSignature = signature("xavier_normal_", [
  required("tensor", tensorKind),
  optional("gain", number, 1.0),
  optional("generator", nullable(generatorKind), null),
]);

/** Glorot normal initialisation: N(0, std²) with std = gain·√(2 / (fan_in + fan_out)). */
export function xavier_normal_(...args: Arguments<typeof xavierNormalSignature>): Tensor {
  const { tensor: t, ...options } = xavierNormalSignature.parse(args);
  const [fan_in, fan_out] = _calculate_fan_in_and_fan_out(t);
  const std = (options.gain ?? 1) * Math.sqrt(2.0 / (fan_in + fan_out));
  return normal_(t, { mean: 0, std, generator: options.generator });
}

/** Options of the Kaiming initialisers, with PyTorch's defaults (`a` 0, fan_in, leaky_relu). */
export interface KaimingOptions extends GeneratorOptions {
  a?: number;
  mode?: "fan_in" | "fan_out";
  nonlinearity?: Nonlinearity;
}

function kaimingStd(t: Tensor, options: KaimingOptions): number | null {
  if (t.shape.includes(0)) {
    warn("Initializing zero-element tensors is a no-op");
    return null;
  }
  const fan = correctFan(t, options.mode ?? "fan_in");
  const gain = calculate_gain(options.nonlinearity ?? "leaky_relu", { param: options.a ?? 0 });
  return gain / Math.sqrt(fan);
}

/** `kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None)`, as PyTorch declares it. */
export const kaimingUniformSignature = signature("kaiming_uniform_", [
  required("tensor", tensorKind),
  optional("a", number, 0),
  optional("mode", choice("fan_in", "fan_out"), "fan_in"),
  optional(
    "nonlinearity",
    choice("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"),
    "leaky_relu",
  ),
  optional("generator", nullable(generatorKind), null),
]);

/**
 * He uniform initialisation: U(−bound, bound) with std = gain / √fan and bound = √3·std,
 * gain = `calculate_gain(nonlinearity, a)`. `nn.Linear` uses a = √5, so bound = 1/√fan_in.
 */
export function kaiming_uniform_(...args: Arguments<typeof kaimingUniformSignature>): Tensor {
  const { tensor: t, ...options } = kaimingUniformSignature.parse(args);
  const std = kaimingStd(t, options);
  if (std === null) return t;
  const bound = Math.sqrt(3.0) * std;
  return uniform_(t, { a: -bound, b: bound, generator: options.generator });
}

/** `kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None)`, as PyTorch declares it. */
export const kaimingNormalSignature = signature("kaiming_normal_", [
  required("tensor", tensorKind),
  optional("a", number, 0),
  optional("mode", choice("fan_in", "fan_out"), "fan_in"),
  optional(
    "nonlinearity",
    choice("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"),
    "leaky_relu",
  ),
  optional("generator", nullable(generatorKind), null),
]);

/** He normal initialisation: N(0, std²) with std = gain / √fan. */
export function kaiming_normal_(...args: Arguments<typeof kaimingNormalSignature>): Tensor {
  const { tensor: t, ...options } = kaimingNormalSignature.parse(args);
  const std = kaimingStd(t, options);
  if (std === null) return t;
  return normal_(t, { mean: 0, std, generator: options.generator });
}

/** The standard normal cumulative distribution Φ(x) = (1 + erf(x/√2)) / 2, via erfc for accuracy in the tails. */
function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** erfc(x) by the Chebyshev fit of Numerical Recipes' `erfcc` (relative error below 1.2e-7, ample for initialisation). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Φ⁻¹(p) by Acklam's rational approximation, then one Halley step against `normalCdf`. */
function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** `trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0, generator=None)`, as PyTorch declares it. */
export const truncNormalSignature = signature("trunc_normal_", [
  required("tensor", tensorKind),
  optional("mean", number, 0.0),
  optional("std", number, 1.0),
  optional("a", number, -2.0),
  optional("b", number, 2.0),
  optional("generator", nullable(generatorKind), null),
]);

/**
 * Fills `t` with a normal distribution N(mean, std²) truncated to [a, b], by inverse
 * transform sampling as PyTorch does:
 *
 * ```text
 * l = Φ((a − mean)/std),  u = Φ((b − mean)/std)
 * x = mean + std·Φ⁻¹(l + (u − l)·v),  v ~ U(0, 1),  then clamped to [a, b]
 * ```
 * (PyTorch writes Φ⁻¹ through erfinv: Φ⁻¹(p) = √2·erfinv(2p − 1).)
 */
export function trunc_normal_(...args: Arguments<typeof truncNormalSignature>): Tensor {
  const { tensor: t, mean, std, a, b, generator } = truncNormalSignature.parse(args);
  if (mean < a - 2 * std || mean > b + 2 * std) {
    warn("mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of values may be incorrect.");
  }
  const g = generator ?? default_generator;
  const l = normalCdf((a - mean) / std);
  const u = normalCdf((b - mean) / std);
  return fillWith(t, () => {
    const x = mean + std * normalQuantile(l + (u - l) * g.uniform());
    return Math.min(Math.max(x, a), b);
  });
}

/** `orthogonal_(tensor, gain=1, generator=None)`, as PyTorch declares it. */
export const orthogonalSignature = signature("orthogonal_", [
  required("tensor", tensorKind),
  optional("gain", number, 1),
  optional("generator", nullable(generatorKind), null),
]);

/**
 * Fills `t` (viewed as rows × cols, rows = size(0)) with a (semi-)orthogonal matrix times
 * `gain`, as `torch.nn.init.orthogonal_`: the Q factor of a QR decomposition of a
 * standard normal matrix (transposed when rows < cols), with signs chosen so that R has
 * a positive diagonal. Q comes from Gram–Schmidt applied twice, in float64.
 */
export function orthogonal_(...args: Arguments<typeof orthogonalSignature>): Tensor {
  const { tensor: t, ...options } = orthogonalSignature.parse(args);
  if (t.ndim < 2) throw new Error("Only tensors with 2 or more dimensions are supported");
  if (t.numel() === 0) return t;
  const g = generatorOf(options);
  const gain = options.gain;
  const rows = t.shape[0]!;
  const cols = t.numel() / rows;
  // A is m×n with m ≥ n: the normal draws as rows × cols, transposed when rows < cols.
  const [m, n] = rows < cols ? [cols, rows] : [rows, cols];
  const flat = Float64Array.from({ length: rows * cols }, () => g.normal());
  // A's element (i, j) is flat[i·cols + j], or flat[j·cols + i] when A is the transpose.
  const q = orthonormalColumnsInto(new Float64Array(m * n), flat, m, n, rows < cols ? 1 : cols, rows < cols ? cols : 1);
  // Element (r, c) of the result: column c of Q at row r when rows ≥ cols, column r at row c otherwise.
  return fillWith(t, (k) => {
    const r = Math.floor(k / cols);
    const c = k % cols;
    return gain * (rows < cols ? q[r * m + c]! : q[c * m + r]!);
  });
}
