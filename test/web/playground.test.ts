/**
 * The playground (web/) as a learner uses it: built by Vite as `npm run build:web` builds it,
 * served on localhost, opened in Debian's Chromium (driven by playwright-core, which never
 * downloads a browser). The numbers the page shows must be gradlab's, bit for bit: Adam on
 * Rosenbrock is run again here in Node, the link is opened again, and the copied gradlab code
 * is run with tsx; the tiny network trains as it does in Node. Screenshots of each panel go to
 * web/screenshots/ (at 1280×800 and at phone width); the frame rate with three optimizers
 * animating and the network's training steps per second are printed, not asserted.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Generator, lab, nn, no_grad, optim, rand, tensor, type Tensor, utils } from "gradlab";
import { type Browser, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveSite } from "../../tools/serve_site.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const screenshots = join(root, "web", "screenshots");

const site = mkdtempSync(join(tmpdir(), "gradlab-playground-"));
let server: Server;
let origin = "";
let browser: Browser;
/** Console errors, page errors and failed requests of every page opened, with the page's address. */
const problems: string[] = [];

const run = (command: string, args: string[]): Promise<string> =>
  new Promise((resolve, reject) =>
    execFile(command, args, { cwd: root, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${command} ${args.join(" ")} failed:\n${stdout}${stderr}`)) : resolve(stdout),
    ),
  );

async function open(query = "", viewport = { width: 1280, height: 800 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`${page.url()}: console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`${page.url()}: ${error.message}`));
  page.on("requestfailed", (request) => problems.push(`request failed: ${request.url()}`));
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(`${origin}/index.html${query}`, { waitUntil: "load" });
  await page.waitForSelector("#readout tr[data-slot]", { state: "attached" });
  return page;
}

/** The rows of the readout table: optimizer, step, x, y, loss, exactly as shown. */
async function readout(page: Page): Promise<{ name: string; step: string; x: string; y: string; loss: string }[]> {
  return page.$$eval("#readout tr[data-slot]", (rows) =>
    rows.map((row) => ({
      name: row.querySelector("th")!.textContent!.replace(/^\d+ /, ""),
      step: row.querySelector(".step")!.textContent!,
      x: row.querySelector(".x")!.textContent!,
      y: row.querySelector(".y")!.textContent!,
      loss: row.querySelector(".loss")!.textContent!,
    })),
  );
}

async function toEnd(page: Page): Promise<void> {
  await page.click("#to-end");
  await page.waitForSelector('#status[data-done="true"]');
}

/** Sets a text or number field as a person does: type the value, then leave the field. */
async function fill(page: Page, selector: string, value: string): Promise<void> {
  await page.fill(selector, value);
  await page.press(selector, "Tab");
}

/**
 * The Tiny network panel's default, built here from the library as the panel describes it:
 * make_moons(200 points, noise 0.15), Linear(2,16)-ReLU-Linear(16,16)-ReLU-Linear(16,2) in
 * float64 from Generator(0), Adam(lr 0.01), CrossEntropyLoss.
 */
function defaultNetwork() {
  const generator = new Generator(0);
  const [X, y] = utils.data.make_moons({ n_samples: 200, noise: 0.15, dtype: "float64", generator });
  const linear = (a: number, b: number): nn.Linear => new nn.Linear(a, b, { dtype: "float64", generator });
  const model = new nn.Sequential(linear(2, 16), new nn.ReLU(), linear(16, 16), new nn.ReLU(), linear(16, 2));
  return { X, y, model, opt: new optim.Adam(model.parameters(), { lr: 0.01 }), lossFn: new nn.CrossEntropyLoss() };
}

