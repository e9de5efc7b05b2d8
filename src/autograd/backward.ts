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
  const { dependencies, visited } = countDependencies(roots);
  const buffers = new Map<Edge, Tensor>();

  // With inputs, only the nodes on a path to one of them run, as PyTorch's exec_info decides.
  const needed = targets.inputs == null ? null : neededEdges(visited, targets.inputs);

  const ready = new ReadyQueue();
  // Gradients the engine made and nothing else holds: a leaf may keep one as its .grad.
  const owned = new Set<Tensor>();
  roots.forEach((root, i) => {
    const edge: Edge = root.grad_fn ?? root;
    deliver(buffers, owned, edge, gradients[i]!, false);
    if (!dependencies.has(edge)) ready.push(edge);
  });

  // Grad mode on only when the backward pass is itself to be differentiated. The walk is
  // not a closure, and deliver/arrive live at module level: under tsx (esbuild's
  // keepNames) every named closure made here would be renamed with an Object.defineProperty
  // call on each backward() (test/speed/renames.test.ts).
  const previousMode = set_grad_enabled(create_graph);
  try {
    while (ready.size > 0) {
      const edge = ready.pop();
      const grad = buffers.get(edge)!;
      buffers.delete(edge);
      if (needed !== null && !needed.has(edge)) continue;
      if (edge instanceof Node) {
        if (targets.capture?.has(edge)) targets.capture.set(edge, grad);
        if (edge.retained !== null) accumulateInto(edge.retained, grad, create_graph, false);
        // the incoming gradient is dropped after this node: a view of it that the rule hands
        // on alone (t, reshape) is then memory nothing else holds, if the engine owned it
        const handsOn = owned.delete(grad) && targets.capture === null;
        const inputGrads = edge.apply(grad, handsOn && !create_graph);
        edge.next_functions.forEach((next, i) => {
          if (next === null) return;
          const g = inputGrads[i];
          if (g !== undefined && g !== null) {
            checkGradientShape(edge, i, g, next);
            deliver(buffers, owned, next, g, madeByRule(g, grad, handsOn, inputGrads, edge.saved));
          }
          arrive(dependencies, ready, next);
        });
      } else if (edge !== null) {
        if (targets.capture !== null) {
          if (targets.capture.has(edge)) targets.capture.set(edge, grad);
        } else {
          accumulateInto(edge, grad, create_graph, owned.delete(grad));
        }
      }
    }
  } finally {
    set_grad_enabled(previousMode);
    if (!retain_graph) for (const node of visited) node.release();
  }
}

/**
 * For every node and leaf reachable from the roots, how many edges point at it, and the
 * nodes visited (each once).
 */
function countDependencies(roots: readonly Tensor[]): { dependencies: Map<Edge, number>; visited: Node[] } {
  const dependencies = new Map<Edge, number>();
  const visited: Node[] = [];
  const stack: Node[] = [];
  const seen = new Set<Node>();
  for (const root of roots) {
    if (root.grad_fn !== null && !seen.has(root.grad_fn)) {
      seen.add(root.grad_fn);
      stack.push(root.grad_fn);
    }
  }
  while (stack.length > 0) {
    const node = stack.pop()!;
    visited.push(node);
    for (const edge of node.next_functions) {
      if (edge === null) continue;
      dependencies.set(edge, (dependencies.get(edge) ?? 0) + 1);
      if (edge instanceof Node && !seen.has(edge)) {
        seen.add(edge);
        stack.push(edge);
      }
    }
  }
  return { dependencies, visited };
}

/**
 * Adds `grad` to the gradient waiting at `edge` in `buffers`; the sum is `owned` (the engine
 * made it and nothing else holds it) when it is a new sum or `grad` is `fresh`.
 */
function deliver(buffers: Map<Edge, Tensor>, owned: Set<Tensor>, edge: Edge, grad: Tensor, fresh: boolean): void {
  const previous = buffers.get(edge);
  const sum = previous === undefined ? grad : addGradients(previous, grad);
  buffers.set(edge, sum);
  if (fresh || previous !== undefined) owned.add(sum);
}

/** One of the gradients `edge` waits for has arrived: once all have, it is `ready` to run. */
function arrive(dependencies: Map<Edge, number>, ready: ReadyQueue, edge: Edge): void {
  const remaining = (dependencies.get(edge) ?? 0) - 1;
  dependencies.set(edge, remaining);
  if (remaining <= 0) ready.push(edge);
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

const rank = (edge: Edge): number => (edge instanceof Node ? edge.sequence_nr : -1);

/**
 * The nodes whose gradients are complete, as a binary max-heap on sequence number: the
 * engine always runs the latest such node first, as PyTorch's engine does, and leaves
 * (rank −1) after nodes.
 */
class ReadyQueue {
  private readonly heap: Edge[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(edge: Edge): void {
    const heap = this.heap;
    let i = heap.push(edge) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (rank(heap[parent]!) >= rank(heap[i]!)) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  }

  pop(): Edge {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let largest = i;
        if (left < heap.length && rank(heap[left]!) > rank(heap[largest]!)) largest = left;
        if (right < heap.length && rank(heap[right]!) > rank(heap[largest]!)) largest = right;
        if (largest === i) break;
        [heap[largest], heap[i]] = [heap[i]!, heap[largest]!];
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
  return holders === 1 && saved.every((s) => s.data.data !== memory);
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

function checkGradientShape(node: Node, index: number, grad: Tensor, next: Edge): void {
  const expected = next instanceof Node ? next.outputShape : (next as Tensor).shape;
  if (!sameShape(grad.shape, expected)) {
    throw new Error(
      `Function ${node.name} returned an invalid gradient at index ${index} - got [${grad.shape.join(", ")}] but expected shape compatible with [${expected.join(", ")}]`,
    );
  }
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((s, i) => s === b[i]);

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
