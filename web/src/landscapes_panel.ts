/**
 * Panel 1, Landscapes: up to three optimizers descending one 2-D test function, animated on
 * its contour map, with their loss curves and the exact θ each one reached.
 */
import { NOT_ON_LANDSCAPES, untraced } from "./catalog.ts";
import { drawChart, fitCanvas } from "./chart.ts";
import type { LandscapesConfig, Slot } from "./config.ts";
import { type View, drawMap, fromPixel, toPixel } from "./contours.ts";
import { el, numberInput } from "./controls.ts";
import { LANDSCAPES, type Landscape, landscapeById } from "./landscapes.ts";
import { optimizerControls } from "./optimizer_controls.ts";
import { SlotRun } from "./run.ts";

/** Colour-blind-safe (Okabe–Ito) colours of the three optimizers. */
export const COLORS = ["#d55e00", "#0072b2", "#009e73"] as const;
const SPEEDS = [1, 2, 5, 20] as const;

export interface LandscapesPanel {
  readonly element: HTMLElement;
  /** Draws the panel again (when it is shown, or the window was resized). */
  redraw(): void;
  /** The panel's keyboard shortcuts, by key, for when the focus is not in a field. */
  readonly keys: Readonly<Record<string, () => void>>;
  /** Frames drawn while playing, for the fps figure. */
  readonly frames: { count: number };
}

