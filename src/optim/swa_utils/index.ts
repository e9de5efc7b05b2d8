/**
 * Stochastic Weight Averaging and exponential moving averages of weights, as
 * `torch.optim.swa_utils`.
 */
import { AveragedModel } from "./averaged_model.ts";
import { get_ema_avg_fn, get_ema_multi_avg_fn, get_swa_avg_fn, get_swa_multi_avg_fn } from "./averaging.ts";
import { SWALR } from "./swalr.ts";
import { update_bn } from "./update_bn.ts";

export { AveragedModel, SWALR, get_ema_avg_fn, get_ema_multi_avg_fn, get_swa_avg_fn, get_swa_multi_avg_fn, update_bn };
export type { AveragedModelOptions } from "./averaged_model.ts";
export type { AvgFn, MultiAvgFn } from "./averaging.ts";
export { deepcopyModule } from "./deepcopy.ts";
