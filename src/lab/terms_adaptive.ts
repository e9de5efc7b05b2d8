/**
 * The terms `lab.inspect` records for the per-element adaptive methods before Adam
 * (Adagrad, Adadelta, RMSprop), in the symbols of each class's algorithm box, one line each.
 */
import { type TermTable, common } from "./terms_common.ts";

/** Adagrad. */
export const ADAGRAD_TERMS: TermTable = {
  order: ["theta", "grad", "g", "s_prev", "s", "std", "g_std", "update", "theta_after"],
  terms: {
    ...common("t", "lr"),
    lr_decay: "η: the learning rate decay",
    clr: "γ̃ = γ / (1 + (t − 1)·η): the decayed learning rate",
    ...common("eps", "weight_decay", "theta", "grad"),
    g: "g: the gradient the step uses (−grad with maximize; + λ·θ with weight decay; a sparse gradient's entry, repeated rows summed)",
    s_prev: "s (state_sum) before the step; it starts at initial_accumulator_value",
    s: "s ← s_prev + g·g: the sum of every squared gradient so far",
    std: "√s + ε: the denominator",
    g_std: "g / std: with a sparse gradient, θ ← θ − γ̃·(g / std) in one FMA (only the rows it names)",
    update: "−γ̃·g / std: what the step adds to θ (dense gradients)",
    theta_after: "θ after the step: θ + update",
  },
};

/** Adadelta. */
export const ADADELTA_TERMS: TermTable = {
  order: ["theta", "grad", "g", "v_prev", "v", "std", "u_prev", "rms_delta", "delta", "u", "theta_after"],
  terms: {
    ...common("t"),
    lr: "γ: the group's learning rate at this step, a scale on Δx (1 by default: Δx has θ's units)",
    rho: "ρ: the decay rate of v and u",
    ...common("eps", "weight_decay", "theta", "grad", "g"),
    v_prev: "v (square_avg) before the step",
    v: "v ← ρ·v_prev + (1 − ρ)·g·g: the running average of the squared gradient",
    std: "√(v + ε): the RMS of the gradient",
    u_prev: "u (acc_delta) before the step",
    rms_delta: "√(u_prev + ε): the RMS of the past updates",
    delta: "Δx = (rms_delta / std)·g: the update, in θ's units",
    u: "u ← ρ·u_prev + (1 − ρ)·Δx·Δx: the running average of the squared update",
    theta_after: "θ after the step: θ − γ·Δx",
  },
};

/** RMSprop. */
export const RMSPROP_TERMS: TermTable = {
  order: ["theta", "grad", "g", "v_prev", "v", "gbar_prev", "gbar", "avg", "buf_prev", "buf", "update", "theta_after"],
  terms: {
    ...common("t", "lr"),
    alpha: "α: the smoothing constant, the decay rate of v (and of g^ave)",
    ...common("eps", "weight_decay"),
    momentum: "μ: the momentum factor",
    ...common("theta", "grad", "g"),
    v_prev: "v (square_avg) before the step",
    v: "v ← α·v_prev + (1 − α)·g·g: the running average of the squared gradient",
    gbar_prev: "g^ave (grad_avg) before the step (centered)",
    gbar: "g^ave ← lerp(g^ave_prev, g, 1 − α): the running average of the gradient (centered)",
    avg: "√v + ε, or √(v − g^ave·g^ave) + ε when centered: the denominator",
    buf_prev: "b before the step (μ > 0)",
    buf: "b ← μ·b_prev + g / avg: the momentum buffer (μ > 0)",
    update: "−γ·g / avg: what the step adds to θ (without momentum)",
    theta_after: "θ after the step: θ + update, or θ − γ·b with momentum",
  },
};
