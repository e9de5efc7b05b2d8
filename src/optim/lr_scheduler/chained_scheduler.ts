import { ADDED_SINCE } from "./scheduler_state.ts";
import { prepareNestedLoad, stepAtomically } from "./sequential_lr.ts";
import { LRScheduler, NO_BASE_SETUP, type SchedulableOptimizer, type SchedulerState, groupsOf } from "./lr_scheduler.ts";
import { checkChained, isPlateau } from "./sequential_lr.ts";
import { type Arguments, anything, arrayOf, instanceOf, optional, required, signature } from "../../utils/signature.ts";

/** ChainedScheduler's signature in current PyTorch: `ChainedScheduler(schedulers, optimizer=None)`. */
export const chainedSchedulerSignature = signature("ChainedScheduler.__init__", [
  required("schedulers", arrayOf(instanceOf(LRScheduler, "a scheduler"), "an array of schedulers")),
  optional("optimizer", anything<SchedulableOptimizer | null>(), null),
]);

/**
 * Steps several schedulers of one optimizer together: each `step()` calls every one's
 * `step()` in order, so their multiplicative changes compose.
 *
 * ```text
 * arguments  schedulers · optimizer (default: schedulers[0].optimizer)
 * step(): for s in schedulers: s.step();  last lrs ← the groups' lrs
 * ```
 * A step is all or nothing: if one scheduler throws, those stepped before it, the chain and
 * the optimizer's groups are put back as they were (PyTorch leaves the earlier ones stepped).
 */
export class ChainedScheduler extends LRScheduler {
  _schedulers: LRScheduler[];

  constructor(...args: Arguments<typeof chainedSchedulerSignature>) {
    const { schedulers, optimizer } = chainedSchedulerSignature.parse(args);
    const owner = new.target.name;
    if (schedulers.length < 1) throw new Error(`${owner} expects at least one scheduler to be chained, but got no scheduler.`);
    const opt = optimizer ?? schedulers[0]!.optimizer;
    checkChained(owner, opt, schedulers, isPlateau);
    super(opt, -1, NO_BASE_SETUP);
    this._schedulers = schedulers;
    this._last_lr = groupsOf(schedulers[schedulers.length - 1]!.optimizer).map((group) => group.lr);
  }

  /** ChainedScheduler computes no rates of its own: the groups' current rates. */
  override get_lr(): number[] {
    return groupsOf(this.optimizer).map((group) => group.lr);
  }

  /** Every wrapped scheduler's step, all or nothing (one that throws leaves every scheduler and group as it was). */
  override step(): void {
    stepAtomically(this, () => {
      for (const scheduler of this._schedulers) scheduler.step();
      this._last_lr = groupsOf(this._schedulers[this._schedulers.length - 1]!.optimizer).map((group) => group.lr);
    });
  }

  /** The state, with each wrapped scheduler's state under `_schedulers`. */
  override state_dict(): SchedulerState {
    return { ...this.stateWithout(["_schedulers"]), _schedulers: this._schedulers.map((s) => s.state_dict()) };
  }

  /**
   * PyTorch's ChainedScheduler never calls the base constructor, so its state dict holds only
   * `_schedulers` and `_last_lr`: the base's counters keep this scheduler's values when loading one.
   */
  protected override _unsaved_by_pytorch(): readonly string[] {
    return [...ADDED_SINCE, "base_lrs", "last_epoch", "_step_count", "_get_lr_called_within_step"];
  }

  /** Checks its own state and every wrapped scheduler's before any of them loads. */
  override _prepare_load(state_dict: unknown): () => void {
    return prepareNestedLoad(this, this._schedulers, state_dict, (sd, skip) => super._prepare_load(sd, skip));
  }
}
