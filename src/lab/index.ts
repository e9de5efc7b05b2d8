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
