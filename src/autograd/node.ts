import type { Tensor } from "../tensor/tensor.ts";
import { is_grad_enabled } from "./grad_mode.ts";

/**
 * Computes the gradients of an operation's inputs from the gradient of its output. When
 * `reusable` is set, `grad` is memory that nothing else holds and that the engine drops
 * after this rule: the rule may overwrite it and return it (relu's mask does).
 */
export type BackwardFn = (grad: Tensor, reusable: boolean) => (Tensor | null)[];

/**
 * Where the gradient of one input goes: the node that made that input, the leaf tensor
 * it accumulates into (PyTorch's AccumulateGrad), or nowhere (null).
 */
export type Edge = Node | Tensor | null;

declare module "../tensor/tensor.ts" {
  // A tensor's `grad_fn` is a `Node` (the tensor module declares GradFn without importing this one).
  interface GradFn extends Node {}
}

let nextSequenceNumber = 0;

/**
 * One recorded operation in the graph (PyTorch's `grad_fn`): how to map the gradient of
 * its output to gradients of its inputs, the edges those gradients follow, and the
 * tensors it saved, with the version each had when saved.
 */
export class Node {
  /** PyTorch's name for the node, e.g. `MulBackward0`. */
  readonly name: string;
  /** One edge per input of the operation, in the operation's argument order. */
  readonly next_functions: Edge[];
  /** Larger for later operations: the engine runs later nodes first, as PyTorch does. */
  readonly sequence_nr: number;
  /** The tensors the backward rule reads, checked for in-place changes before it runs. */
  readonly saved: Tensor[];
  private readonly savedVersions: number[];
  private backwardFn: BackwardFn | null;
  /** A non-leaf output that asked to keep its gradient (`retain_grad`). */
  retained: Tensor | null = null;
  /** The op's output dtype and shape, for gradient shape checks and messages. */
  readonly outputShape: readonly number[];
  /** The backward run that last met this node, and its slot in that run (autograd/backward.ts). */
  _run = 0;
  _slot = 0;

  constructor(name: string, next: Edge[], backward: BackwardFn, saved: Tensor[], outputShape: readonly number[]) {
    this.name = name;
    this.next_functions = next;
    this.backwardFn = backward;
    this.saved = saved;
    this.savedVersions = [];
    for (const t of saved) this.savedVersions.push(t._version);
    this.sequence_nr = nextSequenceNumber++;
    this.outputShape = outputShape.slice();
  }

  /**
   * Runs the backward rule after checking that no saved tensor was modified in place;
   * `reusable`: the engine owns `grad` and drops it afterwards (see the `BackwardFn` type in this file).
   */
  apply(grad: Tensor, reusable = false): (Tensor | null)[] {
    if (this.backwardFn === null) {
      throw new Error(
        "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.",
      );
    }
    for (let i = 0; i < this.saved.length; i++) {
      const t = this.saved[i]!;
      if (t._version !== this.savedVersions[i]) {
        const origin = t.grad_fn ? `, which is output 0 of ${t.grad_fn.name},` : "";
        throw new Error(
          `one of the variables needed for gradient computation has been modified by an inplace operation: [${t._typeAndShape()}]${origin} is at version ${t._version}; expected version ${this.savedVersions[i]} instead. Hint: the backtrace further above shows the operation that failed to compute its gradient. The variable in question was changed in there or anywhere later. Good luck!`,
        );
      }
    }
    return this.backwardFn(grad, reusable && !this.saves(grad.data.data));
  }

  /** Whether a saved tensor lies in `memory`. */
  private saves(memory: Tensor["data"]["data"]): boolean {
    for (const t of this.saved) if (t.data.data === memory) return true;
    return false;
  }

  /** Frees the saved tensors (nodes that saved none stay usable, as in PyTorch). */
  release(): void {
    if (this.saved.length > 0) {
      this.backwardFn = null;
      this.saved.length = 0;
    }
  }

  toString(): string {
    return `<${this.name}>`;
  }
}

/** The edge an input's gradient follows: its grad_fn, itself if a leaf that requires grad, or none. */
export const edgeOf = (t: Tensor | null): Edge => (t === null || !t.requires_grad ? null : (t.grad_fn ?? t));

/** Whether an operation on these inputs must be recorded. */
export function needsGrad(inputs: readonly (Tensor | null)[]): boolean {
  if (!is_grad_enabled()) return false;
  for (const t of inputs) if (t?.requires_grad) return true;
  return false;
}

/**
 * Records `output` as made by an operation on `inputs` when grad mode is on and some
 * input requires grad. `backward` returns one gradient (or null) per input, in order;
 * `saved` lists the tensors it reads, so an in-place change to them is caught.
 */
export function record(name: string, output: Tensor, inputs: readonly (Tensor | null)[], backward: BackwardFn, saved: Tensor[] = []): Tensor {
  if (!needsGrad(inputs)) return output;
  const next: Edge[] = [];
  for (const t of inputs) next.push(edgeOf(t));
  output.grad_fn = new Node(name, next, backward, saved, output.shape);
  output.requires_grad = true;
  return output;
}
