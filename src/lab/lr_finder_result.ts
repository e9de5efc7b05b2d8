import { terminalChart } from "../plotting/terminal.ts";
import { RULES, RULE_TEXT, type RuleName, type StepMode, rulePoints } from "./lr_finder_rules.ts";

/** One suggested rate, with the rule that chose it and why one might trust it. */
export interface LRSuggestion {
  name: RuleName;
  /** What the rule computes. */
  rule: string;
  /** Why the rule picks a good rate, and whose rule it is. */
  rationale: string;
  /** The suggested rate of group 0, or null when the curve is too short for the rule. */
  lr: number | null;
  /** The suggested rate of every group (each at its ratio to group 0), or null. */
  lrs: number[] | null;
  /** The point of the curve the rule read (for `minimum`, the minimum itself; the rate is a tenth of its lr), or null. */
  point: { step: number; lr: number; loss: number } | null;
  /** Why there is no suggestion (only when `lr` is null). */
  reason?: string;
}

/** Options of {@link LRFinderResult.toSVG}. */
export interface LRFinderSVGOptions {
  title?: string;
  /** Draw the raw batch losses too (default true). */
  raw?: boolean;
  width?: number;
  height?: number;
}

/** The letter that marks each rule's rate under the terminal chart. */
const MARK: Record<RuleName, string> = { steepest: "S", minimum: "M", valley: "V" };

const short = (v: number): string => (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? String(Number(v.toPrecision(4))) : v.toExponential(2));

/** The fields of a {@link LRFinderResult}. */
export type LRFinderData = Pick<
  LRFinderResult,
  "lr" | "lrs" | "loss" | "smoothed" | "best_loss" | "diverged" | "stop_reason" | "step_mode" | "num_iter" | "skip_start" | "skip_end"
>;

/**
 * The curve of a range test and the rates three rules read off it, as {@link lr_finder}
 * returns them. Its fields are plain data (`JSON.stringify` gives them all); `toString()`
 * draws the smoothed curve in the terminal with the suggestions marked, `toSVG()` a figure.
 */
export class LRFinderResult {
  /** Group 0's rate at each step. */
  readonly lr: number[];
  /** `lrs[k][i]`: the rate of group i at step k. */
  readonly lrs: number[][];
  /** The loss of each step (the batch's, or the validation loss with `val_loader`). */
  readonly loss: number[];
  /** The smoothed loss of each step. */
  readonly smoothed: number[];
  /** The least smoothed loss. */
  readonly best_loss: number;
  /** True when the test stopped before `num_iter` steps because the loss diverged. */
  readonly diverged: boolean;
  /** Why it stopped early, or null. */
  readonly stop_reason: string | null;
  readonly step_mode: StepMode;
  readonly num_iter: number;
  readonly skip_start: number;
  readonly skip_end: number;
  /** The three suggestions side by side: `steepest`, `minimum` (÷ 10) and `valley`. */
  readonly suggestions: Record<RuleName, LRSuggestion>;

  constructor(data: LRFinderData) {
    this.lr = data.lr;
    this.lrs = data.lrs;
    this.loss = data.loss;
    this.smoothed = data.smoothed;
    this.best_loss = data.best_loss;
    this.diverged = data.diverged;
    this.stop_reason = data.stop_reason;
    this.step_mode = data.step_mode;
    this.num_iter = data.num_iter;
    this.skip_start = data.skip_start;
    this.skip_end = data.skip_end;
    const points = rulePoints(this.smoothed, this.skip_start, this.skip_end);
    const suggestions = {} as Record<RuleName, LRSuggestion>;
    for (const name of RULES) {
      const p = points[name];
      suggestions[name] =
        p.index === null
          ? { name, ...RULE_TEXT[name], lr: null, lrs: null, point: null, reason: p.reason }
          : {
              name,
              ...RULE_TEXT[name],
              lr: this.lr[p.index]! / p.divisor,
              lrs: this.lrs[p.index]!.map((v) => v / p.divisor),
              point: { step: p.index, lr: this.lr[p.index]!, loss: this.smoothed[p.index]! },
            };
    }
    this.suggestions = suggestions;
  }