/** `inspect` opens the Step inspector on an optimizer of this panel, from the same start. */
export function landscapesPanel(config: LandscapesConfig, changed: () => void, inspect: (slot: Slot) => void): LandscapesPanel {
  let runs: SlotRun[] = [];
  let playing = false;
  let speed: number = SPEEDS[1];
  const frames = { count: 0 };
  let mapCache: { key: string; canvas: HTMLCanvasElement } | null = null;

  const landscape = (): Landscape => landscapeById(config.landscape) ?? LANDSCAPES[0]!;

  // --- the problem: function, start, steps, noise
  const fnSelect = el("select", { id: "landscape" }, ...LANDSCAPES.map((l) => el("option", { value: l.id }, l.name)));
  fnSelect.value = landscape().id;
  const formula = el("p", { class: "formula", id: "formula" });
  const anyNumber = (): boolean => true;
  const x0 = numberInput("x0", config.start[0], anyNumber, (v) => {
    config.start = [v, config.start[1]];
    reset();
  });
  const y0 = numberInput("y0", config.start[1], anyNumber, (v) => {
    config.start = [config.start[0], v];
    reset();
  });
  const steps = numberInput(
    "steps",
    config.steps,
    (v) => Number.isInteger(v) && v >= 1 && v <= 5000,
    (v) => {
      config.steps = v;
      reset();
    },
    "1",
  );
  const noise = numberInput(
    "noise",
    config.noise,
    (v) => v >= 0,
    (v) => {
      config.noise = v;
      reset();
    },
  );
  const seed = numberInput(
    "seed",
    config.seed,
    Number.isInteger,
    (v) => {
      config.seed = v;
      reset();
    },
    "1",
  );
  const problem = el(
    "fieldset",
    { class: "problem" },
    el("legend", {}, "Landscape"),
    el("label", { for: "landscape" }, "function "),
    fnSelect,
    el("label", { for: "x0" }, " start x "),
    x0,
    el("label", { for: "y0" }, " y "),
    y0,
    el("label", { for: "steps" }, " steps "),
    steps,
    el(
      "label",
      { for: "noise", title: "standard deviation of uniform noise added to each gradient component, from gradlab's seeded Generator" },
      " gradient noise σ ",
    ),
    noise,
    el("label", { for: "seed" }, " seed "),
    seed,
    formula,
  );
  fnSelect.addEventListener("change", () => {
    config.landscape = fnSelect.value;
    const l = landscape();
    config.start = [l.start[0], l.start[1]];
    x0.value = String(config.start[0]);
    y0.value = String(config.start[1]);
    reset();
  });

  // --- transport: run, step, reset, to the end, speed
  const play = el("button", { id: "play", type: "button", "aria-keyshortcuts": "Space" }, "▶ Run");
  const stepButton = el("button", { id: "step", type: "button", "aria-keyshortcuts": "S" }, "Step");
  const resetButton = el("button", { id: "reset", type: "button", "aria-keyshortcuts": "R" }, "Reset");
  const endButton = el("button", { id: "to-end", type: "button", "aria-keyshortcuts": "E" }, "Run to the end");
  const speedSelect = el("select", { id: "speed" }, ...SPEEDS.map((s) => el("option", { value: String(s) }, `${s} step${s === 1 ? "" : "s"} per frame`)));
  speedSelect.value = String(speed);
  speedSelect.addEventListener("change", () => (speed = Number(speedSelect.value)));
  const status = el("p", { id: "status", role: "status", "aria-live": "polite" });
  const transport = el(
    "div",
    { class: "transport" },
    play,
    stepButton,
    resetButton,
    endButton,
    el("label", { for: "speed", class: "visually-hidden" }, "speed"),
    speedSelect,
    el("small", { class: "keys" }, "Keys: Space run/pause · S step · R reset · E to the end · on the map: arrows move the start, click sets it"),
  );

  // --- the map and the charts
  const map = el("canvas", { id: "map", tabindex: "0", role: "img", "aria-label": "contour map; click or use the arrow keys to set the start point" });
  const lossChart = el("canvas", { id: "loss-chart", role: "img", "aria-label": "loss curves" });
  const lrChart = el("canvas", { id: "lr-chart", role: "img", "aria-label": "learning rate per step" });
  const readout = el("table", { id: "readout" });
  const figures = el("div", { class: "figures" }, el("div", { class: "map-box" }, map), el("div", { class: "charts" }, lossChart, lrChart, readout));

  // --- the three optimizers
  const slotsBox = el("div", { class: "slots" });

  const element = el("section", { id: "panel-landscapes", class: "panel", "aria-labelledby": "tab-landscapes" }, problem, transport, status, figures, slotsBox);

  function buildSlots(): void {
    slotsBox.replaceChildren();
    config.slots.forEach((slot, i) => slotsBox.append(slotBox(slot, i)));
    if (config.slots.length < 3) {
      const add = el("button", { type: "button", id: "add-optimizer" }, "+ add an optimizer");
      add.addEventListener("click", () => {
        config.slots.push({ optimizer: "RMSprop", options: {}, scheduler: null, schedulerOptions: {} });
        buildSlots();
        reset();
      });
      slotsBox.append(add);
    }
  }

  function slotBox(slot: Slot, i: number): HTMLElement {
    const id = `slot${i}`;
    const remove = el("button", { type: "button", class: "remove", "aria-label": `remove optimizer ${i + 1}` }, "×");
    remove.addEventListener("click", () => {
      config.slots.splice(i, 1);
      buildSlots();
      reset();
    });
    const rebuild = (): void => {
      buildSlots();
      reset();
    };
    return el(
      "fieldset",
      { class: "slot", id, style: `--slot-color: ${COLORS[i]}` },
      el("legend", {}, el("span", { class: "swatch", "aria-hidden": "true" }), `Optimizer ${i + 1} `),
      ...(config.slots.length > 1 ? [remove] : []),
      ...optimizerControls(slot, id, `optimizer ${i + 1}`, reset, rebuild, NOT_ON_LANDSCAPES),
      el("p", { class: "slot-status", id: `${id}-status`, role: "alert" }),
      inspectButton(slot, id),
    );
  }

  /** Opens the Step inspector on this optimizer, its options and schedule, from this start. */
  function inspectButton(slot: Slot, id: string): HTMLButtonElement {
    const reason = untraced()[slot.optimizer];
    const button = el("button", { type: "button", id: `${id}-inspect`, class: "inspect-slot" }, "Inspect its steps ▸");
    if (reason !== undefined) {
      button.disabled = true;
      button.title = `${slot.optimizer}: ${reason}`;
    }
    button.addEventListener("click", () => inspect(slot));
    return button;
  }

  // --- running
  /** The readout's cells, one row per optimizer, made once per run and updated each frame. */
  let readoutRows: Record<"step" | "x" | "y" | "loss", HTMLElement>[] = [];
  function buildReadout(): void {
    readoutRows = runs.map(() => ({
      step: el("td", { class: "step" }),
      x: el("td", { class: "x" }),
      y: el("td", { class: "y" }),
      loss: el("td", { class: "loss" }),
    }));
    readout.replaceChildren(
      el("caption", {}, "Where each optimizer is (exact float64 values, as gradlab computed them)"),
      el("tr", {}, ...["", "step", "x", "y", "loss"].map((h) => el("th", { scope: "col" }, h))),
      ...runs.map((r, i) => {
        const cells = readoutRows[i]!;
        return el(
          "tr",
          { "data-slot": String(i) },
          el("th", { scope: "row", style: `color: ${COLORS[i]}` }, `${i + 1} ${r.slot.optimizer}`),
          cells.step,
          cells.x,
          cells.y,
          cells.loss,
        );
      }),
    );
  }

  function reset(): void {
    const l = landscape();
    runs = config.slots.map((slot) => new SlotRun(l, slot, config.start, config.noise, config.seed));
    buildReadout();
    changed();
    draw();
  }

  const finished = (): boolean => runs.every((r) => r.error !== null || r.steps >= config.steps);

  function advance(n: number): void {
    for (const r of runs) for (let k = 0; k < n && r.steps < config.steps; k++) if (!r.step()) break;
  }

  function frame(): void {
    if (!playing) return;
    advance(speed);
    frames.count++;
    draw();
    if (finished()) setPlaying(false);
    else requestAnimationFrame(frame);
  }

  function setPlaying(on: boolean): void {
    playing = on;
    play.textContent = on ? "⏸ Pause" : "▶ Run";
    play.setAttribute("aria-pressed", String(on));
    if (on) {
      if (finished()) reset();
      requestAnimationFrame(frame);
    }
  }

  play.addEventListener("click", () => setPlaying(!playing));
  stepButton.addEventListener("click", () => {
    setPlaying(false);
    advance(1);
    draw();
  });
  resetButton.addEventListener("click", () => {
    setPlaying(false);
    reset();
  });
  endButton.addEventListener("click", () => {
    setPlaying(false);
    advance(config.steps);
    draw();
  });

  // --- choosing the start on the map
  const view = (): View => ({ width: map.clientWidth, height: map.clientHeight, domain: landscape().domain });
  const setStart = (x: number, y: number): void => {
    const round = (v: number): number => Number(v.toPrecision(3));
    config.start = [round(x), round(y)];
    x0.value = String(config.start[0]);
    y0.value = String(config.start[1]);
    setPlaying(false);
    reset();
  };
  map.addEventListener("click", (event) => {
    const box = map.getBoundingClientRect();
    setStart(...fromPixel(view(), event.clientX - box.left, event.clientY - box.top));
  });
  map.addEventListener("keydown", (event) => {
    const [x1, x2, y1, y2] = landscape().domain;
    const dx = (x2 - x1) / 40;
    const dy = (y2 - y1) / 40;
    const moves: Record<string, [number, number]> = { ArrowLeft: [-dx, 0], ArrowRight: [dx, 0], ArrowUp: [0, dy], ArrowDown: [0, -dy] };
    const move = moves[event.key];
    if (move === undefined) return;
    event.preventDefault();
    setStart(config.start[0] + move[0], config.start[1] + move[1]);
  });

  // --- drawing
  function drawMapLayer(): HTMLCanvasElement {
    const l = landscape();
    const key = `${l.id} ${map.clientWidth}x${map.clientHeight} ${window.devicePixelRatio}`;
    if (mapCache?.key === key) return mapCache.canvas;
    const canvas = document.createElement("canvas");
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(map.clientWidth * ratio);
    canvas.height = Math.round(map.clientHeight * ratio);
    const ctx = canvas.getContext("2d")!;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    drawMap(ctx, view(), l);
    mapCache = { key, canvas };
    return canvas;
  }

  function drawPaths(): void {
    const { ctx, width } = fitCanvas(map);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(drawMapLayer(), 0, 0);
    const ratio = window.devicePixelRatio || 1;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const v = view();
    const l = landscape();
    ctx.fillStyle = "#333";
    ctx.font = "14px system-ui, sans-serif";
    for (const [mx, my] of l.marks) {
      const [px, py] = toPixel(v, mx, my);
      ctx.fillText("✕", px - 5, py + 5);
    }
    runs.forEach((r, i) => {
      ctx.strokeStyle = COLORS[i]!;
      ctx.lineWidth = 2;
      ctx.beginPath();
      r.path.forEach(([x, y], k) => {
        const [px, py] = toPixel(v, x, y);
        if (k === 0) ctx.moveTo(px, py);
        else ctx.lineTo(px, py);
      });
      ctx.stroke();
      const [tx, ty] = r.theta;
      if (Number.isFinite(tx) && Number.isFinite(ty)) {
        const [px, py] = toPixel(v, tx, ty);
        ctx.fillStyle = COLORS[i]!;
        ctx.beginPath();
        ctx.arc(px, py, 5, 0, 2 * Math.PI);
        ctx.fill();
        ctx.strokeStyle = "#fff";
        ctx.lineWidth = 1.5;
        ctx.stroke();
      }
    });
    const [sx, sy] = toPixel(v, config.start[0], config.start[1]);
    ctx.strokeStyle = "#111";
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(sx, sy, 7, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.fillStyle = "#111";
    ctx.fillText("start", Math.min(sx + 10, width - 40), Math.max(sy - 8, 14));
  }

  function draw(): void {
    const l = landscape();
    formula.textContent = l.formula;
    if (map.clientWidth > 0) drawPaths();
    const names = (r: SlotRun, i: number): string => `${i + 1} ${r.slot.optimizer}`;
    if (lossChart.clientWidth > 0) {
      drawChart(
        lossChart,
        runs.map((r, i) => ({ name: names(r, i), color: COLORS[i]!, values: r.losses.map((v) => v - l.minimum) })),
        {
          title: l.minimum === 0 ? "loss (log scale)" : `loss − (${l.minimum}) (log scale)`,
          xlabel: "step",
          log: true,
          length: config.steps + 1,
        },
      );
    }
    if (lrChart.clientWidth > 0) {
      drawChart(
        lrChart,
        runs.map((r, i) => ({ name: names(r, i), color: COLORS[i]!, values: r.lrs })),
        { title: "learning rate (log scale)", xlabel: "step", log: true, length: config.steps + 1 },
      );
    }
    runs.forEach((r, i) => {
      const cells = readoutRows[i];
      if (cells === undefined) return;
      cells.step.textContent = String(r.steps);
      cells.x.textContent = String(r.theta[0]);
      cells.y.textContent = String(r.theta[1]);
      cells.loss.textContent = r.error === null ? String(r.currentLoss()) : "—";
    });
    runs.forEach((r, i) => {
      const box = slotsBox.querySelector(`#slot${i}-status`);
      if (box) {
        box.textContent = r.error !== null ? `Refused: ${r.error}` : r.divergedAt !== null ? `Diverged: θ is no longer finite after step ${r.divergedAt}.` : "";
      }
    });
    const done = finished();
    const at = Math.max(0, ...runs.map((r) => r.steps));
    status.textContent = `Step ${at} of ${config.steps}${done ? " · done" : playing ? " · running" : ""}`;
    status.dataset.done = String(done && runs.length > 0);
  }

  buildSlots();
  reset();
  window.addEventListener("resize", () => draw());

  return {
    element,
    redraw: draw,
    frames,
    keys: { " ": () => play.click(), s: () => stepButton.click(), r: () => resetButton.click(), e: () => endButton.click() },
  };
}
