/**
 * The whole configuration of the page, and its home in the URL. Only what differs from a
 * default is written, as readable query parameters whose values are JSON literals
 * (`a=Adam&a.lr=0.05&a.s=StepLR&a.s.step_size=30`): a number is written with the shortest
 * decimal that reads back to the same double, so a link reproduces a run bit for bit.
 */

/** One optimizer of the Landscapes panel: its options as set (PyTorch's default where absent) and its schedule. */
export interface Slot {
  optimizer: string;
  options: Record<string, unknown>;
  scheduler: string | null;
  schedulerOptions: Record<string, unknown>;
}

export interface LandscapesConfig {
  landscape: string;
  start: [number, number];
  steps: number;
  /** σ of the uniform noise added to each gradient component (0: none), see run.ts. */
  noise: number;
  seed: number;
  /** One to three optimizers. */
  slots: Slot[];
}

export interface SchedulesConfig {
  steps: number;
  /** The throwaway optimizer lab.preview_schedule runs, and its group's lr and momentum. */
  optimizer: "SGD" | "Adam";
  lr: number;
  /** One scheduler, or two run one after the other by SequentialLR. */
  first: { name: string; options: Record<string, unknown> };
  then: { name: string; options: Record<string, unknown>; milestone: number } | null;
  /** The metric ReduceLROnPlateau watches, as drawn: evenly spaced knots in [0, 1] (metric_drawing.ts). */
  metric: number[];
}

/** The Tiny network panel: a small MLP trained on a toy data set (network.ts). */
export interface NetworkConfig {
  dataset: "moons" | "spirals";
  /** Points of the data set (two moons: in all; spirals: per class). */
  samples: number;
  /** The data set's noise (make_moons: σ of each coordinate; make_spirals: of the angle). */
  noise: number;
  /** Units in each of the two hidden layers. */
  width: number;
  batch: number;
  steps: number;
  seed: number;
  slot: Slot;
}

/** The Step inspector panel: one optimizer on one landscape, stepped one update at a time. */
export interface InspectorConfig {
  landscape: string;
  start: [number, number];
  /** σ of the uniform noise added to each gradient component (0: none), as the landscapes panel's, see run.ts. */
  noise: number;
  seed: number;
  /** How many steps have been taken (what a link reopens at). */
  at: number;
  slot: Slot;
}

export type Panel = "landscapes" | "inspector" | "schedules" | "network";

export interface Config {
  panel: Panel;
  landscapes: LandscapesConfig;
  inspector: InspectorConfig;
  schedules: SchedulesConfig;
  network: NetworkConfig;
}

/**
 * Values the page starts a scheduler with where PyTorch has no default (the parameter is
 * required), or where its default (None) cannot run here: OneCycleLR needs a length.
 */
export const STARTING_VALUES: Readonly<Record<string, unknown>> = {
  "StepLR.step_size": 50,
  "MultiStepLR.milestones": [100, 200],
  "ExponentialLR.gamma": 0.99,
  "CosineAnnealingLR.T_max": 300,
  "CosineAnnealingWarmRestarts.T_0": 60,
  "CyclicLR.base_lr": 0.001,
  "CyclicLR.max_lr": 0.05,
  "CyclicLR.step_size_up": 50,
  "OneCycleLR.max_lr": 0.05,
  "OneCycleLR.total_steps": 300,
};

/** The starting options of a scheduler: the values above that belong to it. */
export function startingOptions(scheduler: string): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(STARTING_VALUES)) {
    const [owner, name] = key.split(".");
    if (owner === scheduler && name !== undefined) options[name] = structuredClone(value);
  }
  return options;
}

