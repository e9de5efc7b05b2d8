/**
 * The Step inspector's run: one optimizer on a landscape (run.ts's loop, with its seeded gradient noise if σ > 0) with
 * `lab.inspect` attached, so every step records the terms of x's and y's update exactly
 * as the optimizer's loop computed them, and `state_dict()` before and after each step.
 * Which rows there are and what each means come from the inspector (its recorded terms and
 * `explanations`), so an optimizer the library learns to trace appears with no change here.
 */
import { lab, type optim } from "gradlab";
import type { Slot } from "./config.ts";
import type { Landscape } from "./landscapes.ts";
import { SlotRun } from "./run.ts";

/** One row of the inspector's tables: a term (or scalar) and its value for x and for y. */
export interface TermRow {
  readonly name: string;
  readonly meaning: string;
  /** By watched parameter: x, then y (undefined where the step recorded no such term); one value for both when it is the iteration's. */
  readonly values: readonly (number | undefined)[];
}

/** One key of `optimizer.state`, for x and y, before and after the step. */
export interface StateRow {
  readonly key: string;
  readonly before: readonly (string | undefined)[];
  readonly after: readonly (string | undefined)[];
}

type PerParamState = optim.StateDict["state"];

/**
 * One iteration within a step, as the inspector records it for an optimizer that iterates
 * (LBFGS): its scalars, the closure's evaluations, each parameter's terms, the stop test.
 * Read structurally, so the page shows them wherever the inspector records them.
 */
interface IterationRecord {
  readonly scalars: Record<string, number>;
  readonly evaluations?: readonly { t: number; loss: number }[];
  readonly params: readonly lab.InspectedParam[];
  readonly stop?: string;
}

/** What the tables show of one step. */
export interface StepRows {
  readonly scalars: TermRow[];
  readonly terms: TermRow[];
  readonly iterations: readonly {
    scalars: TermRow[];
    terms: TermRow[];
    evaluations: readonly { t: number; loss: number }[];
    stop?: string;
  }[];
}

/**
 * A state_dict value as the page shows it: a one-element tensor as its number, a longer one
 * as a list, a list of tensors (LBFGS's history) as a list of those.
 */
export function showState(value: unknown, digits: (v: number) => string, long = Number.POSITIVE_INFINITY): string {
  const list = (items: string[]): string => (items.length <= long ? `[${items.join(", ")}]` : `[${items.slice(0, long).join(", ")}, … ${items.length} in all]`);
  if (typeof value === "number") return digits(value);
  if (Array.isArray(value)) return list(value.map((v) => showState(v, digits, long)));
  if (value !== null && typeof value === "object" && Array.isArray((value as { data?: unknown }).data)) {
    const data = (value as { data: (number | string)[] }).data.map((v) => (typeof v === "number" ? digits(v) : v));
    return data.length === 1 ? data[0]! : list(data);
  }
  return JSON.stringify(value);
}

export class InspectorRun {
  readonly run: SlotRun;
  /** Null when the optimizer refused its options or lab.inspect does not trace it: see `error`. */
  readonly inspector: lab.StepInspector | null = null;
  readonly error: string | null = null;
  /** `state_dict().state` after each step taken, [0] before the first. */
  private readonly states: PerParamState[] = [];

  constructor(landscape: Landscape, slot: Slot, start: readonly [number, number], noise = 0, seed = 0) {
    this.run = new SlotRun(landscape, slot, start, noise, seed);
    const opt = this.run.optimizer;
    if (opt === null) {
      this.error = this.run.error;
      return;
    }
    try {
      this.inspector = lab.inspect(opt);
    } catch (error) {
      this.error = (error as Error).message;
      return;
    }
    this.states.push(structuredClone(opt.state_dict().state));
  }

  get steps(): number {
    return this.run.steps;
  }

  /** One step (recorded by the inspector); false if it could not be taken. */
  step(): boolean {
    if (this.inspector === null) return false;
    if (!this.run.step()) return false;
    this.states.push(structuredClone(this.run.optimizer!.state_dict().state));
    return true;
  }

