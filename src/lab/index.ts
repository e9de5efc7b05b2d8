/**
 * Learner tools that PyTorch does not have, beside the mirror of `torch.optim`: they run
 * the real classes and never change how one behaves. Exported from the package root as `lab`.
 */
export { preview_schedule, SchedulePreview } from "./preview_schedule.ts";
export type { PreviewGroup, PreviewSchedule, PreviewScheduleOptions, ScheduleEvent, ScheduleSVGOptions, Stepper, Steppers } from "./preview_schedule.ts";
