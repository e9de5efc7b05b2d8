/**
 * The documentation site as a learner browses it: built by tools/docs_site.ts (which fails on
 * any typedoc warning), served on localhost and opened in a real Chromium (Debian's, driven by
 * playwright-core). Starting from the home page, every page linked is visited: it must load,
 * log no console error and raise no page error, show every image, and every link inside the
 * site must lead to a file that exists (an anchor to an element that exists), never to raw
 * markdown; every HTML page the build wrote must be reachable that way.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveSite } from "../../tools/serve_site.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const site = mkdtempSync(join(tmpdir(), "gradlab-site-"));
const profile = mkdtempSync(join(tmpdir(), "gradlab-chromium-"));
let buildLog = "";
let server: Server;
let origin = "";
let browser: BrowserContext;

/** Every file the build wrote, as site paths ("documents/x.html"). */
function written(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? written(path) : [relative(site, path).split(sep).join("/")];
  });
}

/** Run in the page (as source text: the project's types have no DOM): images not shown, link targets, anchor ids. */
const IN_PAGE = `({
  brokenImages: [...document.images].filter((img) => !img.complete || img.naturalWidth === 0).map((img) => img.getAttribute("src")),
  links: [...document.querySelectorAll("a[href]")].map((a) => a.href),
  ids: [...document.querySelectorAll("[id], a[name]")].map((e) => e.id || e.getAttribute("name")),
})`;

interface Visit {
  status: number;
  errors: string[];
  brokenImages: string[];
  links: string[];
  ids: Set<string>;
}
const visits = new Map<string, Visit>();

beforeAll(async () => {
  buildLog = await new Promise<string>((resolve, reject) =>
    execFile(
      join(root, "node_modules", ".bin", "tsx"),
      ["tools/docs_site.ts", "--out", site],
      { cwd: root, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? reject(new Error(`tools/docs_site.ts failed:\n${stdout}${stderr}`)) : resolve(stdout + stderr)),
    ),
  );
  ({ server, origin } = await serveSite(site));
  browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true });

  // Breadth-first from the home page over every link inside the site, two tabs at a time
  // (CI has two cores).
  const queue = ["index.html"];
  const queued = new Set(queue);
  let busy = 0;
  const tab = async (): Promise<void> => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(error.message));
    // A request the next navigation cancels (a late favicon fetch) fails with net::ERR_ABORTED; that
    // is the test moving on, not a broken page. A missing file still shows as a ≥ 400 response below.
    page.on("requestfailed", (request) => {
      const reason = request.failure()?.errorText ?? "";
      if (reason !== "net::ERR_ABORTED") errors.push(`request failed: ${request.url()} (${reason})`);
    });
    page.on("response", (response) => {
      if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
    });
    for (;;) {
      const path = queue.shift();
      if (path === undefined) {
        if (busy === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      busy++;
      errors.length = 0;
      const response = await page.goto(`${origin}/${path}`, { waitUntil: "load" });
      const found = (await page.evaluate(IN_PAGE)) as { brokenImages: string[]; links: string[]; ids: string[] };
      const links = found.links.filter((href) => href.startsWith(`${origin}/`)).map((href) => href.slice(origin.length + 1));
      visits.set(path, { status: response?.status() ?? 0, errors: [...errors], brokenImages: found.brokenImages, links, ids: new Set(found.ids) });
      for (const link of links) {
        const target = link.replace(/#.*$/, "");
        if (target.endsWith(".html") && !queued.has(target)) {
          queued.add(target);
          queue.push(target);
        }
      }
      busy--;
    }
    await page.close();
  };
  await Promise.all([tab(), tab()]);
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  rmSync(site, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
});

describe("the documentation site", () => {
  it("builds with no typedoc warning", () => {
    expect(buildLog).not.toMatch(/\[warning\]|\[error\]/);
    expect(buildLog).toMatch(/no warnings/);
  });

  it("has a page for every page of docs/ (guides, tutorials, optimizers, schedulers), and the API reference", () => {
    const markdown = readdirSync(join(root, "docs"), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() && entry.name !== "site"
        ? readdirSync(join(root, "docs", entry.name))
            .filter((f) => f.endsWith(".md"))
            .map((f) => `${entry.name}_${f}`)
        : entry.name.endsWith(".md")
          ? [entry.name]
          : [],
    );
    const documents = written(site)
      .filter((f) => f.startsWith("documents/"))
      .map((f) => f.slice("documents/".length));
    expect(documents.sort()).toEqual(markdown.map((f) => f.replace(/\.md$/, ".html")).sort());
    expect(written(site)).toEqual(
      expect.arrayContaining(["index.html", "modules/gradlab.html", "modules/gradlab_plotting.html", "classes/gradlab.optim.Adam.html"]),
    );
  });

  it("reaches every HTML page it wrote from the home page", () => {
    const pages = written(site).filter((f) => f.endsWith(".html"));
    expect(pages.filter((p) => !visits.has(p))).toEqual([]);
  });

  it("loads every page in Chromium with no console error", () => {
    const bad = [...visits].filter(([, v]) => v.status !== 200 || v.errors.length > 0).map(([path, v]) => `${path}: ${v.status} ${v.errors.join("; ")}`);
    expect(bad).toEqual([]);
  });

  it("shows every image", () => {
    const bad = [...visits].flatMap(([path, v]) => v.brokenImages.map((src) => `${path}: ${src}`));
    expect(bad).toEqual([]);
  });

  it("documents no internal: no member named with PyTorch's leading underscore, such as OneCycleLR._schedule_phases", () => {
    const oneCycle = visits.get("classes/gradlab.optim.lr_scheduler.OneCycleLR.html");
    expect(oneCycle?.ids.has("total_steps")).toBe(true); // a public member is there, by its anchor
    const internal = [...visits].flatMap(([path, v]) => [...v.ids].filter((id) => /^_[^_]/.test(id)).map((id) => `${path}#${id}`));
    expect(internal).toEqual([]);
  });

  it("links only to files that exist, to anchors that exist, and never to raw markdown", () => {
    const bad: string[] = [];
    for (const [path, v] of visits) {
      for (const link of v.links) {
        const [target = "", anchor] = link.split("#");
        const file = target === "" ? path : target;
        if (/\.md$/.test(file)) bad.push(`${path} -> ${link} (raw markdown)`);
        else if (!existsSync(join(site, file))) bad.push(`${path} -> ${link} (missing)`);
        else if (anchor && file.endsWith(".html") && visits.has(file) && !visits.get(file)!.ids.has(decodeURIComponent(anchor)))
          bad.push(`${path} -> ${link} (no such anchor)`);
      }
    }
    expect(bad).toEqual([]);
  });
});
