/**
 * Ordered hook registries with removable handles, as `torch.utils.hooks.RemovableHandle`
 * over an OrderedDict: hooks run in registration order, `prepend` puts one first, and
 * `handle.remove()` takes it out (removing twice does nothing).
 */

/** What every `register_*_hook` returns: call `remove()` to unregister the hook. */
export interface RemovableHandle {
  /** A number unique across all handles, as PyTorch's `handle.id`. */
  readonly id: number;
  remove(): void;
}

let nextId = 0;

/** Hooks by handle id, in the order they run. */
export class HookList<H> {
  private hooks = new Map<number, H>();

  /** Adds a hook last (or first with `prepend`) and returns its handle. */
  add(hook: H, prepend = false): RemovableHandle {
    const id = nextId++;
    if (prepend) this.hooks = new Map([[id, hook], ...this.hooks]);
    else this.hooks.set(id, hook);
    return { id, remove: () => void this.hooks.delete(id) };
  }

  /** How many hooks are registered (lets `step` skip the hook machinery when none are). */
  get size(): number {
    return this.hooks.size;
  }

  /** The hooks in running order (a snapshot, so a hook may remove itself). */
  values(): H[] {
    return [...this.hooks.values()];
  }
}
