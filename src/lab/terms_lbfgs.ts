/**
 * The terms `lab.inspect` records for LBFGS, at the level of its iterations: a step runs up
 * to max_iter of them, each choosing a direction d by the two-loop recursion and moving
 * θ ← θ + t·d, with t from a line search (strong_wolfe) or fixed (lr).
 */
import type { TermTable } from "./terms_common.ts";

/** LBFGS: the step's θ before and after, and each iteration's terms and scalars. */
export const LBFGS_TERMS: TermTable = {
  order: ["theta", "grad", "d", "theta_after"],
  terms: {
    loss: "f: the loss the closure returned first (the step's), or at the start of the iteration",
    func_evals: "how many times the closure has run since the optimizer was made, this step's included",
    n_iter: "the number of iterations since the optimizer was made, this one included",
    lr: "γ: the group's learning rate at this step (after any scheduler), the step length tried after the first iteration ever",
    H_diag: "H₀ = yᵀs / yᵀy: the scale of the initial inverse Hessian (1 on the first iteration)",
    history: "how many (y, s) pairs the two-loop recursion used (at most history_size)",
    gtd: "gᵀd: the slope of the loss along d (negative: d goes downhill)",
    t_init: "the first step length tried: min(1, 1/Σ|g|)·γ on the first iteration ever, else γ (lr)",
    t: "t: the step length used, the line search's choice with strong_wolfe, else t_init",
    ls_func_evals: "how many times the iteration ran the closure (the line search's evaluations)",
    loss_after: "f at θ after the iteration (absent when the last iteration does not evaluate)",
    theta: "θ before the step, or before the iteration",
    grad: "g: the flat gradient at θ (every parameter's, concatenated)",
    d: "d: the search direction, −g on the first iteration, then −H·g by the two-loop recursion",
    theta_after: "θ after the step, or after the iteration: θ + t·d",
  },
};
