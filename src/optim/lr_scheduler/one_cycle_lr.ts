import { setMomentum } from "./cyclic_lr.ts";
import * as libm from "../../math/libm.ts";
import { LRScheduler, checkOptimizer, formatParam, groupsOf } from "./lr_scheduler.ts";
import { type Arguments, type ValuesOf, boolean, choice, nullable, number, optional, required, signature } from "../../utils/signature.ts";
import { lastEpochParameter, optimizerParameter, perGroup } from "./parameters.ts";

/** Cosine anneal from `start` to `end` as pct goes from 0 to 1. */
export const annealingCos = (start: number, end: number, pct: number): number => end + ((start - end) / 2.0) * (libm.cos(Math.PI * pct) + 1);

/** Linear anneal from `start` to `end` as pct goes from 0 to 1. */
export const annealingLinear = (start: number, end: number, pct: number): number => (end - start) * pct + start;

/** One phase of the 1cycle schedule: it ends at `end_step` and anneals between two group keys. */
export interface SchedulePhase {
  end_step: number;
  start_lr: string;
  end_lr: string;
  start_momentum: string;
  end_momentum: string;
}

/**
 * OneCycleLR's signature in current PyTorch: `OneCycleLR(optimizer, max_lr, total_steps=None,
 * epochs=None, steps_per_epoch=None, pct_start=0.3, anneal_strategy="cos", cycle_momentum=True,
 * base_momentum=0.85, max_momentum=0.95, div_factor=25.0, final_div_factor=1e4,
 * three_phase=False, last_epoch=-1)`.
 */
export const oneCycleLRSignature = signature("OneCycleLR.__init__", [
  optimizerParameter,
  required("max_lr", perGroup),
  optional("total_steps", nullable(number), null),
  optional("epochs", nullable(number), null),
  optional("steps_per_epoch", nullable(number), null),
  optional("pct_start", number, 0.3),
  optional("anneal_strategy", choice("cos", "linear"), "cos"),
  optional("cycle_momentum", boolean, true),
  optional("base_momentum", perGroup, 0.85),
  optional("max_momentum", perGroup, 0.95),
  optional("div_factor", number, 25.0),
  optional("final_div_factor", number, 1e4),
  optional("three_phase", boolean, false),
  lastEpochParameter,
]);

/** The options of {@link OneCycleLR} after `max_lr`. */
export type OneCycleLROptions = Partial<Omit<ValuesOf<typeof oneCycleLRSignature>, "optimizer" | "max_lr">>;

/** The phases of the schedule over `total_steps` (lr_scheduler.py, OneCycleLR's `_schedule_phases`). */
export function oneCyclePhases(total_steps: number, pct_start: number, three_phase: boolean): SchedulePhase[] {
  const up = { end_step: pct_start * total_steps - 1, start_lr: "initial_lr", end_lr: "max_lr", start_momentum: "max_momentum", end_momentum: "base_momentum" };
  if (!three_phase) {
    return [up, { end_step: total_steps - 1, start_lr: "max_lr", end_lr: "min_lr", start_momentum: "base_momentum", end_momentum: "max_momentum" }];
  }
  return [
    up,
    { end_step: 2 * pct_start * total_steps - 2, start_lr: "max_lr", end_lr: "initial_lr", start_momentum: "base_momentum", end_momentum: "max_momentum" },
    { end_step: total_steps - 1, start_lr: "initial_lr", end_lr: "min_lr", start_momentum: "max_momentum", end_momentum: "max_momentum" },
  ];
}

/**
 * The 1cycle policy: each group's learning rate rises from `max_lr / div_factor` to
 * `max_lr`, then falls far below the start (to `initial_lr / final_div_factor`), while the
 * momentum (or `betas[0]`) moves the opposite way. Step it every batch, `total_steps` times.
 *
 * ```text
 * options  η_hi max_lr · N total_steps (or epochs × steps_per_epoch) · pct_start (0.3) · anneal_strategy ("cos")
 *          m_lo base_momentum (0.85) · m_hi max_momentum (0.95) · div_factor (25) · final_div_factor (1e4) · three_phase
 * group.initial_lr ← η_hi / div_factor;  group.min_lr ← initial_lr / final_div_factor
 * phases (end step: lr from → to, momentum from → to):
 *   pct_start·N − 1:    initial_lr → max_lr,   m_hi → m_lo
 *   N − 1:              max_lr → min_lr,       m_lo → m_hi           (two phases)
 *   or 2·pct_start·N − 2: max_lr → initial_lr, m_lo → m_hi, then N − 1: initial_lr → min_lr, m_hi → m_hi
 * t ← last_epoch; in the phase (start, end] holding t:  pct ← (t − start)/(end − start)
 * η ← anneal(from, to, pct);  momentum ← anneal(from, to, pct)   (annealingCos or annealingLinear)
 * ```
 */
