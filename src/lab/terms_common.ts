/**
 * The explanations every optimizer's term table shares (θ before and after, the gradient as
 * `.grad` holds it, the group's lr, t), written once as PyTorch writes `_params_doc` once,
 * and the shape of a table.
 */

/** The terms of one optimizer: element terms in loop order, and every term's and scalar's explanation. */
export interface TermTable {
  /** The element terms, in the order the loop computes them. */
  order: string[];
  /** Every element term and scalar, with its one-line explanation. */
  terms: Record<string, string>;
}

/** The one-line meaning of the terms and scalars most optimizers record. */
export const COMMON_TERMS = {
  t: "t: the number of steps this parameter has taken, this one included",
  lr: "γ: the group's learning rate at this step (after any scheduler)",
  eps: "ε: keeps the denominator away from zero",
  weight_decay: "λ: the weight decay",
  theta: "θ before the step",
  grad: "the gradient, as .grad holds it",
  g: "g: the gradient the step uses (−grad with maximize; + λ·θ with weight decay)",
  theta_decayed: "θ·(1 − γλ): θ after the decoupled weight decay, before the update",
  theta_after: "θ after the step",
} as const;

/** The explanations of `names`, taken from {@link COMMON_TERMS}. */
export const common = (...names: (keyof typeof COMMON_TERMS)[]): Record<string, string> => Object.fromEntries(names.map((n) => [n, COMMON_TERMS[n]]));
