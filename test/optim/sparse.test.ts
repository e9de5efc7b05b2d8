import { describe, expect, it } from "vitest";
import { F, SparseTensor, nn, optim, tensor } from "gradlab";
import type { Optimizer } from "../../src/optim/optimizer.ts";
import type { Tensor } from "../../src/tensor/tensor.ts";
import { fixture } from "../helpers.ts";
import { parseHexFloat, sameBits } from "../math/bits.ts";

// expected values: tools/fixtures/optim_sparse.py (torch 1.13; current PyTorch's sparse
// paths of SparseAdam, Adagrad and SGD are the same op sequences, see the generator).
interface TrajectoryCase {
  name: string;
  optimizer: "SparseAdam" | "SGD" | "Adagrad";
  options: Record<string, unknown>;
  dtype: "float32" | "float64";
  rows: number;
  dim: number;
  start: string[];
  indices: number[][][];
  W: string[][];
  weights: string[][];
}
interface ResumedCase extends TrajectoryCase {
  resume_at: number;
  saved_buffer: { is_sparse: boolean; is_coalesced: boolean; indices: number[][]; values: string[] };
}
interface SparseFixture {
  cases: TrajectoryCase[];
  resumed: ResumedCase[];
  gradient: {
    indices: number[][];
    W: number[];
    uncoalesced_indices: number[][];
    uncoalesced_values: number[][];
    indices_coalesced: number[][];
    values_coalesced: number[][];
    dense: number[][];
    nnz: number;
    padding_4_indices: number[][];
    padding_4_values: number[][];
    accumulated_indices: number[][];
    accumulated_values: number[][];
    clip_grad_norm_total: number;
    zeroed_indices_shape: number[];
    zeroed_values_shape: number[];
    after_zero_indices: number[][];
    after_zero_values: number[][];
  };
  errors: Record<string, string>;
}
const data = fixture<SparseFixture>("optim/sparse");
const G = data.gradient;

/** An embedding of the fixture's table, its gradient from (embedding(indices) * W).sum(). */
function embeddingGrad(options: { padding_idx?: number } = {}): { emb: nn.Embedding; grad: SparseTensor } {
  const emb = new nn.Embedding(8, 3, { sparse: true, dtype: "float64", ...options });
  emb
    .forward(G.indices)
    .mul(tensor(G.W, { dtype: "float64" }).reshape([2, 3, 3]))
    .sum()
    .backward();
  return { emb, grad: emb.weight.grad as SparseTensor };
}