  /** The step whose rate is nearest `rate` (on the ramp's own scale), or null outside the curve. */
  private stepNear(rate: number): number | null {
    const at = (v: number): number => (this.step_mode === "exp" ? Math.log(v) : v);
    const lo = this.lr[0]!;
    const hi = this.lr[this.lr.length - 1]!;
    if (rate < lo || rate > hi) return null;
    let best = 0;
    this.lr.forEach((v, k) => {
      if (Math.abs(at(v) - at(rate)) < Math.abs(at(this.lr[best]!) - at(rate))) best = k;
    });
    return best;
  }

  /** The smoothed curve as a terminal chart, the suggested rates marked under it, and a table of them. */
  toString(): string {
    const chart = terminalChart(this.smoothed, { height: 10 });
    const firstLine = chart.split("\n")[0]!;
    const offset = Math.max(firstLine.indexOf("┤"), firstLine.indexOf("┼")) + 1;
    const marks = Array.from({ length: offset + this.smoothed.length }, () => " ");
    const outside: string[] = [];
    for (const name of RULES) {
      const lr = this.suggestions[name].lr;
      if (lr === null) continue;
      const k = this.stepNear(lr);
      if (k === null) outside.push(`${MARK[name]} (${short(lr)}) lies below the ramp`);
      else marks[offset + k] = marks[offset + k] === " " ? MARK[name] : "*";
    }
    const lines = [chart, marks.join("").trimEnd() + (outside.length > 0 ? `   ${outside.join("; ")}` : "")];
    lines.push(
      `smoothed loss over ${this.lr.length} of ${this.num_iter} steps, lr ${short(this.lr[0]!)} → ${short(this.lr[this.lr.length - 1]!)} (${this.step_mode} ramp)` +
        (this.stop_reason === null ? "" : `; stopped: ${this.stop_reason}`),
    );
    lines.push("suggestion   lr          rule");
    for (const name of RULES) {
      const s = this.suggestions[name];
      lines.push(`${`${name} (${MARK[name]})`.padEnd(12)} ${(s.lr === null ? "none" : short(s.lr)).padEnd(11)} ${s.lr === null ? s.reason! : s.rule}`);
    }
    return lines.join("\n");
  }

  /** The curve against the rate (log scale in 'exp' mode) with each suggested rate as a vertical line: an SVG string. */
  async toSVG(options: LRFinderSVGOptions = {}): Promise<string> {
    const { lineChart } = await import("../plotting/line_chart.ts");
    const raw = options.raw ?? true;
    const points = (y: readonly number[]) => {
      const keep = y.map((_v, k) => k).filter((k) => Number.isFinite(y[k]));
      return { x: keep.map((k) => this.lr[k]!), y: keep.map((k) => y[k]!) };
    };
    const smooth = points(this.smoothed);
    const lo = Math.min(...smooth.y, ...(raw ? points(this.loss).y : []));
    // The top of the axis is the highest smoothed loss: a diverging batch's raw loss is clipped.
    const hi = Math.max(...smooth.y);
    const series = [...(raw ? [{ name: "loss", ...points(this.loss) }] : []), { name: "smoothed loss", ...smooth }];
    for (const name of RULES) {
      const lr = this.suggestions[name].lr;
      if (lr !== null) series.push({ name: `${name === "minimum" ? "minimum ÷ 10" : name}: ${short(lr)}`, x: [lr, lr], y: [lo, hi] });
    }
    return lineChart(series, {
      title: options.title ?? "Learning-rate range test",
      xlabel: this.step_mode === "exp" ? "learning rate (log scale)" : "learning rate",
      ylabel: "loss",
      logX: this.step_mode === "exp",
      yDomain: [lo, hi],
      width: options.width,
      height: options.height,
    });
  }
}