beforeAll(async () => {
  // The page imports the package's build (dist/, as `npm run build:web` makes it first), not its sources.
  await run(join(root, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.build.json"]);
  await run(join(root, "node_modules", ".bin", "vite"), ["build", "--config", "web/vite.config.ts", "--outDir", site, "--emptyOutDir", "--logLevel", "error"]);
  ({ server, origin } = await serveSite(site));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  mkdirSync(screenshots, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  rmSync(site, { recursive: true, force: true });
});

describe("the playground", () => {
  it("loads with no console error, showing three optimizers on Rosenbrock", async () => {
    const page = await open();
    expect(await page.locator("#landscape").inputValue()).toBe("rosenbrock");
    expect((await readout(page)).map((r) => r.name)).toEqual(["SGD", "Adam", "LBFGS"]);
    await toEnd(page);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("runs the package's build: every gradlab module in the bundle comes from dist/, none from src/", () => {
    const bundle = readdirSync(join(site, "assets"))
      .filter((name) => name.endsWith(".js"))
      .map((name) => readFileSync(join(site, "assets", name), "utf8"))
      .join("\n");
    // The bundle is not minified: each module starts with a comment naming its file.
    const modules = [...bundle.matchAll(/^\/\/ (\S+\.[jt]s)$/gm)].map((m) => m[1]!);
    expect(modules).toContain("dist/methods.js");
    expect(modules).toContain("dist/lab/inspect.js");
    expect(modules.filter((m) => m.startsWith("src/"))).toEqual([]);
  });

  it("shows PyTorch's defaults, read from the declared signatures, beside each option", async () => {
    const page = await open("?a=Adam");
    const defaults = await page.$$eval("#slot0 .options .option-default", (els) => els.map((e) => e.textContent));
    const names = await page.$$eval("#slot0 .options .option-name", (els) => els.map((e) => e.textContent));
    // Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *, maximize=False, decoupled_weight_decay=False)
    expect(names).toEqual(["lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "decoupled_weight_decay"]);
    expect(defaults).toEqual(["default 0.001", "default 0.9, 0.999", "default 1e-8", "default 0", "default false", "default false", "default false"]);
    await page.close();
  });

  it("moves Adam on Rosenbrock to the θ gradlab computes in Node, bit for bit", async () => {
    const page = await open();
    // Keep one optimizer: Adam, lr 0.02, betas (0.9, 0.99), 250 steps from (-1.2, 1).
    await page.click("#slot2 button.remove");
    await page.click("#slot1 button.remove");
    await page.selectOption("#slot0-optimizer", "Adam");
    await fill(page, "#slot0-opt-lr", "0.02");
    await fill(page, "#slot0-opt-betas", "0.9, 0.99");
    await fill(page, "#x0", "-1.2");
    await fill(page, "#y0", "1");
    await fill(page, "#steps", "250");
    await toEnd(page);
    const [shown] = await readout(page);

    const x = tensor(-1.2, { dtype: "float64", requires_grad: true });
    const y = tensor(1, { dtype: "float64", requires_grad: true });
    const rosenbrock = (): Tensor =>
      x
        .neg()
        .add(1)
        .pow(2)
        .add(y.sub(x.pow(2)).pow(2).mul(100));
    const opt = new optim.Adam([x, y], { lr: 0.02, betas: [0.9, 0.99] });
    for (let step = 0; step < 250; step++) {
      opt.zero_grad();
      rosenbrock().backward();
      opt.step();
    }
    console.log(`Adam on Rosenbrock, 250 steps: page θ = (${shown!.x}, ${shown!.y}); Node θ = (${x.item()}, ${y.item()})`);
    expect(shown!.step).toBe("250");
    expect(Number(shown!.x)).toBe(x.item());
    expect(Number(shown!.y)).toBe(y.item());
    expect(Number(shown!.loss)).toBe(rosenbrock().item());
    expect(x.item()).not.toBe(-1.2); // it moved
    expect(problems).toEqual([]);
    await page.close();
  });

  /** One row of the inspector's terms table: "<kind> <term>" and its cells (x and y, or one for an iteration's scalar). */
  type TermEntry = [string, ...string[]];
  const sorted = (entries: TermEntry[]): TermEntry[] => [...entries].sort((a, b) => a.join("\u0000").localeCompare(b.join("\u0000")));

  /** The inspector's tables as shown: each term row's kind, name and value cells; each state row's cells. */
  async function inspectorTables(page: Page) {
    const terms = await page.$$eval("#i-terms tr[data-term]", (rows) =>
      rows.map((row) => [
        `${row.getAttribute("data-kind")} ${row.getAttribute("data-term")}`,
        ...[...row.querySelectorAll("td.value")].map((td) => td.textContent!),
      ]),
    );
    const state = await page.$$eval("#i-state tr[data-key]", (rows) =>
      rows.map((row) => [row.getAttribute("data-key")!, ...[...row.querySelectorAll("td")].map((td) => td.textContent!)]),
    );
    return { terms: terms as TermEntry[], state };
  }

  /** An inspected step's records as the page's rows: scalars and element terms of x and y, then each iteration's (LBFGS). */
  function termEntries(step: lab.InspectedStep): TermEntry[] {
    const cell = (v: number | undefined): string => (v === undefined ? "" : String(v));
    const ofParams = (params: readonly lab.InspectedParam[], prefix: string): TermEntry[] => {
      const [px, py] = [0, 1].map((i) => params.find((p) => p.param === i));
      const scalars = new Set([...Object.keys(px?.scalars ?? {}), ...Object.keys(py?.scalars ?? {})]);
      const terms = new Set([px, py].flatMap((p) => Object.keys(p?.elements[0]?.terms ?? {})));
      return [
        ...[...scalars].map((n): TermEntry => [`${prefix}scalar ${n}`, cell(px?.scalars[n]), cell(py?.scalars[n])]),
        ...[...terms].map((n): TermEntry => [`${prefix}element ${n}`, cell(px?.elements[0]?.terms[n]), cell(py?.elements[0]?.terms[n])]),
      ];
    };
    const iterations = (step as { iterations?: { scalars: Record<string, number>; params: lab.InspectedParam[] }[] }).iterations ?? [];
    return [
      ...ofParams(step.params, ""),
      ...iterations.flatMap((it, i) => [
        ...Object.entries(it.scalars).map(([n, v]): TermEntry => [`iteration ${i + 1} scalar ${n}`, String(v)]),
        ...ofParams(it.params, `iteration ${i + 1} `),
      ]),
    ];
  }

  /**
   * What lab.inspect records in Node for `steps` steps of `make` on Rosenbrock from (-1.5, 2),
   * as the page's tables show it; the state's single numbers (lists the page shortens are left out).
   */
  function inspectInNode(make: (params: Tensor[]) => optim.Optimizer, steps: number, noise = 0, seed = 0) {
    const x = tensor(-1.5, { dtype: "float64", requires_grad: true });
    const y = tensor(2, { dtype: "float64", requires_grad: true });
    const opt = make([x, y]);
    const watch = lab.inspect(opt);
    const states = [structuredClone(opt.state_dict().state)];
    const generator = new Generator(seed);
    const closure = (): Tensor => {
      opt.zero_grad();
      const loss = x
        .neg()
        .add(1)
        .pow(2)
        .add(y.sub(x.pow(2)).pow(2).mul(100));
      loss.backward();
      // the page's noise (web/src/run.ts): uniform, standard deviation σ, x's draw then y's
      if (noise !== 0)
        for (const p of [x, y])
          p.grad!.add_(
            rand([], { generator, dtype: "float64" })
              .sub(0.5)
              .mul(noise * Math.sqrt(12)),
          );
      return loss;
    };
    for (let k = 0; k < steps; k++) {
      if (opt instanceof optim.LBFGS) opt.step(closure);
      else {
        closure();
        opt.step();
      }
      states.push(structuredClone(opt.state_dict().state));
    }
    // A 0-d state tensor is saved as { dtype, shape: [], data: [v] }, a plain scalar as itself.
    const single = (value: unknown): string | null =>
      value === undefined
        ? "—"
        : typeof value === "number"
          ? String(value)
          : (value as { data?: unknown[] }).data?.length === 1
            ? String((value as { data: unknown[] }).data[0])
            : null;
    const [before, after] = [states[steps - 1]!, states[steps]!];
    const keys = [...new Set([0, 1].flatMap((i) => Object.keys(after[i] ?? {})))];
    const state = keys.map((key) => [key, ...[0, 1].flatMap((i) => [single(before[i]?.[key]), single(after[i]?.[key])])]);
    return { terms: termEntries(watch.last!), state, explanations: watch.explanations };
  }

  /** The page's state rows equal Node's wherever Node's value is one number; the same keys, in the same order. */
  function expectSameState(shown: string[][], node: (string | null)[][]): void {
    expect(shown.map((row) => row[0])).toEqual(node.map((row) => row[0]));
    shown.forEach((row, r) => row.forEach((cell, c) => node[r]![c] !== null && expect(cell, `state ${row[0]}`).toBe(node[r]![c])));
  }

  it.each([
    {
      name: "Adam (amsgrad, weight decay)",
      optimizer: "Adam",
      fields: { lr: "0.05", betas: "0.9, 0.99", weight_decay: "0.01" },
      boxes: ["amsgrad"],
      make: (ps: Tensor[]) => new optim.Adam(ps, { lr: 0.05, betas: [0.9, 0.99], weight_decay: 0.01, amsgrad: true }),
    },
    {
      name: "SGD (Nesterov momentum)",
      optimizer: "SGD",
      fields: { lr: "0.0005", momentum: "0.9" },
      boxes: ["nesterov"],
      make: (ps: Tensor[]) => new optim.SGD(ps, { lr: 0.0005, momentum: 0.9, nesterov: true }),
    },
  ])("inspects $name step by step with lab.inspect's values in Node, bit for bit, and its state before and after, also from its link", async (c) => {
    const page = await open("?panel=inspector");
    await page.selectOption("#i-opt-optimizer", c.optimizer);
    for (const [name, value] of Object.entries(c.fields)) await fill(page, `#i-opt-opt-${name}`, value);
    for (const name of c.boxes) await page.check(`#i-opt-opt-${name}`);
    await page.check("#i-exact");
    for (let k = 0; k < 4; k++) await page.click("#i-step");
    await page.click("#i-back"); // back to step 3, replayed from the start
    expect(await page.locator("#i-status").getAttribute("data-steps")).toBe("3");
    const shown = await inspectorTables(page);
    const meanings = await page.$$eval("#i-terms tr[data-term] td.meaning", (cells) => cells.map((td) => td.textContent));
    const box = await page.locator("#i-box").textContent();
    const link = page.url();
    const again = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await again.goto(link, { waitUntil: "load" });
    await again.check("#i-exact");
    expect(await inspectorTables(again)).toEqual(shown); // the link reopens the same step
    await again.close();
    await page.locator("h1").click();
    await page.keyboard.press("s"); // the keyboard steps too
    expect(await page.locator("#i-status").getAttribute("data-steps")).toBe("4");
    await page.close();

    const node = inspectInNode(c.make, 3);
    console.log(`step inspector, ${c.name}, step 3: ${shown.terms.length} terms and ${shown.state.length} state keys shown, as lab.inspect in Node`);
    expect(sorted(shown.terms)).toEqual(sorted(node.terms)); // every term the step recorded, no other, each bit for bit
    expect(meanings).toEqual(shown.terms.map(([key]) => node.explanations[key.split(" ").pop()!]));
    expect(shown.state).toEqual(node.state);
    expect(shown.state.length).toBeGreaterThan(0);
    expect(box).toMatch(/for each parameter θ/); // the class's algorithm box, from its doc comment
    expect(problems).toEqual([]);
  });

  it("inspects Adam on a noisy landscape as lab.inspect does in Node with the same seeded noise, and lights each term's box line", async () => {
    const page = await open("?panel=inspector&i.noise=0.5&i.seed=7");
    expect(await page.locator("#i-noise").inputValue()).toBe("0.5");
    await page.check("#i-exact");
    for (let k = 0; k < 3; k++) await page.click("#i-step");
    const shown = await inspectorTables(page);
    const noisy = shown.terms.filter(([key]) => key.startsWith("noise "));
    const grad = shown.terms.find(([key]) => key === "element grad")!;
    // Pointing at a term lights the line of the algorithm box it comes from (and the row).
    const litBy = async (term: string): Promise<string[]> => {
      await page.hover(`#i-terms tr[data-term='${term}'] th`);
      return page.$$eval("#i-box .box-line.lit", (lines) => lines.map((l) => l.textContent!.trim()));
    };
    const lit = { m: await litBy("m"), v: await litBy("v"), t: await litBy("t"), theta_after: await litBy("theta_after"), grad: await litBy("grad") };
    await page.focus("#i-terms tr[data-term='m_prev']");
    const focused = await page.$$eval("#i-box .box-line.lit", (lines) => lines.map((l) => l.textContent!.trim()));
    const unlit = await page.$$eval("#i-terms tr[data-term]:not([data-lines])", (rows) => rows.map((r) => r.getAttribute("data-term")));
    await page.close();

    const node = inspectInNode((ps) => new optim.Adam(ps, { lr: 0.05 }), 3, 0.5, 7);
    console.log(
      `step inspector with noise σ = 0.5: step 3's ∇f and noise ${JSON.stringify(noisy)}; box lines lit ${JSON.stringify(lit)}; rows with no box line: ${unlit.join(", ")}`,
    );
    expect(sorted(shown.terms.filter(([key]) => !key.startsWith("noise ")))).toEqual(sorted(node.terms)); // the noisy run, bit for bit
    expect(noisy.map(([key]) => key)).toEqual(["noise ∇f", "noise noise", "noise ∇f + noise"]);
    expect(noisy[2]!.slice(1)).toEqual(grad.slice(1)); // the grad lab.inspect recorded is ∇f + noise
    expect(noisy[1]!.slice(1).every((v) => v !== "0" && Math.abs(Number(v)) <= 0.5 * Math.sqrt(3))).toBe(true);
    expect(lit.m).toEqual(["m ← lerp(m, g, 1 − β1)                   PyTorch's two-branch lerp: m + w·(g − m) if w < 0.5, else g − (g − m)·(1 − w)"]);
    expect(lit.v).toEqual(["v ← β2·v + (1 − β2)·g·g"]);
    expect(lit.t).toEqual(["t ← t + 1"]);
    expect(lit.theta_after).toEqual([expect.stringMatching(/^θ ← θ − \(γ/)]);
    expect(lit.grad).toEqual([expect.stringMatching(/^for each parameter θ that has a gradient g/)]);
    expect(focused).toEqual(lit.m); // the keyboard: focusing m_prev's row lights m's line, where m_prev is read
    expect(problems).toEqual([]);
  });

  it("inspects every optimizer it offers, with PyTorch's defaults, as lab.inspect does in Node, bit for bit", async () => {
    const page = await open("?panel=inspector");
    await page.check("#i-exact");
    const offered = await page.$$eval("#i-opt-optimizer option:not([disabled])", (os) => os.map((o) => o.getAttribute("value")!));
    const checked: string[] = [];
    for (const name of offered) {
      await page.selectOption("#i-opt-optimizer", name); // its options start at PyTorch's defaults
      for (let k = 0; k < 3; k++) await page.click("#i-step");
      expect(await page.locator("#i-status").getAttribute("data-steps"), name).toBe("3");
      const shown = await inspectorTables(page);
      const Ctor = (optim as unknown as Record<string, new (params: Tensor[]) => optim.Optimizer>)[name]!;
      const node = inspectInNode((ps) => new Ctor(ps), 3);
      expect(sorted(shown.terms), name).toEqual(sorted(node.terms));
      expectSameState(shown.state, node.state);
      checked.push(`${name} (${shown.terms.length} terms)`);
    }
    await page.close();
    console.log(`step inspector, 3 steps with defaults, bit for bit with lab.inspect in Node: ${checked.join(", ")}`);
    expect(offered).toEqual(expect.arrayContaining(["SGD", "Adam", "AdamW"]));
    expect(problems).toEqual([]);
  });

  it("offers in the Step inspector exactly the optimizers lab.inspect traces in Node", async () => {
    const page = await open("?panel=inspector");
    const options = await page.$$eval("#i-opt-optimizer option", (os) => os.map((o) => [o.getAttribute("value")!, o.hasAttribute("disabled")] as const));
    await page.close();
    // Muon and SparseAdam cannot run on two scalar parameters at all (the Landscapes panel's rule).
    const offered = options.filter(([name, disabled]) => !disabled && name !== "Muon" && name !== "SparseAdam").map(([name]) => name);
    const traced = options
      .map(([name]) => name)
      .filter((name) => name !== "Muon" && name !== "SparseAdam")
      .filter((name) => {
        const Ctor = (optim as unknown as Record<string, new (params: Tensor[]) => optim.Optimizer>)[name]!;
        try {
          lab.inspect(new Ctor([tensor(0, { dtype: "float64", requires_grad: true })])).close();
          return true;
        } catch {
          return false;
        }
      });
    console.log(`step inspector offers ${offered.join(", ")} (of ${options.length} optimizers)`);
    expect(offered).toEqual(traced);
    expect(offered).toEqual(expect.arrayContaining(["SGD", "Adam", "AdamW"]));
  });

  it("opens the Step inspector on a Landscapes optimizer, with its options and start", async () => {
    const page = await open("?x0=-1&y0=1.5&a=Adam&a.lr=0.03&a.amsgrad=true&b=SGD");
    await page.click("#slot0-inspect");
    expect(await page.locator("#tab-inspector").getAttribute("aria-selected")).toBe("true");
    expect(await page.locator("#i-opt-optimizer").inputValue()).toBe("Adam");
    expect(await page.locator("#i-opt-opt-lr").inputValue()).toBe("0.03");
    expect(await page.locator("#i-opt-opt-amsgrad").isChecked()).toBe(true);
    expect([await page.locator("#i-x0").inputValue(), await page.locator("#i-y0").inputValue()]).toEqual(["-1", "1.5"]);
    await page.click("#i-step");
    expect(await page.locator("#i-terms tr[data-term='vmax']").count()).toBe(1); // amsgrad's term
    expect(problems).toEqual([]);
    await page.close();
  });

  // Three optimizers, LBFGS among them, a schedule on each of two, and gradient noise.
  const NOISY =
    "?f=beale&x0=-1&y0=1.5&steps=120&noise=0.3&seed=7&a=SGD&a.lr=0.001&a.momentum=0.9&a.nesterov=true&a.s=StepLR&a.s.step_size=40" +
    "&b=RMSprop&b.lr=0.01&b.s=ReduceLROnPlateau&b.s.patience=5&c=LBFGS&c.lr=0.5&c.max_iter=4";

  it("restores the same run from its link, bit for bit", async () => {
    const first = await open(NOISY);
    await toEnd(first);
    const before = await readout(first);
    const link = first.url();
    await first.close();
    expect(before.map((r) => r.name)).toEqual(["SGD", "RMSprop", "LBFGS"]);
    expect(new Set(before.map((r) => r.x)).size).toBe(3);

    const second = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await second.goto(link, { waitUntil: "load" });
    await toEnd(second);
    expect(await readout(second)).toEqual(before);
    expect(second.url()).toBe(link);
    await second.close();
  });

  it("gives gradlab code that, run with tsx, prints the numbers on the page", async () => {
    const page = await open(NOISY);
    await toEnd(page);
    const shown = await readout(page);
    await page.click("#copy-gradlab");
    const code = await page.locator("#code").textContent();
    await page.click("#copy-pytorch");
    const python = await page.locator("#code").textContent();
    await page.close();

    const dir = join(root, "web", ".copied");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "playground_run.ts");
    writeFileSync(file, code!);
    const printed = await run(join(root, "node_modules", ".bin", "tsx"), [file]);
    const expected = shown.map((r) => `${r.name}  x = ${r.x}  y = ${r.y}  loss = ${r.loss}`);
    expect(printed.trim().split("\n")).toEqual(expected);
    expect(python).toMatch(/torch\.optim\.LBFGS\(\[x, y\], lr=0\.5, max_iter=4\)/);
    expect(python).toMatch(/torch\.optim\.SGD\(\[x, y\], lr=0\.001, momentum=0\.9, nesterov=True\)/);
    expect(python).toMatch(/scheduler\.step\(loss\.item\(\)\)/);
  });

  it("is usable with the keyboard: run to the end, reset, move the start with the arrows", async () => {
    const page = await open("?steps=40");
    await page.locator("h1").click();
    await page.keyboard.press("e");
    await page.waitForSelector('#status[data-done="true"]');
    expect((await readout(page)).every((r) => r.step === "40")).toBe(true);
    await page.keyboard.press("r");
    expect((await readout(page)).every((r) => r.step === "0")).toBe(true);
    await page.focus("#map");
    await page.keyboard.press("ArrowRight");
    expect(await page.locator("#x0").inputValue()).toBe("-1.4"); // one 40th of the 4-wide domain from -1.5
    await page.keyboard.press("s");
    expect((await readout(page)).every((r) => r.step === "1")).toBe(true);
    await page.close();
  });

  it("saves a screenshot of each panel, readable at 1280×800 and at phone width (nothing wider than the screen)", async () => {
    for (const [label, viewport] of [
      ["1280x800", { width: 1280, height: 800 }],
      ["phone", { width: 390, height: 844 }],
    ] as const) {
      const page = await open("", viewport);
      await toEnd(page);
      await page.click("#copy-gradlab");
      const shot = async (name: string): Promise<void> => {
        await page.screenshot({ path: join(screenshots, `${name}-${label}.png`), fullPage: true });
        expect(await page.evaluate("document.documentElement.scrollWidth"), name).toBeLessThanOrEqual(viewport.width);
      };
      await shot("landscapes");
      await page.click("#tab-inspector");
      for (let k = 0; k < 3; k++) await page.click("#i-step");
      await page.hover("#i-terms tr[data-term='m'] th"); // m's row and its box line lit, as the pointer (or the keyboard) lights them
      await shot("inspector");
      await page.click("#tab-schedules");
      await shot("schedules");
      await page.selectOption("#s-first", "ReduceLROnPlateau");
      await shot("schedules-plateau");
      await page.click("#tab-network");
      await page.fill("#n-steps", "100");
      await page.press("#n-steps", "Tab");
      await page.click("#n-to-end");
      await page.waitForSelector('#n-status[data-done="true"]');
      await page.click("#n-copy-gradlab");
      await shot("network");
      await page.close();
    }
    expect(problems).toEqual([]);
  });

  it("previews a warm-up then cosine schedule with lab.preview_schedule's exact rates", async () => {
    const page = await open("?panel=schedules");
    const values = (await page.locator("#schedule-values").textContent())!.split("\n").map((line) => Number(line.trim().split(/\s+/)[1]));
    // The page's default: LinearLR(start_factor 0.1, total_iters 10), then CosineAnnealingLR(T_max 90) from step 10, lr 0.1, 100 steps.
    const { lab, optim: O } = await import("gradlab");
    const S = O.lr_scheduler;
    const preview = lab.preview_schedule(
      (o) => new S.SequentialLR(o, [new S.LinearLR(o, { start_factor: 0.1, total_iters: 10 }), new S.CosineAnnealingLR(o, { T_max: 90 })], [10]),
      { steps: 100, groups: [{ lr: 0.1, momentum: 0.9 }] },
    );
    expect(values).toEqual(preview.group(0));
    expect(values[10]).toBe(0.1);
    await page.close();
  });

  it("previews ReduceLROnPlateau on a metric drawn with the pointer and the keyboard, with lab.preview_schedule's exact rates", async () => {
    const page = await open("?panel=schedules");
    await page.selectOption("#s-first", "ReduceLROnPlateau");
    const knots = async (): Promise<number[]> => (await page.locator("#s-metric").inputValue()).split(",").map(Number);
    const before = await knots();
    // Draw a flat line at mid height over the right half of the chart (the loss stalls there).
    const box = (await page.locator("#s-metric-canvas").boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.45);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.99, box.y + box.height * 0.45, { steps: 12 });
    await page.mouse.up();
    const drawn = await knots();
    expect(drawn.length).toBe(before.length);
    expect(new Set(drawn.slice(-6)).size).toBe(1); // the flat line
    expect(drawn).not.toEqual(before);
    // The keyboard: the last knot drawn is selected; ↑ raises it by 0.01, ← selects the one before.
    await page.focus("#s-metric-canvas");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("Shift+ArrowDown");
    const typed = await knots();
    const n = drawn.length;
    expect(typed[n - 1]).toBeCloseTo(drawn[n - 1]! + 0.01, 10);
    expect(typed[n - 2]).toBeCloseTo(drawn[n - 2]! - 0.1, 10);
    const rows = (await page.locator("#schedule-values").textContent())!.split("\n").map((line) => {
      const m = /^\s*(\d+)\s+(\S+)\s+\(metric after this step (\S+)\)$/.exec(line)!;
      return { lr: Number(m[2]), metric: Number(m[3]) };
    });
    const link = page.url();
    await page.close();

    const metrics = rows.map((r) => r.metric);
    expect(metrics[0]).toBe(typed[0]);
    expect(metrics[metrics.length - 1]).toBe(typed[n - 1]);
    // The page's default: 100 steps of SGD (momentum 0.9) from lr 0.1, ReduceLROnPlateau with PyTorch's defaults.
    const preview = lab.preview_schedule((o) => new optim.lr_scheduler.ReduceLROnPlateau(o), { steps: 100, groups: [{ lr: 0.1, momentum: 0.9 }], metrics });
    console.log(`ReduceLROnPlateau on the drawn metric: lr cut at steps ${preview.events.map((e) => e.step).join(", ")}`);
    expect(rows.map((r) => r.lr)).toEqual(preview.group(0));
    expect(preview.events.length).toBeGreaterThan(0);

    const again = await open(link.slice(link.indexOf("?")));
    expect(await again.locator("#s-metric").inputValue()).toBe(typed.join(", ")); // the drawing lives in the link
    await again.close();
    expect(problems).toEqual([]);
  });

  it("trains the tiny network on two moons as gradlab does in Node (the training speed is printed)", async () => {
    const page = await open("?panel=network&n.steps=300");
    await page.click("#n-to-end");
    await page.waitForSelector('#n-status[data-done="true"]');
    const exact = page.locator("#n-exact");
    const shown = { loss: Number(await exact.getAttribute("data-loss")), accuracy: Number(await exact.getAttribute("data-accuracy")) };
    const speed = Number(await page.locator("#n-status").getAttribute("data-steps-per-second"));
    await page.close();

    const { X, y, model, opt, lossFn } = defaultNetwork();
    let loss = Number.NaN;
    for (let step = 0; step < 300; step++) {
      const rows = Array.from({ length: 32 }, (_, i) => (step * 32 + i) % 200);
      opt.zero_grad();
      const batchLoss = lossFn.forward(model.forward(X.index_select(0, rows)), y.index_select(0, rows));
      batchLoss.backward();
      opt.step();
      loss = batchLoss.item();
    }
    const labels = y.tolist() as number[];
    const accuracy = no_grad(() => (model.forward(X).argmax(1).tolist() as number[]).filter((c, i) => c === labels[i]).length / labels.length);
    console.log(
      `tiny network, two moons, 300 Adam steps: page loss ${shown.loss}, accuracy ${shown.accuracy}; Node loss ${loss}, accuracy ${accuracy}; ${speed.toFixed(0)} training steps per second in the page (batch 32, accuracy on all 200 points after each step)`,
    );
    // exp and log (cross-entropy, Math.exp and Math.log) may differ in the last bit between
    // Chromium and Node (the data do not: make_moons uses libm's sinpi and cospi), so the loss
    // is compared to a relative 1e-9, the accuracy exactly.
    expect(Math.abs(shown.loss - loss) / loss).toBeLessThan(1e-9);
    expect(shown.accuracy).toBe(accuracy);
    expect(accuracy).toBeGreaterThan(0.9);
    expect(speed).toBeGreaterThan(0);
  });

  it("gives the network's gradlab code that, run with tsx, prints the loss and accuracy the page shows", async () => {
    // SGD with Nesterov momentum and a StepLR schedule on three spirals, 150 steps of batch 50.
    const query =
      "?panel=network&n.dataset=%22spirals%22&n.samples=60&n.noise=0.2&n.width=12&n.batch=50&n.steps=150&n.seed=3" +
      "&n.opt=SGD&n.opt.lr=0.1&n.opt.momentum=0.9&n.opt.nesterov=true&n.opt.s=StepLR&n.opt.s.step_size=50&n.opt.s.gamma=0.5";
    const page = await open(query);
    await page.click("#n-to-end");
    await page.waitForSelector('#n-status[data-done="true"]');
    const exact = page.locator("#n-exact");
    const shown = { loss: Number(await exact.getAttribute("data-loss")), accuracy: Number(await exact.getAttribute("data-accuracy")) };
    await page.click("#n-copy-gradlab");
    const code = (await page.locator("#n-code").textContent())!;
    await page.click("#n-copy-pytorch");
    const python = (await page.locator("#n-code").textContent())!;
    await page.close();

    const dir = join(root, "web", ".copied");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "playground_network.ts");
    writeFileSync(file, code);
    const printed = (await run(join(root, "node_modules", ".bin", "tsx"), [file])).trim();
    const m = /^After step 150: batch loss (\S+), accuracy (\S+)$/.exec(printed);
    expect(m, printed).not.toBeNull();
    const [loss, accuracy] = [Number(m![1]), Number(m![2])];
    console.log(
      `network code, run with tsx: loss ${loss}, accuracy ${accuracy}; page: loss ${shown.loss}, accuracy ${shown.accuracy} (${loss === shown.loss ? "bit for bit" : "not bit for bit"})`,
    );
    // The data are the same bits in Chromium and Node (make_spirals' sin and cos are libm's
    // correctly rounded sinpi and cospi), and here the loss came out bit for bit too; but the
    // loss's exp and log are Math.exp and Math.log, which may round differently in the two
    // engines (the two-moons training test above differs in its last bits), so a relative 1e-9.
    expect(Math.abs(loss - shown.loss) / shown.loss).toBeLessThan(1e-9);
    expect(accuracy).toBe(shown.accuracy);
    expect(shown.accuracy).toBeGreaterThan(1 / 3);
    expect(python).toMatch(/torch\.optim\.SGD\(model\.parameters\(\), lr=0\.1, momentum=0\.9, nesterov=True\)/);
    expect(python).toMatch(/torch\.optim\.lr_scheduler\.StepLR\(opt, step_size=50, gamma=0\.5\)/);
    expect(python).toMatch(/nn\.Linear\(12, 3\)\)\.double\(\)/);
    expect(problems).toEqual([]);
  });

  it("runs the LR range test as lab.lr_finder does in Node, and leaves the network as it was", async () => {
    const page = await open("?panel=network");
    await page.click("#n-range-test");
    await page.waitForSelector("#n-suggestions button[data-lr]");
    const suggested = await page.$$eval("#n-suggestions button[data-lr]", (bs) =>
      bs.map((b) => [b.getAttribute("data-rule"), Number(b.getAttribute("data-lr"))] as const),
    );
    await page.click("#n-to-end");
    await page.waitForSelector('#n-status[data-done="true"]');
    const afterTest = await page.locator("#n-exact").getAttribute("data-loss");
    await page.click("#n-reset");
    await page.click("#n-to-end");
    await page.waitForSelector('#n-status[data-done="true"]');
    const withoutTest = await page.locator("#n-exact").getAttribute("data-loss");
    await page.close();

    const { X, y, model, opt, lossFn } = defaultNetwork();
    const batches = Array.from({ length: 7 }, (_, k) => {
      const rows = Array.from({ length: 32 }, (_, i) => (k * 32 + i) % 200);
      return [X.index_select(0, rows), y.index_select(0, rows)];
    });
    const result = lab.lr_finder(model, opt, lossFn, batches, { start_lr: 1e-5, end_lr: 10, num_iter: 100 });
    const expected = Object.values(result.suggestions)
      .filter((g) => g.lr !== null)
      .map((g) => [g.name, g.lr!] as const);
    console.log(`LR range test suggestions, page: ${JSON.stringify(suggested)}; Node: ${JSON.stringify(expected)}`);
    expect(suggested.map(([name]) => name)).toEqual(expected.map(([name]) => name));
    suggested.forEach(([, lr], i) => expect(Math.abs(lr - expected[i]![1]) / expected[i]![1]).toBeLessThan(1e-9));
    expect(afterTest).toBe(withoutTest); // the test changed nothing of the network or the optimizer
  });

  it("animates three optimizers (the frame rate is printed)", async () => {
    const page = await open("?steps=5000");
    await page.selectOption("#speed", "1");
    await page.click("#play");
    await page.waitForTimeout(300);
    const start = (await page.evaluate("[playground.frames.count, performance.now()]")) as [number, number];
    await page.waitForTimeout(2000);
    const end = (await page.evaluate("[playground.frames.count, performance.now()]")) as [number, number];
    const fps = ((end[0] - start[0]) * 1000) / (end[1] - start[1]);
    console.log(`playground: ${fps.toFixed(1)} frames per second with three optimizers animating (headless Chromium, no GPU)`);
    expect(end[0]).toBeGreaterThan(start[0]);
    await page.close();
  });
});
