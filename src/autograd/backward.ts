import { ones_like } from "../tensor/creation.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { set_grad_enabled } from "./grad_mode.ts";
import { type Edge, Node } from "./node.ts";
import { add, add_ } from "../ops/arithmetic.ts";
import { clone } from "../ops/copy.ts";
import { SparseTensor, addGradients, addSparseInto } from "../ops/sparse.ts";

/** Where the engine's gradients end up: accumulated into `.grad`, or captured for `autograd.grad`. */
interface Targets {
  /** For `autograd.grad`: the tensors whose gradients are returned instead of accumulated. */
  capture: Map<Edge, Tensor | null> | null;
  /**
   * For `backward(inputs=…)`: the edges of the only tensors that accumulate (a leaf itself, a
   * non-leaf's node, which then keeps its gradient as `retain_grad` does); null for every leaf.
   */
  inputs?: ReadonlySet<Edge> | null;
}

/** Numbers the backward runs: an edge's `_slot` counts only in the run its `_run` names. */
let runs = 0;

/**
 * One backward run's bookkeeping, in arrays indexed by slot. Every node and leaf reachable
 * from the roots gets a slot the first time the run meets it (stamped on it as `_run` and
 * `_slot`), so the walk looks nothing up in a Map or Set, and tells a node from a leaf once,
 * by its rank: a node's sequence number, −1 for a leaf (an `instanceof` costs several times
 * more under tsx, whose esbuild keepNames leaves the class constructors in dictionary mode).
 */
class Walk {
  readonly run = ++runs;
  /** The node or leaf of each slot. */
  readonly edges: (Node | Tensor)[] = [];
  /** Larger for later nodes; −1 for a leaf. */
  readonly ranks: number[] = [];
  /** How many gradients each slot still waits for. */
  readonly pending: number[] = [];
  /** The sum of the gradients that have arrived, until the slot runs. */
  readonly grads: (Tensor | undefined)[] = [];
  /** Whether that sum is memory the engine made and nothing else holds. */
  readonly owned: boolean[] = [];
  /** The nodes reachable from the roots, each once (released after the run). */
  readonly nodes: Node[] = [];

  /** The slot of `edge` in this run, given on first meeting. */
  slotOf(edge: Node | Tensor): number {
    if (edge._run === this.run) return edge._slot;
    const slot = this.edges.length;
    edge._run = this.run;
    edge._slot = slot;
    this.edges.push(edge);
    this.ranks.push(edge instanceof Node ? edge.sequence_nr : -1);
    this.pending.push(0);
    this.grads.push(undefined);
    this.owned.push(false);
    return slot;
  }
}

/**
 * The backward engine: walks the graph from `roots` with the given output gradients,
 * running each node once all gradients flowing into it have been summed, later nodes
 * first (as PyTorch orders by sequence number), and accumulates into the leaves' `.grad`.
 *
 * Iterative, no recursion: a first pass counts how many gradients each node waits for,
 * then nodes run from a ready list.
 */
