import { record } from "../autograd/node.ts";
import { binaryKernel, copyInto, unaryKernel } from "../kernels/elementwise.ts";
import { Tensor, emptyTensor } from "../tensor/tensor.ts";
import { where, lt, gt } from "./compare.ts";
import { inPlace } from "./inplace.ts";
import { mapUnary } from "./operands.ts";

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
 * Limits every element to [min, max], as `torch.clamp`. The gradient passes where
 * min ≤ x ≤ max; with tensor bounds the bounds get the gradient where they are chosen.
 */
export function clamp(x: Tensor, options: ClampOptions = {}): Tensor {
  const min = options.min ?? null;
  const max = options.max ?? null;
  if (min === null && max === null) throw new Error("torch.clamp: At least one of 'min' or 'max' must not be None");
  if (min instanceof Tensor || max instanceof Tensor) {
    let out = x;
    if (min !== null) out = where(lt(out, min), min, out);
    if (max !== null) out = where(gt(out, max), max, out);
    return out;
  }
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  const { forward, mask } = numberClamp(lo, hi);
  const y = mapUnary(x, forward);
  const name = min === null ? "ClampMaxBackward0" : max === null ? "ClampMinBackward0" : "ClampBackward1";
  return record(name, y, [x], (g) => {
    const out = emptyTensor(g.dtype, g.shape);
    mask(out.data, g.data, x.data);
    return [out];
  }, [x]);
}

/** clamp in place, as `Tensor.clamp_`. */
export function clamp_(x: Tensor, options: ClampOptions = {}): Tensor {
  return inPlace(x, [options.min instanceof Tensor ? options.min : null, options.max instanceof Tensor ? options.max : null], (t) => clamp(t, options), () => {
    if (options.min instanceof Tensor || options.max instanceof Tensor) {
      copyInto(x.data, clamp(x, options).data);
      return;
    }
    const { forward } = numberClamp(options.min ?? -Infinity, options.max ?? Infinity);
    forward(x.data, x.data);
  });
}