export class OneCycleLR extends LRScheduler {
  declare total_steps: number;
  declare _schedule_phases: SchedulePhase[];
  declare _anneal_func_type: "cos" | "linear";
  declare cycle_momentum: boolean;
  declare use_beta1: boolean;

  constructor(...args: Arguments<typeof oneCycleLRSignature>) {
    const values = oneCycleLRSignature.parse(args);
    const { optimizer, max_lr, total_steps, epochs, steps_per_epoch, pct_start, anneal_strategy } = values;
    const { cycle_momentum, base_momentum, max_momentum, div_factor, final_div_factor, three_phase, last_epoch } = values;
    checkOptimizer(optimizer);
    let steps: number;
    if (total_steps !== null) {
      if (!Number.isInteger(total_steps) || total_steps <= 0) throw new Error(`Expected positive integer total_steps, but got ${total_steps}`);
      steps = total_steps;
    } else if (epochs !== null && steps_per_epoch !== null) {
      if (!Number.isInteger(epochs) || epochs <= 0) throw new Error(`Expected positive integer epochs, but got ${epochs}`);
      if (!Number.isInteger(steps_per_epoch) || steps_per_epoch <= 0) {
        throw new Error(`Expected positive integer steps_per_epoch, but got ${steps_per_epoch}`);
      }
      steps = epochs * steps_per_epoch;
    } else {
      throw new Error("You must define either total_steps OR (epochs AND steps_per_epoch)");
    }
    if (!(pct_start >= 0 && pct_start <= 1)) throw new Error(`Expected float between 0 and 1 pct_start, but got ${pct_start}`);
    if (anneal_strategy !== "cos" && anneal_strategy !== "linear") {
      throw new Error(`anneal_strategy must be one of 'cos' or 'linear', instead got ${String(anneal_strategy)}`);
    }
    const max_lrs = formatParam("max_lr", optimizer, max_lr);
    let use_beta1 = false;
    let max_momentums: number[] = [];
    let base_momentums: number[] = [];
    if (cycle_momentum) {
      if (!("momentum" in optimizer.defaults) && !("betas" in optimizer.defaults)) {
        throw new Error("optimizer must support momentum or beta1 with `cycle_momentum` option enabled");
      }
      use_beta1 = "betas" in optimizer.defaults;
      max_momentums = formatParam("max_momentum", optimizer, max_momentum);
      base_momentums = formatParam("base_momentum", optimizer, base_momentum);
    }
    const groups = groupsOf(optimizer);
    if (last_epoch !== -1) {
      groups.forEach((group, i) => {
        if (!("initial_lr" in group)) throw new Error(`param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer`);
      });
    } else {
      groups.forEach((group, i) => {
        const initial_lr = max_lrs[i]! / div_factor;
        group.initial_lr = initial_lr;
        group.max_lr = max_lrs[i]!;
        group.min_lr = initial_lr / final_div_factor;
        if (!cycle_momentum) return;
        setMomentum(group, use_beta1, max_momentums[i]!);
        group.max_momentum = max_momentums[i]!;
        group.base_momentum = base_momentums[i]!;
      });
    }
    const settings: Partial<OneCycleLR> = {
      total_steps: steps,
      _schedule_phases: oneCyclePhases(steps, pct_start, three_phase),
      _anneal_func_type: anneal_strategy,
      cycle_momentum,
    };
    if (cycle_momentum) settings.use_beta1 = use_beta1;
    super(optimizer, last_epoch, settings);
  }

  override get_lr(): number[] {
    this.warnIfOutsideStep();
    const step_num = this.last_epoch;
    if (step_num > this.total_steps) {
      throw new Error(`Tried to step ${step_num} times. The specified number of total steps is ${this.total_steps}`);
    }
    const anneal = this._anneal_func_type === "cos" ? annealingCos : annealingLinear;
    const phases = this._schedule_phases;
    return groupsOf(this.optimizer).map((group) => {
      let start_step = 0.0;
      for (let i = 0; i < phases.length; i++) {
        const phase = phases[i]!;
        if (step_num <= phase.end_step || i === phases.length - 1) {
          const pct = (step_num - start_step) / (phase.end_step - start_step);
          if (this.cycle_momentum) {
            const momentum = anneal(group[phase.start_momentum] as number, group[phase.end_momentum] as number, pct);
            setMomentum(group, this.use_beta1, momentum);
          }
          return anneal(group[phase.start_lr] as number, group[phase.end_lr] as number, pct);
        }
        start_step = phase.end_step;
      }
      throw new Error("unreachable: the last phase always applies");
    });
  }
}
