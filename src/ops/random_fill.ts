import { is_grad_enabled } from "../autograd/grad_mode.ts";
import { Tensor } from "../tensor/tensor.ts";
import { bufferIndices } from "../kernels/view.ts";
import { type Generator, default_generator } from "../tensor/generator.ts";

/** Options of the random in-place fills: the generator to draw from. */
export interface FillOptions {
  generator?: Generator;
}

/** Writes draw() into every element in row-major order (any strides), in place, without recording. */
function fillRandom(t: Tensor, draw: () => number): Tensor {
  if (is_grad_enabled() && t.requires_grad && t.is_leaf) {
    throw new Error("a leaf Variable that requires grad is being used in an in-place operation.");
  }
  const data = t.data.data;
  if (t.is_contiguous()) {
    const end = t.data.offset + t.numel();
    for (let i = t.data.offset; i < end; i++) data[i] = draw();
  } else {
    for (const i of bufferIndices(t.data)) data[i] = draw();
  }
  t._bumpVersion();
  return t;
}

/** Fills with uniform numbers in [a, b): a + (b − a)·u, u from the seeded generator. */
export function uniform_(t: Tensor, a = 0, b = 1, options: FillOptions = {}): Tensor {
  if (a > b) throw new Error(`uniform_ expects to return a [from, to) range, but found from=${a} > to=${b}`);
  const g = options.generator ?? default_generator;
  return fillRandom(t, () => a + (b - a) * g.uniform());
}

/** Fills with normal numbers: mean + std·z, z standard normal from the seeded generator. */
export function normal_(t: Tensor, mean = 0, std = 1, options: FillOptions = {}): Tensor {
  if (std < 0) throw new Error(`normal expects std >= 0.0, but found std ${std}`);
  const g = options.generator ?? default_generator;
  return fillRandom(t, () => mean + std * g.normal());
}
