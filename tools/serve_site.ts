/**
 * Serves the built documentation site (docs/site/, written by `npm run docs`) on localhost,
 * as a static host would: browsers refuse parts of a site opened from file:// (typedoc's
 * icons), so open it through this. test/docs/site.test.ts serves the site it builds the same way.
 *
 * Usage: tsx tools/serve_site.ts [folder] [--port N]   (defaults: docs/site, port 8080)
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css",
  ".js": "text/javascript",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".png": "image/png",
};

/** Serves `dir` on 127.0.0.1 (`port` 0: any free port); resolves once listening, with the origin. */
export async function serveSite(dir: string, port = 0): Promise<{ server: Server; origin: string }> {
  const base = resolve(dir);
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    const file = join(base, path.endsWith("/") ? `${path}index.html` : path);
    if (!file.startsWith(base) || !existsSync(file) || statSync(file).isDirectory()) {
      response.writeHead(404).end();
      return;
    }
    // Assets are shared by every page: the browser may cache them, as from a static host.
    // Anything else (the sources the pages link, *.ts) is shown as text.
    response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "text/plain; charset=utf-8", "cache-control": "max-age=3600" });
    response.end(readFileSync(file));
  });
  await new Promise<void>((ready) => server.listen(port, "127.0.0.1", ready));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const portAt = args.indexOf("--port");
  const port = portAt >= 0 ? Number(args[portAt + 1]) : 8080;
  const dir = args.find((a, i) => !a.startsWith("--") && (portAt < 0 || i !== portAt + 1)) ?? fileURLToPath(new URL("../docs/site/", import.meta.url));
  if (!existsSync(join(dir, "index.html"))) {
    console.error(`no site in ${dir}: build it first with \`npm run docs\``);
    process.exit(1);
  }
  const { origin } = await serveSite(dir, port);
  console.log(`serving ${dir} at ${origin}/ (Ctrl-C stops)`);
}
