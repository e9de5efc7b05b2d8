/**
 * What LBFGS records for `lab.inspect` (src/lab/inspect.ts), at the level of its iterations:
 * for each iteration the watched elements' θ, flat gradient g and direction d, and θ after
 * the move θ ← θ + t·d; the iteration's scalars (t, gᵀd, H₀ …); and every evaluation of the
 * closure it made (the line search's, with strong_wolfe). The values are read from the
 * step's own vectors as it computes them: nothing is computed twice.
 */
import type { Float } from "../tensor/dtype.ts";
import type { Tensor } from "../tensor/tensor.ts";
import type { IterationTrace, StepTrace, StepTracer } from "./step_trace.ts";

/** A watched parameter: its trace, its offset in the flat vector, and where its watched elements sit in its buffer. */
interface Watched {
  trace: StepTrace;
  offset: number;
  buffer: Float;
  positions: number[];
}

/** Records one LBFGS step for a {@link StepTracer}; made only while one is attached. */
export class LBFGSRecorder {
  private readonly tracer: StepTracer;
  private readonly params: Tensor[];
  private readonly offsets: number[];
  private readonly bufferPositions: number[][];
  private readonly step: Watched[];
  private current: { iteration: IterationTrace; watched: Watched[] } | null = null;

  /** Begins the step's record: θ before the step, at every watched element. */
  constructor(tracer: StepTracer, optimizer: object, params: Tensor[], bufferPositions: number[][]) {
    this.tracer = tracer;
    this.params = params;
    this.bufferPositions = bufferPositions;
    let offset = 0;
    this.offsets = params.map((p) => {
      const at = offset;
      offset += p.numel();
      return at;
    });
    tracer.beginStep(optimizer);
    this.step = this.watch();
    for (const w of this.step) for (const at of w.positions) w.trace.elements.push({ theta: w.buffer[at]! });
  }

  /** The traces of the watched parameters, for the step or for the iteration begun last. */
  private watch(): Watched[] {
    const watched: Watched[] = [];
    this.params.forEach((p, k) => {
      const trace = this.tracer.traceFor(p, 0);
      if (trace === null) return;
      const positions = trace.watch.map((i) => this.bufferPositions[k]![i]!);
      watched.push({ trace, offset: this.offsets[k]!, buffer: p.data.data, positions });
    });
    return watched;
  }

  /** An iteration begins, its direction d computed from the flat gradient g: records θ, g and d. */
  beginIteration(n_iter: number, g: Float, d: Float): void {
    const iteration = this.tracer.beginIteration();
    iteration.scalars.n_iter = n_iter;
    const watched = this.watch();
    for (const w of watched) {
      w.trace.watch.forEach((i, k) => {
        w.trace.elements.push({ theta: w.buffer[w.positions[k]!]!, grad: g[w.offset + i]!, d: d[w.offset + i]! });
      });
    }
    this.current = { iteration, watched };
  }

  /** The iteration's scalars, as the step computed them. */
  scalars(values: Record<string, number>): void {
    if (this.current !== null) Object.assign(this.current.iteration.scalars, values);
  }

  /** One evaluation of the closure at step length t along d. */
  evaluation(t: number, loss: number): void {
    this.current?.iteration.evaluations.push({ t, loss });
  }

  /** θ has moved (or not, when the iteration stopped first): records θ after, at every watched element. */
  moved(): void {
    for (const w of this.current?.watched ?? []) w.trace.elements.forEach((e, k) => (e.theta_after = w.buffer[w.positions[k]!]!));
  }

  /** The iteration ended the step, for the reason `stop` (the test that held). */
  stopped(stop: string): void {
    if (this.current !== null) this.current.iteration.stop = stop;
  }

  /** Ends the step's record: θ after the step, and the step's scalars. */
  end(optimizer: object, scalars: Record<string, number>): void {
    for (const w of this.step) {
      w.trace.elements.forEach((e, k) => (e.theta_after = w.buffer[w.positions[k]!]!));
      Object.assign(w.trace.scalars, scalars);
    }
    this.tracer.endStep(optimizer);
  }
}
