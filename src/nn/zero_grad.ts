/**
 * Resetting gradients, as `Module.zero_grad` and `Optimizer.zero_grad` both do it in PyTorch
 * (the two methods there hold the same loop; here they call this one).
 */
import { Tensor } from "../methods.ts";
import { fillInto } from "../kernels/elementwise.ts";

/**
 * Resets each parameter's gradient: to null with `set_to_none` (PyTorch's default), or else to
 * zeros in place, detached from any graph that made it. As PyTorch's loop:
 * `p.grad.detach_()` if it has a grad_fn, else `p.grad.requires_grad_(False)`; then
 * `p.grad.zero_()` (a sparse gradient keeps no entries).
 */
export function zeroGradients(params: Iterable<Tensor>, set_to_none: boolean): void {
  for (const p of params) {
    const grad = p.grad;
    if (grad === null) continue;
    if (set_to_none) {
      p.grad = null;
      continue;
    }
    if (grad.grad_fn !== null) grad.detach_();
    else grad.requires_grad = false;
    if (grad.is_sparse) {
      grad.zero_();
    } else {
      fillInto(grad.data, 0);
      grad._bumpVersion();
    }
  }
}
