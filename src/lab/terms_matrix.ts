/**
 * The terms `lab.inspect` records for the optimizers whose update of an element depends on
 * its whole parameter, not on the element alone: Adafactor (a factored second moment and an
 * update clipped by its RMS) and Muon (momentum orthogonalised by Newton–Schulz), in the
 * symbols of each class's algorithm box, one line each.
 */
import { type TermTable, common } from "./terms_common.ts";

/** Adafactor: `v_prev`, `v` for vectors; `row_var`, `col_var`, `row_mean`, `vhat` for matrices. */
export const ADAFACTOR_TERMS: TermTable = {
  order: ["theta", "grad", "g", "theta_decayed", "v_prev", "v", "row_var", "col_var", "row_mean", "vhat", "u", "theta_after"],
  terms: {
    ...common("t", "lr"),
    beta2_decay: "τ: the exponent of the second moment's weight, w = t^τ",
    w: "w = t^τ: this step's weight of g² in the running second moment (1 − β̂2)",
    rho: "ρ = min(γ, 1/√t): the relative step size",
    a: "a = max(ε2, ‖θ‖/√numel(θ))·ρ: the step's scale, relative to θ's RMS (before weight decay)",
    eps1: "ε1: the floor of V̂ (under the square root: √max(V̂, ε1²)) and of the row mean",
    eps2: "ε2: the floor of θ's RMS in a",
    d: "d: the clipping threshold of the update's RMS",
    weight_decay: "λ: the weight decay, θ ← θ·(1 − γλ)",
    u_rms: "‖U‖/√numel(U): the RMS of the whole update U",
    scale: "a / max(1, RMS(U)/d): what multiplies U",
    ...common("theta", "grad"),
    g: "g: the gradient the step uses (−grad with maximize)",
    theta_decayed: "θ·(1 − γλ): θ after the weight decay, before the update",
    v_prev: "V before the step (a vector parameter)",
    v: "V ← lerp(V_prev, g·g, w): the running average of g² (a vector parameter)",
    row_var: "R_i ← lerp(R_i, ‖g_i,:‖²/m, w): the element's row's running mean of g² (a matrix)",
    col_var: "C_j ← lerp(C_j, ‖g_:,j‖²/n, w): the element's column's running mean of g² (a matrix)",
    row_mean: "max(mean_i R_i, ε1): the normaliser of the factored moment (a matrix)",
    vhat: "V̂_ij = R_i·C_j / row_mean: the factored estimate of this element's g² (a matrix)",
    u: "U = g / √max(V̂, ε1²) (V̂ = V for a vector): the update before scaling",
    theta_after: "θ after the step: θ (decayed) − scale·U",
  },
};

/** Muon. */
export const MUON_TERMS: TermTable = {
  order: ["theta", "grad", "buf_prev", "buf", "u", "x", "o", "theta_decayed", "theta_after"],
  terms: {
    ...common("lr"),
    momentum: "μ: the momentum factor",
    weight_decay: "λ: the weight decay, θ ← θ·(1 − γλ)",
    eps: "ε: the floor of ‖U‖_F",
    ns_steps: "k: the number of Newton–Schulz iterations",
    norm: "max(‖U‖_F, ε): U's Frobenius norm, which X is divided by",
    adjusted_lr: "γ' = γ·√max(1, r/s) (or γ·0.2·√max(r, s) with match_rms_adamw): the step size",
    ...common("theta", "grad"),
    buf_prev: "B before the step",
    buf: "B ← lerp(B_prev, g, 1 − μ): the momentum buffer",
    u: "U = lerp(g, B, μ) with nesterov, else B: the matrix to orthogonalise",
    x: "X = U / max(‖U‖_F, ε): U scaled to norm 1, where Newton–Schulz starts",
    o: "O: X after k Newton–Schulz iterations, U with its singular values driven toward 1",
    theta_decayed: "θ·(1 − γλ): θ after the weight decay, before the update",
    theta_after: "θ after the step: theta_decayed − γ'·O",
  },
};