describe("sparse gradients of nn.Embedding(..., { sparse: true })", () => {
  it("are uncoalesced COO tensors in input order, as PyTorch's", () => {
    const { grad } = embeddingGrad();
    expect([grad.is_sparse, grad.is_coalesced(), grad._nnz()]).toEqual([true, false, G.nnz]);
    expect(grad._indices().tolist()).toEqual(G.uncoalesced_indices);
    expect(grad._values().tolist()).toEqual(G.uncoalesced_values);
    expect(() => grad.indices()).toThrow("Cannot get indices on an uncoalesced tensor, please call .coalesce() first");
    expect(() => grad.values()).toThrow("Cannot get values on an uncoalesced tensor, please call .coalesce() first");
  });

  it("coalesce() sorts the rows and sums repeats; to_dense() gives the dense gradient", () => {
    const { grad } = embeddingGrad();
    const c = grad.coalesce();
    expect([c.is_coalesced(), c.indices().tolist(), c.values().tolist()]).toEqual([true, G.indices_coalesced, G.values_coalesced]);
    expect(grad.to_dense().tolist()).toEqual(G.dense);
  });

  it("leave out the padding row, and F.embedding gives the same", () => {
    const { grad } = embeddingGrad({ padding_idx: 4 });
    expect([grad._indices().tolist(), grad._values().tolist()]).toEqual([G.padding_4_indices, G.padding_4_values]);
    const w = tensor(
      Array.from({ length: 24 }, (_, i) => i / 10),
      { dtype: "float64", requires_grad: true },
    )
      .reshape([8, 3])
      .detach()
      .requires_grad_();
    F.embedding(G.indices, w, { sparse: true, padding_idx: 4 })
      .mul(tensor(G.W, { dtype: "float64" }).reshape([2, 3, 3]))
      .sum()
      .backward();
    expect((w.grad as SparseTensor)._indices().tolist()).toEqual(G.padding_4_indices);
  });

  it("accumulate over two backward passes by appending entries", () => {
    const { emb } = embeddingGrad();
    emb
      .forward([[2, 1]])
      .mul(1.0)
      .sum()
      .backward(); // as the fixture: a contiguous incoming gradient
    const grad = emb.weight.grad as SparseTensor;
    expect([grad._indices().tolist(), grad._values().tolist()]).toEqual([G.accumulated_indices, G.accumulated_values]);
  });

  it("refuse scale_grad_by_freq at backward, with PyTorch's message", () => {
    const emb = new nn.Embedding(8, 3, { sparse: true, scale_grad_by_freq: true });
    expect(() => emb.forward(G.indices).sum().backward()).toThrow(data.errors.scale_grad_by_freq!);
  });

  it("print as PyTorch prints them", () => {
    const emb = new nn.Embedding(6, 3, { sparse: true, dtype: "float64" });
    emb
      .forward([[1, 4]])
      .sum()
      .backward();
    expect(String(emb.weight.grad)).toBe(
      "tensor(indices=tensor([[1, 4]]),\n       values=tensor([[1., 1., 1.],\n                      [1., 1., 1.]]),\n" +
        "       size=(6, 3), nnz=2, dtype=torch.float64, layout=torch.sparse_coo)",
    );
  });

  it("clip_grad_norm_ measures the coalesced values and scales them in place", () => {
    const { emb } = embeddingGrad();
    const total = nn.utils.clip_grad_norm_(emb.parameters(), 1.0);
    expect(total.item()).toBeCloseTo(G.clip_grad_norm_total, 12);
    const clip_coef = 1 / (total.item() + 1e-6);
    expect((emb.weight.grad as SparseTensor)._values().tolist()).toEqual(G.uncoalesced_values.map((row) => row.map((v) => v * clip_coef)));
  });

  it("clip_grad_value_ refuses them, as PyTorch's clamp_ has no sparse kernel, before changing anything", () => {
    const { emb, grad } = embeddingGrad();
    expect(() => nn.utils.clip_grad_value_(emb.parameters(), 0.5)).toThrow("Could not run 'aten::clamp_' with arguments from the 'SparseCPU' backend.");
    expect(grad._values().tolist()).toEqual(G.uncoalesced_values);
  });

  it("zero_grad(set_to_none: false) leaves a sparse gradient with no entries, as PyTorch", () => {
    const { emb } = embeddingGrad();
    new optim.SGD(emb.parameters(), { lr: 0.1 }).zero_grad({ set_to_none: false });
    const grad = emb.weight.grad as SparseTensor;
    expect([grad.is_sparse, grad._nnz(), grad._indices().shape, grad._values().shape]).toEqual([true, 0, G.zeroed_indices_shape, G.zeroed_values_shape]);
    emb
      .forward([[2, 1]])
      .mul(1.0)
      .sum()
      .backward();
    const next = emb.weight.grad as SparseTensor;
    expect([next._indices().tolist(), next._values().tolist()]).toEqual([G.after_zero_indices, G.after_zero_values]);
  });

  it("Module.zero_grad empties them too, and set_to_none (the default) removes them", () => {
    const { emb } = embeddingGrad();
    emb.zero_grad({ set_to_none: false });
    const grad = emb.weight.grad as SparseTensor;
    expect([grad.is_sparse, grad._nnz(), grad.to_dense().abs().sum().item()]).toEqual([true, 0, 0]);
    emb.zero_grad();
    expect(emb.weight.grad).toBe(null);
  });
});

const make = (c: TrajectoryCase, ps: Tensor[]): Optimizer =>
  c.optimizer === "SparseAdam" ? new optim.SparseAdam(ps, c.options) : c.optimizer === "SGD" ? new optim.SGD(ps, c.options) : new optim.Adagrad(ps, c.options);

/** Runs the fixture's steps and returns the weights after each, as float64 numbers. */
function run(c: TrajectoryCase): number[][] {
  const start = tensor(c.start.map(parseHexFloat), { dtype: c.dtype }).reshape([c.rows, c.dim]);
  const emb = new nn.Embedding(c.rows, c.dim, { sparse: true, _weight: start, dtype: c.dtype });
  const opt = make(c, emb.parameters());
  return c.indices.map((idx, s) => {
    opt.zero_grad();
    const shape = [idx.length, idx[0]!.length, c.dim];
    emb
      .forward(idx)
      .mul(tensor(c.W[s]!.map(parseHexFloat), { dtype: c.dtype }).reshape(shape))
      .sum()
      .backward();
    opt.step();
    return Array.from(emb.weight.data.data);
  });
}

describe.each(["SparseAdam", "SGD", "Adagrad"])("%s with sparse gradients", (name) => {
  const cases = data.cases.filter((c) => c.optimizer === name);
  it.each(cases)("follows PyTorch bit for bit: $name", (c) => {
    const actual = run(c);
    const expected = c.weights.map((w) => w.map(parseHexFloat));
    const differ = actual.flatMap((row, s) => row.flatMap((v, i) => (sameBits(v, expected[s]![i]!) ? [] : [[s, i]])));
    const n = expected.flat().length;
    console.log(`${c.name}: ${n - differ.length} of ${n} weights bit-identical to PyTorch`);
    const close = actual
      .flat()
      .every((v, i) => Math.abs(v - expected.flat()[i]!) <= 1e-12 * Math.max(1, Math.abs(expected.flat()[i]!)) * (c.dtype === "float32" ? 1e5 : 1));
    expect(close).toBe(true);
    expect(differ).toEqual([]);
  });
});

