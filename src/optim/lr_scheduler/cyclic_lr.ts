import { type StateCheck, oneOf } from "./scheduler_state.ts";
import * as libm from "../../math/libm.ts";
import { LRScheduler, type SchedulerState, checkOptimizer, formatParam, groupsOf } from "./lr_scheduler.ts";
import {
  type Arguments,
  type ValuesOf,
  boolean,
  choice,
  func,
  nullable,
  number,
  oneOf as oneOfKind,
  optional,
  required,
  signature,
} from "../../utils/signature.ts";
import { checkPeriod, lastEpochParameter, optimizerParameter, perGroup } from "./parameters.ts";

/** CyclicLR's built-in policies. */
export type CyclicMode = "triangular" | "triangular2" | "exp_range";

/**
 * CyclicLR's signature in current PyTorch: `CyclicLR(optimizer, base_lr, max_lr, step_size_up=2000,
 * step_size_down=None, mode="triangular", gamma=1.0, scale_fn=None, scale_mode="cycle",
 * cycle_momentum=True, base_momentum=0.8, max_momentum=0.9, last_epoch=-1)`.
 */
export const cyclicLRSignature = signature("CyclicLR.__init__", [
  optimizerParameter,
  required("base_lr", perGroup),
  required("max_lr", perGroup),
  optional("step_size_up", number, 2000),
  optional("step_size_down", nullable(number), null),
  optional("mode", choice("triangular", "triangular2", "exp_range"), "triangular"),
  optional("gamma", number, 1.0),
  optional("scale_fn", nullable(func<(x: number) => number>()), null),
  optional("scale_mode", oneOfKind("cycle", "iterations"), "cycle"),
  optional("cycle_momentum", boolean, true),
  optional("base_momentum", perGroup, 0.8),
  optional("max_momentum", perGroup, 0.9),
  lastEpochParameter,
]);

/** The options of {@link CyclicLR} after `base_lr` and `max_lr`. */
export type CyclicLROptions = Partial<Omit<ValuesOf<typeof cyclicLRSignature>, "optimizer" | "base_lr" | "max_lr">>;

/**
 * Where batch t falls in a cycle of `total_size` batches whose first `step_ratio` part
 * rises: the cycle number (from 1) and the height factor f ∈ [0, 1].
 */
export function cyclePosition(t: number, total_size: number, step_ratio: number): { cycle: number; f: number } {
  const cycle = Math.floor(1 + t / total_size);
  const x = 1.0 + t / total_size - cycle;
  return { cycle, f: x <= step_ratio ? x / step_ratio : (x - 1) / (step_ratio - 1) };
}

/**
 * Cycles each group's learning rate between `base_lr` and `max_lr` (Smith's cyclical
 * learning rates), and the momentum (SGD's `momentum`, or `betas[0]` for Adam-like
 * optimizers) inversely between `max_momentum` and `base_momentum`. Step it every batch.
 *
 * ```text
 * options  η_lo base_lr · η_hi max_lr · up step_size_up (2000) · down step_size_down (= up)
 *          mode · γ gamma (1.0) · s scale_fn · scale_mode · m_lo base_momentum (0.8) · m_hi max_momentum (0.9)
 * t ← last_epoch;  (cycle, f) ← cyclePosition(t, up + down, up / (up + down))
 * k ← s(cycle) if scale_mode = "cycle", s(t) if "iterations", where s is
 *     1 (triangular) · 1/2^(cycle − 1) (triangular2) · γ^t (exp_range) · scale_fn if given
 * η ← η_lo + (η_hi − η_lo)·f·k            momentum ← m_hi − (m_hi − m_lo)·f·k
 * ```
 * Construction sets each group's `lr` to `base_lr` (and momentum to `max_momentum`).
 *
 * `cycle_momentum` is on by default, so on SGD the scheduler writes each group's `momentum`
 * (0.9 at the start, 0.8 at each lr peak): a plain `SGD(params, { lr })`, made with no
 * momentum, trains with momentum between 0.8 and 0.9 under CyclicLR, as in PyTorch. Pass
 * `cycle_momentum: false` to keep the optimizer's own momentum (0 for plain SGD).
 */
export class CyclicLR extends LRScheduler {
  declare max_lrs: number[];
  declare total_size: number;
  declare step_ratio: number;
  declare mode: CyclicMode;
  declare gamma: number;
  declare _scale_fn_custom: ((x: number) => number) | null;
  declare scale_mode: "cycle" | "iterations";
  declare cycle_momentum: boolean;
  declare use_beta1: boolean;
  declare base_momentums: number[];
  declare max_momentums: number[];

