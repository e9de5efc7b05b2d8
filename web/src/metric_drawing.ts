/**
 * The metric ReduceLROnPlateau watches in the Schedules panel, drawn by the learner: a
 * curve through evenly spaced knots (values in [0, 1]), read at each epoch by linear
 * interpolation. Drag on the canvas to draw it; with the keyboard, ← and → choose a knot
 * and ↑ and ↓ move it (Shift: ten times as far); the text field holds the same knots.
 * Knots are rounded to hundredths, so the URL holds the curve exactly.
 */
import { fitCanvas, tickLabel } from "./chart.ts";
import { el } from "./controls.ts";

/** The metric at each of `epochs` epochs: the knots' polyline, from the first knot at epoch 0 to the last at epoch epochs − 1. */
export function metricAt(knots: readonly number[], epochs: number): number[] {
  const n = knots.length;
  return Array.from({ length: epochs }, (_, e) => {
    if (n === 1 || epochs === 1) return knots[0]!;
    const t = (e / (epochs - 1)) * (n - 1);
    const i = Math.min(n - 2, Math.floor(t));
    return knots[i]! + (knots[i + 1]! - knots[i]!) * (t - i);
  });
}

const round = (v: number): number => Math.round(Math.min(1, Math.max(0, v)) * 100) / 100;

export interface MetricDrawing {
  readonly element: HTMLElement;
  /** Draws the knots over `epochs` epochs (the x axis's labels). */
  draw(epochs: number): void;
}

/** The drawing of `knots` (edited in place); `changed` runs after every edit. */
export function metricDrawing(knots: number[], changed: () => void): MetricDrawing {
  const canvas = el("canvas", {
    id: "s-metric-canvas",
    tabindex: "0",
    role: "img",
    "aria-label": "the metric ReduceLROnPlateau watches: drag to draw it, or use ← → to choose a point and ↑ ↓ to move it",
  });
  const field = el("input", { id: "s-metric", type: "text", spellcheck: "false", inputmode: "decimal", class: "wide" });
  const message = el("span", { class: "option-error", role: "alert" });
  let selected = 0;
  let epochs = 2;
  const pad = { left: 40, right: 10, top: 10, bottom: 22 };

  const edited = (): void => {
    field.value = knots.join(", ");
    field.removeAttribute("aria-invalid");
    message.textContent = "";
    draw(epochs);
    changed();
  };

  /** The knot under a pointer position and the value there. */
  const at = (event: PointerEvent): [number, number] => {
    const box = canvas.getBoundingClientRect();
    const w = box.width - pad.left - pad.right;
    const h = box.height - pad.top - pad.bottom;
    const i = Math.round(((event.clientX - box.left - pad.left) / w) * (knots.length - 1));
    return [Math.min(knots.length - 1, Math.max(0, i)), round(1 - (event.clientY - box.top - pad.top) / h)];
  };
  let last: number | null = null;
  const paint = (event: PointerEvent): void => {
    const [i, v] = at(event);
    // Fill the knots a fast stroke skipped, on the line from the last one.
    const from = last ?? i;
    const step = i >= from ? 1 : -1;
    const start = knots[from]!;
    for (let j = from; j !== i + step; j += step) knots[j] = i === from ? v : round(start + ((v - start) * (j - from)) / (i - from));
    last = i;
    selected = i;
    edited();
  };
  canvas.addEventListener("pointerdown", (event) => {
    canvas.setPointerCapture(event.pointerId);
    last = null;
    paint(event);
  });
  canvas.addEventListener("pointermove", (event) => {
    if (canvas.hasPointerCapture(event.pointerId)) paint(event);
  });
  canvas.addEventListener("pointerup", () => (last = null));
  canvas.addEventListener("keydown", (event) => {
    const by = event.shiftKey ? 0.1 : 0.01;
    const moves: Record<string, () => void> = {
      ArrowLeft: () => (selected = Math.max(0, selected - 1)),
      ArrowRight: () => (selected = Math.min(knots.length - 1, selected + 1)),
      ArrowUp: () => (knots[selected] = round(knots[selected]! + by)),
      ArrowDown: () => (knots[selected] = round(knots[selected]! - by)),
    };
    const move = moves[event.key];
    if (move === undefined) return;
    event.preventDefault();
    move();
    edited();
  });
  field.value = knots.join(", ");
  field.addEventListener("change", () => {
    const values = field.value.split(",").map((t) => Number(t.trim()));
    if (values.length < 2 || values.some((v) => !Number.isFinite(v) || v < 0 || v > 1)) {
      field.setAttribute("aria-invalid", "true");
      message.textContent = "at least two numbers between 0 and 1, separated by commas";
      return;
    }
    knots.splice(0, knots.length, ...values.map(round));
    selected = Math.min(selected, knots.length - 1);
    edited();
  });

  function draw(span: number): void {
    epochs = span;
    if (canvas.clientWidth === 0) return;
    const { ctx, width, height } = fitCanvas(canvas);
    const w = width - pad.left - pad.right;
    const h = height - pad.top - pad.bottom;
    const px = (i: number): number => pad.left + (i / (knots.length - 1)) * w;
    const py = (v: number): number => pad.top + (1 - v) * h;
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, width, height);
    ctx.strokeStyle = "#ddd";
    ctx.fillStyle = "#444";
    ctx.font = "11px system-ui, sans-serif";
    ctx.textAlign = "right";
    for (const v of [0, 0.5, 1]) {
      ctx.beginPath();
      ctx.moveTo(pad.left, py(v));
      ctx.lineTo(pad.left + w, py(v));
      ctx.stroke();
      ctx.fillText(tickLabel(v), pad.left - 6, py(v) + 4);
    }
    ctx.textAlign = "left";
    ctx.fillText("epoch 0", pad.left, height - 6);
    ctx.textAlign = "right";
    ctx.fillText(`epoch ${epochs - 1}`, pad.left + w, height - 6);
    ctx.strokeStyle = "#009e73";
    ctx.lineWidth = 2;
    ctx.beginPath();
    knots.forEach((v, i) => (i === 0 ? ctx.moveTo(px(i), py(v)) : ctx.lineTo(px(i), py(v))));
    ctx.stroke();
    knots.forEach((v, i) => {
      ctx.beginPath();
      ctx.arc(px(i), py(v), i === selected && document.activeElement === canvas ? 6 : 4, 0, 2 * Math.PI);
      ctx.fillStyle = i === selected && document.activeElement === canvas ? "#d55e00" : "#009e73";
      ctx.fill();
    });
  }
  canvas.addEventListener("focus", () => draw(epochs));
  canvas.addEventListener("blur", () => draw(epochs));

  const element = el(
    "fieldset",
    { class: "metric" },
    el("legend", {}, "The metric it watches (draw it)"),
    el(
      "p",
      { class: "formula" },
      "ReduceLROnPlateau.step(metric) after every epoch (here one epoch per step): drag on the chart to draw the validation loss, or focus it and use ← → ↑ ↓ (Shift: bigger steps). Where it stops falling by more than threshold for patience epochs, the lr is cut by factor.",
    ),
    canvas,
    el("label", { for: "s-metric" }, "points (0 to 1) "),
    field,
    message,
  );
  return { element, draw };
}