  /** The inspector's record of step `k` (1, 2 …). */
  recorded(k: number): lab.InspectedStep | undefined {
    return this.inspector?.steps[k - 1];
  }

  /**
   * The step's scalars (t, lr, step_size …) and element terms, in the inspector's order, for
   * x and y; and, for an optimizer that iterates within a step (LBFGS), each iteration's.
   */
  rows(k: number): StepRows {
    const step = this.recorded(k);
    if (step === undefined) return { scalars: [], terms: [], iterations: [] };
    const iterations = (step as { iterations?: readonly IterationRecord[] }).iterations ?? [];
    return {
      ...this.paramRows(step.params),
      iterations: iterations.map((it) => {
        const own = this.paramRows(it.params);
        const scalars = Object.keys(it.scalars).map((name) => ({ name, meaning: this.meaning(name), values: [it.scalars[name]] }));
        return {
          scalars: [...scalars, ...own.scalars],
          terms: own.terms,
          evaluations: it.evaluations ?? [],
          ...(it.stop === undefined ? {} : { stop: it.stop }),
        };
      }),
    };
  }

  /**
   * With gradient noise, step `k`'s ∇f and the noise added to it, for x and y (the grad the
   * optimizer saw, and lab.inspect recorded, is their sum); LBFGS's first closure evaluation.
   */
  noiseRows(k: number): TermRow[] {
    const first = this.run.gradientNoise[k - 1]?.[0];
    if (first === undefined) return [];
    const evaluations = this.run.gradientNoise[k - 1]!.length;
    const more = evaluations > 1 ? ` (the first of this step's ${evaluations} closure evaluations)` : "";
    return [
      { name: "∇f", meaning: `the landscape's exact gradient at θ, as backward() left it${more}`, values: first.clean },
      { name: "noise", meaning: "σ·√12·(u − ½), u ~ U[0, 1) from the seeded Generator: uniform noise of standard deviation σ", values: first.noise },
      { name: "∇f + noise", meaning: "the gradient the optimizer saw (its grad term), rounded once", values: first.clean.map((c, i) => c + first.noise[i]!) },
    ];
  }

  private meaning(name: string): string {
    return this.inspector?.explanations[name] ?? "";
  }

  /** The scalars and element terms x's and y's records hold, in the order of the inspector's explanations. */
  private paramRows(params: readonly lab.InspectedParam[]): { scalars: TermRow[]; terms: TermRow[] } {
    const explained = Object.keys(this.inspector?.explanations ?? {});
    const order = (names: Set<string>): string[] => [...explained.filter((n) => names.has(n)), ...[...names].filter((n) => !explained.includes(n))];
    const byParam = [0, 1].map((i) => params.find((p) => p.param === i));
    const scalarNames = new Set(byParam.flatMap((p) => Object.keys(p?.scalars ?? {})));
    const termNames = new Set(byParam.flatMap((p) => p?.elements.flatMap((e) => Object.keys(e.terms)) ?? []));
    return {
      scalars: order(scalarNames).map((name) => ({ name, meaning: this.meaning(name), values: byParam.map((p) => p?.scalars[name]) })),
      terms: order(termNames).map((name) => ({ name, meaning: this.meaning(name), values: byParam.map((p) => p?.elements[0]?.terms[name]) })),
    };
  }

  /** Every key of `optimizer.state` for x and y, before step `k` and after it (lists cut after `long` items). */
  stateRows(k: number, digits: (v: number) => string, long = Number.POSITIVE_INFINITY): StateRow[] {
    const before = this.states[k - 1];
    const after = this.states[k];
    if (before === undefined || after === undefined) return [];
    const keys = new Set([0, 1].flatMap((i) => [...Object.keys(before[i] ?? {}), ...Object.keys(after[i] ?? {})]));
    const shown = (state: PerParamState, i: number, key: string): string | undefined => {
      const entry = state[i];
      return entry === undefined || !(key in entry) ? undefined : showState(entry[key], digits, long);
    };
    return [...keys].map((key) => ({
      key,
      before: [0, 1].map((i) => shown(before, i, key)),
      after: [0, 1].map((i) => shown(after, i, key)),
    }));
  }
}
