/**
 * An optimizer chosen with its options and its schedule, as one block of controls: the
 * optimizer select, its options (controls.ts), the scheduler select and its options. Used
 * by the Landscapes panel (one per optimizer) and the Tiny network panel.
 */
import { OPTIMIZERS, SCHEDULERS, optimizerEntry, schedulerEntry } from "./catalog.ts";
import type { Slot } from "./config.ts";
import { startingOptions } from "./config.ts";
import { el, optionControls } from "./controls.ts";

/**
 * The controls of `slot`, ids starting with `id`. `changed` runs after an option changed;
 * `rebuild` after the optimizer or scheduler was switched (the controls must be made again).
 * `unavailable` names optimizers shown but disabled, with the reason.
 */
export function optimizerControls(
  slot: Slot,
  id: string,
  label: string,
  changed: () => void,
  rebuild: () => void,
  unavailable: Readonly<Record<string, string>> = {},
): HTMLElement[] {
  const optSelect = el("select", { id: `${id}-optimizer` });
  for (const e of OPTIMIZERS) {
    const reason = unavailable[e.name];
    const option = el("option", { value: e.name }, reason ? `${e.name} (not here: ${reason})` : e.name);
    if (reason) option.disabled = true;
    optSelect.append(option);
  }
  optSelect.value = slot.optimizer;
  optSelect.addEventListener("change", () => {
    slot.optimizer = optSelect.value;
    slot.options = {};
    rebuild();
  });
  const schedSelect = el(
    "select",
    { id: `${id}-scheduler` },
    el("option", { value: "" }, "none (constant lr)"),
    ...SCHEDULERS.map((s) => el("option", { value: s.name }, s.name)),
  );
  schedSelect.value = slot.scheduler ?? "";
  schedSelect.addEventListener("change", () => {
    slot.scheduler = schedSelect.value === "" ? null : schedSelect.value;
    slot.schedulerOptions = slot.scheduler === null ? {} : startingOptions(slot.scheduler);
    rebuild();
  });
  const entry = optimizerEntry(slot.optimizer);
  const sched = slot.scheduler === null ? undefined : schedulerEntry(slot.scheduler);
  return [
    el("label", { for: `${id}-optimizer`, class: "visually-hidden" }, label),
    optSelect,
    entry ? optionControls(entry, slot.options, `${id}-opt`, changed) : el("p", {}, `unknown optimizer ${slot.optimizer}`),
    el("div", { class: "schedule" }, el("label", { for: `${id}-scheduler` }, "schedule "), schedSelect),
    ...(sched ? [optionControls(sched, slot.schedulerOptions, `${id}-sched`, changed)] : []),
  ];
}