/** Runs a resumed case: `resume_at` steps, then a new optimizer loaded from the JSON of the state_dict takes the rest. */
function runResumed(c: ResumedCase): { weights: number[][]; saved: unknown } {
  const start = tensor(c.start.map(parseHexFloat), { dtype: c.dtype }).reshape([c.rows, c.dim]);
  const emb = new nn.Embedding(c.rows, c.dim, { sparse: true, _weight: start, dtype: c.dtype });
  let opt = make(c, emb.parameters());
  let saved: unknown = null;
  const weights = c.indices.map((idx, s) => {
    if (s === c.resume_at) {
      saved = JSON.parse(JSON.stringify(opt.state_dict()));
      opt = make(c, emb.parameters());
      opt.load_state_dict(saved as never);
    }
    opt.zero_grad();
    emb
      .forward(idx)
      .mul(tensor(c.W[s]!.map(parseHexFloat), { dtype: c.dtype }).reshape([idx.length, idx[0]!.length, c.dim]))
      .sum()
      .backward();
    opt.step();
    return Array.from(emb.weight.data.data);
  });
  return { weights, saved };
}

// expected values: tools/fixtures/optim_sparse.py, "resumed" (torch 1.13: PyTorch's state_dict
// holds the sparse buffer itself, so the loaded optimizer continues on sparse tensors).
describe("SGD resumed from a state_dict saved in a sparse-gradient run", () => {
  it.each(data.resumed)("saves the sparse buffer's entries as PyTorch holds them: $name", (c) => {
    const saved = runResumed(c).saved as {
      state: Record<number, { momentum_buffer: { layout: string; indices: number[][]; values: number[]; coalesced: boolean } }>;
    };
    const buf = saved.state[0]!.momentum_buffer;
    const expected = c.saved_buffer.values.map(parseHexFloat);
    expect([buf.layout, buf.coalesced, buf.indices]).toEqual(["sparse_coo", c.saved_buffer.is_coalesced, c.saved_buffer.indices]);
    expect(buf.values.flatMap((v, i) => (sameBits(v, expected[i]!) ? [] : [i]))).toEqual([]);
  });

  it.each(data.resumed)("continues bit for bit as PyTorch: $name", (c) => {
    const { weights } = runResumed(c);
    const expected = c.weights.map((w) => w.map(parseHexFloat));
    const differ = weights.flatMap((row, s) => row.flatMap((v, i) => (sameBits(v, expected[s]![i]!) ? [] : [[s, i]])));
    console.log(`${c.name}: ${expected.flat().length - differ.length} of ${expected.flat().length} weights bit-identical to PyTorch`);
    expect(differ).toEqual([]);
  });
});

