/**
 * Python-style warnings: the library reports through {@link warn}, which prints each
 * distinct warning once (Python's default filter), and {@link catch_warnings} lets a
 * test or notebook capture the warnings a block of code raises.
 */

/** A warning as `catch_warnings` records it. */
export interface WarningMessage {
  category: string;
  message: string;
}

/** Warnings already shown, keyed by category and message (Python's warning registry). */
let shown = new Set<string>();
/** Where warnings go while `catch_warnings` runs; null prints them with `console.warn`. */
let recorder: WarningMessage[] | null = null;

/**
 * Issues a warning, as Python's `warnings.warn(message, category)`.
 *
 * A given category and message is reported only the first time (later ones are dropped,
 * as Python's default filter does); it goes to `console.warn` unless `catch_warnings` is
 * recording.
 */
export function warn(message: string, category = "UserWarning"): void {
  const key = `${category}: ${message}`;
  if (shown.has(key)) return;
  shown.add(key);
  if (recorder !== null) recorder.push({ category, message });
  else console.warn(key);
}

/**
 * Runs `fn` with a fresh warning registry and returns what it returned together with the
 * warnings it raised, in order (as Python's `warnings.catch_warnings(record=True)`).
 */
export function catch_warnings<T>(fn: () => T): { result: T; warnings: WarningMessage[] } {
  const savedShown = shown;
  const savedRecorder = recorder;
  const warnings: WarningMessage[] = [];
  shown = new Set();
  recorder = warnings;
  try {
    return { result: fn(), warnings };
  } finally {
    shown = savedShown;
    recorder = savedRecorder;
  }
}
