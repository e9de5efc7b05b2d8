import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { TopLevelSpec } from "vega-lite";

/**
 * Renders Vega-Lite specs to SVG on a worker thread, so that Vega never loads into the
 * thread that trains.
 *
 * Why: under `tsx`, every CommonJS file the main thread requires passes through tsx's
 * module-type check, which parses it with a WebAssembly lexer; a file longer than about
 * 12,500 characters makes that lexer grow its memory, and growing a WebAssembly memory
 * detaches its old ArrayBuffer. The first detach in a V8 isolate invalidates the isolate's
 * "ArrayBuffer detaching" protector for good, after which every typed-array access in
 * optimised code carries a detached-buffer check (12–43% slower loops). Vega pulls in
 * such a file (topojson-client's CommonJS build), so it lives on its own thread, whose
 * isolate and protector are its own. test/plotting/protector.test.ts keeps this true.
 */
const rendererProgram = (vega: string, vegaLite: string): string => `
const { parentPort } = require("node:worker_threads");
const libraries = Promise.all([import(${JSON.stringify(vega)}), import(${JSON.stringify(vegaLite)})]);
parentPort.on("message", async ({ id, spec }) => {
  try {
    const [vega, vegaLite] = await libraries;
    const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: "none" });
    parentPort.postMessage({ id, svg: await view.toSVG() });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.stack ?? error.message : String(error) });
  }
});
`;

interface Reply {
  id: number;
  svg?: string;
  error?: string;
}

let renderer: Worker | null = null;
let nextId = 0;
const pending = new Map<number, { resolve: (svg: string) => void; reject: (error: Error) => void }>();

/** The renderer thread, started on first use; it keeps the process alive only while a chart is pending. */
function rendererThread(): Worker {
  if (renderer !== null) return renderer;
  const resolve = createRequire(import.meta.url).resolve;
  const url = (name: string): string => pathToFileURL(resolve(name)).href;
  const worker = new Worker(rendererProgram(url("vega"), url("vega-lite")), { eval: true, execArgv: [] });
  worker.on("message", ({ id, svg, error }: Reply) => {
    const request = pending.get(id);
    if (request === undefined) return;
    pending.delete(id);
    if (pending.size === 0) worker.unref();
    if (error !== undefined) request.reject(new Error(`rendering a chart failed: ${error}`));
    else request.resolve(svg!);
  });
  worker.on("error", (error) => {
    for (const request of pending.values()) request.reject(error);
    pending.clear();
    renderer = null;
  });
  worker.unref();
  renderer = worker;
  return worker;
}

/** The SVG Vega renders for a Vega-Lite spec (compiled and drawn on the renderer thread). */
export function renderSVG(spec: TopLevelSpec): Promise<string> {
  const worker = rendererThread();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.ref();
    worker.postMessage({ id, spec });
  });
}
