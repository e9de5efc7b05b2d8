/**
 * Panel 4, Tiny network: an MLP trained live on two moons or spirals (network.ts), its
 * decision regions redrawn as it learns, with loss and accuracy curves and the measured
 * training speed.
 */
import { NOT_ON_LANDSCAPES } from "./catalog.ts";
import { drawChart, fitCanvas } from "./chart.ts";
import type { NetworkConfig } from "./config.ts";
import { el, numberInput } from "./controls.ts";
import { NetworkRun, gridPoints } from "./network.ts";
import { gradlabNetworkCode, pytorchNetworkCode } from "./network_codegen.ts";
import { optimizerControls } from "./optimizer_controls.ts";
import { shareBar } from "./share.ts";

export interface NetworkPanel {
  readonly element: HTMLElement;
  redraw(): void;
  readonly keys: Readonly<Record<string, () => void>>;
}

/** The classes' colours (Okabe–Ito blue, orange, green). */
const CLASS_COLORS = [
  [0, 114, 178],
  [230, 159, 0],
  [0, 158, 115],
] as const;
const GRID = 48;
/** Muon only updates 2-D weights, and the biases are 1-D; SparseAdam needs sparse gradients. */
const UNAVAILABLE = { Muon: "this MLP has 1-D biases; Muon updates 2-D weights only", SparseAdam: NOT_ON_LANDSCAPES.SparseAdam! };

