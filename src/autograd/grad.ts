import { Tensor } from "../tensor/tensor.ts";
import { initialGradient, runBackward } from "./backward.ts";
import type { Edge } from "./node.ts";

/** Options of `backward` and `autograd.grad`, as PyTorch's keyword arguments. */
export interface BackwardOptions {
  retain_graph?: boolean;
  create_graph?: boolean;
}

/**
 * Computes the gradient of `this` with respect to the graph's leaves and accumulates it
 * into their `.grad`, as `torch.Tensor.backward`. A non-scalar output needs `gradient`.
 */
export function backward(output: Tensor, gradient?: Tensor | null, options: BackwardOptions = {}): void {
  const create_graph = options.create_graph ?? false;
  const retain_graph = options.retain_graph ?? create_graph;
  runBackward([output], [initialGradient(output, gradient)], retain_graph, create_graph);
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
