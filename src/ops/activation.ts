import { is_grad_enabled } from "../autograd/grad_mode.ts";
import { record } from "../autograd/node.ts";
import { binaryKernel, unaryKernel } from "../kernels/elementwise.ts";
import { reluInto, reluMaskInto } from "../kernels/relu.ts";
import { erf } from "../kernels/special.ts";
import { Tensor, emptyTensor } from "../tensor/tensor.ts";
import { inPlace } from "./inplace.ts";
import { mapUnary } from "./operands.ts";
import { gt } from "./compare.ts";
import { mul, add } from "./arithmetic.ts";

/** Applies a binary kernel to two same-shape tensors into a fresh tensor (used by backward rules). */
function mapBinary(a: Tensor, b: Tensor, kernel: (o: Tensor["data"], x: Tensor["data"], y: Tensor["data"]) => unknown): Tensor {
  const out = emptyTensor(a.dtype, a.shape);
  kernel(out.data, a.data, b.data);
  return out;
}

/**
 * Kernels that close over an option (a slope, a threshold) are made once per value and
 * kept: making a kernel compiles its loops, far too slow to do on every call.
 */
const kernelCache = new Map<string, unknown>();
function cached<K>(key: string, make: () => K): K {
  let kernel = kernelCache.get(key) as K | undefined;
  if (kernel === undefined) kernelCache.set(key, (kernel = make()));
  return kernel;
}

/** Backward rules written as kernels give first derivatives only; say so instead of a wrong answer. */
function firstOrderOnly(name: string): void {
  if (is_grad_enabled()) {
    throw new Error(`gradlab computes ${name}'s gradient with a kernel: double backward (create_graph=True) through it is not supported`);
  }
}

/** relu's backward, g where y > 0: into g's own memory when the engine hands it over (no fresh buffer). */
function maskOf(g: Tensor, y: Tensor, reusable: boolean): Tensor {
  if (!reusable || !g.is_contiguous() || g.dtype !== y.dtype) return mapBinary(g, y, reluMaskInto);
  reluMaskInto(g.data, g.data, y.data);
  return g;
}

/** max(x, 0); backward passes g where the output is positive. */
export function relu(x: Tensor): Tensor {
  const y = mapUnary(x, reluInto, true);
  return record("ReluBackward0", y, [x], (g, reusable) => [is_grad_enabled() ? mul(g, gt(y, 0)) : maskOf(g, y, reusable)], [y]);
}

const leakyForward = (negative_slope: number) => cached(`leaky_relu ${negative_slope}`, () => unaryKernel((v) => (v > 0 ? v : v * negative_slope)));

/** leaky_relu(x) = x if x > 0 else negative_slope·x; backward g or negative_slope·g. */
export function leaky_relu(x: Tensor, negative_slope = 0.01): Tensor {
  const y = mapUnary(x, leakyForward(negative_slope));
  const backward = cached(`leaky_relu backward ${negative_slope}`, () => binaryKernel((g, v) => (v > 0 ? g : g * negative_slope)));
  return record(
    "LeakyReluBackward0",
    y,
    [x],
    (g) => {
      firstOrderOnly("leaky_relu");
      return [mapBinary(g, x, backward)];
    },
    [x],
  );
}

const sigmoidForward = unaryKernel((x) => 1 / (1 + Math.exp(-x)));
const sigmoidBackward = binaryKernel((g, y) => g * (1 - y) * y);

/** σ(x) = 1/(1 + e^(−x)); backward g·(1 − y)·y. */
export function sigmoid(x: Tensor): Tensor {
  const y = mapUnary(x, sigmoidForward);
  return record("SigmoidBackward0", y, [x], (g) => [is_grad_enabled() ? mul(mul(g, add(mul(y, -1), 1)), y) : mapBinary(g, y, sigmoidBackward)], [y]);
}

const tanhForward = unaryKernel(Math.tanh);
const tanhBackward = binaryKernel((g, y) => g * (1 - y * y));

/** tanh x; backward g·(1 − y²). */
export function tanh(x: Tensor): Tensor {
  const y = mapUnary(x, tanhForward);
  return record("TanhBackward0", y, [x], (g) => [is_grad_enabled() ? mul(g, add(mul(mul(y, y), -1), 1)) : mapBinary(g, y, tanhBackward)], [y]);
}

const SQRT1_2 = Math.SQRT1_2;
const M_2_SQRTPI = 2 / Math.sqrt(Math.PI);
const K_BETA = Math.SQRT2 * M_2_SQRTPI * 0.5;
const K_KAPPA = 0.044715;

