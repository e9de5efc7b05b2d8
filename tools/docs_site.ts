/**
 * Builds the documentation site with typedoc: the README as its home page, every page of
 * docs/ (guides, tutorials, optimizer and scheduler pages) as a page of the site with its
 * figures, and the API reference of `gradlab` and `gradlab/plotting`, one navigation for all.
 *
 * docs/index.md is the table of contents: its links, in order (every link of a list item), become the sidebar, each page
 * titled by its link text and filed under the heading (or the list item) the link sits in.
 * Internals stay out of the reference: what is marked `@internal` (typedoc.json:
 * excludeInternal) and every name with one leading underscore, PyTorch's mark of an internal
 * (`Module._modules`, `OneCycleLR._schedule_phases`). The build fails on any typedoc warning
 * (typedoc.json: treatWarningsAsErrors) and on a page of docs/ the table of contents does not link.
 * test/docs/site.test.ts builds the site and browses every page of it in Chromium.
 *
 * Usage: tsx tools/docs_site.ts [--out <folder>]   (default: typedoc.json's out, docs/site/)
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import { Application, Converter, type DocumentReflection, type ProjectReflection, ReflectionKind, RendererEvent, TSConfigReader, TypeDocReader } from "typedoc";

const root = fileURLToPath(new URL("../", import.meta.url));

/** A page of the table of contents: its path under docs/ without `.md`, title and section. */
export interface TocEntry {
  page: string;
  title: string;
  section: string | null;
}

/**
 * The pages docs/index.md links, in order. A link's section is the text of the list item it
 * is nested in, else the `## heading` above it, else none (a top-level page of the site).
 */
export function tableOfContents(markdown: string): TocEntry[] {
  const entries: TocEntry[] = [];
  let heading: string | null = null;
  const parents: { indent: number; text: string }[] = [];
  for (const line of markdown.split("\n")) {
    const h = /^##\s+(.+?)\s*$/.exec(line);
    if (h) {
      heading = h[1]!;
      parents.length = 0;
      continue;
    }
    const item = /^(\s*)[-*]\s+(.*)$/.exec(line);
    if (!item) continue;
    const indent = item[1]!.length;
    while (parents.length > 0 && parents.at(-1)!.indent >= indent) parents.pop();
    const text = plain(
      item[2]!
        .replace(/\]\([^)]*\)/g, "]")
        .replace(/[[\]]/g, "")
        .replace(/\s*[,:;(].*$/, ""),
    );
    const section = parents.at(-1)?.text ?? heading;
    parents.push({ indent, text });
    for (const link of item[2]!.matchAll(/\[([^\]]+)\]\(([^)#]+\.md)(#[^)]*)?\)/g)) {
      entries.push({ page: posix.normalize(link[2]!).replace(/\.md$/, ""), title: plain(link[1]!), section });
    }
  }
  return entries;
}

/** Link text as a navigation label: no code marks, and no "/" (typedoc reads it as a folder). */
const plain = (text: string): string => text.replace(/`/g, "").replace(/\//g, "∕").trim();

/**
 * Orders the site's pages after docs/index.md and names the two modules as they are
 * imported; returns the page titles to apply once addresses are fixed (so a page's address
 * follows its file, documents/tutorials_00_demo.html, not its title). Throws on a page of
 * docs/ the table of contents does not link.
 */
function arrange(project: ProjectReflection, toc: TocEntry[]): Map<DocumentReflection, string> {
  const documents = project.documents ?? [];
  const byPage = new Map(documents.map((d) => [d.name, d]));
  const unlisted = documents.filter((d) => d.name !== "index" && !toc.some((e) => e.page === d.name));
  if (unlisted.length > 0) {
    throw new Error(`docs/index.md, the site's table of contents, links no page for: ${unlisted.map((d) => `docs/${d.name}.md`).join(", ")}`);
  }
  const ordered: DocumentReflection[] = [];
  const titles = new Map<DocumentReflection, string>();
  const home = byPage.get("index");
  if (home) {
    titles.set(home, "Contents");
    ordered.push(home);
  }
  for (const entry of toc) {
    const doc = byPage.get(entry.page);
    if (!doc) throw new Error(`docs/index.md links docs/${entry.page}.md, which the site does not include (typedoc.json projectDocuments)`);
    if (ordered.includes(doc)) continue;
    titles.set(doc, entry.section ? `${plain(entry.section)}/${entry.title}` : entry.title);
    ordered.push(doc);
  }
  project.documents = ordered;
  const modules = (project.children ?? []).filter((c) => c.kindOf(ReflectionKind.Module));
  for (const module of modules) module.name = module.name === "index" ? "gradlab" : `gradlab/${module.name.replace(/\/index$/, "")}`;
  project.childrenIncludingDocuments = [...ordered, ...(project.children ?? [])];
  return titles;
}

/** Declarations named like PyTorch's internals (one leading underscore), which the reference leaves out. */
const INTERNAL_KINDS =
  ReflectionKind.Property |
  ReflectionKind.Method |
  ReflectionKind.Accessor |
  ReflectionKind.Function |
  ReflectionKind.Variable |
  ReflectionKind.Class |
  ReflectionKind.Interface |
  ReflectionKind.TypeAlias;
function hideUnderscored(project: ProjectReflection): string[] {
  const hidden = Object.values(project.reflections).filter((r) => r.kindOf(INTERNAL_KINDS) && /^_[^_]/.test(r.name));
  for (const r of hidden) project.removeReflection(r);
  return hidden.map((r) => r.getFullName());
}

/** Whether git knows a remote named `origin` here (typedoc's default source of source links). */
function hasOriginRemote(): boolean {
  return spawnSync("git", ["-C", root, "remote", "get-url", "origin"], { stdio: "ignore" }).status === 0;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const out = args.includes("--out") ? args[args.indexOf("--out") + 1] : undefined;
  // "Defined in" lines come from git; a checkout with no `origin` remote (a downloaded copy, a
  // fresh `git init`) would make typedoc warn, and warnings fail the build, so it then has none.
  const sources = hasOriginRemote() ? {} : { disableSources: true };
  const app = await Application.bootstrapWithPlugins({ ...sources, ...(out ? { out } : {}) }, [new TypeDocReader(), new TSConfigReader()]);
  const toc = tableOfContents(readFileSync(join(root, "docs", "index.md"), "utf8"));
  let failure: Error | null = null;
  let titles = new Map<DocumentReflection, string>();
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    try {
      titles = arrange(context.project, toc);
      hideUnderscored(context.project);
    } catch (error) {
      failure = error as Error;
    }
  });
  // Pages have their addresses by now; the navigation, titles and search take the new names.
  app.renderer.on(RendererEvent.BEGIN, () => {
    for (const [doc, title] of titles) doc.name = title;
  });
  const project = await app.convert();
  if (failure) throw failure;
  if (!project || app.logger.hasErrors() || app.logger.hasWarnings()) return 1;
  app.validate(project);
  if (app.logger.hasErrors() || app.logger.hasWarnings()) return 1;
  await app.generateOutputs(project);
  if (app.logger.hasErrors() || app.logger.hasWarnings()) return 1;
  const pages = (project.documents ?? []).length;
  console.log(`site written to ${app.options.getValue("out")}: ${pages} pages of docs/ and the API reference, no warnings`);
  return 0;
}

process.exit(await main());
