/**
 * Panel 3, Schedules: a scheduler, or two run one after the other by SequentialLR, previewed
 * by `lab.preview_schedule` on a throwaway optimizer: the learning rate (and the momentum,
 * where the schedule cycles it) at every step, with SequentialLR's switch marked.
 */
import { lab, optim } from "gradlab";
import { SCHEDULERS, schedulerClass, schedulerEntry } from "./catalog.ts";
import { drawChart } from "./chart.ts";
import { type SchedulesConfig, startingOptions } from "./config.ts";
import { el, numberInput, optionControls } from "./controls.ts";
import { metricAt, metricDrawing } from "./metric_drawing.ts";

export interface SchedulesPanel {
  readonly element: HTMLElement;
  redraw(): void;
  /** No shortcuts: every control is a field. */
  readonly keys: Readonly<Record<string, () => void>>;
}

const PLATEAU = "ReduceLROnPlateau";
/** What SequentialLR can switch to: not ReduceLROnPlateau, whose step() needs the metric. */
const SEQUENTIAL = SCHEDULERS.filter((s) => s.name !== PLATEAU);

export function schedulesPanel(config: SchedulesConfig, changed: () => void): SchedulesPanel {
  const steps = numberInput(
    "s-steps",
    config.steps,
    (v) => Number.isInteger(v) && v >= 1 && v <= 5000,
    (v) => {
      config.steps = v;
      update();
    },
    "1",
  );
  const lr = numberInput(
    "s-lr",
    config.lr,
    (v) => v >= 0,
    (v) => {
      config.lr = v;
      update();
    },
  );
  const opt = el("select", { id: "s-opt" }, el("option", { value: "SGD" }, "SGD (momentum 0.9)"), el("option", { value: "Adam" }, "Adam (betas 0.9, 0.999)"));
  opt.value = config.optimizer;
  const lrChart = el("canvas", { id: "schedule-lr", role: "img", "aria-label": "learning rate per step" });
  const momentumChart = el("canvas", { id: "schedule-momentum", role: "img", "aria-label": "momentum per step" });
  const values = el("pre", { id: "schedule-values", tabindex: "0" });
  const problem = el("p", { id: "schedule-error", role: "alert" });
  const phases = el("div", { class: "phases" });
  const element = el(
    "section",
    { id: "panel-schedules", class: "panel", "aria-labelledby": "tab-schedules" },
    el(
      "fieldset",
      { class: "problem" },
      el("legend", {}, "Preview"),
      el("label", { for: "s-steps" }, "steps "),
      steps,
      el("label", { for: "s-opt" }, " optimizer "),
      opt,
      el("label", { for: "s-lr" }, " initial lr "),
      lr,
      el(
        "p",
        { class: "formula" },
        "From lab.preview_schedule: the real schedulers stepped after each step of a throwaway optimizer (PyTorch has no such tool).",
      ),
    ),
    phases,
    problem,
    el("div", { class: "figures schedule-figures" }, lrChart, momentumChart),
    el("h3", {}, "The learning rate of each step (exact)"),
    values,
  );

  opt.addEventListener("change", () => {
    config.optimizer = opt.value === "Adam" ? "Adam" : "SGD";
    update();
  });

  const metric = metricDrawing(config.metric, update);
  const schedulerSelect = (id: string, value: string, entries = SCHEDULERS): HTMLSelectElement => {
    const select = el("select", { id }, ...entries.map((s) => el("option", { value: s.name }, s.name)));
    select.value = value;
    return select;
  };

  function buildPhases(): void {
    const first = schedulerSelect("s-first", config.first.name);
    first.addEventListener("change", () => {
      config.first = { name: first.value, options: startingOptions(first.value) };
      if (first.value === PLATEAU) config.then = null;
      buildPhases();
      update();
    });
    const thenBox = el("input", { type: "checkbox", id: "s-then-on" });
    thenBox.checked = config.then !== null;
    thenBox.addEventListener("change", () => {
      config.then = thenBox.checked
        ? { name: "CosineAnnealingLR", options: startingOptions("CosineAnnealingLR"), milestone: Math.round(config.steps / 10) }
        : null;
      buildPhases();
      update();
    });
    const firstEntry = schedulerEntry(config.first.name);
    const parts: HTMLElement[] = [
      el(
        "fieldset",
        { class: "phase" },
        el("legend", {}, config.then === null ? "Scheduler" : "First"),
        el("label", { for: "s-first", class: "visually-hidden" }, "first scheduler"),
        first,
        ...(firstEntry ? [optionControls(firstEntry, config.first.options, "s-first", update)] : []),
      ),
    ];
    if (config.first.name === PLATEAU) {
      parts.push(metric.element);
      phases.replaceChildren(...parts);
      metric.draw(config.steps);
      return;
    }
    const thenFields: HTMLElement[] = [el("label", { for: "s-then-on" }, thenBox, " then switch, with SequentialLR, to")];
    if (config.then !== null) {
      const then = config.then;
      const second = schedulerSelect("s-then", then.name, SEQUENTIAL);
      second.addEventListener("change", () => {
        then.name = second.value;
        then.options = startingOptions(second.value);
        buildPhases();
        update();
      });
      const milestone = numberInput(
        "s-milestone",
        then.milestone,
        (v) => Number.isInteger(v) && v >= 0,
        (v) => {
          then.milestone = v;
          update();
        },
        "1",
      );
      const thenEntry = schedulerEntry(then.name);
      thenFields.push(
        el("label", { for: "s-then", class: "visually-hidden" }, "second scheduler"),
        second,
        el("label", { for: "s-milestone" }, " at step "),
        milestone,
        ...(thenEntry ? [optionControls(thenEntry, then.options, "s-then", update)] : []),
      );
    }
    parts.push(el("fieldset", { class: "phase" }, el("legend", {}, "Then"), ...thenFields));
    phases.replaceChildren(...parts);
  }

  function update(): void {
    changed();
    draw();
  }

  function draw(): void {
    const group = config.optimizer === "SGD" ? { lr: config.lr, momentum: 0.9 } : { lr: config.lr };
    const make = (o: optim.Optimizer, phase: { name: string; options: Record<string, unknown> }) => new (schedulerClass(phase.name))(o, { ...phase.options });
    const plateau = config.first.name === PLATEAU;
    const metrics = metricAt(config.metric, config.steps);
    try {
      const then = config.then;
      const preview = lab.preview_schedule(
        (o) =>
          (then === null
            ? make(o, config.first)
            : new optim.lr_scheduler.SequentialLR(o, [make(o, config.first), make(o, then)] as never, [then.milestone])) as never,
        { steps: config.steps, groups: [group], optimizer: config.optimizer, ...(plateau ? { metrics } : {}) },
      );
      problem.textContent = "";
      const markers = preview.events.map((e) => ({ x: e.step, label: e.kind === "switch" ? `→ ${e.to}` : "plateau" }));
      // Shown or hidden first: the lr chart's width depends on it.
      momentumChart.hidden = preview.momentum === null;
      if (lrChart.clientWidth > 0) {
        drawChart(lrChart, [{ name: "lr", color: "#0072b2", values: preview.group(0) }], {
          title: plateau ? "learning rate (log scale: each cut is a factor)" : "learning rate",
          xlabel: "step",
          markers,
          log: plateau,
        });
      }
      if (preview.momentum !== null && momentumChart.clientWidth > 0) {
        drawChart(momentumChart, [{ name: preview.momentum_key ?? "momentum", color: "#d55e00", values: preview.group(0, "momentum") }], {
          title: `cycled ${preview.momentum_key}`,
          xlabel: "step",
          markers,
        });
      }
      values.textContent = preview
        .group(0)
        .map((v, k) => `${String(k).padStart(4)}  ${v}${plateau ? `  (metric after this step ${metrics[k]})` : ""}`)
        .join("\n");
      if (plateau) metric.draw(config.steps);
    } catch (error) {
      problem.textContent = `Refused: ${(error as Error).message}`;
      values.textContent = "";
    }
  }

  buildPhases();
  return { element, redraw: draw, keys: {} };
}
