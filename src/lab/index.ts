/**
 * Learner tools that PyTorch does not have, beside the mirror of `torch.optim`: they run
 * the real classes and never change how one behaves. Exported from the package root as `lab`.
 */
export { preview_schedule, SchedulePreview } from "./preview_schedule.ts";
export type { PreviewGroup, PreviewSchedule, PreviewScheduleOptions, ScheduleEvent, ScheduleSVGOptions, Stepper, Steppers } from "./preview_schedule.ts";
export { lr_finder } from "./lr_finder.ts";
export type { Batch, LossFunction, LRFinderOptions, Target } from "./lr_finder.ts";
export { LRFinderResult } from "./lr_finder_result.ts";
export type { LRFinderData, LRFinderSVGOptions, LRSuggestion } from "./lr_finder_result.ts";
export type { RuleName, StepMode } from "./lr_finder_rules.ts";
export { inspect, StepInspector } from "./inspect.ts";
export type { InspectedElement, InspectedIteration, InspectedParam, InspectedStep, InspectOptions, StepInspectorData } from "./inspect.ts";
export type { TermTable } from "./inspect_terms.ts";
export type { ElementTerms, Evaluation, IterationTrace, StepTrace, StepTracer } from "../optim/step_trace.ts";

import { declared, type Parameter, type Signature } from "../utils/signature.ts";
/**
 * Every PyTorch signature gradlab declares, by Python's name (`"Adam.__init__"`,
 * `"StepLR.__init__"`): each parameter's name in order, positional or keyword-only, its
 * default and kind, exactly as the classes parse their arguments. Python's counterpart is
 * `inspect.signature(torch.optim.Adam)`; the playground builds its controls from it.
 */
export const signatures: ReadonlyMap<string, Signature<readonly Parameter[]>> = declared;
export type { Kind, Parameter, Signature } from "../utils/signature.ts";
