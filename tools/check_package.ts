/**
 * `npm test` runs this: the package as a user gets it. `npm pack` (which builds `dist/`
 * through `prepare`), then the tarball is installed into a fresh project in a temporary
 * folder, offline from the npm cache, and used three ways:
 *
 * (a) plain `node` runs an ESM script that imports `gradlab` and trains a few steps, and
 *     prints numbers derived by hand below;
 * (b) TypeScript (`strict`, `module: nodenext`, `skipLibCheck: false`) type-checks a script
 *     that uses `optim`, `nn`, a scheduler and `gradlab/testing`;
 * (c) esbuild bundles a script importing `gradlab` and one importing `gradlab/plotting`
 *     for the browser, where a Node built-in cannot be resolved, and the bundles still run.
 *
 * Usage: `tsx tools/check_package.ts` (`--keep` leaves the temporary folder).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as esbuild from "esbuild";

const root = resolve(import.meta.dirname, "..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const run = (cmd: string, args: string[], cwd: string): string => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/**
 * (a) Gradient descent on L(w) = (w − 3)², from w = 0 with SGD(lr 0.1): the gradient is
 * 2(w − 3), so w ← w − 0.2(w − 3) = 0.8w + 0.6, giving 0.6, 1.08, 1.464; the loss printed
 * before each step is (w − 3)²: 9, 5.76, 3.6864. A Linear(2, 1) with weight [1, 2] and
 * bias 0.5 maps [3, 4] to 11.5. float64 throughout; printed to 10 decimals.
 */
const nodeScript = `import { nn, optim, tensor } from "gradlab";
const w = tensor([0], { dtype: "float64", requires_grad: true });
const opt = new optim.SGD([w], { lr: 0.1 });
const rows = [];
for (let step = 0; step < 3; step++) {
  opt.zero_grad();
  const loss = w.sub(3).pow(2).sum();
  loss.backward();
  opt.step();
  rows.push(loss.item().toFixed(10) + " " + w.item().toFixed(10));
}
const layer = new nn.Linear(2, 1, { dtype: "float64" });
layer.weight.data.data.set([1, 2]);
layer.bias.data.data.set([0.5]);
rows.push(layer.forward(tensor([[3, 4]], { dtype: "float64" })).item().toFixed(10));
console.log(rows.join("\\n"));
`;
const nodeExpected = ["9.0000000000 0.6000000000", "5.7600000000 1.0800000000", "3.6864000000 1.4640000000", "11.5000000000"].join("\n");

/** (b) A strict TypeScript consumer touching optim, nn, a scheduler and gradlab/testing. */
const tsScript = `import { nn, optim, type Tensor } from "gradlab";
import { make_tensor } from "gradlab/testing";

const model = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 1));
const opt = new optim.Adam(model.parameters(), { lr: 1e-2 });
const scheduler = new optim.lr_scheduler.StepLR(opt, 2, { gamma: 0.5 });
const x: Tensor = make_tensor([8, 3], { low: -1, high: 1 });
const y: Tensor = make_tensor([8, 1]);
for (let epoch = 0; epoch < 3; epoch++) {
  opt.zero_grad();
  const loss: Tensor = nn.functional.mse_loss(model.forward(x), y);
  loss.backward();
  opt.step();
  scheduler.step();
}
const lr: number[] = scheduler.get_last_lr();
const p: Tensor = model.parameters()[0]!.mul_(1);
console.log(lr, p.shape);
`;

const tsconfig = {
  compilerOptions: {
    strict: true,
    module: "nodenext",
    moduleResolution: "nodenext",
    target: "es2022",
    lib: ["es2022", "dom"],
    types: [],
    skipLibCheck: false,
    noEmit: true,
  },
  files: ["consumer.ts"],
};

/** (c) Browser bundles: core, and the charts. */
const browserCore = `import { tensor } from "gradlab";\nconsole.log(tensor([1, 2]).add(1).tolist());\n`;
const browserPlotting = `import { lineChart } from "gradlab/plotting";\nlineChart([{ name: "loss", x: [0, 1], y: [1, 0] }]).then((svg) => console.log(svg.length));\n`;

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dev?: boolean;
  dependencies?: Record<string, string>;
  [key: string]: unknown;
}