  constructor(...args: Arguments<typeof cyclicLRSignature>) {
    const values = cyclicLRSignature.parse(args);
    const { optimizer, base_lr, max_lr, step_size_up, step_size_down, mode, gamma, scale_fn } = values;
    const { scale_mode, cycle_momentum, base_momentum, max_momentum, last_epoch } = values;
    // PyTorch divides by the rising part (x / step_ratio at each cycle's start) and by the
    // cycle's length: ZeroDivisionError in its constructor for either zero; refuse them up front.
    checkPeriod("CyclicLR", "step_size_up", step_size_up);
    checkPeriod("CyclicLR", "step_size_up + step_size_down", step_size_up + (step_size_down ?? step_size_up));
    checkOptimizer(optimizer);
    const base_lrs = formatParam("base_lr", optimizer, base_lr);
    const max_lrs = formatParam("max_lr", optimizer, max_lr);
    const up = step_size_up;
    const down = step_size_down ?? up;
    if (!["triangular", "triangular2", "exp_range"].includes(mode) && scale_fn === null) {
      throw new Error("mode is invalid and scale_fn is None");
    }
    const settings: Partial<CyclicLR> = {
      max_lrs,
      total_size: up + down,
      step_ratio: up / (up + down),
      mode,
      gamma,
      _scale_fn_custom: scale_fn,
      scale_mode,
      cycle_momentum,
    };
    if (cycle_momentum) {
      if (!("momentum" in optimizer.defaults) && !("betas" in optimizer.defaults)) {
        throw new Error("optimizer must support momentum or beta1 with `cycle_momentum` option enabled");
      }
      settings.use_beta1 = "betas" in optimizer.defaults;
      settings.base_momentums = formatParam("base_momentum", optimizer, base_momentum);
      settings.max_momentums = formatParam("max_momentum", optimizer, max_momentum);
    }
    if (last_epoch !== -1) {
      // Resuming: the base checks initial_lr; check it here too, before any group changes.
      groupsOf(optimizer).forEach((group, i) => {
        if (!("initial_lr" in group)) throw new Error(`param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer`);
      });
    } else {
      groupsOf(optimizer).forEach((group, i) => {
        group.lr = base_lrs[i]!;
        if (!cycle_momentum) return;
        const m_hi = settings.max_momentums![i]!;
        setMomentum(group, settings.use_beta1!, m_hi);
        group.max_momentum = m_hi;
        group.base_momentum = settings.base_momentums![i]!;
      });
    }
    super(optimizer, last_epoch, withScaleMode(settings));
    this.base_lrs = base_lrs;
  }

  /** The scaling policy k at x (a cycle number or a batch index, per `scale_mode`). */
  scale_fn(x: number): number {
    if (this._scale_fn_custom !== null) return this._scale_fn_custom(x);
    if (this.mode === "triangular") return 1.0;
    if (this.mode === "triangular2") return 1 / libm.pow(2.0, x - 1);
    return libm.pow(this.gamma, x);
  }

  override get_lr(): number[] {
    this.warnIfOutsideStep();
    const t = this.last_epoch;
    const { cycle, f } = cyclePosition(t, this.total_size, this.step_ratio);
    const k = this.scale_fn(this.scale_mode === "cycle" ? cycle : t);
    const lrs = this.base_lrs.map((lo, i) => lo + (this.max_lrs[i]! - lo) * f * k);
    if (this.cycle_momentum) {
      const groups = groupsOf(this.optimizer);
      this.max_momentums.forEach((hi, i) => setMomentum(groups[i]!, this.use_beta1, hi - (hi - this.base_momentums[i]!) * f * k));
    }
    return lrs;
  }

  /** The state, with `_scale_fn_custom` null: functions are not saved, as in PyTorch. */
  override state_dict(): SchedulerState {
    return { ...this.stateWithout(["_scale_fn_custom"]), _scale_fn_custom: null };
  }

  /** A custom scale_fn is a function, not saved: loading keeps the one given to the constructor. */
  protected override _not_loaded(): readonly string[] {
    return ["_scale_fn_custom"];
  }

  protected override _state_checks(): Record<string, StateCheck> {
    return { mode: oneOf(["triangular", "triangular2", "exp_range"]) };
  }

  protected override _after_load(): void {
    if (this._scale_fn_custom === null) this.scale_mode = this.mode === "exp_range" ? "iterations" : "cycle";
  }
}

/** The built-in policies fix scale_mode (lr_scheduler.py, `_init_scale_fn`); a custom scale_fn keeps the one given. */
function withScaleMode<T extends Partial<Pick<CyclicLR, "mode" | "scale_mode" | "_scale_fn_custom">>>(s: T): T {
  if (s._scale_fn_custom !== null && s._scale_fn_custom !== undefined) return s;
  return { ...s, scale_mode: s.mode === "exp_range" ? "iterations" : "cycle" };
}

/** Writes the cycled momentum: `betas[0]` for Adam-like optimizers, `momentum` otherwise. */
export function setMomentum(group: Record<string, unknown>, use_beta1: boolean, value: number): void {
  if (use_beta1) group.betas = [value, ...(group.betas as number[]).slice(1)];
  else group.momentum = value;
}
