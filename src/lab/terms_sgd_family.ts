/**
 * The terms `lab.inspect` records for SGD and its relatives that step along the gradient
 * itself (SGD, ASGD, Rprop), in the symbols of each class's algorithm box, one line each.
 */
import { type TermTable, common } from "./terms_common.ts";

/** SGD. */
export const SGD_TERMS: TermTable = {
  order: ["theta", "grad", "g", "g_decayed", "buf_prev", "buf", "direction", "entries", "direction_k", "theta_after"],
  terms: {
    ...common("lr"),
    momentum: "μ: the momentum factor",
    dampening: "τ: the dampening of new gradients in the buffer",
    ...common("weight_decay", "theta", "grad"),
    g: "g: the gradient the step uses (−grad with maximize)",
    g_decayed: "g + λ·θ: the gradient with weight decay",
    buf_prev: "b before the step (absent on the parameter's first step with momentum)",
    buf: "b ← μ·b_prev + (1 − τ)·g (b ← g on the first step): the momentum buffer",
    direction: "what θ moves against: b, or g + μ·b with nesterov, or g without momentum",
    entries: "how many stored entries a sparse direction has at this element (a sparse gradient may name a row more than once)",
    direction_k: "the k-th stored entry of a sparse direction here: θ ← θ − γ·direction_k, one entry after the other",
    theta_after: "θ after the step: θ − γ·direction",
  },
};

/** ASGD. */
export const ASGD_TERMS: TermTable = {
  order: ["theta", "grad", "g", "theta_shrunk", "theta_after", "ax_prev", "ax"],
  terms: {
    ...common("t", "lr"),
    lambd: "λ: the decay term, which shrinks θ and η",
    alpha: "α: the power of η's decay",
    t0: "t₀: the step after which ax starts averaging",
    weight_decay: "wd: the weight decay",
    eta: "η: the step size this step uses (a float32, as PyTorch keeps it; γ at first)",
    mu: "μ: the averaging weight this step uses (1 until t passes t₀)",
    shrink: "1 − λ·η: the factor θ shrinks by",
    eta_next: "η ← γ / (1 + λ·γ·t)^α: the step size of the next step",
    mu_next: "μ ← 1 / max(1, t − t₀): the averaging weight of the next step",
    ...common("theta", "grad"),
    g: "g: the gradient the step uses (−grad with maximize; + wd·θ with weight decay)",
    theta_shrunk: "θ·(1 − λ·η): θ shrunk by the decay term",
    theta_after: "θ after the step: theta_shrunk − η·g",
    ax_prev: "ax before the step",
    ax: "ax ← ax_prev + (θ_after − ax_prev)·μ (ax ← θ_after while μ = 1): the average of θ, ASGD's estimate",
  },
};

/** Rprop. */
export const RPROP_TERMS: TermTable = {
  order: ["theta", "grad", "g", "g_prev", "product", "factor", "eta_prev", "eta", "g_kept", "sign", "theta_after"],
  terms: {
    ...common("t"),
    lr: "γ: the group's learning rate at this step; η starts at it on the parameter's first step only (later changes do not move η)",
    etaminus: "η−: the factor a step size shrinks by where the gradient changed sign",
    etaplus: "η+: the factor a step size grows by where the gradient kept its sign",
    step_size_min: "Γmin: the smallest step size",
    step_size_max: "Γmax: the largest step size",
    ...common("theta", "grad"),
    g: "g: the gradient the step uses (−grad with maximize)",
    g_prev: "g_prev: the gradient kept from the last step (0 where its sign had changed)",
    product: "g·g_prev: positive where the gradient kept its sign, negative where it changed",
    factor: "η+ where g·g_prev > 0, η− where it is < 0, 1 where it is 0",
    eta_prev: "η before the step (lr at first): this element's step size",
    eta: "η ← clamp(η_prev·factor, Γmin, Γmax): this element's step size",
    g_kept: "g, or 0 where the sign changed (no step there): the next step's g_prev",
    sign: "sign(g_kept): which way θ moves (only the sign of the gradient counts)",
    theta_after: "θ after the step: θ − sign·η",
  },
};