/**
 * A project that depends on the tarball, with a lockfile, so that `npm ci --offline` installs
 * every dependency from the npm cache by its integrity (a plain `npm install --offline` would
 * need the registry's package documents, which `npm ci` never caches). The dependencies'
 * entries are this repository's own lockfile entries that are not development-only.
 */
function writeConsumerProject(project: string, tarball: string, integrity: string): void {
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string; dependencies: Record<string, string> };
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
  const packages: Record<string, LockEntry> = {
    "": { name: "consumer", dependencies: { gradlab: `file:${tarball}` } },
    "node_modules/gradlab": { version: manifest.version, resolved: `file:${tarball}`, integrity, dependencies: manifest.dependencies },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path.startsWith("node_modules/") && !entry.dev) packages[path] = entry;
  }
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module", dependencies: { gradlab: `file:${tarball}` } }),
  );
  writeFileSync(join(project, "package-lock.json"), JSON.stringify({ name: "consumer", lockfileVersion: 3, requires: true, packages }, null, 2));
}

function main(): void {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), "gradlab-package-"));
  const problems: string[] = [];
  try {
    const packed = JSON.parse(run(npm, ["pack", "--json", "--pack-destination", dir], root)) as { filename: string; integrity: string }[];
    const tarball = join(dir, packed[0]!.filename);
    const size = statSync(tarball).size;
    if (size > 1_000_000) problems.push(`the tarball is ${size} bytes (limit 1 MB)`);
    const project = join(dir, "project");
    mkdirSync(project);
    writeConsumerProject(project, `../${packed[0]!.filename}`, packed[0]!.integrity);
    run(npm, ["ci", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], project);

    // (a) plain node
    writeFileSync(join(project, "train.mjs"), nodeScript);
    const printed = run(process.execPath, ["train.mjs"], project).trim();
    if (printed !== nodeExpected) problems.push(`node train.mjs printed\n${printed}\nexpected\n${nodeExpected}`);

    // (b) strict TypeScript
    writeFileSync(join(project, "consumer.ts"), tsScript);
    writeFileSync(join(project, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
    try {
      run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], project);
    } catch (error) {
      problems.push(`tsc on the consumer failed:\n${(error as { stdout?: string }).stdout ?? String(error)}`);
    }

    // (c) browser bundles
    for (const [name, source] of [
      ["core.js", browserCore],
      ["plotting.js", browserPlotting],
    ] as const) {
      writeFileSync(join(project, name), source);
      try {
        const result = esbuild.buildSync({
          entryPoints: [join(project, name)],
          absWorkingDir: project,
          bundle: true,
          platform: "browser",
          format: "esm",
          write: false,
          logLevel: "silent",
          // Run as in a browser: no process.getBuiltinModule, so charts are drawn in this thread.
          banner: { js: "if (globalThis.process) globalThis.process.getBuiltinModule = undefined;" },
        });
        const text = result.outputFiles[0]!.text;
        if (/\brequire\(["'](node:)?(fs|path|os|child_process|events|readline|tty)["']\)/.test(text)) {
          problems.push(`${name}: the browser bundle requires a Node built-in`);
        }
        // The bundle must still work (a bundler that drops src/methods.ts leaves tensors without methods).
        const bundled = join(project, `bundle-${name.replace(".js", ".mjs")}`);
        writeFileSync(bundled, text);
        const out = run(process.execPath, [bundled], project).trim();
        const expected = name === "core.js" ? "[ 2, 3 ]" : /^\d{3,}$/;
        if (typeof expected === "string" ? out !== expected : !expected.test(out)) problems.push(`the bundle of ${name} printed ${out}`);
      } catch (error) {
        const messages = (error as { errors?: { text: string }[] }).errors?.map((e) => e.text).join("\n") ?? String(error);
        problems.push(`esbuild could not bundle ${name} for the browser:\n${messages}`);
      }
    }
    const files = JSON.parse(readFileSync(join(project, "node_modules/gradlab/package.json"), "utf8")) as {
      files?: string[];
    };
    if (!files.files?.includes("dist")) problems.push("package.json files does not list dist");
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    if (problems.length === 0)
      console.log(`package: ${packed[0]!.filename} (${(size / 1024).toFixed(0)} kB) works from node, strict TypeScript and a browser bundle (${seconds} s)`);
  } finally {
    if (!process.argv.includes("--keep")) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
  if (problems.length > 0) {
    console.error(problems.join("\n\n"));
    process.exit(1);
  }
}

main();