export function networkPanel(config: NetworkConfig, changed: () => void): NetworkPanel {
  let run = new NetworkRun(config);
  let playing = false;
  const stepsPerFrame = 2;

  const dataset = el("select", { id: "n-dataset" }, el("option", { value: "moons" }, "two moons"), el("option", { value: "spirals" }, "three spirals"));
  dataset.value = config.dataset;
  dataset.addEventListener("change", () => {
    config.dataset = dataset.value === "spirals" ? "spirals" : "moons";
    reset();
  });
  const count = (id: string, value: number, max: number, set: (v: number) => void): HTMLInputElement =>
    numberInput(
      id,
      value,
      (v) => Number.isInteger(v) && v >= 1 && v <= max,
      (v) => {
        set(v);
        reset();
      },
      "1",
    );
  const fields = el(
    "fieldset",
    { class: "problem" },
    el("legend", {}, "Data and network"),
    el("label", { for: "n-dataset" }, "data "),
    dataset,
    el("label", { for: "n-samples" }, " points "),
    count("n-samples", config.samples, 2000, (v) => (config.samples = v)),
    el("label", { for: "n-noise" }, " noise "),
    numberInput(
      "n-noise",
      config.noise,
      (v) => v >= 0,
      (v) => {
        config.noise = v;
        reset();
      },
    ),
    el("label", { for: "n-width" }, " hidden width "),
    count("n-width", config.width, 256, (v) => (config.width = v)),
    el("label", { for: "n-batch" }, " batch size "),
    count("n-batch", config.batch, 2000, (v) => (config.batch = v)),
    el("label", { for: "n-steps" }, " steps "),
    count("n-steps", config.steps, 5000, (v) => (config.steps = v)),
    el("label", { for: "n-seed" }, " seed "),
    numberInput(
      "n-seed",
      config.seed,
      Number.isInteger,
      (v) => {
        config.seed = v;
        reset();
      },
      "1",
    ),
    el(
      "p",
      { class: "formula" },
      "MLP: Linear(2, w) → ReLU → Linear(w, w) → ReLU → Linear(w, classes), float64, CrossEntropyLoss; each step takes the next batch of the shuffled points.",
    ),
  );
  const optimizerBox = el("fieldset", { class: "slot network-optimizer" });
  const buildOptimizer = (): void => {
    optimizerBox.replaceChildren(
      el("legend", {}, "Optimizer"),
      ...optimizerControls(
        config.slot,
        "n-opt",
        "optimizer",
        reset,
        () => {
          buildOptimizer();
          reset();
        },
        UNAVAILABLE,
      ),
      el("p", { class: "slot-status", id: "n-status-error", role: "alert" }),
    );
  };

  const play = el("button", { id: "n-play", type: "button", "aria-keyshortcuts": "Space" }, "▶ Train");
  const stepButton = el("button", { id: "n-step", type: "button", "aria-keyshortcuts": "S" }, "Step");
  const resetButton = el("button", { id: "n-reset", type: "button", "aria-keyshortcuts": "R" }, "Reset");
  const endButton = el("button", { id: "n-to-end", type: "button", "aria-keyshortcuts": "E" }, "Train to the end");
  const status = el("p", { id: "n-status", role: "status", "aria-live": "polite" });
  const exact = el("p", { id: "n-exact", class: "formula" });
  const rangeButton = el("button", { id: "n-range-test", type: "button" }, "LR range test");
  const rangeChart = el("canvas", { id: "n-range", role: "img", "aria-label": "loss during the learning-rate range test" });
  const suggestions = el("div", { id: "n-suggestions" });
  const rangeBox = el(
    "div",
    { class: "range-test" },
    el(
      "p",
      { class: "formula" },
      "The range test (lab.lr_finder, Smith's method; PyTorch has none) ramps the rate from 1e-5 to 10 over 100 steps from the network as it is now, then gives the network and optimizer back untouched.",
    ),
    rangeButton,
    rangeChart,
    suggestions,
  );
  rangeChart.hidden = true;
  const share = shareBar({
    prefix: "n-",
    code: (language) => (language === "gradlab" ? gradlabNetworkCode(config) : pytorchNetworkCode(config)),
    about:
      "The link holds the whole setup and reproduces this run bit for bit in this browser. The gradlab code, run with npx tsx, prints the batch loss and accuracy shown after the last step, up to the last digit or so: Node's exp, log, sin and cos may round differently from this browser's.",
  });
  const boundary = el("canvas", { id: "n-boundary", class: "plane", role: "img", "aria-label": "the data and the network's decision regions" });
  const boundaryBox = el("div", { class: "plane-box" }, boundary);
  const lossChart = el("canvas", { id: "n-loss", role: "img", "aria-label": "training loss per step" });
  const accuracyChart = el("canvas", { id: "n-accuracy", role: "img", "aria-label": "accuracy per step" });
  const element = el(
    "section",
    { id: "panel-network", class: "panel", "aria-labelledby": "tab-network" },
    fields,
    el(
      "div",
      { class: "transport" },
      play,
      stepButton,
      resetButton,
      endButton,
      el("small", { class: "keys" }, "Keys: Space train/pause · S step · R reset · E to the end"),
    ),
    status,
    el("div", { class: "figures" }, boundaryBox, el("div", { class: "charts" }, lossChart, accuracyChart, exact, optimizerBox, rangeBox)),
    share.element,
  );

  /** The region drawn: the data's extent, with a margin. */
  const domain = (): [number, number, number, number] => {
    const xs = run.points.map((p) => p[0]!);
    const ys = run.points.map((p) => p[1]!);
    const pad = 0.25;
    return [Math.min(...xs) - pad, Math.max(...xs) + pad, Math.min(...ys) - pad, Math.max(...ys) + pad];
  };
  let grid = gridPoints(GRID, domain());

  /** Shapes the drawing like the data's region, so circles stay circles. */
  const shape = (): void => {
    const [x0, x1, y0, y1] = domain();
    boundaryBox.style.aspectRatio = String((x1 - x0) / (y1 - y0));
  };

  function reset(): void {
    playing = false;
    run = new NetworkRun(config);
    grid = gridPoints(GRID, domain());
    shape();
    changed();
    share.update();
    draw();
  }

  const finished = (): boolean => run.error !== null || run.steps >= config.steps;
  function advance(n: number): void {
    for (let k = 0; k < n && run.steps < config.steps; k++) if (!run.step()) break;
  }
  function frame(): void {
    if (!playing) return;
    advance(stepsPerFrame);
    draw();
    if (finished()) setPlaying(false);
    else requestAnimationFrame(frame);
  }
  function setPlaying(on: boolean): void {
    playing = on;
    play.textContent = on ? "⏸ Pause" : "▶ Train";
    play.setAttribute("aria-pressed", String(on));
    if (on) {
      if (finished()) reset();
      playing = true;
      requestAnimationFrame(frame);
    }
  }
  play.addEventListener("click", () => setPlaying(!playing));
  stepButton.addEventListener("click", () => {
    setPlaying(false);
    advance(1);
    draw();
  });
  resetButton.addEventListener("click", () => reset());
  endButton.addEventListener("click", () => {
    setPlaying(false);
    advance(config.steps);
    draw();
  });

  rangeButton.addEventListener("click", () => {
    setPlaying(false);
    try {
      const result = run.rangeTest();
      rangeChart.hidden = false;
      const markers = Object.values(result.suggestions)
        .filter((g) => g.point !== null)
        .map((g) => ({ x: g.point!.step, label: g.name }));
      drawChart(rangeChart, [{ name: "smoothed loss", color: "#cc79a7", values: result.smoothed }], {
        title: `loss while lr ramps from ${result.lr[0]} to ${result.lr[result.lr.length - 1]!.toPrecision(3)} (log-spaced)${result.diverged ? ", stopped: diverged" : ""}`,
        xlabel: "step of the ramp",
        log: true,
        markers,
      });
      suggestions.replaceChildren(
        ...Object.values(result.suggestions).map((g) => {
          if (g.lr === null) return el("p", {}, `${g.name}: no suggestion (${g.reason ?? ""})`);
          const use = el("button", { type: "button", "data-rule": g.name, "data-lr": String(g.lr) }, `use lr ${g.lr.toPrecision(3)}`);
          use.addEventListener("click", () => {
            config.slot.options.lr = g.lr;
            buildOptimizer();
            reset();
          });
          return el("p", { class: "suggestion" }, el("strong", {}, `${g.name}`), ` ${g.rule} `, use);
        }),
      );
    } catch (error) {
      suggestions.replaceChildren(el("p", { class: "option-error" }, `Refused: ${(error as Error).message}`));
    }
  });

  function drawBoundary(): void {
    const { ctx, width, height } = fitCanvas(boundary);
    const probabilities = run.probabilities(grid);
    const image = new ImageData(GRID, GRID);
    probabilities.forEach((p, k) => {
      const c = p.indexOf(Math.max(...p));
      const confidence = (Math.max(...p) - 1 / p.length) / (1 - 1 / p.length);
      const color = CLASS_COLORS[c]!;
      const mix = 0.15 + 0.35 * confidence;
      image.data.set([255 + (color[0] - 255) * mix, 255 + (color[1] - 255) * mix, 255 + (color[2] - 255) * mix, 255], 4 * k);
    });
    const buffer = document.createElement("canvas");
    buffer.width = GRID;
    buffer.height = GRID;
    buffer.getContext("2d")!.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(buffer, 0, 0, width, height);
    const [x0, x1, y0, y1] = domain();
    run.points.forEach(([x, y], i) => {
      const color = CLASS_COLORS[run.labels[i]!]!;
      ctx.fillStyle = `rgb(${color.join(", ")})`;
      ctx.strokeStyle = "#fff";
      ctx.beginPath();
      ctx.arc(((x! - x0) / (x1 - x0)) * width, ((y1 - y!) / (y1 - y0)) * height, 3.5, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    });
  }

  function draw(): void {
    if (boundary.clientWidth > 0) drawBoundary();
    if (lossChart.clientWidth > 0) {
      drawChart(lossChart, [{ name: "batch loss", color: "#d55e00", values: run.losses }], {
        title: "training loss (log scale)",
        xlabel: "step",
        log: true,
        length: config.steps + 1,
      });
    }
    if (accuracyChart.clientWidth > 0) {
      drawChart(accuracyChart, [{ name: "accuracy", color: "#0072b2", values: run.accuracies }], {
        title: "accuracy on all points",
        xlabel: "step",
        length: config.steps + 1,
      });
    }
    const speed = run.trainingTime > 0 ? (1000 * run.steps) / run.trainingTime : 0;
    const last = run.steps > 0 ? ` · loss ${run.losses[run.steps - 1]!.toPrecision(4)} · accuracy ${(100 * run.accuracies[run.steps - 1]!).toFixed(1)}%` : "";
    status.textContent = `Step ${run.steps} of ${config.steps}${last}${run.steps > 0 ? ` · ${Math.round(speed)} training steps per second` : ""}${finished() ? " · done" : ""}`;
    status.dataset.done = String(finished());
    status.dataset.stepsPerSecond = String(speed);
    exact.textContent =
      run.steps === 0
        ? ""
        : `After step ${run.steps}: batch loss ${run.losses[run.steps - 1]}, accuracy ${run.accuracies[run.steps - 1]} (exact, as gradlab computed them)`;
    exact.dataset.loss = run.steps === 0 ? "" : String(run.losses[run.steps - 1]);
    exact.dataset.accuracy = run.steps === 0 ? "" : String(run.accuracies[run.steps - 1]);
    const error = optimizerBox.querySelector("#n-status-error");
    if (error) error.textContent = run.error === null ? "" : `Refused: ${run.error}`;
  }

  buildOptimizer();
  shape();
  return {
    element,
    redraw: draw,
    keys: { " ": () => play.click(), s: () => stepButton.click(), r: () => resetButton.click(), e: () => endButton.click() },
  };
}
