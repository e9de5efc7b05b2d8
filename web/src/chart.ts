/**
 * A small line chart on a canvas (loss curves, schedules): axes with a few ticks, linear or
 * log y, one coloured line per series, dashed vertical markers. Canvas rather than the
 * project's Vega-Lite: it redraws every animation frame at no cost, and needs no SVG renderer.
 */

export interface Series {
  readonly name: string;
  readonly color: string;
  readonly values: readonly number[];
}

export interface ChartOptions {
  readonly title: string;
  readonly xlabel: string;
  readonly log?: boolean;
  /** The x range to draw (default: the longest series). */
  readonly length?: number;
  readonly markers?: readonly { x: number; label: string }[];
}

/** Sizes a canvas to its CSS box at the device's pixel ratio; returns its context in CSS pixels. */
export function fitCanvas(canvas: HTMLCanvasElement): { ctx: CanvasRenderingContext2D; width: number; height: number } {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const ctx = canvas.getContext("2d")!;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { ctx, width, height };
}

/** A tick label: short, without float noise. */
export const tickLabel = (v: number): string =>
  v === 0 ? "0" : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(0) : String(Number(v.toPrecision(3)));

export function drawChart(canvas: HTMLCanvasElement, series: readonly Series[], options: ChartOptions): void {
  const { ctx, width, height } = fitCanvas(canvas);
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, width, height);
  const pad = { left: 52, right: 12, top: 24, bottom: 30 };
  const w = width - pad.left - pad.right;
  const h = height - pad.top - pad.bottom;
  const transform = (v: number): number => (options.log ? Math.log10(v) : v);
  const shown = series.flatMap((s) => s.values.map(transform).filter(Number.isFinite));
  let lo = shown.length ? Math.min(...shown) : 0;
  let hi = shown.length ? Math.max(...shown) : 1;
  if (hi - lo < 1e-12) {
    lo -= options.log ? 1 : Math.abs(lo) * 0.1 + 1e-3;
    hi += options.log ? 1 : Math.abs(hi) * 0.1 + 1e-3;
  }
  const n = Math.max(2, options.length ?? Math.max(...series.map((s) => s.values.length), 2));
  const px = (i: number): number => pad.left + (i / (n - 1)) * w;
  const py = (v: number): number => pad.top + (1 - (transform(v) - lo) / (hi - lo)) * h;

  ctx.font = "12px system-ui, sans-serif";
  ctx.fillStyle = "#222";
  ctx.textAlign = "left";
  ctx.fillText(options.title, pad.left, 15);
  ctx.strokeStyle = "#999";
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(pad.left, pad.top);
  ctx.lineTo(pad.left, pad.top + h);
  ctx.lineTo(pad.left + w, pad.top + h);
  ctx.stroke();
  ctx.fillStyle = "#444";
  ctx.textAlign = "right";
  // y ticks: powers of ten on a log axis (every few decades), five even steps otherwise.
  const ticks: number[] = [];
  if (options.log) {
    const every = Math.max(1, Math.ceil((Math.floor(hi) - Math.ceil(lo)) / 5));
    for (let e = Math.ceil(lo); e <= Math.floor(hi); e += every) ticks.push(e);
    if (ticks.length < 2) ticks.splice(0, ticks.length, lo, hi);
  } else {
    // Round steps of 1, 2 or 5 times a power of ten, about four of them.
    const raw = (hi - lo) / 4;
    const power = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
    for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  }
  for (const t of ticks) {
    const y = pad.top + (1 - (t - lo) / (hi - lo)) * h;
    ctx.fillStyle = "#444";
    ctx.fillText(options.log ? (Number.isInteger(t) ? `1e${t}` : tickLabel(10 ** t)) : tickLabel(t), pad.left - 4, y + 4);
    ctx.strokeStyle = "#eee";
    ctx.beginPath();
    ctx.moveTo(pad.left + 1, y);
    ctx.lineTo(pad.left + w, y);
    ctx.stroke();
  }
  ctx.textAlign = "center";
  // x ticks: multiples of a round step (1, 2 or 5 times a power of ten), about five of them.
  const xraw = (n - 1) / 5;
  const xpower = 10 ** Math.floor(Math.log10(Math.max(1, xraw)));
  const xstep = Math.max(1, [1, 2, 5, 10].map((m) => m * xpower).find((s) => s >= xraw) ?? xraw);
  for (let i = 0; i <= n - 1; i += xstep) ctx.fillText(String(i), px(i), pad.top + h + 14);
  ctx.fillText(options.xlabel, pad.left + w / 2, height - 3);

  for (const [k, m] of (options.markers ?? []).entries()) {
    ctx.strokeStyle = "#888";
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(px(m.x), pad.top);
    ctx.lineTo(px(m.x), pad.top + h);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.textAlign = "left";
    ctx.fillText(m.label, Math.min(px(m.x) + 3, pad.left + w - 60), pad.top + 12 + 13 * (k % 3)); // staggered, so near markers stay legible
  }
  for (const s of series) {
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    let drawing = false;
    s.values.forEach((v, i) => {
      const y = py(v);
      if (!Number.isFinite(y)) {
        drawing = false;
        return;
      }
      const clamped = Math.max(pad.top, Math.min(pad.top + h, y));
      if (drawing) ctx.lineTo(px(i), clamped);
      else ctx.moveTo(px(i), clamped);
      drawing = true;
    });
    ctx.stroke();
  }
  // Legend, top right.
  ctx.textAlign = "right";
  let x = pad.left + w;
  for (const s of [...series].reverse()) {
    const text = s.name;
    const tw = ctx.measureText(text).width;
    ctx.fillStyle = "#222";
    ctx.fillText(text, x, 15);
    ctx.fillStyle = s.color;
    ctx.fillRect(x - tw - 16, 8, 12, 4);
    x -= tw + 26;
  }
}
