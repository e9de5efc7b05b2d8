// torch.nn.functional: the functional form of every layer, activation and loss.
export { linear } from "./linear.ts";
export { flatten } from "./flatten.ts";
export { dropout, type DropoutOptions } from "./dropout.ts";
export { embedding, type EmbeddingOptions } from "./embedding.ts";
export { layer_norm, batch_norm, type LayerNormOptions, type BatchNormOptions } from "./normalization.ts";
export { relu, leaky_relu, sigmoid, tanh, gelu, silu, softplus, softmax, log_softmax, type InplaceOptions, type SoftmaxDim } from "./activation.ts";
export { mse_loss } from "../losses/mse.ts";
export { l1_loss } from "../losses/l1.ts";
export { smooth_l1_loss, huber_loss } from "../losses/smooth_l1.ts";
export { nll_loss, type ClassWeightOptions } from "../losses/nll.ts";
export { cross_entropy, type CrossEntropyOptions } from "../losses/cross_entropy.ts";
export { binary_cross_entropy, binary_cross_entropy_with_logits, type BCEOptions, type BCEWithLogitsOptions } from "../losses/bce.ts";
export { kl_div, type KLDivOptions, type KLDivReduction } from "../losses/kl_div.ts";
