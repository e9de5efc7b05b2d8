/**
 * The optional PyTorch column: bench/run.ts runs bench/torch_cases.py once with Debian's
 * /usr/bin/python3 (torch, one thread) before both of its runs, and passes the JSON it
 * wrote to both through GRADLAB_BENCH_TORCH; each table reads its torch figures from here.
 * Its figures are its thread's CPU time, as gradlab's are (bench/timing.ts); its wall-time
 * figures are in the JSON beside them and in the lines the script prints as it runs.
 * Without torch every torch figure is NaN (printed "n/a") and {@link torchNote} says why.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

interface TorchResult {
  version?: string;
  threads?: number;
  clock?: string;
  load?: [number, number];
  figures?: Record<string, number>;
  wall_figures?: Record<string, number>;
  /** Wall time over CPU time of all its timed trials. */
  wall_over_cpu?: number | null;
  unavailable?: string;
}

const PYTHON = "/usr/bin/python3";

/** Runs bench/torch_cases.py into `out` (bench/run.ts calls this once); a failure is written into `out` as the reason. */
export function runTorch(out: string): void {
  const script = fileURLToPath(new URL("./torch_cases.py", import.meta.url));
  if (!existsSync(PYTHON)) return writeReason(out, `${PYTHON} is not installed`);
  console.log(`PyTorch column: ${PYTHON} bench/torch_cases.py (about a minute, once for both runs) …`);
  const result = spawnSync(PYTHON, [script, out], { stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) writeReason(out, `bench/torch_cases.py failed (exit ${result.status ?? result.signal})`);
}

const writeReason = (out: string, reason: string): void => writeFileSync(out, JSON.stringify({ unavailable: reason }));

function load(): TorchResult {
  const file = process.env.GRADLAB_BENCH_TORCH;
  if (file === undefined) return { unavailable: "not run (bench/run.ts runs it; GRADLAB_BENCH_TORCH is unset)" };
  try {
    return JSON.parse(readFileSync(file, "utf8")) as TorchResult;
  } catch (error) {
    return { unavailable: `cannot read ${file}: ${(error as Error).message}` };
  }
}

const result = load();

/** One of torch's figures by name (as bench/torch_cases.py names them), or NaN. */
export const torchFigure = (name: string): number => result.figures?.[name] ?? NaN;

/** One line for the run's header: torch's version, threads and load, or why the column is n/a. */
export function torchNote(): string {
  if (result.figures === undefined) return `PyTorch column: n/a, ${result.unavailable ?? "no figures"}`;
  const [l0, l1] = result.load ?? [NaN, NaN];
  const wall = result.wall_over_cpu != null ? `, wall ${result.wall_over_cpu.toFixed(2)}× CPU` : "";
  const clock = result.clock ?? "wall time (an older torch_cases.py)";
  return `PyTorch column: torch ${result.version}, ${result.threads} thread, by ${clock}, measured once before both runs (load ${l0.toFixed(1)} → ${l1.toFixed(1)}${wall})`;
}
