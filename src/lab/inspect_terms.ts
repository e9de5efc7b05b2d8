/**
 * What each optimizer's traced step records, and what each term means, in the symbols of
 * the optimizer's algorithm box (its class's doc comment): the rows of `lab.inspect`'s
 * table, in the order the loop computes them, and the one-line explanations.
 */
import type { Optimizer } from "../optim/optimizer.ts";
import { Adam } from "../optim/adam.ts";
import { AdamW } from "../optim/adamw.ts";
import { SGD } from "../optim/sgd.ts";

/** The terms of one optimizer: element terms in loop order, and every term's and scalar's explanation. */
export interface TermTable {
  /** The element terms, in the order the loop computes them. */
  order: string[];
  /** Every element term and scalar, with its one-line explanation. */
  terms: Record<string, string>;
}

const ADAM: TermTable = {
  order: ["theta", "grad", "g", "theta_decayed", "m_prev", "m", "v_prev", "v", "vmax_prev", "vmax", "denom", "update", "theta_after"],
  terms: {
    t: "t: the number of steps this parameter has taken, this one included",
    lr: "γ: the group's learning rate at this step (after any scheduler)",
    beta1: "β1: the decay rate of m",
    beta2: "β2: the decay rate of v",
    eps: "ε: keeps the denominator away from zero",
    weight_decay: "λ: the weight decay",
    step_size: "γ / (1 − β1^t): the learning rate with m's bias correction folded in",
    bias_correction2_sqrt: "√(1 − β2^t): v's bias correction, under the square root",
    theta: "θ before the step",
    grad: "the gradient, as .grad holds it",
    g: "g: the gradient the step uses (−grad with maximize; + λ·θ with weight decay that is not decoupled)",
    theta_decayed: "θ·(1 − γλ): θ after the decoupled weight decay (AdamW), before the update",
    m_prev: "m before the step",
    m: "m ← lerp(m_prev, g, 1 − β1) = β1·m_prev + (1 − β1)·g: the running average of the gradient",
    v_prev: "v before the step",
    v: "v ← β2·v_prev + (1 − β2)·g·g: the running average of the squared gradient",
    vmax_prev: "vmax before the step (amsgrad)",
    vmax: "vmax ← max(vmax_prev, v): the largest v so far, used in place of v (amsgrad)",
    denom: "√v / √(1 − β2^t) + ε (√vmax with amsgrad): the denominator",
    update: "−step_size · m / denom: what the step adds to θ",
    theta_after: "θ after the step: θ (decayed, with AdamW) + update",
  },
};

const SGD_TERMS: TermTable = {
  order: ["theta", "grad", "g", "g_decayed", "buf_prev", "buf", "direction", "theta_after"],
  terms: {
    lr: "γ: the group's learning rate at this step (after any scheduler)",
    momentum: "μ: the momentum factor",
    dampening: "τ: the dampening of new gradients in the buffer",
    weight_decay: "λ: the weight decay",
    theta: "θ before the step",
    grad: "the gradient, as .grad holds it",
    g: "g: the gradient the step uses (−grad with maximize)",
    g_decayed: "g + λ·θ: the gradient with weight decay",
    buf_prev: "b before the step (absent on the parameter's first step with momentum)",
    buf: "b ← μ·b_prev + (1 − τ)·g (b ← g on the first step): the momentum buffer",
    direction: "what θ moves against: b, or g + μ·b with nesterov, or g without momentum",
    theta_after: "θ after the step: θ − γ·direction",
  },
};

/** The term table of an optimizer the inspector supports; throws for the others. */
export function termTableOf(optimizer: Optimizer): TermTable {
  if (optimizer instanceof Adam || optimizer instanceof AdamW) return ADAM;
  if (optimizer instanceof SGD) return SGD_TERMS;
  throw new Error(`lab.inspect does not trace ${optimizer.constructor.name} yet (it traces Adam, AdamW and SGD)`);
}
