/**
 * `nn`: modules, layers, losses, initialisers and gradient utilities, as `torch.nn`.
 * Imported as a namespace (`import { nn } from "gradlab"`), so `nn.Linear` is both the
 * class and its type.
 */
export {
  Module,
  type NamedMembersOptions,
  type NamedModulesOptions,
  type StateDict,
  type IncompatibleKeys,
  type LoadStateDictOptions,
  type StateDictOptions,
} from "./module.ts";
export { Parameter, type ParameterOptions } from "./parameter.ts";
export { Sequential, ModuleList, ModuleDict, type TensorModule } from "./containers.ts";
export { Identity, Linear, type FactoryOptions } from "./layers/linear.ts";
export { Flatten } from "./layers/flatten.ts";
export { Dropout } from "./layers/dropout.ts";
export { Embedding } from "./layers/embedding.ts";
export { LayerNorm, BatchNorm1d, type BatchNormModuleOptions } from "./layers/normalization.ts";
export * as functional from "./functional/index.ts";
export * as init from "./init.ts";
export * as utils from "./utils/index.ts";
export { ReLU, LeakyReLU, Sigmoid, Tanh, GELU, SiLU, Softplus, Softmax, LogSoftmax, type DimOptions, type InplaceOptions } from "./layers/activation.ts";
export { Loss, type Reduction, type ReductionOptions } from "./losses/reduction.ts";
export { MSELoss } from "./losses/mse.ts";
export { L1Loss } from "./losses/l1.ts";
export { SmoothL1Loss, HuberLoss } from "./losses/smooth_l1.ts";
export { NLLLoss } from "./losses/nll.ts";
export { CrossEntropyLoss } from "./losses/cross_entropy.ts";
export { BCELoss, BCEWithLogitsLoss } from "./losses/bce.ts";
export { KLDivLoss } from "./losses/kl_div.ts";