describe("optimizers and sparse gradients, PyTorch's errors", () => {
  const sparseGrad = () => {
    const emb = new nn.Embedding(8, 3, { sparse: true });
    emb.forward(G.indices).sum().backward();
    return emb;
  };
  it.each([
    ["Adam", (ps: Tensor[]) => new optim.Adam(ps)],
    ["AdamW", (ps: Tensor[]) => new optim.AdamW(ps)],
    ["Adamax", (ps: Tensor[]) => new optim.Adamax(ps)],
    ["NAdam", (ps: Tensor[]) => new optim.NAdam(ps)],
    ["RAdam", (ps: Tensor[]) => new optim.RAdam(ps)],
    ["RMSprop", (ps: Tensor[]) => new optim.RMSprop(ps)],
    ["Rprop", (ps: Tensor[]) => new optim.Rprop(ps)],
    ["Adadelta", (ps: Tensor[]) => new optim.Adadelta(ps)],
    ["ASGD", (ps: Tensor[]) => new optim.ASGD(ps)],
    ["Adafactor", (ps: Tensor[]) => new optim.Adafactor(ps)],
    ["Muon", (ps: Tensor[]) => new optim.Muon(ps)],
    ["SGD weight_decay", (ps: Tensor[]) => new optim.SGD(ps, { lr: 0.1, weight_decay: 0.1 })],
    ["Adagrad weight_decay", (ps: Tensor[]) => new optim.Adagrad(ps, { weight_decay: 0.1 })],
  ] as const)("%s refuses a sparse gradient at step(), changing nothing", (key, build) => {
    const emb = sparseGrad();
    const before = emb.weight.tolist();
    const opt = build(emb.parameters());
    expect(() => opt.step()).toThrow(data.errors[key]!);
    expect(emb.weight.tolist()).toEqual(before);
  });

  it("a sparse gradient in a later group is refused before the first group moves", () => {
    const dense = tensor([1, 2], { dtype: "float64", requires_grad: true });
    dense.grad = tensor([0.5, -0.5], { dtype: "float64" });
    const emb = sparseGrad();
    const opt = new optim.Adam([{ params: [dense] }, { params: emb.parameters() }]);
    expect(() => opt.step()).toThrow(data.errors.Adam!);
    expect([dense.tolist(), opt.state.size]).toEqual([[1, 2], 0]);
  });

  it("SGD refuses a dense gradient on a sparse momentum buffer, and a sparse one on a dense buffer with nesterov, changing nothing", () => {
    const emb = sparseGrad();
    const opt = new optim.SGD(emb.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true });
    opt.step();
    const before = [emb.weight.tolist(), (opt.state.get(emb.weight) as { momentum_buffer: Tensor }).momentum_buffer.to_dense().tolist()];
    emb.weight.grad = tensor(Array.from({ length: 8 }, () => [1, 1, 1]));
    expect(() => opt.step()).toThrow(data.errors["SGD sparse buffer, dense gradient"]!);
    expect([emb.weight.tolist(), (opt.state.get(emb.weight) as { momentum_buffer: Tensor }).momentum_buffer.to_dense().tolist()]).toEqual(before);

    const dense = new nn.Embedding(8, 3, { sparse: true });
    const sgd = new optim.SGD(dense.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true });
    dense.weight.grad = tensor(Array.from({ length: 8 }, () => [1, 1, 1]));
    sgd.step();
    dense.weight.grad = null;
    dense.forward(G.indices).sum().backward();
    const weights = dense.weight.tolist();
    expect(() => sgd.step()).toThrow(data.errors["SGD nesterov dense buffer, sparse gradient"]!);
    expect(dense.weight.tolist()).toEqual(weights);
  });

  it("a sparse tensor is loaded only where SGD keeps its momentum buffer, and only well formed", () => {
    const emb = sparseGrad();
    const sgd = new optim.SGD(emb.parameters(), { lr: 0.1, momentum: 0.9 });
    sgd.step();
    const saved = JSON.parse(JSON.stringify(sgd.state_dict()));
    const buffer = saved.state[0].momentum_buffer;
    const adam = new optim.Adam(emb.parameters());
    const adamState = {
      state: { 0: { step: 1, exp_avg: buffer, exp_avg_sq: { dtype: "float32", shape: [8, 3], data: new Array(24).fill(0) } } },
      param_groups: adam.state_dict().param_groups,
    };
    expect(() => adam.load_state_dict(adamState as never)).toThrow("['exp_avg'] is a sparse tensor, but this optimizer keeps a dense tensor there");
    const bad = (change: Record<string, unknown>) => ({ ...saved, state: { 0: { momentum_buffer: { ...buffer, ...change } } } });
    const fresh = () => new optim.SGD(emb.parameters(), { lr: 0.1, momentum: 0.9 });
    expect(() => fresh().load_state_dict(bad({ indices: [[0, 9]] }) as never)).toThrow("should be an integer in [0, 8), got number 9");
    expect(() => fresh().load_state_dict(bad({ values: [1, 2] }) as never)).toThrow("values holds 2 values");
    expect(() => fresh().load_state_dict(bad({ indices: [[4, 1]], values: [1, 2, 3, 4, 5, 6], coalesced: true }) as never)).toThrow(
      "is marked coalesced, but its positions are not sorted and distinct",
    );
    const loaded = fresh();
    loaded.load_state_dict(saved);
    expect((loaded.state.get(emb.weight) as { momentum_buffer: Tensor }).momentum_buffer.is_sparse).toBe(true);
  });

  it("SparseAdam refuses a dense gradient at step(), not at construction", () => {
    const emb = new nn.Embedding(8, 3);
    emb.forward(G.indices).sum().backward();
    const opt = new optim.SparseAdam(emb.parameters());
    expect(() => opt.step()).toThrow(data.errors["SparseAdam dense"]!);
  });

  it("LBFGS takes a sparse gradient as its dense form, as PyTorch's _gather_flat_grad", () => {
    const make2 = (sparse: boolean) => {
      const emb = new nn.Embedding(4, 2, {
        sparse,
        _weight: tensor(
          [
            [1, 2],
            [3, 4],
            [5, 6],
            [7, 8],
          ],
          { dtype: "float64" },
        ),
        dtype: "float64",
      });
      const opt = new optim.LBFGS(emb.parameters(), { lr: 0.5, max_iter: 3 });
      opt.step(() => {
        opt.zero_grad();
        const loss = emb.forward([1, 3, 1]).pow(2).sum();
        loss.backward();
        return loss;
      });
      return emb.weight.tolist();
    };
    expect(make2(true)).toEqual(make2(false));
  });
});
