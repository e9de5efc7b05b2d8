import { no_grad } from "../../autograd/grad_mode.ts";
import { tensor } from "../../tensor/creation.ts";
import { isFloating } from "../../tensor/dtype.ts";
import { Tensor } from "../../methods.ts";

/**
 * Averages one parameter: given the running average, the model's current value and how
 * many models are averaged so far, returns the new average (PyTorch's `avg_fn`). Here
 * `num_averaged` is a number where PyTorch passes the `n_averaged` tensor.
 */
export type AvgFn = (averaged: Tensor, current: Tensor, num_averaged: number) => Tensor;

/** Averages a list of parameters in place (PyTorch's `multi_avg_fn`). */
export type MultiAvgFn = (averaged: Tensor[], current: Tensor[], num_averaged: number) => void;

/**
 * An integer tensor's elementwise update f(a, c), truncated toward zero as `copy_` of a
 * floating result into an integer tensor does (BatchNorm's `num_batches_tracked`).
 */
function integerUpdate(averaged: Tensor, current: Tensor, f: (a: number, c: number) => number): Tensor {
  const a = averaged.toTypedArray();
  const c = current.toTypedArray();
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = Math.trunc(f(a[i]!, c[i]!));
  return tensor(out, { dtype: "int64" }).reshape([...averaged.shape]);
}

/** PyTorch's lerp, in its two branches: a + w·(b − a) for w < 0.5, b − (b − a)·(1 − w) otherwise. */
function lerp(a: Tensor, b: Tensor, w: number): Tensor {
  return w < 0.5 ? a.add(b.sub(a).mul(w)) : b.sub(b.sub(a).mul(1 - w));
}

function checkDecay(decay: number): void {
  if (decay < 0.0 || decay > 1.0) throw new Error(`Invalid decay value ${decay} provided. Please provide a value in [0,1] range.`);
}

/**
 * The exponential moving average of one parameter, as `get_ema_avg_fn(decay)`.
 *
 * ```text
 * ema ← decay·ema + (1 − decay)·θ
 * ```
 */
export function get_ema_avg_fn(decay = 0.999): AvgFn {
  checkDecay(decay);
  return (ema, current) =>
    no_grad(() => {
      if (!isFloating(ema.dtype)) {
        // int64 · float computes in float32, as PyTorch's type promotion does.
        const d = Math.fround(decay);
        const rest = Math.fround(1 - decay);
        return integerUpdate(ema, current, (a, c) => Math.fround(Math.fround(d * a) + Math.fround(rest * c)));
      }
      return ema.mul(decay).add(current.mul(1 - decay));
    });
}

/**
 * The equal-weight running average of one parameter, as `get_swa_avg_fn()`.
 *
 * ```text
 * avg ← avg + (θ − avg) / (n + 1)
 * ```
 */
export function get_swa_avg_fn(): AvgFn {
  return (averaged, current, n) =>
    no_grad(() => {
      if (!isFloating(averaged.dtype)) {
        // An integer difference divided by an integer tensor is a float32 result.
        return integerUpdate(averaged, current, (a, c) => Math.fround(a + Math.fround((c - a) / (n + 1))));
      }
      return averaged.add(current.sub(averaged).div(n + 1));
    });
}

/**
 * The exponential moving average of a list of parameters, in place, as
 * `get_ema_multi_avg_fn(decay)`: PyTorch's `lerp` toward θ by 1 − decay.
 *
 * ```text
 * ema ← lerp(ema, θ, 1 − decay)       = ema + (1 − decay)·(θ − ema)   (1 − decay < 0.5)
 *                                      = θ − decay·(θ − ema)           (otherwise)
 * integer tensors: ema ← trunc(ema·decay + θ·(1 − decay))
 * ```
 */
export function get_ema_multi_avg_fn(decay = 0.999): MultiAvgFn {
  checkDecay(decay);
  const single = get_ema_avg_fn(decay);
  return (emas, currents) =>
    no_grad(() => {
      emas.forEach((ema, i) => {
        const current = currents[i]!;
        ema.copy_(isFloating(ema.dtype) ? lerp(ema, current, 1 - decay) : single(ema, current, 0));
      });
    });
}

/**
 * The equal-weight running average of a list of parameters, in place, as
 * `get_swa_multi_avg_fn()`: PyTorch's `lerp` toward θ by 1/(n + 1).
 *
 * ```text
 * w ← 1/(n + 1), rounded to float32 (PyTorch computes it as a float32 tensor from the int64 count)
 * avg ← lerp(avg, θ, w)
 * integer tensors: avg ← avg + trunc((θ − avg)/(n + 1))
 * ```
 */
export function get_swa_multi_avg_fn(): MultiAvgFn {
  return (averaged, currents, n) =>
    no_grad(() => {
      const w = Math.fround(1 / (n + 1));
      averaged.forEach((avg, i) => {
        const current = currents[i]!;
        if (isFloating(avg.dtype)) avg.copy_(lerp(avg, current, w));
        else avg.copy_(integerUpdate(avg, current, (a, c) => a + Math.trunc((c - a) / (n + 1))));
      });
    });
}
