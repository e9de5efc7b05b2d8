import { ADDED_SINCE, type StateCheck, oneOf } from "./scheduler_state.ts";
import { warn } from "../../utils/warn.ts";
import { EPOCH_DEPRECATION_WARNING, LRScheduler, NO_BASE_SETUP, checkOptimizer, groupsOf } from "./lr_scheduler.ts";
import { type Arguments, type ValuesOf, choice, integer, number, optional, signature } from "../../utils/signature.ts";
import { optimizerParameter, perGroup } from "./parameters.ts";

/**
 * ReduceLROnPlateau's signature in current PyTorch: `ReduceLROnPlateau(optimizer, mode="min",
 * factor=0.1, patience=10, threshold=1e-4, threshold_mode="rel", cooldown=0, min_lr=0, eps=1e-8)`.
 */
export const reduceLROnPlateauSignature = signature("ReduceLROnPlateau.__init__", [
  optimizerParameter,
  optional("mode", choice("min", "max"), "min"),
  optional("factor", number, 0.1),
  optional("patience", integer, 10),
  optional("threshold", number, 1e-4),
  optional("threshold_mode", choice("rel", "abs"), "rel"),
  optional("cooldown", integer, 0),
  optional("min_lr", perGroup, 0),
  optional("eps", number, 1e-8),
]);

/** The options of {@link ReduceLROnPlateau}. */
export type ReduceLROnPlateauOptions = Partial<Omit<ValuesOf<typeof reduceLROnPlateauSignature>, "optimizer">>;

/** Whether metric a improves on best, by `threshold` (relative or absolute) in the direction of `mode`. */
export function isBetter(a: number, best: number, mode: "min" | "max", threshold_mode: "rel" | "abs", threshold: number): boolean {
  if (mode === "min" && threshold_mode === "rel") return a < best * (1.0 - threshold);
  if (mode === "min") return a < best - threshold;
  if (threshold_mode === "rel") return a > best * (threshold + 1.0);
  return a > best + threshold;
}

/**
 * Reduces each group's learning rate by `factor` when a metric has stopped improving for
 * more than `patience` epochs. Step it with the metric: `scheduler.step(val_loss)`.
 *
 * ```text
 * options  mode ("min") · factor (0.1) · patience (10) · threshold (1e-4) · threshold_mode ("rel")
 *          cooldown (0) · min_lr (0, or one per group) · eps (1e-8)
 * step(metric):
 *   if metric improves on best (rel: < best·(1 − threshold) in min mode, > best·(1 + threshold) in max;
 *                               abs: < best − threshold, > best + threshold):  best ← metric, bad ← 0
 *   else bad ← bad + 1
 *   in cooldown: cooldown_counter ← cooldown_counter − 1, bad ← 0
 *   if bad > patience:  for each group, η_new ← max(η·factor, min_lr);  η ← η_new if η − η_new > eps
 *                       cooldown_counter ← cooldown, bad ← 0
 * ```
 */
export class ReduceLROnPlateau extends LRScheduler {
  factor: number;
  default_min_lr: number | null;
  min_lrs: number[];
  patience: number;
  cooldown: number;
  eps: number;
  mode: "min" | "max" = "min";
  threshold = 1e-4;
  threshold_mode: "rel" | "abs" = "rel";
  /** The worst possible metric for the mode: +∞ for min, −∞ for max. */
  mode_worse = Infinity;
  best = Infinity;
  cooldown_counter = 0;
  num_bad_epochs = 0;

  constructor(...args: Arguments<typeof reduceLROnPlateauSignature>) {
    const { optimizer, mode, factor, patience, threshold, threshold_mode, cooldown, min_lr, eps } = reduceLROnPlateauSignature.parse(args);
    if (factor >= 1.0) throw new Error("Factor should be < 1.0.");
    checkOptimizer(optimizer);
    const n = optimizer.param_groups.length;
    if (Array.isArray(min_lr) && min_lr.length !== n) throw new Error(`expected ${n} min_lrs, got ${min_lr.length}`);
    checkModes(mode, threshold_mode);
    super(optimizer, -1, NO_BASE_SETUP);
    this.factor = factor;
    this.default_min_lr = Array.isArray(min_lr) ? null : min_lr;
    this.min_lrs = Array.isArray(min_lr) ? min_lr.slice() : new Array<number>(n).fill(min_lr);
    this.patience = patience;
    this.cooldown = cooldown;
    this.eps = eps;
    this.last_epoch = 0;
    this._last_lr = groupsOf(optimizer).map((group) => group.lr);
    this.initIsBetter(mode, threshold, threshold_mode);
    this._reset();
  }

  /** Resets the best metric and the bad-epoch and cooldown counters. */
  _reset(): void {
    this.best = this.mode_worse;
    this.cooldown_counter = 0;
    this.num_bad_epochs = 0;
  }

