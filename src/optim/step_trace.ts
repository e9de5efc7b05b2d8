/**
 * The recording side of `lab.inspect` (src/lab/inspect.ts), at the optimizer's layer: an
 * optimizer with a {@link StepTracer} attached asks it, for every parameter it updates,
 * which elements to record, and its loop's traced variant writes their terms into the
 * {@link StepTrace} it gets.
 *
 * The traced variant is made from the same loop source as the untraced one, with one more
 * setting, the {@link traceChannel}: it computes every value exactly as the untraced loop
 * does and copies the values it has just computed into a record. The step itself runs the
 * untraced loop; the traced one runs on copies of the watched elements (see
 * {@link watchedCopies}). A traced step is therefore bit-identical to an untraced one, and
 * the recorded terms are the loop's own, not a second copy of its formulas.
 *
 * Loops that are not elementwise, or not specialised, copy the watched elements' values
 * into the trace as they compute them instead, behind a test that an untraced step never
 * passes: SparseAdam's, Adagrad's and SGD's sparse paths (sparse_steps.ts), Adafactor's and Muon's
 * whole-parameter updates, and LBFGS, whose iterations (lbfgs_trace.ts) are read from its
 * own flat vectors through {@link StepTracer.beginIteration}.
 */
import type { Float } from "../tensor/dtype.ts";
import type { Tensor } from "../tensor/tensor.ts";

/** The terms of one element, by name (`g`, `m`, `theta_after` …). */
export type ElementTerms = Record<string, number>;

/** What one parameter's update records in a traced step. */
export interface StepTrace {
  /** The elements to record (row-major indices into the parameter), ascending. */
  readonly watch: readonly number[];
  /** Filled by the loop: one record per watched element, in the order of `watch`. */
  readonly elements: ElementTerms[];
  /** Filled by the update: the step's scalars for this parameter (t, lr, step_size …). */
  readonly scalars: Record<string, number>;
}

/** One line-search evaluation of an iterating optimizer (LBFGS): the step length tried and the loss there. */
export interface Evaluation {
  t: number;
  loss: number;
}

/** What one iteration of an optimizer that iterates within a step (LBFGS) records, beside its parameters' traces. */
export interface IterationTrace {
  /** Filled by the optimizer: the iteration's scalars (n_iter, t, gtd …). */
  readonly scalars: Record<string, number>;
  /** Filled by the optimizer: every evaluation of the closure this iteration made, in order. */
  readonly evaluations: Evaluation[];
  /** Set by the optimizer on the iteration that ends the step: the test that ended it. */
  stop?: string;
}

/** What `lab.inspect` attaches to an optimizer. */
export interface StepTracer {
  /** Called when a step begins (after the closure, before the first update). */
  beginStep(optimizer: object): void;
  /**
   * The trace to fill for `param` (in group `group`), or null when it is not watched: the
   * step's, or, after {@link beginIteration}, the iteration's.
   */
  traceFor(param: Tensor, group: number): StepTrace | null;
  /** Starts the record of one iteration within the step (LBFGS), which the next `traceFor` calls fill. */
  beginIteration(): IterationTrace;
  /** Called when a step has updated every parameter. */
  endStep(optimizer: object): void;
}

const tracers = new WeakMap<object, StepTracer>();

/** Attaches `tracer` to `optimizer` (one at a time), or detaches it with null. */
export function setStepTracer(optimizer: object, tracer: StepTracer | null): void {
  if (tracer === null) tracers.delete(optimizer);
  else tracers.set(optimizer, tracer);
}

/** The tracer attached to `optimizer`, if any. */
export const stepTracerOf = (optimizer: object): StepTracer | undefined => tracers.get(optimizer);

/**
 * Where a traced loop writes: `watch` is empty except while {@link runTraced} runs one
 * (so the warm-up runs of a new loop, see specialise.ts, record nothing). Passed to the
 * traced variants as their `tracer` setting; the untraced ones get null, and their test of
 * it folds away.
 */
export interface TraceChannel {
  watch: readonly number[];
  elements: ElementTerms[];
}

const NOTHING: readonly number[] = [];

/** The one channel every traced loop writes through. */
export const traceChannel: TraceChannel = { watch: NOTHING, elements: [] };

/**
 * The watched elements of each array, copied (before the step changes them) into arrays of
 * their own: element k of every copy is element `watch[k]` of its array. Arrays passed
 * twice (a loop's unused buffer slot is filled with another of its arrays) get one copy,
 * so the copies alias as the arrays do.
 *
 * A traced update runs its untraced loop over the whole arrays, then the traced variant of
 * the same loop over these copies: the loops are elementwise, so the copies' elements go
 * through exactly the arithmetic their originals went through, and the full-size step runs
 * the untraced code (watching costs a copy of a few elements, not a slower loop).
 */
export function watchedCopies<T extends Float[]>(watch: readonly number[], ...arrays: T): T {
  const made = new Map<Float, Float>();
  return arrays.map((a) => {
    let copy = made.get(a);
    if (copy === undefined) {
      copy = a instanceof Float32Array ? new Float32Array(watch.length) : new Float64Array(watch.length);
      for (let k = 0; k < watch.length; k++) copy[k] = a[watch[k]!]!;
      made.set(a, copy);
    }
    return copy;
  }) as T;
}

/** Records one element's terms in a traced loop, if the element is watched: the `record` setting of most traced loops. */
export function recordElement(tracer: TraceChannel, index: number, terms: ElementTerms): void {
  if (tracer.watch.includes(index)) tracer.elements.push(terms);
}

/** Runs `loop` (a traced variant, over {@link watchedCopies}) with the channel pointed at `trace`. */
export function runTraced(trace: StepTrace, loop: () => void): void {
  traceChannel.watch = trace.watch.map((_, k) => k);
  traceChannel.elements = trace.elements;
  try {
    loop();
  } finally {
    traceChannel.watch = NOTHING;
    traceChannel.elements = [];
  }
}
