import { Tensor } from "../../methods.ts";
import { emptyTensor } from "../../tensor/tensor.ts";
import { tensor } from "../../tensor/creation.ts";
import { type Generator, default_generator } from "../../tensor/generator.ts";
import type { Dataset } from "./dataset.ts";

/** Options of `DataLoader`, with PyTorch's defaults. */
export interface DataLoaderOptions<T, B> {
  batch_size?: number;
  shuffle?: boolean;
  drop_last?: boolean;
  generator?: Generator | null;
  /** Builds a batch from a list of samples; `default_collate` by default. */
  collate_fn?: (samples: T[]) => B;
}

/** A sample or batch `default_collate` understands: tensors, numbers, or arrays of them. */
export type Collatable = Tensor | number | Collatable[];

/**
 * Stacks a list of samples into a batch, as PyTorch's `default_collate`: tensors of one
 * shape become one tensor with a new leading dimension; numbers become a float64 tensor
 * (int64 when all are integers); arrays (tuples) are collated position by position.
 */
export function default_collate(samples: Collatable[]): Collatable {
  const first = samples[0];
  if (first instanceof Tensor) {
    const shape = first.shape;
    const rowSize = first.numel();
    const tensors = samples as Tensor[];
    for (const t of tensors) {
      if (t.shape.length !== shape.length || t.shape.some((s, i) => s !== shape[i])) {
        throw new Error("stack expects each tensor to be equal size");
      }
    }
    const out = emptyTensor(first.dtype, [tensors.length, ...shape]);
    tensors.forEach((t, k) => out.data.data.set(t.toTypedArray(), k * rowSize));
    return out;
  }
  if (typeof first === "number") {
    const numbers = samples as number[];
    return tensor(numbers, { dtype: numbers.every(Number.isInteger) ? "int64" : "float64" });
  }
  if (Array.isArray(first)) {
    return first.map((_, i) => default_collate((samples as Collatable[][]).map((s) => s[i]!)));
  }
  throw new Error(`default_collate: batch must contain tensors, numbers or lists; found ${typeof first}`);
}

/** A random permutation of 0 … n−1 (Fisher–Yates) drawn from `g`. */
export function randperm(n: number, g: Generator): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = g.integer(0, i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Iterates over a dataset in batches, as `torch.utils.data.DataLoader`: indices in order
 * or, with `shuffle`, in a new random order each epoch drawn from `generator` (gradlab's
 * default generator when omitted, so `manual_seed` makes epochs repeatable); the last
 * short batch is kept unless `drop_last`.
 *
 * @example
 * ```ts
 * import { arange, utils } from "gradlab";
 * const ds = new utils.data.TensorDataset(arange(10));
 * const loader = new utils.data.DataLoader(ds, { batch_size: 4 });
 * console.log(loader.length); // 3
 * console.log([...loader].map(([x]) => x!.tolist())); // [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
 * ```
 */
export class DataLoader<T = Tensor[], B = T> implements Iterable<B> {
  readonly dataset: Dataset<T>;
  readonly batch_size: number;
  readonly shuffle: boolean;
  readonly drop_last: boolean;
  readonly generator: Generator | null;
  private readonly collate_fn: ((samples: T[]) => B) | null;

  constructor(dataset: Dataset<T>, options: DataLoaderOptions<T, B> = {}) {
    const { batch_size = 1, shuffle = false, drop_last = false, generator = null, collate_fn = null } = options;
    if (typeof batch_size !== "number" || !Number.isInteger(batch_size) || batch_size <= 0) {
      throw new Error(`batch_size should be a positive integer value, but got batch_size=${batch_size}`);
    }
    this.dataset = dataset;
    this.batch_size = batch_size;
    this.shuffle = shuffle;
    this.drop_last = drop_last;
    this.generator = generator;
    this.collate_fn = collate_fn;
  }

  /** The number of batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.drop_last ? Math.floor(n / this.batch_size) : Math.ceil(n / this.batch_size);
  }

  /** The sample indices of one epoch, split into batches. */
  private batches(): number[][] {
    const n = this.dataset.length;
    const order = this.shuffle ? randperm(n, this.generator ?? default_generator) : Array.from({ length: n }, (_, i) => i);
    const out: number[][] = [];
    for (let start = 0; start < n; start += this.batch_size) {
      const batch = order.slice(start, start + this.batch_size);
      if (batch.length < this.batch_size && this.drop_last) break;
      out.push(batch);
    }
    return out;
  }

  *[Symbol.iterator](): Iterator<B> {
    for (const indices of this.batches()) {
      if (this.collate_fn === null && this.dataset.getitems !== undefined) {
        yield this.dataset.getitems(indices) as unknown as B;
      } else {
        const samples = indices.map((i) => this.dataset.get(i));
        yield this.collate_fn !== null ? this.collate_fn(samples) : (default_collate(samples as unknown as Collatable[]) as unknown as B);
      }
    }
  }
}
