/**
 * The calls of `matmul`, `mm` and `backward` as tensor methods, declared as PyTorch declares them.
 *
 * ```text
 * Tensor.matmul(other)          x.matmul(w), x.matmul({ other: w })
 * Tensor.mm(mat2)               x.mm(w), x.mm({ mat2: w })
 * Tensor.backward(gradient=None, retain_graph=None, create_graph=False, inputs=None)
 * ```
 * `retain_graph` defaults to `create_graph`, as in PyTorch. `inputs` (a Tensor or an array of
 * them) accumulates into those tensors only (autograd/grad.ts).
 */
import { backward } from "../autograd/grad.ts";
import * as matmulOps from "../ops/matmul.ts";
import { Tensor } from "../tensor/tensor.ts";
import { type Arguments, boolean, kind, nullable, optional, required, signature } from "../utils/signature.ts";
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

/** `Tensor.backward(gradient=None, retain_graph=None, create_graph=False, inputs=None)`. */
export const backwardSignature = signature(
  "backward",
  [
    optional("gradient", nullable(tensorKind), null),
    optional("retain_graph", nullable(boolean), null),
    optional("create_graph", boolean, false),
    // any array: its elements are checked with PyTorch's message ("all inputs have to be Tensors")
    optional("inputs", nullable(kind<Tensor | readonly Tensor[]>("a Tensor or an array of Tensors", (v) => v instanceof Tensor || Array.isArray(v))), null),
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