  /** True while the cooldown after a reduction lasts. */
  get in_cooldown(): boolean {
    return this.cooldown_counter > 0;
  }

  /** ReduceLROnPlateau computes rates from the metric in `step`; this returns the groups' current rates. */
  override get_lr(): number[] {
    return groupsOf(this.optimizer).map((group) => group.lr);
  }

  /** Records the epoch's metric (a number, or a one-element tensor) and reduces the rates if it has plateaued. */
  override step(metrics?: number | { item(): number }, epoch?: number): void {
    if (metrics === undefined) throw new TypeError("step() missing 1 required positional argument: 'metrics'");
    const current = metricValue(metrics);
    if (epoch === undefined) epoch = this.last_epoch + 1;
    else warn(EPOCH_DEPRECATION_WARNING);
    // The new counters are worked out first and kept only once reduceLr (which may throw) is done.
    let { best, num_bad_epochs, cooldown_counter } = this;
    if (isBetter(current, best, this.mode, this.threshold_mode, this.threshold)) {
      best = current;
      num_bad_epochs = 0;
    } else {
      num_bad_epochs += 1;
    }
    if (cooldown_counter > 0) {
      cooldown_counter -= 1;
      num_bad_epochs = 0; // bad epochs in cooldown do not count
    }
    if (num_bad_epochs > this.patience) {
      this.reduceLr();
      cooldown_counter = this.cooldown;
      num_bad_epochs = 0;
    }
    Object.assign(this, { last_epoch: epoch, best, num_bad_epochs, cooldown_counter });
    this._last_lr = groupsOf(this.optimizer).map((group) => group.lr);
  }

  private reduceLr(): void {
    const groups = groupsOf(this.optimizer);
    if (groups.length !== this.min_lrs.length) {
      if (this.default_min_lr === null) {
        throw new Error(
          `The number of param groups in the \`optimizer\` (${groups.length}) differs from when \`ReduceLROnPlateau\` was initialized (${this.min_lrs.length}), usually due to a new param group being added to the optimizer. Please modify the \`min_lrs\` field to match the length of the \`optimizer\` param groups.`,
        );
      }
      this.min_lrs = new Array<number>(groups.length).fill(this.default_min_lr);
    }
    groups.forEach((group, i) => {
      const old_lr = group.lr;
      const new_lr = Math.max(old_lr * this.factor, this.min_lrs[i]!);
      if (old_lr - new_lr > this.eps) group.lr = new_lr;
    });
  }

  private initIsBetter(mode: "min" | "max", threshold: number, threshold_mode: "rel" | "abs"): void {
    checkModes(mode, threshold_mode);
    this.mode_worse = mode === "min" ? Infinity : -Infinity;
    this.mode = mode;
    this.threshold = threshold;
    this.threshold_mode = threshold_mode;
  }

  /**
   * Restores the state `state_dict()` returned. JSON writes ±∞ as null, so a null `best`
   * (no metric seen yet) comes back as the mode's worst value.
   */
  protected override _after_load(): void {
    this.initIsBetter(this.mode, this.threshold, this.threshold_mode);
    if (this.best === null) this.best = this.mode_worse;
  }

  /**
   * PyTorch's ReduceLROnPlateau never calls the base constructor, so its state dict lacks the
   * base's `base_lrs`, `_step_count` and `_get_lr_called_within_step` (and torch 1.13's lacks
   * `default_min_lr`): loading one keeps this scheduler's values for those.
   */
  protected override _unsaved_by_pytorch(): readonly string[] {
    return [...ADDED_SINCE, "base_lrs", "_step_count", "_get_lr_called_within_step", "default_min_lr"];
  }

  protected override _state_checks(): Record<string, StateCheck> {
    return { mode: oneOf(["min", "max"]) };
  }
}

/** The metric as Python's `float(metrics)` reads it: a number, or a one-element tensor. */
function metricValue(metrics: unknown): number {
  if (typeof metrics === "number") return metrics;
  if (metrics !== null && typeof metrics === "object" && typeof (metrics as { item?: unknown }).item === "function") {
    return (metrics as { item(): number }).item();
  }
  const type =
    metrics === null
      ? "NoneType"
      : Array.isArray(metrics)
        ? "list"
        : typeof metrics === "object"
          ? "dict"
          : typeof metrics === "string"
            ? "str"
            : typeof metrics;
  throw new TypeError(`float() argument must be a string or a real number, not '${type}'`);
}

function checkModes(mode: string, threshold_mode: string): void {
  if (mode !== "min" && mode !== "max") throw new Error(`mode ${mode} is unknown!`);
  if (threshold_mode !== "rel" && threshold_mode !== "abs") throw new Error(`threshold mode ${threshold_mode} is unknown!`);
}
