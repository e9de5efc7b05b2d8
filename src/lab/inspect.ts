/**
 * `lab.inspect(optimizer, { params?, indices? })`: the step inspector. Attached to a real
 * optimizer, it records, at every step, the named terms of the update of a few watched
 * elements, exactly as the optimizer's loop computes them (its traced variant, see
 * src/optim/step_trace.ts): a traced step is bit-identical to an untraced one.
 */
import type { Tensor } from "../tensor/tensor.ts";
import type { Optimizer } from "../optim/optimizer.ts";
import { type ElementTerms, type Evaluation, type IterationTrace, type StepTrace, type StepTracer, setStepTracer, stepTracerOf } from "../optim/step_trace.ts";
import { type TermTable, termTableOf } from "./inspect_terms.ts";

/** Options of {@link inspect}. */
export interface InspectOptions {
  /** The parameters to watch (default: every parameter of the optimizer). */
  params?: readonly Tensor[];
  /** The elements to watch in each (row-major indices; default the first eight, or all of a smaller parameter). */
  indices?: readonly number[];
}

/** One watched element of one step: its row-major index and its terms by name. */
export interface InspectedElement {
  index: number;
  terms: ElementTerms;
}

/** What one step recorded for one watched parameter. */
export interface InspectedParam {
  /** The parameter's position, counted across the param groups in order (as in `state_dict`). */
  param: number;
  /** Its param group's index. */
  group: number;
  shape: number[];
  /** The step's scalars for this parameter, as the loop used them (rounded to the parameter's dtype). */
  scalars: Record<string, number>;
  elements: InspectedElement[];
}

/**
 * One iteration within a step (LBFGS): its scalars (n_iter, the step length t, gᵀd …), the
 * closure's evaluations it made, what each watched parameter recorded (θ, g, the direction
 * d, θ after), and, on the iteration that ended the step, the test that ended it.
 */
export interface InspectedIteration {
  scalars: Record<string, number>;
  evaluations: Evaluation[];
  params: InspectedParam[];
  stop?: string;
}

/**
 * One step: the inspector's count of steps (1, 2, …) and what each watched parameter
 * recorded; for LBFGS also its iterations (`params` then hold θ before and after the step).
 */
export interface InspectedStep {
  step: number;
  params: InspectedParam[];
  iterations?: InspectedIteration[];
}

/** The plain data of a {@link StepInspector} (what `JSON.stringify` writes). */
export interface StepInspectorData {
  optimizer: string;
  steps: InspectedStep[];
  explanations: Record<string, string>;
}

const DEFAULT_ELEMENTS = 8;

/** Six significant digits, or exponent form for very small and very large values. */
const short = (v: number): string => {
  const r = Number(v.toPrecision(6));
  return r === 0 || (Math.abs(r) >= 1e-4 && Math.abs(r) < 1e6) ? String(r) : r.toExponential();
};

/**
 * The steps an inspected optimizer has taken since {@link inspect}, element by element.
 * `steps` is plain data (JSON-ready), `toString()` a terminal table of a step, and
 * `explain(term)` the one-line meaning of a term, in the symbols of the optimizer's
 * algorithm box. `close()` stops the recording.
 */
export class StepInspector implements StepTracer {
  /** The optimizer's class name. */
  readonly optimizer: string;
  /** Every recorded step, oldest first. */
  readonly steps: InspectedStep[] = [];
  private readonly target: Optimizer;
  private readonly table: TermTable;
  private readonly watched: Map<Tensor, readonly number[]>;
  private readonly positions: Map<Tensor, number>;
  private current: InspectedStep | null = null;
  private iteration: InspectedIteration | null = null;
  private pending: [InspectedParam, StepTrace][] = [];

  /** Use {@link inspect}. */
  constructor(target: Optimizer, table: TermTable, watched: Map<Tensor, readonly number[]>) {
    this.target = target;
    this.optimizer = target.constructor.name;
    this.table = table;
    this.watched = watched;
    this.positions = new Map(target.param_groups.flatMap((g) => g.params).map((p, i) => [p, i]));
  }

  /** The last recorded step (undefined before the first). */
  get last(): InspectedStep | undefined {
    return this.steps[this.steps.length - 1];
  }

  /** The one-line explanation of every term and scalar this optimizer records, by name. */
  get explanations(): Record<string, string> {
    return { ...this.table.terms };
  }

