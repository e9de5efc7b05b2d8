/**
 * Panel 2, Step inspector: one optimizer on one landscape, stepped one update at a time.
 * Beside the optimizer's algorithm box (its doc comment's, algorithm_box.ts) it shows the
 * live value of every term of the step for x and for y, as `lab.inspect` recorded them from
 * the loop itself, and `optimizer.state` before and after the step. Pointing at a term (or
 * focusing its row) lights the box lines it comes from (algorithm_box.ts `boxLinesOf`); with
 * gradient noise, a section shows ∇f and the seeded noise the optimizer's grad is made of.
 */
import { NOT_ON_LANDSCAPES, untraced } from "./catalog.ts";
import { algorithmBox, boxLinesOf } from "./algorithm_box.ts";
import { fitCanvas } from "./chart.ts";
import type { InspectorConfig } from "./config.ts";
import { drawMap, toPixel } from "./contours.ts";
import { el, numberInput } from "./controls.ts";
import { type TermRow, InspectorRun } from "./inspector.ts";
import { LANDSCAPES, type Landscape, landscapeById } from "./landscapes.ts";
import { optimizerControls } from "./optimizer_controls.ts";

export interface InspectorPanel {
  readonly element: HTMLElement;
  redraw(): void;
  /** Builds the panel again from its configuration (after another panel changed it). */
  load(): void;
  readonly keys: Readonly<Record<string, () => void>>;
}

/** Six significant digits, or every digit of the double (the shortest text that reads back to it). */
const digitsOf =
  (exact: boolean) =>
  (v: number): string =>
    exact || !Number.isFinite(v) ? String(v) : String(Number(v.toPrecision(6)));

