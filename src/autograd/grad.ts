import { Tensor } from "../tensor/tensor.ts";
import { initialGradient, runBackward } from "./backward.ts";
import { describeValue } from "../utils/signature.ts";
import type { Edge } from "./node.ts";

/** Options of `backward` and `autograd.grad`, as PyTorch's keyword arguments. */
export interface BackwardOptions {
  retain_graph?: boolean;
  create_graph?: boolean;
}

/**
 * Computes the gradient of `this` with respect to the graph's leaves and accumulates it
 * into their `.grad`, as `torch.Tensor.backward`. A non-scalar output needs `gradient`.
 * With `inputs`, only those tensors accumulate (and the retained tensors on a path to them),
 * as PyTorch's engine runs only what leads to them; a non-leaf input keeps its gradient from
 * then on, as PyTorch calls `retain_grad()` on each input.
 */
export function backward(output: Tensor, gradient?: Tensor | null, options: BackwardOptions & { inputs?: Tensor | readonly Tensor[] | null } = {}): void {
  backwardOf([output], [gradient ?? null], options);
}

/**
 * The same for several outputs at once, each with its gradient (null for a scalar's implicit
 * 1), as `torch.autograd.backward(tensors, grad_tensors, …)`: their gradients are summed.
 */
export function backwardOf(
  outputs: readonly Tensor[],
  gradients: readonly (Tensor | null)[],
  options: BackwardOptions & { inputs?: Tensor | readonly Tensor[] | null } = {},
): void {
  if (gradients.length !== outputs.length) throw new Error(`got ${outputs.length} tensors and ${gradients.length} gradients`);
  const create_graph = options.create_graph ?? false;
  const retain_graph = options.retain_graph ?? create_graph;
  const firsts = outputs.map((o, i) => initialGradient(o, gradients[i], i));
  const inputs = options.inputs == null ? null : inputEdges(options.inputs);
  runBackward(outputs, firsts, retain_graph, create_graph, { capture: null, inputs });
}

/**
 * The edges of `backward`'s inputs, checked as PyTorch checks them (torch/autograd/__init__.py,
 * with current PyTorch's backticks, then `retain_grad()` on each in the engine's Python binding),
 * all before any is changed.
 */
function inputEdges(inputs: Tensor | readonly Tensor[]): Set<Edge> {
  const list: readonly unknown[] = inputs instanceof Tensor ? [inputs] : inputs;
  if (list.length === 0) throw new Error("`inputs` argument to `backward()` cannot be empty.");
  for (const t of list) {
    if (!(t instanceof Tensor)) throw new Error(`all inputs have to be Tensors, but got ${describeValue(t)}`);
    if (!t.requires_grad) throw new Error("can't retain_grad on Tensor that has requires_grad=False");
  }
  const tensors = list as readonly Tensor[];
  for (const t of tensors) t.retain_grad();
  return new Set<Edge>(tensors.map((t) => t.grad_fn ?? t));
}

/** Options of `autograd.grad`. */
export interface GradOptions extends BackwardOptions {
  grad_outputs?: (Tensor | null)[] | Tensor | null;
  allow_unused?: boolean;
}

/**
 * The gradients of `outputs` with respect to `inputs`, returned instead of accumulated
 * into `.grad`, as `torch.autograd.grad`.
 *
 * @example
 * ```ts
 * import { autograd, tensor } from "gradlab";
 * const x = tensor([3], { dtype: "float64", requires_grad: true });
 * const [dx] = autograd.grad(x.mul(x).sum(), x);
 * console.log(dx!.item()); // 6
 * ```
 */
export function grad(outputs: Tensor | Tensor[], inputs: Tensor | Tensor[], options: GradOptions = {}): (Tensor | null)[] {
  const outs = Array.isArray(outputs) ? outputs : [outputs];
  const ins = Array.isArray(inputs) ? inputs : [inputs];
  const given = options.grad_outputs;
  const gradOutputs = given === undefined || given === null ? [] : Array.isArray(given) ? given : [given];
  const create_graph = options.create_graph ?? false;
  const retain_graph = options.retain_graph ?? create_graph;
  ins.forEach((t, i) => {
    if (!t.requires_grad) throw new Error(`element ${i} of tensors does not require grad and does not have a grad_fn`);
  });
  const capture = new Map<Edge, Tensor | null>(ins.map((t) => [t.grad_fn ?? t, null]));
  runBackward(
    outs,
    outs.map((o, i) => initialGradient(o, gradOutputs[i], i)),
    retain_graph,
    create_graph,
    { capture },
  );
  return ins.map((t) => {
    const g = capture.get(t.grad_fn ?? t) ?? null;
    if (g === null && !options.allow_unused) {
      throw new Error("One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.");
    }
    return g;
  });
}