  /** The one-line explanation of a term or scalar (`"m"`, `"step_size"` …). */
  explain(term: string): string {
    const text = this.table.terms[term] ?? this.table.terms[numberedKey(term)];
    if (text === undefined)
      throw new Error(`${this.optimizer} records no term ${JSON.stringify(term)}; its terms are ${Object.keys(this.table.terms).join(", ")}`);
    return text;
  }

  /** Stops recording; the steps recorded so far stay. */
  close(): void {
    if (stepTracerOf(this.target) === this) setStepTracer(this.target, null);
  }

  /** @internal Called by the optimizer when a step begins. */
  beginStep(): void {
    this.current = { step: this.steps.length + 1, params: [] };
    this.iteration = null;
    this.pending = [];
  }

  /** @internal Called by an optimizer that iterates within a step (LBFGS) when an iteration begins. */
  beginIteration(): IterationTrace {
    const iteration: InspectedIteration = { scalars: {}, evaluations: [], params: [] };
    this.iteration = iteration;
    (this.current!.iterations ??= []).push(iteration);
    return iteration;
  }

  /** @internal The trace the optimizer fills for `param`, or null when it is not watched. */
  traceFor(param: Tensor, group: number): StepTrace | null {
    const watch = this.watched.get(param);
    if (watch === undefined || this.current === null) return null;
    const record: InspectedParam = { param: this.positions.get(param) ?? -1, group, shape: [...param.shape], scalars: {}, elements: [] };
    const trace: StepTrace = { watch, elements: [], scalars: record.scalars };
    (this.iteration ?? this.current).params.push(record);
    this.pending.push([record, trace]);
    return trace;
  }

  /** @internal Called by the optimizer when a step has updated every parameter. */
  endStep(): void {
    if (this.current === null) return;
    for (const [record, trace] of this.pending) record.elements = trace.watch.map((index, k) => ({ index, terms: trace.elements[k] ?? {} }));
    this.steps.push(this.current);
    this.current = null;
    this.iteration = null;
    this.pending = [];
  }

  /** The plain data: the optimizer's name, every step, and the explanations. */
  toJSON(): StepInspectorData {
    return { optimizer: this.optimizer, steps: this.steps, explanations: this.explanations };
  }

  /**
   * A terminal table of one step (default the last): for each watched parameter its scalars,
   * then one row per term and one column per watched element, then what each term means.
   */
  toString(step?: number): string {
    const s = step === undefined ? this.last : this.steps[step - 1];
    if (s === undefined) return `${this.optimizer}: no step recorded${step === undefined ? " yet" : ` as step ${step}`}`;
    const lines = [`${this.optimizer}, step ${s.step}`];
    const used = new Set<string>();
    for (const p of s.params) lines.push(...this.paramLines(p, "", used));
    for (const it of s.iterations ?? []) {
      lines.push(`iteration ${it.scalars.n_iter ?? "?"}`, ...scalarLines(it.scalars, "  ", used));
      if (it.evaluations.length > 0) lines.push(`  evaluations (t → loss): ${it.evaluations.map((e) => `${short(e.t)} → ${short(e.loss)}`).join(", ")}`);
      for (const p of it.params) lines.push(...this.paramLines(p, "  ", used));
      if (it.stop !== undefined) lines.push(`  stop: ${it.stop}`);
    }
    const legend = Object.entries(this.table.terms).filter(([k]) => used.has(k));
    const width = Math.max(...legend.map(([k]) => k.length));
    lines.push("where", ...legend.map(([k, text]) => `  ${k.padEnd(width)}  ${text}`));
    return lines.join("\n");
  }

  /** One parameter's block: its scalars, then a row per term and a column per watched element. */
  private paramLines(p: InspectedParam, indent: string, used: Set<string>): string[] {
    const lines = [`${indent}parameter ${p.param} (group ${p.group}, shape [${p.shape.join(", ")}])`, ...scalarLines(p.scalars, `${indent}  `, used)];
    const recorded = new Set(p.elements.flatMap((e) => Object.keys(e.terms)));
    const names = this.table.order.flatMap((n) => (n.endsWith("_k") ? numberedTerms(n, recorded) : recorded.has(n) ? [n] : []));
    for (const n of names) used.add(numberedKey(n) in this.table.terms ? numberedKey(n) : n);
    const cells = [
      ["term", ...p.elements.map((e) => `[${e.index}]`)],
      ...names.map((n) => [n, ...p.elements.map((e) => (n in e.terms ? short(e.terms[n]!) : ""))]),
    ];
    const widths = cells[0]!.map((_, c) => Math.max(...cells.map((row) => row[c]!.length)));
    for (const row of cells)
      lines.push(`${indent}  ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ")}`.trimEnd());
    return lines;
  }
}