export const defaultConfig = (): Config => ({
  panel: "landscapes",
  landscapes: {
    landscape: "rosenbrock",
    start: [-1.5, 2],
    steps: 300,
    noise: 0,
    seed: 0,
    slots: [
      { optimizer: "SGD", options: { lr: 0.0005, momentum: 0.9 }, scheduler: null, schedulerOptions: {} },
      { optimizer: "Adam", options: { lr: 0.05 }, scheduler: null, schedulerOptions: {} },
      { optimizer: "LBFGS", options: { lr: 0.1, line_search_fn: "strong_wolfe" }, scheduler: null, schedulerOptions: {} },
    ],
  },
  inspector: {
    landscape: "rosenbrock",
    start: [-1.5, 2],
    noise: 0,
    seed: 0,
    at: 0,
    slot: { optimizer: "Adam", options: { lr: 0.05 }, scheduler: null, schedulerOptions: {} },
  },
  schedules: {
    steps: 100,
    optimizer: "SGD",
    lr: 0.1,
    first: { name: "LinearLR", options: { start_factor: 0.1, total_iters: 10 } },
    then: { name: "CosineAnnealingLR", options: { T_max: 90 }, milestone: 10 },
    // A loss that falls, then flattens (twice), so the plateau's cuts show.
    metric: [1, 0.72, 0.55, 0.46, 0.42, 0.41, 0.41, 0.41, 0.41, 0.36, 0.33, 0.32, 0.32, 0.32, 0.32, 0.32],
  },
  network: {
    dataset: "moons",
    samples: 200,
    noise: 0.15,
    width: 16,
    batch: 32,
    steps: 600,
    seed: 0,
    slot: { optimizer: "Adam", options: { lr: 0.01 }, scheduler: null, schedulerOptions: {} },
  },
});

const SLOT_KEYS = ["a", "b", "c"] as const;
const literal = (value: unknown): string => JSON.stringify(value);
function parseLiteral(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function writeSlot(q: URLSearchParams, k: string, slot: Slot): void {
  q.set(k, slot.optimizer);
  for (const [name, value] of Object.entries(slot.options)) q.set(`${k}.${name}`, literal(value));
  if (slot.scheduler !== null) {
    q.set(`${k}.s`, slot.scheduler);
    for (const [name, value] of Object.entries(slot.schedulerOptions)) q.set(`${k}.s.${name}`, literal(value));
  }
}

function readSlot(q: URLSearchParams, k: string): Slot {
  const options = optionsUnder(q, `${k}.`, [`${k}.s.`]);
  delete options.s;
  return { optimizer: q.get(k)!, options, scheduler: q.has(`${k}.s`) ? q.get(`${k}.s`) : null, schedulerOptions: optionsUnder(q, `${k}.s.`) };
}

/** The configuration as a query string (without "?"). */
export function toQuery(config: Config): string {
  const q = new URLSearchParams();
  const d = defaultConfig();
  q.set("panel", config.panel);
  const L = config.landscapes;
  q.set("f", L.landscape);
  q.set("x0", literal(L.start[0]));
  q.set("y0", literal(L.start[1]));
  q.set("steps", literal(L.steps));
  if (L.noise !== 0) q.set("noise", literal(L.noise));
  if (L.seed !== d.landscapes.seed) q.set("seed", literal(L.seed));
  L.slots.forEach((slot, i) => writeSlot(q, SLOT_KEYS[i]!, slot));
  const I = config.inspector;
  q.set("i.f", I.landscape);
  q.set("i.x0", literal(I.start[0]));
  q.set("i.y0", literal(I.start[1]));
  q.set("i.at", literal(I.at));
  if (I.noise !== 0) q.set("i.noise", literal(I.noise));
  if (I.seed !== d.inspector.seed) q.set("i.seed", literal(I.seed));
  writeSlot(q, "i.opt", I.slot);
  const S = config.schedules;
  q.set("s.steps", literal(S.steps));
  q.set("s.opt", S.optimizer);
  q.set("s.lr", literal(S.lr));
  q.set("s.first", S.first.name);
  for (const [name, value] of Object.entries(S.first.options)) q.set(`s.first.${name}`, literal(value));
  if (S.then !== null) {
    q.set("s.then", S.then.name);
    q.set("s.milestone", literal(S.then.milestone));
    for (const [name, value] of Object.entries(S.then.options)) q.set(`s.then.${name}`, literal(value));
  }
  if (S.first.name === "ReduceLROnPlateau") q.set("s.metric", literal(S.metric));
  const N = config.network;
  for (const key of ["dataset", "samples", "noise", "width", "batch", "steps", "seed"] as const) q.set(`n.${key}`, literal(N[key]));
  writeSlot(q, "n.opt", N.slot);
  return q.toString();
}

/** Options written as `<prefix><name>=<literal>`, but not those under a deeper prefix. */
function optionsUnder(q: URLSearchParams, prefix: string, deeper: readonly string[] = []): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, value] of q) {
    if (!key.startsWith(prefix) || deeper.some((p) => key.startsWith(p))) continue;
    const name = key.slice(prefix.length);
    if (name !== "" && !name.includes(".")) options[name] = parseLiteral(value);
  }
  return options;
}

