/**
 * The calls of `matmul`, `mm` and `backward` as tensor methods, declared as PyTorch declares them.
 *
 * ```text
 * Tensor.matmul(other)          x.matmul(w), x.matmul({ other: w })
 * Tensor.mm(mat2)               x.mm(w), x.mm({ mat2: w })
 * Tensor.backward(gradient=None, retain_graph=None, create_graph=False, inputs=None)
 * autograd.backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None, inputs=None)
 * ```
 * `retain_graph` defaults to `create_graph`, as in PyTorch. `inputs` (a Tensor or an array of
 * them) accumulates into those tensors only (autograd/grad.ts).
 */
import { backward, backwardOf } from "../autograd/grad.ts";
import * as matmulOps from "../ops/matmul.ts";
import { Tensor } from "../tensor/tensor.ts";
import { type Arguments, boolean, kind, nullable, optional, required, signature } from "../utils/signature.ts";
import { warn } from "../utils/warn.ts";
import { tensorKind, methodSignature } from "./kinds.ts";

/** `Tensor.matmul(other)`. */
export const matmulMethodSignature = methodSignature("matmul", [required("other", tensorKind)]);
/** `Tensor.mm(mat2)`. */
export const mmMethodSignature = methodSignature("mm", [required("mat2", tensorKind)]);

/** `x.matmul(w)`: the matrix product, batched and broadcast as `torch.matmul`. */
export function matmulMethod(self: Tensor, ...args: Arguments<typeof matmulMethodSignature>): Tensor {
  const [other] = args;
  return matmulOps.matmul(self, args.length === 1 && other instanceof Tensor ? other : matmulMethodSignature.parse(args).other);
}

/** `x.mm(w)`: the product of two matrices. */
export function mmMethod(self: Tensor, ...args: Arguments<typeof mmMethodSignature>): Tensor {
  const [mat2] = args;
  return matmulOps.mm(self, args.length === 1 && mat2 instanceof Tensor ? mat2 : mmMethodSignature.parse(args).mat2);
}

/** A Tensor or an array of them (any array: `backward` checks the elements with PyTorch's message, "all inputs have to be Tensors"). */
const tensorsKind = kind<Tensor | readonly Tensor[]>("a Tensor or an array of Tensors", (v) => v instanceof Tensor || Array.isArray(v));

/** `Tensor.backward(gradient=None, retain_graph=None, create_graph=False, inputs=None)`. */
export const backwardSignature = signature(
  "backward",
  [
    optional("gradient", nullable(tensorKind), null),
    optional("retain_graph", nullable(boolean), null),
    optional("create_graph", boolean, false),
    optional("inputs", nullable(tensorsKind), null),
  ],
  false,
  "Tensor.backward",
);

/** `loss.backward()`, `y.backward(g)`, `loss.backward(null, true)`, `loss.backward({ create_graph: true, inputs: [w] })`. */
export function backwardMethod(self: Tensor, ...args: Arguments<typeof backwardSignature>): void {
  if (args.length === 0) return backward(self);
  const { gradient, retain_graph, create_graph, inputs } = backwardSignature.parse(args);
  backward(self, gradient, retain_graph === null ? { create_graph, inputs } : { retain_graph, create_graph, inputs });
}

/** Gradients for `autograd.backward`: a Tensor, or an array of Tensors and nulls. */
const gradientsKind = kind<Tensor | readonly (Tensor | null)[]>(
  "a Tensor or an array of Tensors",
  (v) => v instanceof Tensor || (Array.isArray(v) && v.every((g) => g === null || g instanceof Tensor)),
);

/** `torch.autograd.backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None, inputs=None)`. */
export const autogradBackwardSignature = signature(
  "backward",
  [
    required(
      "tensors",
      kind<Tensor | readonly Tensor[]>(
        "a Tensor or an array of Tensors",
        (v) => v instanceof Tensor || (Array.isArray(v) && v.every((t) => t instanceof Tensor)),
      ),
    ),
    optional("grad_tensors", nullable(gradientsKind), null),
    optional("retain_graph", nullable(boolean), null),
    optional("create_graph", boolean, false),
    optional("grad_variables", nullable(gradientsKind), null),
    optional("inputs", nullable(tensorsKind), null),
  ],
  false,
  "autograd.backward",
);

const asList = <T>(v: T | readonly T[]): readonly T[] => (Array.isArray(v) ? (v as readonly T[]) : [v as T]);

/**
 * `autograd.backward([y1, y2], [null, g2])`: the gradients of several outputs at once, summed
 * into the leaves' `.grad` (or only the `inputs`'), as `torch.autograd.backward`.
 * `grad_variables` is its deprecated name for `grad_tensors`, with PyTorch's warning (current
 * PyTorch's messages, torch/autograd/__init__.py).
 */
export function autogradBackward(...args: Arguments<typeof autogradBackwardSignature>): void {
  const values = autogradBackwardSignature.parse(args);
  let gradients = values.grad_tensors;
  if (values.grad_variables !== null) {
    if (gradients !== null) {
      throw new Error("`grad_tensors` and `grad_variables` (deprecated) arguments both passed to `backward()`. Please only use `grad_tensors`.");
    }
    warn("`grad_variables` is deprecated. Use `grad_tensors` instead.", "FutureWarning");
    gradients = values.grad_variables;
  }
  const outputs = asList(values.tensors);
  const { retain_graph, create_graph, inputs } = values;
  backwardOf(
    outputs,
    gradients === null ? outputs.map(() => null) : asList(gradients),
    retain_graph === null ? { create_graph, inputs } : { retain_graph, create_graph, inputs },
  );
}