/** The table key of a numbered term: `direction_2` → `direction_k` (a term recorded once per entry); other names unchanged. */
const numberedKey = (term: string): string => term.replace(/_\d+$/, "_k");

/** The recorded terms a numbered key stands for (`direction_k` → direction_1, direction_2 …), in number order. */
function numberedTerms(key: string, recorded: Set<string>): string[] {
  const names: string[] = [];
  for (let k = 1; recorded.has(`${key.slice(0, -1)}${k}`); k++) names.push(`${key.slice(0, -1)}${k}`);
  return names;
}

/** The scalars on one line, `name = value` joined by ·, or nothing when there are none. */
function scalarLines(scalars: Record<string, number>, indent: string, used: Set<string>): string[] {
  const entries = Object.entries(scalars);
  for (const [k] of entries) used.add(k);
  return entries.length === 0 ? [] : [`${indent}${entries.map(([k, v]) => `${k} = ${short(v)}`).join(" · ")}`];
}

/**
 * Watches the update of a few elements of an optimizer's parameters: every `optimizer.step()`
 * after this records, for each watched element, the named terms of its update as the loop
 * computes them (for Adam: the gradient g, m and v before and after, vmax, the denominator,
 * the update, θ before and after; the step's t, lr, step_size and bias corrections), with
 * a one-line explanation per term in the symbols of the optimizer's algorithm box. Every
 * optimizer of torch.optim's set is traced (docs/lab/inspect.md lists what each records),
 * LBFGS at the level of its iterations (`steps[k].iterations`).
 *
 * The optimizer is not changed: a step with the inspector attached gives bit for bit the
 * parameters and state that it gives without (the traced loop is the same loop, made with
 * one more setting that copies its values out), and the recorded lr is the lr the step used,
 * after any scheduler changed it. Param groups and closures work as in any step. One
 * inspector per optimizer at a time; `close()` detaches it.
 *
 * @example
 * ```ts
 * import { lab, optim, tensor } from "gradlab";
 * const w = tensor([1, -1], { dtype: "float64", requires_grad: true });
 * const opt = new optim.Adam([w], 0.1);
 * const watch = lab.inspect(opt);
 * w.grad = tensor([0.5, -2], { dtype: "float64" });
 * opt.step();
 * const [first, second] = watch.last!.params[0]!.elements;
 * // m = (1 − β1)·g on the first step, with 1 − 0.9 = 0.09999999999999998 in float64
 * console.log(first!.terms.m, second!.terms.m); // 0.04999999999999999 -0.19999999999999996
 * console.log(first!.terms.theta_after.toFixed(6), second!.terms.theta_after.toFixed(6)); // 0.900000 -0.900000
 * console.log(watch.explain("m")); // "m ← lerp(m_prev, g, 1 − β1) = β1·m_prev + (1 − β1)·g: the running average of the gradient"
 * ```
 */
export function inspect(optimizer: Optimizer, options: InspectOptions = {}): StepInspector {
  const table = termTableOf(optimizer);
  const all = optimizer.param_groups.flatMap((g) => g.params);
  const params = options.params ?? all;
  const watched = new Map<Tensor, readonly number[]>();
  for (const p of params) {
    if (!all.includes(p)) throw new Error("lab.inspect: a watched parameter is not one of the optimizer's parameters");
    const n = p.numel();
    const indices = options.indices ?? Array.from({ length: Math.min(n, DEFAULT_ELEMENTS) }, (_, i) => i);
    for (const i of indices) {
      if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`lab.inspect: index ${i} is out of range for a parameter of ${n} elements`);
    }
    watched.set(
      p,
      [...new Set(indices)].sort((a, b) => a - b),
    );
  }
  if (stepTracerOf(optimizer) !== undefined) throw new Error("lab.inspect: this optimizer is already inspected; close() the other inspector first");
  const inspector = new StepInspector(optimizer, table, watched);
  setStepTracer(optimizer, inspector);
  return inspector;
}
