import { needsGrad } from "../autograd/node.ts";
import { sameShape } from "../kernels/broadcast.ts";
import { copyInto } from "../kernels/elementwise.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { clone } from "./copy.ts";

/**
 * Runs an in-place op on `self`. Without autograd (the optimizer's case) `write` updates
 * the memory directly, allocating nothing. When the op must be recorded, the result is
 * computed out of place from a recorded clone of `self` and copied back, and `self`
 * takes the new `grad_fn`, as PyTorch rebases a tensor's history after an in-place op.
 * Either way the version counter goes up, so a backward that saved `self` will notice.
 */
export function inPlace(self: Tensor, others: readonly (Tensor | null)[], outOfPlace: (current: Tensor) => Tensor, write: () => void): Tensor {
  if (needsGrad([self, ...others])) {
    if (self.is_leaf && self.requires_grad) {
      throw new Error("a leaf Variable that requires grad is being used in an in-place operation.");
    }
    if (self._base?.requires_grad) {
      // PyTorch re-bases the base's history here (CopySlices); gradlab refuses rather
      // than let the base's gradient silently miss the change.
      throw new Error(
        "gradlab does not support in-place operations on a view of a tensor that requires grad (PyTorch rewrites the base's history with CopySlices); apply the operation out of place instead",
      );
    }
    const result = outOfPlace(clone(self));
    checkInPlaceShape(self, result.shape);
    copyInto(self.data, result.data);
    self.grad_fn = result.grad_fn;
    self.requires_grad = true;
  } else {
    write();
  }
  self._bumpVersion();
  return self;
}

/** PyTorch's message when an in-place result would need a different shape than `self`. */
export function checkInPlaceShape(self: Tensor, broadcastShape: readonly number[]): void {
  if (!sameShape(self.shape, broadcastShape)) {
    throw new Error(`output with shape [${self.shape.join(", ")}] doesn't match the broadcast shape [${broadcastShape.join(", ")}]`);
  }
}