export function inspectorPanel(config: InspectorConfig, changed: () => void): InspectorPanel {
  const landscape = (): Landscape => landscapeById(config.landscape) ?? LANDSCAPES[0]!;
  const newRun = (): InspectorRun => new InspectorRun(landscape(), config.slot, config.start, config.noise, config.seed);
  let run = newRun();

  const fnSelect = el("select", { id: "i-landscape" }, ...LANDSCAPES.map((l) => el("option", { value: l.id }, l.name)));
  fnSelect.value = landscape().id;
  const x0 = numberInput("i-x0", config.start[0], Number.isFinite, (v) => restart([v, config.start[1]]));
  const y0 = numberInput("i-y0", config.start[1], Number.isFinite, (v) => restart([config.start[0], v]));
  const noise = numberInput(
    "i-noise",
    config.noise,
    (v) => v >= 0,
    (v) => {
      config.noise = v;
      restart(config.start);
    },
  );
  const seed = numberInput("i-seed", config.seed, Number.isInteger, (v) => {
    config.seed = v;
    restart(config.start);
  });
  const formula = el("p", { class: "formula" });
  fnSelect.addEventListener("change", () => {
    config.landscape = fnSelect.value;
    const start = landscape().start;
    x0.value = String(start[0]);
    y0.value = String(start[1]);
    restart([start[0], start[1]]);
  });
  const problem = el(
    "fieldset",
    { class: "problem" },
    el("legend", {}, "Landscape"),
    el("label", { for: "i-landscape" }, "function "),
    fnSelect,
    el("label", { for: "i-x0" }, " start x "),
    x0,
    el("label", { for: "i-y0" }, " y "),
    y0,
    el("br", {}),
    el(
      "label",
      {
        for: "i-noise",
        title: "standard deviation of uniform noise added to each gradient component, from gradlab's seeded Generator (as on the Landscapes tab)",
      },
      " gradient noise σ ",
    ),
    noise,
    el("label", { for: "i-seed" }, " seed "),
    seed,
    formula,
  );
  const optimizerBox = el("fieldset", { class: "slot inspector-optimizer" });
  const buildOptimizer = (): void => {
    optimizerBox.replaceChildren(
      el("legend", {}, "Optimizer"),
      ...optimizerControls(
        config.slot,
        "i-opt",
        "optimizer",
        () => restart(config.start),
        () => {
          buildOptimizer();
          restart(config.start);
        },
        { ...NOT_ON_LANDSCAPES, ...untraced() },
      ),
    );
  };

  const back = el("button", { id: "i-back", type: "button", "aria-keyshortcuts": "B" }, "◀ Back");
  const stepButton = el("button", { id: "i-step", type: "button", "aria-keyshortcuts": "S" }, "Step ▶");
  const resetButton = el("button", { id: "i-reset", type: "button", "aria-keyshortcuts": "R" }, "Reset");
  const exact = el("input", { type: "checkbox", id: "i-exact" });
  const status = el("p", { id: "i-status", role: "status", "aria-live": "polite" });
  const transport = el(
    "div",
    { class: "transport" },
    back,
    stepButton,
    resetButton,
    el("label", { for: "i-exact" }, exact, " every digit (the exact float64)"),
    el("small", { class: "keys" }, "Keys: S step · B back · R reset"),
  );
  const map = el("canvas", { id: "i-map", role: "img", "aria-label": "the path so far on the contour map" });
  const box = el("pre", { id: "i-box", class: "algorithm-box", tabindex: "0" });
  const boxTitle = el("h3", {});
  const terms = el("table", { id: "i-terms", class: "terms" });
  const state = el("table", { id: "i-state", class: "terms" });
  const element = el(
    "section",
    { id: "panel-inspector", class: "panel", "aria-labelledby": "tab-inspector" },
    el("div", { class: "inspector-controls" }, problem, optimizerBox),
    transport,
    status,
    el("div", { class: "inspector" }, el("div", { class: "inspector-box" }, boxTitle, box), el("div", { class: "map-box small" }, map)),
    el("div", { class: "scroll" }, terms),
    el("div", { class: "scroll" }, state),
  );

  function restart(start: [number, number]): void {
    config.start = start;
    goTo(0);
  }
  /** Runs again from the start to step `k` (a run is deterministic, so Back is a replay). */
  function goTo(k: number): void {
    run = newRun();
    while (run.steps < k && run.step()) {}
    config.at = run.steps;
    changed();
    draw();
  }
  stepButton.addEventListener("click", () => {
    run.step();
    config.at = run.steps;
    changed();
    draw();
  });
  back.addEventListener("click", () => goTo(Math.max(0, run.steps - 1)));
  resetButton.addEventListener("click", () => goTo(0));
  exact.addEventListener("change", () => draw());

  const cell = (tag: "td" | "th", text: string, attributes: Record<string, string> = {}): HTMLElement => el(tag, attributes, text);
  /** The box lines a row comes from, as data-lines ("3 4") and a visible "line 4, 5" (1-based), or nothing. */
  function lineRef(name: string, meaning: string, scalar: boolean): { attributes: Record<string, string>; ref: HTMLElement[] } {
    const text = algorithmBox(config.slot.optimizer);
    const lines = text === undefined ? [] : boxLinesOf(text, name, meaning, scalar);
    if (!lines.length) return { attributes: {}, ref: [] };
    const label = `line${lines.length > 1 ? "s" : ""} ${lines.map((i) => i + 1).join(", ")}`;
    return {
      attributes: { "data-lines": lines.join(" "), tabindex: "0", title: `from the algorithm box's ${label}` },
      ref: [el("small", { class: "box-ref" }, label)],
    };
  }
  function termRows(rows: readonly TermRow[], kind: string, digits: (v: number) => string, from?: string): HTMLElement[] {
    return rows.map((row) => {
      const { attributes, ref } = lineRef(from ?? row.name, from === undefined ? row.meaning : "", kind.endsWith("scalar"));
      return el(
        "tr",
        { "data-term": row.name, "data-kind": kind, ...attributes },
        el("th", { scope: "row" }, row.name, ...ref, el("small", { class: "meaning-inline", "aria-hidden": "true" }, row.meaning)),
        ...(row.values.length === 1
          ? [cell("td", digits(row.values[0]!), { class: "value both", colspan: "2" })]
          : row.values.map((v, i) => cell("td", v === undefined ? "" : digits(v), { class: `value ${i === 0 ? "x" : "y"}` }))),
        cell("td", row.meaning, { class: "meaning" }),
      );
    });
  }
  /** Lights the box lines of the row under the pointer or focus, and that row. */
  const light = (row: Element | null): void => {
    for (const lit of element.querySelectorAll(".lit")) lit.classList.remove("lit");
    const lines = row?.getAttribute("data-lines");
    if (row === null || !lines) return;
    row.classList.add("lit");
    for (const i of lines.split(" ")) box.querySelector(`[data-line="${i}"]`)?.classList.add("lit");
  };
  terms.addEventListener("mouseover", (e) => light((e.target as Element).closest("tr[data-lines]")));
  terms.addEventListener("focusin", (e) => light((e.target as Element).closest("tr[data-lines]")));
  terms.addEventListener("mouseleave", () => light(null));
  terms.addEventListener("focusout", () => light(null));

  function drawTables(): void {
    const k = run.steps;
    const digits = digitsOf(exact.checked);
    const { scalars, terms: elementTerms, iterations } = run.rows(k);
    const noiseRows = run.noiseRows(k);
    const head = (...names: string[]): HTMLElement => el("thead", {}, el("tr", {}, ...names.map((n) => cell("th", n, { scope: "col" }))));
    const section = (title: string, columns: number): HTMLElement => el("tr", { class: "section" }, el("th", { colspan: String(columns) }, title));
    terms.replaceChildren(
      el(
        "caption",
        {},
        k === 0
          ? "Take a step to see its terms."
          : `Step ${k}: every term of the update, as the loop computed it (lab.inspect). Point at a term, or Tab to it, to light the line of the algorithm box it comes from.`,
      ),
      ...(k === 0 ? [] : [head("term", "x", "y", "what it is")]),
      el(
        "tbody",
        {},
        ...(scalars.length ? [section("scalars of this step", 4), ...termRows(scalars, "scalar", digits)] : []),
        ...(noiseRows.length
          ? [section(`gradient noise (σ = ${config.noise}, seed ${config.seed}): grad = ∇f + noise`, 4), ...termRows(noiseRows, "noise", digits, "grad")]
          : []),
        ...(elementTerms.length ? [section("terms of each element", 4), ...termRows(elementTerms, "element", digits)] : []),
        ...iterations.flatMap((it, i) => [
          section(
            `iteration ${i + 1} of this step${it.stop === undefined ? "" : ` (it ended the step: ${it.stop})`}${
              it.evaluations.length ? ` · closure evaluations, t → loss: ${it.evaluations.map((e) => `${digits(e.t)} → ${digits(e.loss)}`).join(", ")}` : ""
            }`,
            4,
          ),
          ...termRows(it.scalars, `iteration ${i + 1} scalar`, digits),
          ...termRows(it.terms, `iteration ${i + 1} element`, digits),
        ]),
      ),
    );
    const rows = run.stateRows(k, digits, 4);
    const full = run.stateRows(k, digits);
    state.replaceChildren(
      el(
        "caption",
        {},
        k === 0
          ? "optimizer.state is empty before the first step."
          : `optimizer.state before and after step ${k} (state_dict keys${JSON.stringify(rows) === JSON.stringify(full) ? "" : '; a long list ends in "…", hover for all of it'})${
              rows.length > 0 && rows.every((row) => row.after[1] === undefined)
                ? `; ${config.slot.optimizer} keeps all its state under its first parameter, x`
                : ""
            }`,
      ),
      ...(k === 0 ? [] : [head("key", "x before", "x after", "y before", "y after")]),
      el(
        "tbody",
        {},
        ...rows.map((row, r) =>
          el(
            "tr",
            { "data-key": row.key },
            cell("th", row.key, { scope: "row" }),
            ...[0, 1].flatMap((i) => [
              cell("td", row.before[i] ?? "—", { class: "value", title: full[r]!.before[i] ?? "" }),
              cell("td", row.after[i] ?? "—", { class: "value", title: full[r]!.after[i] ?? "" }),
            ]),
          ),
        ),
      ),
    );
  }

  let mapCache: { key: string; canvas: HTMLCanvasElement } | null = null;
  function drawPath(): void {
    if (map.clientWidth === 0) return;
    const l = landscape();
    const view = { width: map.clientWidth, height: map.clientHeight, domain: l.domain };
    const key = `${l.id} ${view.width}x${view.height}`;
    if (mapCache?.key !== key) {
      const layer = document.createElement("canvas");
      const ratio = window.devicePixelRatio || 1;
      layer.width = Math.round(view.width * ratio);
      layer.height = Math.round(view.height * ratio);
      const lctx = layer.getContext("2d")!;
      lctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      drawMap(lctx, view, l, 100);
      mapCache = { key, canvas: layer };
    }
    const { ctx } = fitCanvas(map);
    ctx.drawImage(mapCache.canvas, 0, 0, view.width, view.height);
    ctx.strokeStyle = "#0072b2";
    ctx.fillStyle = "#0072b2";
    ctx.lineWidth = 2;
    ctx.beginPath();
    run.run.path.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(...toPixel(view, x, y)) : ctx.lineTo(...toPixel(view, x, y))));
    ctx.stroke();
    for (const [x, y] of run.run.path) {
      const [px, py] = toPixel(view, x, y);
      ctx.fillRect(px - 2, py - 2, 4, 4);
    }
    const dot = (point: readonly [number, number], fill: string): void => {
      const [px, py] = toPixel(view, point[0], point[1]);
      ctx.beginPath();
      ctx.arc(px, py, 6, 0, 2 * Math.PI);
      ctx.fillStyle = fill;
      ctx.fill();
      ctx.strokeStyle = "#0072b2";
      ctx.lineWidth = 2;
      ctx.stroke();
    };
    dot(run.run.path[0]!, "#fff");
    dot(run.run.theta, "#0072b2");
    ctx.fillStyle = "#333";
    ctx.font = "14px system-ui, sans-serif";
    for (const [mx, my] of l.marks) {
      const [px, py] = toPixel(view, mx, my);
      ctx.fillText("✕", px - 5, py + 5);
    }
    ctx.fillText("○ start  ● now  ✕ minimum", 8, view.height - 8);
  }

  function draw(): void {
    const l = landscape();
    formula.textContent = l.formula;
    const name = config.slot.optimizer;
    const text = algorithmBox(name);
    boxTitle.textContent = text === undefined ? `${name} has no algorithm box` : `${name}'s algorithm box (its class's doc comment)`;
    box.replaceChildren(
      ...(text ?? "").split("\n").map((line, i) => el("span", { class: "box-line", "data-line": String(i), "data-n": String(i + 1) }, `${line}\n`)),
    );
    const [x, y] = run.run.theta;
    const k = run.steps;
    status.textContent =
      run.error !== null
        ? `Cannot inspect: ${run.error}`
        : `After ${k} step${k === 1 ? "" : "s"}: θ = (${digitsOf(exact.checked)(x)}, ${digitsOf(exact.checked)(y)}), f = ${digitsOf(exact.checked)(run.run.currentLoss())}`;
    status.dataset.steps = String(k);
    back.disabled = k === 0;
    stepButton.disabled = run.error !== null;
    drawTables();
    drawPath();
  }

  function load(): void {
    fnSelect.value = landscape().id;
    x0.value = String(config.start[0]);
    y0.value = String(config.start[1]);
    noise.value = String(config.noise);
    seed.value = String(config.seed);
    buildOptimizer();
    goTo(config.at);
  }
  load();
  return {
    element,
    redraw: draw,
    load,
    keys: { s: () => stepButton.click(), b: () => back.click(), r: () => resetButton.click() },
  };
}
