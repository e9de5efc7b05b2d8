/**
 * The terms `lab.inspect` records for the Adam family (Adam and AdamW, Adamax, NAdam, RAdam,
 * SparseAdam), in the symbols of each class's algorithm box, with one line each.
 */
import { type TermTable, common } from "./terms_common.ts";

const MOMENTS = {
  m_prev: "m before the step",
  m: "m ← lerp(m_prev, g, 1 − β1) = β1·m_prev + (1 − β1)·g: the running average of the gradient",
  v_prev: "v before the step",
  v: "v ← β2·v_prev + (1 − β2)·g·g: the running average of the squared gradient",
} as const;

/** Adam and AdamW. */
export const ADAM_TERMS: TermTable = {
  order: ["theta", "grad", "g", "theta_decayed", "m_prev", "m", "v_prev", "v", "vmax_prev", "vmax", "denom", "update", "theta_after"],
  terms: {
    ...common("t", "lr"),
    beta1: "β1: the decay rate of m",
    beta2: "β2: the decay rate of v",
    ...common("eps", "weight_decay"),
    step_size: "γ / (1 − β1^t): the learning rate with m's bias correction folded in",
    bias_correction2_sqrt: "√(1 − β2^t): v's bias correction, under the square root",
    ...common("theta", "grad"),
    g: "g: the gradient the step uses (−grad with maximize; + λ·θ with weight decay that is not decoupled)",
    theta_decayed: "θ·(1 − γλ): θ after the decoupled weight decay (AdamW), before the update",
    ...MOMENTS,
    vmax_prev: "vmax before the step (amsgrad)",
    vmax: "vmax ← max(vmax_prev, v): the largest v so far, used in place of v (amsgrad)",
    denom: "√v / √(1 − β2^t) + ε (√vmax with amsgrad): the denominator",
    update: "−step_size · m / denom: what the step adds to θ",
    theta_after: "θ after the step: θ (decayed, with AdamW) + update",
  },
};

/** Adamax. */
export const ADAMAX_TERMS: TermTable = {
  order: ["theta", "grad", "g", "m_prev", "m", "u_prev", "u", "update", "theta_after"],
  terms: {
    ...common("t", "lr"),
    beta1: "β1: the decay rate of m",
    beta2: "β2: the decay rate of u",
    eps: "ε: added to |g| inside the max, so u never reaches zero",
    weight_decay: "λ: the weight decay",
    clr: "γ / (1 − β1^t): the learning rate with m's bias correction folded in",
    ...common("theta", "grad", "g"),
    m_prev: MOMENTS.m_prev,
    m: MOMENTS.m,
    u_prev: "u before the step",
    u: "u ← max(β2·u_prev, |g| + ε): the decaying maximum of |g| (the infinity norm)",
    update: "−clr · m / u: what the step adds to θ",
    theta_after: "θ after the step: θ + update",
  },
};

/** NAdam. */
export const NADAM_TERMS: TermTable = {
  order: ["theta", "grad", "theta_decayed", "g", "m_prev", "m", "v_prev", "v", "denom", "grad_update", "theta_mid", "exp_avg_update", "theta_after"],
  terms: {
    ...common("t", "lr"),
    beta1: "β1: the decay rate of m, and the scale of μ",
    beta2: "β2: the decay rate of v",
    ...common("eps", "weight_decay"),
    momentum_decay: "ψ: how fast μ_t approaches β1",
    mu: "μ_t = β1·(1 − 0.5·0.96^(t·ψ)): this step's momentum coefficient",
    mu_next: "μ_{t+1} = β1·(1 − 0.5·0.96^((t + 1)·ψ)): the next step's, used for the look-ahead",
    mu_product: "Π μ_i: the product of μ up to this step (a float32, as PyTorch keeps it)",
    bias_correction2: "1 − β2^t: v's bias correction",
    grad_coefficient: "−γ·(1 − μ_t) / (1 − Π μ_i): the weight of g in the update",
    exp_avg_coefficient: "−γ·μ_{t+1} / (1 − Π μ_i·μ_{t+1}): the weight of m in the update",
    ...common("theta", "grad"),
    theta_decayed: "θ·(1 − γλ): θ after the decoupled weight decay (decoupled_weight_decay), before the update",
    g: "g: the gradient the step uses (−grad with maximize; + λ·θ with weight decay that is not decoupled)",
    ...MOMENTS,
    denom: "√(v / (1 − β2^t)) + ε: the denominator",
    grad_update: "grad_coefficient · g / denom: the gradient's part of the update",
    theta_mid: "θ + grad_update: θ after PyTorch's first addcdiv_",
    exp_avg_update: "exp_avg_coefficient · m / denom: the momentum's part of the update (Nesterov's look-ahead)",
    theta_after: "θ after the step: theta_mid + exp_avg_update",
  },
};

