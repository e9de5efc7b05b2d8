import { type View, makeView } from "./view.ts";

/**
 * The shape two shapes broadcast to, by PyTorch's rules: align from the right; each pair
 * of sizes must be equal or one of them 1.
 */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const sa = a[a.length - n + i] ?? 1;
    const sb = b[b.length - n + i] ?? 1;
    if (sa !== sb && sa !== 1 && sb !== 1) {
      throw new Error(`The size of tensor a (${sa}) must match the size of tensor b (${sb}) at non-singleton dimension ${i}`);
    }
    out[i] = sa === 1 ? sb : sa;
  }
  return out;
}

/** A view of `view` expanded to `shape`: broadcast dimensions get stride 0, no copy. */
export function expandView(view: View, shape: readonly number[]): View {
  const n = shape.length;
  const lead = n - view.shape.length;
  const stride = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const own = i - lead;
    const size = own >= 0 ? view.shape[own]! : 1;
    if (size === shape[i]) stride[i] = own >= 0 ? view.stride[own]! : 0;
    else if (size === 1) stride[i] = 0;
    else {
      throw new Error(
        `The expanded size of the tensor (${shape[i]}) must match the existing size (${size}) at non-singleton dimension ${i}.  Target sizes: [${shape.join(", ")}].  Tensor sizes: [${view.shape.join(", ")}]`,
      );
    }
  }
  return makeView(view.data, shape.slice(), stride, view.offset);
}

/** True when two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** True when `shape` broadcasts to `target` itself: aligned from the right, each size is target's or 1, and it has no more dims. */
export function broadcastsTo(shape: readonly number[], target: readonly number[]): boolean {
  const lead = target.length - shape.length;
  if (lead < 0) return false;
  for (let i = 0; i < shape.length; i++) if (shape[i] !== 1 && shape[i] !== target[lead + i]) return false;
  return true;
}
