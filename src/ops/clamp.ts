import { record } from "../autograd/node.ts";
import { broadcastShapes, expandView } from "../kernels/broadcast.ts";
import { binaryKernel, copyInto, unaryKernel } from "../kernels/elementwise.ts";
import { Tensor, contiguousBuffer, emptyTensor } from "../tensor/tensor.ts";
import { inPlace } from "./inplace.ts";
import { castTo, contiguous } from "./copy.ts";
import { asTensor, checkInPlaceResultType, integralResultType, mapUnary } from "./operands.ts";
import type { DType } from "../tensor/dtype.ts";
import { unbroadcast } from "./sum.ts";

/** Bounds of `clamp`: numbers or tensors (broadcast), either may be omitted. */
export interface ClampOptions {
  min?: number | Tensor | null;
  max?: number | Tensor | null;
}

/** x limited to [lo, hi] for number bounds (NaN stays NaN); kernels made once per bound pair. */
const clampKernels = new Map<string, { forward: ReturnType<typeof unaryKernel>; mask: ReturnType<typeof binaryKernel> }>();
function numberClamp(lo: number, hi: number) {
  const key = `${lo} ${hi}`;
  let k = clampKernels.get(key);
  if (k === undefined) {
    k = {
      // min(max(x, lo), hi), as PyTorch: when lo > hi every element becomes hi.
      forward: unaryKernel((x) => (x !== x ? x : Math.min(Math.max(x, lo), hi))),
      // The gradient passes where lo ≤ x ≤ hi.
      mask: binaryKernel((g, x) => (x >= lo && x <= hi ? g : 0)),
    };
    clampKernels.set(key, k);
  }
  return k;
}

/**
 * Limits every element to [min, max], as `torch.clamp`: min(max(x, min), max), NaN in x or
 * in a bound giving NaN. The gradient passes where min ≤ x ≤ max. With tensor bounds
 * (`clamp.Tensor`, broadcast) the bounds get the gradient where they are chosen, as
 * PyTorch's `clamp_backward_min_max` (torch/csrc/autograd/FunctionsManual.cpp):
 *
 * ```text
 * ∂/∂x   = g  where x ≥ min and x ≤ max         (0 where x is NaN)
 * ∂/∂min = g  where x < min and min < max
 * ∂/∂max = g  where x > max or max < min
 * ```
 * grad_fn names as PyTorch's: ClampBackward0 with a tensor bound, ClampBackward1 with
 * numbers (ClampMin/ClampMaxBackward0 and 1 for `clamp_min` and `clamp_max`).
 */
export function clamp(x: Tensor, options: ClampOptions = {}): Tensor {
  return clampNamed(x, options, "Clamp");
}

/** clamp, with the node name of the PyTorch function that was called (Clamp, ClampMin, ClampMax). */
export function clampNamed(x: Tensor, options: ClampOptions, family: "Clamp" | "ClampMin" | "ClampMax"): Tensor {
  const min = options.min ?? null;
  const max = options.max ?? null;
  if (min === null && max === null) throw new Error("torch.clamp: At least one of 'min' or 'max' must not be None");
  if (min instanceof Tensor || max instanceof Tensor) return tensorClamp(x, min, max, `${family}Backward${family === "Clamp" ? 0 : 1}`);
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  const { forward, mask } = numberClamp(lo, hi);
  // int64 stays int64 with integral bounds, and becomes float32 with a fractional one (PyTorch's promotion)
  const integralBounds = [lo, hi].every((b) => !Number.isFinite(b) || Number.isInteger(b));
  const y = mapUnary(x, forward, integralBounds);
  return record(
    `${family}Backward${family === "Clamp" ? 1 : 0}`,
    y,
    [x],
    (g) => {
      const out = emptyTensor(g.dtype, g.shape);
      mask(out.data, g.data, x.data);
      return [out];
    },
    [x],
  );
}

/** clamp with at least one tensor bound (numbers become tensors), broadcast over all three. */
function tensorClamp(x: Tensor, min: number | Tensor | null, max: number | Tensor | null, name: string): Tensor {
  const lo = min === null ? null : asTensor(min, x);
  const hi = max === null ? null : asTensor(max, x);
  let dtype = x.dtype;
  let shape: readonly number[] = x.shape;
  for (const b of [lo, hi]) {
    if (b === null) continue;
    dtype = integralResultType(dtype, b.dtype);
    shape = broadcastShapes(shape, b.shape);
  }
  const flat = (t: Tensor) => contiguousBuffer(expandView(castTo(t, dtype).data, shape), dtype);
  const X = flat(x);
  const L = lo === null ? null : flat(lo);
  const H = hi === null ? null : flat(hi);
  const out = emptyTensor(dtype, shape);
  const o = out.data.data;
  // Math.max and Math.min give NaN when either side is NaN, as PyTorch's clamp kernel.
  for (let i = 0; i < o.length; i++) o[i] = Math.min(Math.max(X[i]!, L === null ? -Infinity : L[i]!), H === null ? Infinity : H[i]!);
  return record(
    name,
    out,
    [x, lo, hi],
    (g) => {
      const gc = contiguous(g).data.data;
      const gradOf = (keep: (i: number) => boolean, like: Tensor) => {
        const t = emptyTensor(dtype, shape);
        const d = t.data.data;
        for (let i = 0; i < d.length; i++) d[i] = keep(i) ? gc[i]! : 0;
        return unbroadcast(t, like.shape);
      };
      const aboveMin = (i: number) => L === null || X[i]! >= L[i]!;
      const belowMax = (i: number) => H === null || X[i]! <= H[i]!;
      return [
        x.requires_grad ? gradOf((i) => aboveMin(i) && belowMax(i), x) : null,
        lo?.requires_grad ? gradOf((i) => X[i]! < L![i]! && (H === null || L![i]! < H[i]!), lo) : null,
        hi?.requires_grad ? gradOf((i) => X[i]! > H![i]! || (L !== null && H![i]! < L[i]!), hi) : null,
      ];
    },
    [x, ...(lo === null ? [] : [lo]), ...(hi === null ? [] : [hi])],
  );
}

/**
 * The dtype of clamp's result: x's promoted with each tensor bound, and int64 becomes
 * float32 with a fractional number bound, as PyTorch (a whole number counts as a Python int).
 */
function clampResultType(x: Tensor, bounds: readonly (number | Tensor | null | undefined)[]): DType {
  let dtype = x.dtype;
  for (const b of bounds) {
    if (b instanceof Tensor) dtype = integralResultType(dtype, b.dtype);
    else if (typeof b === "number" && Number.isFinite(b) && !Number.isInteger(b)) dtype = integralResultType(dtype, "float32");
  }
  return dtype;
}

/** clamp in place, as `Tensor.clamp_`; an int64 x refuses a floating result before it changes. */
export function clamp_(x: Tensor, options: ClampOptions = {}): Tensor {
  checkInPlaceResultType(x.dtype, clampResultType(x, [options.min, options.max]), "long int");
  return inPlace(
    x,
    [options.min instanceof Tensor ? options.min : null, options.max instanceof Tensor ? options.max : null],
    (t) => clamp(t, options),
    () => {
      if (options.min instanceof Tensor || options.max instanceof Tensor) {
        copyInto(x.data, clamp(x, options).data);
        return;
      }
      const { forward } = numberClamp(options.min ?? -Infinity, options.max ?? Infinity);
      forward(x.data, x.data);
    },
  );
}