const geluExact = unaryKernel((x) => x * 0.5 * (1 + erf(x * SQRT1_2)));
const geluExactBackward = binaryKernel((g, x) => {
  const cdf = 0.5 * (1 + erf(x * SQRT1_2));
  const pdf = Math.exp(-0.5 * x * x) * M_2_SQRTPI * SQRT1_2 * 0.5;
  return g * (cdf + x * pdf);
});
const geluTanh = unaryKernel((x) => 0.5 * x * (1 + Math.tanh(K_BETA * (x + K_KAPPA * x * x * x))));
const geluTanhBackward = binaryKernel((g, x) => {
  const xSq = x * x;
  const tanhInner = Math.tanh(K_BETA * (x + K_KAPPA * xSq * x));
  const left = 0.5 * x;
  const right = 1 + tanhInner;
  const rightDerivative = left * (1 - tanhInner * tanhInner) * K_BETA * (1 + 3 * K_KAPPA * xSq);
  return g * (0.5 * right + rightDerivative);
});

/** Options of `gelu`. */
export interface GeluOptions {
  approximate?: "none" | "tanh";
}

/**
 * GELU, as PyTorch computes it:
 *
 * ```text
 * approximate 'none'  y = x · ½ · (1 + erf(x/√2))
 *                     dy/dx = Φ(x) + x·φ(x),  Φ(x) = ½(1 + erf(x/√2)), φ(x) = e^(−x²/2)/√(2π)
 * approximate 'tanh'  y = ½x · (1 + tanh(β(x + κx³))),  β = √(2/π), κ = 0.044715
 *                     dy/dx = ½(1 + t) + ½x·(1 − t²)·β·(1 + 3κx²),  t = tanh(β(x + κx³))
 * ```
 */
export function gelu(x: Tensor, options: GeluOptions = {}): Tensor {
  const approximate = options.approximate ?? "none";
  if (approximate !== "none" && approximate !== "tanh") {
    throw new Error(`approximate argument must be either none or tanh.`);
  }
  const tanhMode = approximate === "tanh";
  const y = mapUnary(x, tanhMode ? geluTanh : geluExact);
  return record(
    "GeluBackward0",
    y,
    [x],
    (g) => {
      firstOrderOnly("gelu");
      return [mapBinary(g, x, tanhMode ? geluTanhBackward : geluExactBackward)];
    },
    [x],
  );
}

const siluForward = unaryKernel((x) => x / (1 + Math.exp(-x)));
const siluBackward = binaryKernel((g, x) => {
  const s = 1 / (1 + Math.exp(-x));
  return g * s * (1 + x * (1 - s));
});

/** SiLU (swish): x·σ(x); backward g·σ(x)·(1 + x·(1 − σ(x))). */
export function silu(x: Tensor): Tensor {
  const y = mapUnary(x, siluForward);
  return record(
    "SiluBackward0",
    y,
    [x],
    (g) => {
      firstOrderOnly("silu");
      return [mapBinary(g, x, siluBackward)];
    },
    [x],
  );
}

/** Options of `softplus`. */
export interface SoftplusOptions {
  beta?: number;
  threshold?: number;
}

/**
 * softplus(x) = log(1 + e^(βx))/β, or x where βx > threshold (to avoid overflow);
 * backward g·z/(z + 1) with z = e^(βx), or g past the threshold.
 */
export function softplus(x: Tensor, options: SoftplusOptions = {}): Tensor {
  const { beta = 1, threshold = 20 } = options;
  const key = `${beta} ${threshold}`;
  const forward = cached(`softplus ${key}`, () => unaryKernel((v) => (v * beta > threshold ? v : Math.log1p(Math.exp(v * beta)) / beta)));
  const backward = cached(`softplus backward ${key}`, () =>
    binaryKernel((g, v) => {
      const z = Math.exp(v * beta);
      return v * beta > threshold ? g : (g * z) / (z + 1);
    }),
  );
  const y = mapUnary(x, forward);
  return record(
    "SoftplusBackward0",
    y,
    [x],
    (g) => {
      firstOrderOnly("softplus");
      return [mapBinary(g, x, backward)];
    },
    [x],
  );
}

/** relu in place (`x.relu_()`), as `torch.relu_`. */
export const relu_ = (x: Tensor): Tensor => inPlace(x, [], relu, () => reluInto(x.data, x.data));

/** leaky_relu in place. */
export const leaky_relu_ = (x: Tensor, negative_slope = 0.01): Tensor =>
  inPlace(
    x,
    [],
    (t) => leaky_relu(t, negative_slope),
    () => leakyForward(negative_slope)(x.data, x.data),
  );
