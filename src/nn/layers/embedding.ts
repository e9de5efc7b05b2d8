import { empty } from "../../tensor/creation.ts";
import { Tensor } from "../../methods.ts";
import type { Generator } from "../../tensor/generator.ts";
import { embedding } from "../functional/embedding.ts";
import type { IndexLike } from "../functional/indices.ts";
import { normal_ } from "../init.ts";
import { Module } from "../module.ts";
import { Parameter } from "../parameter.ts";
import { pythonFloat } from "../python_repr.ts";
import { type Arguments, boolean, integer, nullable, number, optional, required, signature } from "../../utils/signature.ts";
import { deviceParameter, dtypeParameter, generatorParameter, tensorKind } from "../signatures.ts";
import { get_default_dtype } from "../../tensor/default_dtype.ts";

/**
 * `Embedding(num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0,
 * scale_grad_by_freq=False, sparse=False, _weight=None, _freeze=False, device=None, dtype=None)`,
 * as PyTorch declares it, and gradlab's `generator`.
 */
export const embeddingModuleSignature = signature("Embedding.__init__", [
  required("num_embeddings", integer),
  required("embedding_dim", integer),
  optional("padding_idx", nullable(integer), null),
  optional("max_norm", nullable(number), null),
  optional("norm_type", number, 2.0),
  optional("scale_grad_by_freq", boolean, false),
  optional("sparse", boolean, false),
  optional("_weight", nullable(tensorKind), null),
  optional("_freeze", boolean, false),
  deviceParameter,
  dtypeParameter,
  generatorParameter,
]);

/**
 * A lookup table of `num_embeddings` vectors of size `embedding_dim`, as
 * `torch.nn.Embedding`: `forward(indices)` returns the rows they name. Weights start
 * N(0, 1); the `padding_idx` row starts at zero and receives no gradient.
 *
 * @example
 * ```ts
 * import { nn } from "gradlab";
 * const emb = new nn.Embedding(10, 4, { padding_idx: 0 });
 * console.log(emb.forward([[1, 2], [0, 9]]).shape); // [2, 2, 4]
 * ```
 */
export class Embedding extends Module {
  readonly num_embeddings: number;
  readonly embedding_dim: number;
  readonly padding_idx: number | null;
  readonly max_norm: number | null;
  readonly norm_type: number;
  readonly scale_grad_by_freq: boolean;
  readonly sparse: boolean;
  weight: Parameter;

  constructor(...args: Arguments<typeof embeddingModuleSignature>) {
    const options = embeddingModuleSignature.parse(args);
    const { num_embeddings, embedding_dim } = options;
    super();
    this.num_embeddings = num_embeddings;
    this.embedding_dim = embedding_dim;
    let padding_idx = options.padding_idx ?? null;
    if (padding_idx !== null) {
      if (padding_idx > 0 && padding_idx >= num_embeddings) throw new Error("Padding_idx must be within num_embeddings");
      if (padding_idx < 0 && padding_idx < -num_embeddings) throw new Error("Padding_idx must be within num_embeddings");
      if (padding_idx < 0) padding_idx += num_embeddings;
    }
    this.padding_idx = padding_idx;
    this.max_norm = options.max_norm ?? null;
    this.norm_type = options.norm_type ?? 2;
    this.scale_grad_by_freq = options.scale_grad_by_freq ?? false;
    this.sparse = options.sparse ?? false;
    const given = options._weight;
    if (given !== null && (given.shape[0] !== num_embeddings || given.shape[1] !== embedding_dim || given.ndim !== 2)) {
      throw new Error("Shape of weight does not match num_embeddings and embedding_dim");
    }
    const requires_grad = !options._freeze;
    this.weight = this.register_parameter(
      "weight",
      new Parameter(given ?? empty([num_embeddings, embedding_dim], { dtype: options.dtype ?? get_default_dtype() }), { requires_grad }),
    );
    if (given === null) this.reset_parameters(options.generator);
  }

  /** Draws fresh N(0, 1) weights and zeroes the padding row, as PyTorch's `reset_parameters`. */
  reset_parameters(generator?: Generator | null): void {
    normal_(this.weight, { generator });
    if (this.padding_idx !== null) {
      const { data, offset } = this.weight.data;
      const start = offset + this.padding_idx * this.embedding_dim;
      data.fill(0, start, start + this.embedding_dim);
    }
  }

  override forward(input: IndexLike): Tensor {
    return embedding(input, this.weight, {
      padding_idx: this.padding_idx,
      max_norm: this.max_norm,
      norm_type: this.norm_type,
      scale_grad_by_freq: this.scale_grad_by_freq,
      sparse: this.sparse,
    });
  }

  override extra_repr(): string {
    let s = `${this.num_embeddings}, ${this.embedding_dim}`;
    if (this.padding_idx !== null) s += `, padding_idx=${this.padding_idx}`;
    if (this.max_norm !== null) s += `, max_norm=${pythonFloat(this.max_norm)}`;
    if (this.norm_type !== 2) s += `, norm_type=${pythonFloat(this.norm_type)}`;
    if (this.scale_grad_by_freq) s += ", scale_grad_by_freq=True";
    if (this.sparse) s += ", sparse=True";
    return s;
  }
}