/** RAdam. */
export const RADAM_TERMS: TermTable = {
  order: ["theta", "grad", "theta_decayed", "g", "m_prev", "m", "v_prev", "v", "m_hat", "step", "adaptive_lr", "update", "theta_after"],
  terms: {
    ...common("t", "lr"),
    beta1: "β1: the decay rate of m",
    beta2: "β2: the decay rate of v",
    ...common("eps", "weight_decay"),
    rho_inf: "ρ∞ = 2 / (1 − β2) − 1: the largest length of the approximated simple moving average",
    rho_t: "ρ_t = ρ∞ − 2t·β2^t / (1 − β2^t): its length at this step; the adaptive step is taken only when ρ_t > 5",
    rect: "r_t = √((ρ_t − 4)(ρ_t − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρ_t)): the variance rectification (1, unused, while ρ_t ≤ 5)",
    bias_correction1: "1 − β1^t: m's bias correction",
    bias_correction2_sqrt: "√(1 − β2^t): v's bias correction, under the square root",
    ...common("theta", "grad"),
    theta_decayed: "θ·(1 − γλ): θ after the decoupled weight decay (decoupled_weight_decay), before the update",
    g: "g: the gradient the step uses (−grad with maximize; + λ·θ with weight decay that is not decoupled)",
    ...MOMENTS,
    m_hat: "m̂ = m / (1 − β1^t): the bias-corrected average of the gradient",
    step: "m̂·γ: the momentum step before the adaptive scaling",
    adaptive_lr: "l_t = √(1 − β2^t) / (√v + ε): the adaptive learning rate (only when ρ_t > 5)",
    update: "−step·l_t·r_t when ρ_t > 5, else −step (a plain momentum step): what the step adds to θ",
    theta_after: "θ after the step: θ (decayed, with decoupled_weight_decay) + update",
  },
};

/** SparseAdam: the elements of the rows the sparse gradient names; the others record θ only. */
export const SPARSE_ADAM_TERMS: TermTable = {
  order: ["theta", "g", "m_prev", "dm", "m", "v_prev", "dv", "v", "numer", "denom", "update", "theta_after"],
  terms: {
    ...common("t", "lr"),
    beta1: "β1: the decay rate of m",
    beta2: "β2: the decay rate of v",
    ...common("eps"),
    step_size: "γ·√(1 − β2^t) / (1 − β1^t): the learning rate with both bias corrections folded in",
    theta: "θ before the step",
    g: "g: the gradient's entry for this element, repeated rows summed (−g with maximize); absent where the gradient names no row of it",
    m_prev: "m before the step",
    dm: "Δm = (g − m_prev)·(1 − β1)",
    m: "m ← m_prev + Δm: the running average of the gradient, over the steps that named this row",
    v_prev: "v before the step",
    dv: "Δv = (g·g − v_prev)·(1 − β2)",
    v: "v ← v_prev + Δv: the running average of the squared gradient",
    numer: "Δm + m_prev: the new m as PyTorch's update computes it again",
    denom: "√(Δv + v_prev) + ε: the denominator",
    update: "(numer / denom)·(−step_size): what the step adds to θ",
    theta_after: "θ after the step: θ + update (θ itself where the gradient names no row of it)",
  },
};
