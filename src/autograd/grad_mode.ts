/** Whether operations are recorded for backward (PyTorch's grad mode). */
let gradEnabled = true;

export const is_grad_enabled = (): boolean => gradEnabled;

/** Sets grad mode and returns the previous setting (as `torch.set_grad_enabled`). */
export function set_grad_enabled(enabled: boolean): boolean {
  const previous = gradEnabled;
  gradEnabled = enabled;
  return previous;
}

function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const previous = set_grad_enabled(enabled);
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/**
 * Runs `fn` without recording operations, as `with torch.no_grad():`.
 *
 * @example
 * ```ts
 * import { no_grad, ones } from "gradlab";
 * const w = ones(3, { requires_grad: true });
 * const y = no_grad(() => w.mul(2));
 * console.log(y.requires_grad); // false
 * ```
 */
export const no_grad = <T>(fn: () => T): T => withGradMode(false, fn);

/** Runs `fn` with operations recorded, even inside `no_grad`, as `with torch.enable_grad():`. */
export const enable_grad = <T>(fn: () => T): T => withGradMode(true, fn);
