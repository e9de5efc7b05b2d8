import { zeros_like } from "../tensor/creation.ts";
import { bufferIndices } from "../kernels/view.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { grad } from "./grad.ts";
import { no_grad } from "./grad_mode.ts";

/** Options of `gradcheck`, with PyTorch's defaults. */
export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Throw on a mismatch (the default) instead of returning false. */
  raise_exception?: boolean;
}

/**
 * Checks the gradients autograd computes for `fn` against finite differences, as
 * `torch.autograd.gradcheck`: for every input that requires grad and every element j,
 *
 * ```text
 * numerical  J[k][j] = (f(x + ε·e_j)[k] − f(x − ε·e_j)[k]) / (2ε)     central differences
 * analytical J[k][j] = ∂f[k]/∂x_j from autograd.grad with grad_output e_k
 * passes when |analytical − numerical| ≤ atol + rtol·|numerical| for every k, j
 * ```
 * Use float64 inputs: in float32 the differences are dominated by rounding.
 *
 * @example
 * ```ts
 * import { autograd, tensor } from "gradlab";
 * const x = tensor([0.5, -1.5, 2], { dtype: "float64", requires_grad: true });
 * console.log(autograd.gradcheck((t) => t.mul(t).mul(t), [x])); // true
 * ```
 */
export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: GradcheckOptions = {}): boolean {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, raise_exception = true } = options;
  const output = fn(...inputs);
  const outputSize = output.numel();
  const differentiable = inputs.map((t, i) => [t, i] as const).filter(([t]) => t.requires_grad);
  if (differentiable.length === 0) {
    throw new Error("gradcheck expects at least one input tensor to require gradient, but none of the them have requires_grad=True.");
  }
  const evaluate = (): number[] => Array.from(no_grad(() => fn(...inputs)).toTypedArray());

  for (const [input, inputIndex] of differentiable) {
    const positions = bufferIndices(input.data);
    const buffer = input.data.data;
    const numerical: number[][] = positions.map((p) => {
      const original = buffer[p]!;
      buffer[p] = original + eps;
      const plus = evaluate();
      buffer[p] = original - eps;
      const minus = evaluate();
      buffer[p] = original;
      return plus.map((v, k) => (v - minus[k]!) / (2 * eps));
    });
    const analytical: number[][] = positions.map(() => new Array<number>(outputSize).fill(0));
    if (output.requires_grad) {
      for (let k = 0; k < outputSize; k++) {
        const gradOutput = zeros_like(output);
        gradOutput.data.data[k] = 1;
        const [g] = grad(fn(...inputs), [input], { grad_outputs: [gradOutput], allow_unused: true });
        if (g !== null && g !== undefined) {
          const values = g.toTypedArray();
          for (let j = 0; j < positions.length; j++) analytical[j]![k] = values[j]!;
        }
      }
    }
    for (let j = 0; j < positions.length; j++) {
      for (let k = 0; k < outputSize; k++) {
        const a = analytical[j]![k]!;
        const n = numerical[j]![k]!;
        if (!(Math.abs(a - n) <= atol + rtol * Math.abs(n))) {
          if (!raise_exception) return false;
          throw new Error(
            `Jacobian mismatch for output 0 with respect to input ${inputIndex},\n` +
              `at element ${j} of the input and element ${k} of the output:\n` +
              `numerical: ${n}\nanalytical: ${a}\n` +
              `numerical column: [${numerical[j]!.join(", ")}]\nanalytical column: [${analytical[j]!.join(", ")}]`,
          );
        }
      }
    }
  }
  return true;
}
