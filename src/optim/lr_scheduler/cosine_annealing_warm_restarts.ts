import { cosineAt } from "./cosine_annealing_lr.ts";
import * as libm from "../../math/libm.ts";
import { LRScheduler, groupsOf } from "./lr_scheduler.ts";
import { type Arguments, number, optional, required, signature } from "../../utils/signature.ts";
import { lastEpochParameter, optimizerParameter } from "./parameters.ts";

/**
 * Where epoch e falls in SGDR's cycles of lengths T_0, T_0·T_mult, T_0·T_mult², …:
 * `T_cur` epochs into a cycle of length `T_i` (e may be fractional). The cycle index is
 * n = ⌊log(e/T_0·(T_mult − 1) + 1) / log(T_mult)⌋ with glibc's correctly rounded log, as
 * Python's `int(math.log(x, T_mult))`: at a boundary the quotient can fall just below the
 * integer (log(243)/log(3) = 4.999999999999999), and PyTorch then stays at the end of the old cycle.
 */
export function warmRestartPosition(e: number, T_0: number, T_mult: number): { T_cur: number; T_i: number } {
  if (e < T_0) return { T_cur: e, T_i: T_0 };
  if (T_mult === 1) return { T_cur: e % T_0, T_i: T_0 };
  const n = Math.trunc(libm.log((e / T_0) * (T_mult - 1) + 1) / libm.log(T_mult));
  const T_mult_n = libm.pow(T_mult, n); // exact, as Python's int ** int
  return { T_cur: e - (T_0 * (T_mult_n - 1)) / (T_mult - 1), T_i: T_0 * T_mult_n };
}

/**
 * CosineAnnealingWarmRestarts's signature in current PyTorch: `CosineAnnealingWarmRestarts(optimizer,
 * T_0, T_mult=1, eta_min=0.0, last_epoch=-1)`; T_0 and T_mult are checked with PyTorch's messages.
 */
export const cosineAnnealingWarmRestartsSignature = signature("CosineAnnealingWarmRestarts.__init__", [
  optimizerParameter,
  required("T_0", number),
  optional("T_mult", number, 1),
  optional("eta_min", number, 0.0),
  lastEpochParameter,
]);

/**
 * Anneals each group's learning rate along a cosine from its initial value to `eta_min`
 * over `T_i` epochs, then restarts, each cycle `T_mult` times longer than the last (SGDR).
 *
 * ```text
 * options  T_0 · T_mult (1) · η_min eta_min (0)
 * step():       T_cur ← T_cur + 1;  if T_cur ≥ T_i: T_cur ← T_cur − T_i, T_i ← T_i·T_mult
 * step(epoch):  (T_cur, T_i) ← warmRestartPosition(epoch, T_0, T_mult)   (epoch may be fractional)
 * η ← η_min + (η₀ − η_min)·(1 + cos(π·T_cur/T_i))/2   (cosineAt(T_cur, η₀, η_min, T_i))
 * ```
 * `step(epoch)` is the documented way to step within an epoch (`epoch + i / iters`), so
 * unlike other schedulers it gives no deprecation warning.
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  declare T_0: number;
  declare T_i: number;
  declare T_mult: number;
  declare eta_min: number;
  declare T_cur: number;

  constructor(...args: Arguments<typeof cosineAnnealingWarmRestartsSignature>) {
    const { optimizer, T_0, T_mult, eta_min, last_epoch } = cosineAnnealingWarmRestartsSignature.parse(args);
    if (!Number.isInteger(T_0) || T_0 <= 0) throw new Error(`Expected positive integer T_0, but got ${T_0}`);
    if (!Number.isInteger(T_mult) || T_mult < 1) throw new Error(`Expected integer T_mult >= 1, but got ${T_mult}`);
    if (typeof eta_min !== "number") {
      throw new Error(`Expected float or int eta_min, but got ${String(eta_min)} of type ${typeof eta_min}`);
    }
    super(optimizer, last_epoch, { T_0, T_i: T_0, T_mult, eta_min, T_cur: last_epoch });
  }

  override get_lr(): number[] {
    this.warnIfOutsideStep();
    return this.base_lrs.map((base_lr) => cosineAt(this.T_cur, base_lr, this.eta_min, this.T_i));
  }

  /** Advances one epoch, or moves to `epoch` (fractional epochs step within a cycle). */
  override step(epoch?: number): void {
    if (epoch === undefined && this.last_epoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.last_epoch + 1;
      this.T_cur = this.T_cur + 1;
      if (this.T_cur >= this.T_i) {
        this.T_cur = this.T_cur % this.T_i;
        this.T_i = this.T_i * this.T_mult;
      }
    } else {
      if (epoch < 0) throw new Error(`Expected non-negative epoch, but got ${epoch}`);
      const { T_cur, T_i } = warmRestartPosition(epoch, this.T_0, this.T_mult);
      this.T_cur = T_cur;
      // Past the first cycle with T_mult = 1, PyTorch leaves T_i as it was.
      if (epoch < this.T_0 || this.T_mult !== 1) this.T_i = T_i;
    }
    this.last_epoch = Math.floor(epoch);
    this._get_lr_called_within_step = true;
    let lrs: number[];
    try {
      lrs = this.get_lr();
    } finally {
      this._get_lr_called_within_step = false;
    }
    const groups = groupsOf(this.optimizer);
    groups.forEach((group, i) => (group.lr = lrs[i]!));
    this._last_lr = groups.map((group) => group.lr);
  }
}
