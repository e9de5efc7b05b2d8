export { clip_grad_norm_, clip_grad_value_, type ClipGradNormOptions, type TensorOrTensors } from "./clip_grad.ts";
export { parameters_to_vector, vector_to_parameters } from "./convert_parameters.ts";
