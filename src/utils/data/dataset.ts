import { Tensor } from "../../methods.ts";
import { emptyTensor } from "../../tensor/tensor.ts";

/**
 * A collection of samples read by index, as `torch.utils.data.Dataset` (`__getitem__`
 * is `get`, `__len__` is `length`). `getitems`, when present, fetches a whole batch at
 * once, as PyTorch's `__getitems__`; `DataLoader` uses it instead of collating samples.
 */
export interface Dataset<T> {
  readonly length: number;
  get(index: number): T;
  getitems?(indices: readonly number[]): T;
}

/** PyTorch's message for an index outside [−size, size). */
function checkIndex(index: number, size: number): number {
  if (!Number.isInteger(index) || index < -size || index >= size) {
    throw new Error(`index ${index} is out of bounds for dimension 0 with size ${size}`);
  }
  return index < 0 ? index + size : index;
}

/**
 * Copies rows `indices` of `t` (along dim 0) into a new contiguous tensor, as
 * `t[indices]` with an index list does. Data loading only: not recorded by autograd.
 */
export function takeRows(t: Tensor, indices: readonly number[]): Tensor {
  const source = t.contiguous();
  const rows = source.shape[0]!;
  const rowSize = rows === 0 ? 0 : source.numel() / rows;
  const out = emptyTensor(t.dtype, [indices.length, ...t.shape.slice(1)]);
  const from = source.data.data;
  const to = out.data.data;
  const start = source.data.offset;
  indices.forEach((index, k) => {
    const i = checkIndex(index, rows);
    to.set(from.subarray(start + i * rowSize, start + (i + 1) * rowSize), k * rowSize);
  });
  return out;
}

/**
 * A dataset whose i-th sample is row i of each tensor, as `torch.utils.data.TensorDataset`:
 * `new TensorDataset(X, y).get(i)` is `[X[i], y[i]]`.
 *
 * @example
 * ```ts
 * import { tensor, utils } from "gradlab";
 * const ds = new utils.data.TensorDataset(tensor([[1, 2], [3, 4], [5, 6]]), tensor([0, 1, 0]));
 * const [x, y] = ds.get(1);
 * console.log(ds.length); // 3
 * console.log(x!.tolist()); // [3, 4]
 * console.log(y!.item()); // 1
 * ```
 */
export class TensorDataset implements Dataset<Tensor[]> {
  readonly tensors: Tensor[];
  constructor(...tensors: Tensor[]) {
    const size = tensors[0]?.shape[0];
    if (tensors.some((t) => t.ndim === 0 || t.shape[0] !== size)) throw new Error("Size mismatch between tensors");
    this.tensors = tensors;
  }

  get length(): number {
    return this.tensors[0]?.shape[0] ?? 0;
  }

  /** Row `index` of every tensor. */
  get(index: number): Tensor[] {
    return this.tensors.map((t) => {
      const row = takeRows(t, [index]);
      return row.reshape(t.shape.slice(1));
    });
  }

  /** Rows `indices` of every tensor, stacked: one batch. */
  getitems(indices: readonly number[]): Tensor[] {
    return this.tensors.map((t) => takeRows(t, indices));
  }
}