export function runBackward(
  roots: readonly Tensor[],
  gradients: readonly Tensor[],
  retain_graph: boolean,
  create_graph: boolean,
  targets: Targets = { capture: null },
): void {
  const walk = countDependencies(roots);
  const { edges, ranks, grads, owned } = walk;
  // With inputs, only the nodes on a path to one of them run, as PyTorch's exec_info decides.
  const needed = targets.inputs == null ? null : neededEdges(walk.nodes, targets.inputs);

  const ready = new ReadyQueue(ranks);
  for (let i = 0; i < roots.length; i++) {
    // a root given twice (backward([y, y])) runs once, with its gradients summed, as in PyTorch
    const slot = walk.slotOf(roots[i]!.grad_fn ?? roots[i]!);
    const first = grads[slot] === undefined;
    deliver(walk, slot, gradients[i]!, false);
    if (first && walk.pending[slot] === 0) ready.push(slot);
  }

  // Grad mode on only when the backward pass is itself to be differentiated. The walk is
  // not a closure, and deliver/arrive live at module level: under tsx (esbuild's
  // keepNames) every named closure made here would be renamed with an Object.defineProperty
  // call on each backward() (test/speed/renames.test.ts).
  const previousMode = set_grad_enabled(create_graph);
  try {
    while (ready.size > 0) {
      const slot = ready.pop();
      const edge = edges[slot]!;
      const grad = grads[slot]!;
      const engineOwned = owned[slot]!;
      grads[slot] = undefined;
      owned[slot] = false;
      if (needed !== null && !needed.has(edge)) continue;
      if (ranks[slot]! >= 0) {
        const node = edge as Node;
        if (targets.capture?.has(node)) targets.capture.set(node, grad);
        if (node.retained !== null) accumulateInto(node.retained, grad, create_graph, false);
        // the incoming gradient is dropped after this node: a view of it that the rule hands
        // on alone (t, reshape) is then memory nothing else holds, if the engine owned it
        const handsOn = engineOwned && targets.capture === null;
        const inputGrads = node.apply(grad, handsOn && !create_graph);
        const next = node.next_functions;
        for (let i = 0; i < next.length; i++) {
          const to = next[i]!;
          if (to === null) continue;
          const g = inputGrads[i];
          if (g !== undefined && g !== null) {
            checkGradientShape(node, i, g, ranks[to._slot]! >= 0 ? (to as Node).outputShape : (to as Tensor).shape);
            deliver(walk, to._slot, g, madeByRule(g, grad, handsOn, inputGrads, node.saved));
          }
          if (--walk.pending[to._slot]! <= 0) ready.push(to._slot);
        }
      } else if (targets.capture !== null) {
        if (targets.capture.has(edge)) targets.capture.set(edge, grad);
      } else {
        accumulateInto(edge as Tensor, grad, create_graph, engineOwned);
      }
    }
  } finally {
    set_grad_enabled(previousMode);
    if (!retain_graph) for (const node of walk.nodes) node.release();
  }
}

/**
 * A new run's slots for every node and leaf reachable from the roots, with how many edges
 * point at each, and the nodes visited (each once).
 */
function countDependencies(roots: readonly Tensor[]): Walk {
  const walk = new Walk();
  const stack: Node[] = [];
  for (const root of roots) {
    const node = root.grad_fn;
    if (node !== null && node._run !== walk.run) {
      walk.slotOf(node);
      stack.push(node);
    }
  }
  while (stack.length > 0) {
    const node = stack.pop()!;
    walk.nodes.push(node);
    for (const edge of node.next_functions) {
      if (edge === null) continue;
      const met = edge._run === walk.run;
      const slot = walk.slotOf(edge);
      walk.pending[slot]!++;
      if (!met && walk.ranks[slot]! >= 0) stack.push(edge as Node);
    }
  }
  return walk;
}

/**
 * Adds `grad` to the gradient waiting at `slot`; the sum is owned (the engine made it and
 * nothing else holds it) when it is a new sum or `grad` is `fresh`.
 */
function deliver(walk: Walk, slot: number, grad: Tensor, fresh: boolean): void {
  const previous = walk.grads[slot];
  walk.grads[slot] = previous === undefined ? grad : addGradients(previous, grad);
  if (fresh || previous !== undefined) walk.owned[slot] = true;
}

/**
 * The inputs and every node from which one of them can be reached. A node's next edges were
 * recorded before it (smaller sequence numbers), so one pass in sequence order suffices.
 */
function neededEdges(visited: readonly Node[], inputs: ReadonlySet<Edge>): Set<Edge> {
  const needed = new Set<Edge>(inputs);
  const inOrder = visited.slice().sort((a, b) => a.sequence_nr - b.sequence_nr);
  for (const node of inOrder) if (node.next_functions.some((next) => needed.has(next))) needed.add(node);
  return needed;
}

/**
 * The slots whose gradients are complete, as a binary max-heap on rank (sequence number):
 * the engine always runs the latest such node first, as PyTorch's engine does, and leaves
 * (rank −1) after nodes.
 */
class ReadyQueue {
  private readonly heap: number[] = [];
  private readonly ranks: readonly number[];

  constructor(ranks: readonly number[]) {
    this.ranks = ranks;
  }

  get size(): number {
    return this.heap.length;
  }