const numberOr = (text: string | null, fallback: number): number => {
  if (text === null) return fallback;
  const value = Number(text);
  return Number.isFinite(value) ? value : fallback;
};

/** The configuration a query string describes; anything absent is the page's default. */
export function fromQuery(query: string): Config {
  const q = new URLSearchParams(query);
  const config = defaultConfig();
  if (![...q.keys()].length) return config;
  const panel = q.get("panel");
  if (panel === "landscapes" || panel === "inspector" || panel === "schedules" || panel === "network") config.panel = panel;
  const L = config.landscapes;
  L.landscape = q.get("f") ?? L.landscape;
  L.start = [numberOr(q.get("x0"), L.start[0]), numberOr(q.get("y0"), L.start[1])];
  L.steps = Math.max(1, Math.min(5000, Math.round(numberOr(q.get("steps"), L.steps))));
  L.noise = numberOr(q.get("noise"), 0);
  L.seed = numberOr(q.get("seed"), 0);
  if (SLOT_KEYS.some((k) => q.has(k))) {
    L.slots = SLOT_KEYS.filter((k) => q.has(k)).map((k) => readSlot(q, k));
  }
  const I = config.inspector;
  I.landscape = q.get("i.f") ?? I.landscape;
  I.start = [numberOr(q.get("i.x0"), I.start[0]), numberOr(q.get("i.y0"), I.start[1])];
  I.at = Math.max(0, Math.min(5000, Math.round(numberOr(q.get("i.at"), 0))));
  I.noise = Math.max(0, numberOr(q.get("i.noise"), 0));
  I.seed = numberOr(q.get("i.seed"), 0);
  if (q.has("i.opt")) I.slot = readSlot(q, "i.opt");
  const S = config.schedules;
  S.steps = Math.max(1, Math.min(5000, Math.round(numberOr(q.get("s.steps"), S.steps))));
  const opt = q.get("s.opt");
  if (opt === "SGD" || opt === "Adam") S.optimizer = opt;
  S.lr = numberOr(q.get("s.lr"), S.lr);
  if (q.has("s.first")) S.first = { name: q.get("s.first")!, options: optionsUnder(q, "s.first.") };
  if (q.has("s.first") || q.has("s.then")) {
    S.then = q.has("s.then")
      ? { name: q.get("s.then")!, options: optionsUnder(q, "s.then."), milestone: Math.round(numberOr(q.get("s.milestone"), 10)) }
      : null;
  }
  const metric = parseLiteral(q.get("s.metric") ?? "");
  if (Array.isArray(metric) && metric.length >= 2 && metric.every((v) => typeof v === "number" && v >= 0 && v <= 1)) S.metric = metric as number[];
  const N = config.network;
  const dataset = parseLiteral(q.get("n.dataset") ?? "");
  if (dataset === "moons" || dataset === "spirals") N.dataset = dataset;
  const count = (key: string, fallback: number, max: number): number => Math.max(1, Math.min(max, Math.round(numberOr(q.get(key), fallback))));
  N.samples = count("n.samples", N.samples, 2000);
  N.noise = Math.max(0, numberOr(q.get("n.noise"), N.noise));
  N.width = count("n.width", N.width, 256);
  N.batch = count("n.batch", N.batch, 2000);
  N.steps = count("n.steps", N.steps, 5000);
  N.seed = Math.round(numberOr(q.get("n.seed"), N.seed));
  if (q.has("n.opt")) N.slot = readSlot(q, "n.opt");
  return config;
}