  push(slot: number): void {
    const { heap, ranks } = this;
    let i = heap.push(slot) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (ranks[heap[parent]!]! >= ranks[heap[i]!]!) break;
      const up = heap[i]!;
      heap[i] = heap[parent]!;
      heap[parent] = up;
      i = parent;
    }
  }

  pop(): number {
    const { heap, ranks } = this;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let largest = i;
        if (left < heap.length && ranks[heap[left]!]! > ranks[heap[largest]!]!) largest = left;
        if (right < heap.length && ranks[heap[right]!]! > ranks[heap[largest]!]!) largest = right;
        if (largest === i) break;
        const down = heap[i]!;
        heap[i] = heap[largest]!;
        heap[largest] = down;
        i = largest;
      }
    }
    return top;
  }
}

/**
 * Whether a backward rule's gradient `g` is memory of its own: not the rule's incoming
 * gradient or a view of it (as `add` and `reshape` pass it on) unless the engine owned
 * that one (`incomingOwned`: then the view is all that is left of it), not a tensor the
 * node saved, and not shared with another gradient the rule returned.
 */
function madeByRule(g: Tensor, incoming: Tensor, incomingOwned: boolean, returned: readonly (Tensor | null)[], saved: readonly Tensor[]): boolean {
  const memory = g.data.data;
  if (memory === incoming.data.data && !incomingOwned) return false;
  let holders = 0;
  for (const r of returned) if (r !== null && r.data.data === memory) holders++;
  if (holders !== 1) return false;
  for (const s of saved) if (s.data.data === memory) return false;
  return true;
}

/**
 * Adds a gradient into a tensor's `.grad` as PyTorch's AccumulateGrad does. A first
 * gradient that the engine owns (`owned`: made by a backward rule or by summing, held by
 * nothing else) and that fills its own contiguous buffer becomes `.grad` as it is, as
 * PyTorch steals a gradient no one else references; any other is copied.
 */
function accumulateInto(t: Tensor, grad: Tensor, create_graph: boolean, owned: boolean): void {
  if (t.grad !== null && (t.grad.is_sparse || grad.is_sparse)) {
    // sparse + sparse appends entries; a dense .grad takes a sparse one in place, as AccumulateGrad
    if (!t.grad.is_sparse && grad instanceof SparseTensor) addSparseInto(t.grad, grad, 1);
    else t.grad = addGradients(t.grad, grad);
    return;
  }
  if (t.grad === null) {
    if (owned && !create_graph && grad.grad_fn === null && grad.dtype === t.dtype && fillsItsBuffer(grad)) {
      // a view handed on (a weight's transposed gradient) is taken detached, as PyTorch's
      // `update_grad(new_grad.detach())`: its memory, no `_base`
      t.grad = grad._base === null ? grad : grad.detach();
      return;
    }
    // A fresh copy: the incoming gradient may be shared with other inputs of the same op (clone copies either layout).
    t.grad = create_graph ? clone(grad) : clone(grad.detach());
  } else if (create_graph) {
    t.grad = add(t.grad, grad);
  } else {
    add_(t.grad, grad);
  }
}

const fillsItsBuffer = (t: Tensor): boolean => t.data.offset === 0 && t.data.data.length === t.numel() && t.is_contiguous();

/** PyTorch's error for a rule's gradient whose shape is not that of the input it goes to (`expected`). */
function checkGradientShape(node: Node, index: number, grad: Tensor, expected: readonly number[]): void {
  if (!sameShape(grad.shape, expected)) {
    throw new Error(
      `Function ${node.name} returned an invalid gradient at index ${index} - got [${grad.shape.join(", ")}] but expected shape compatible with [${expected.join(", ")}]`,
    );
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Checks `gradient` against `output` as `Tensor.backward` does and returns the gradient to use. */
export function initialGradient(output: Tensor, gradient: Tensor | null | undefined, index = 0): Tensor {
  if (!output.requires_grad) {
    throw new Error(`element ${index} of tensors does not require grad and does not have a grad_fn`);
  }
  if (gradient === null || gradient === undefined) {
    if (output.numel() !== 1) throw new Error("grad can be implicitly created only for scalar outputs");
    return ones_like(output);
  }
  if (!sameShape(gradient.shape, output.shape)) {
    throw new Error(
      `Mismatch in shape: grad_output[${index}] has a shape of torch.Size([${gradient.shape.join(", ")}]) and output[${index}] has a shape of torch.Size([${output.shape.join(", ")}]).`,
    );
  }
  return gradient;
}
