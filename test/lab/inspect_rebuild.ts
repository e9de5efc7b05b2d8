/**
 * Each optimizer's update rebuilt from the terms `lab.inspect` recorded for one element: every
 * term is recomputed from the terms before it, op by op as PyTorch's `_single_tensor_*` loop
 * runs them (each op rounded to the dtype, `add_(x, alpha)` / `addcmul_` / `lerp_` as one FMA),
 * from the group's options rather than from the optimizer's own rounded scalars, and compared
 * bit for bit. The rebuilt θ after is the recorded one: the terms account for the whole update.
 */
import { expect } from "vitest";
import { ROUNDING } from "../../src/kernels/rounding.ts";
import * as libm from "../../src/math/libm.ts";

export type DType = "float32" | "float64";
/** A group's options, as the test reads them. */
export type Group = Record<string, unknown>;
type Terms = Record<string, number>;

/** Rebuilds one element's terms; `t` is the parameter's step count. */
export type Rebuild = (dtype: DType, group: Group, scalars: Terms, terms: Terms) => void;

const num = (group: Group, key: string): number => group[key] as number;
const pairOf = (group: Group, key: string): [number, number] => group[key] as [number, number];

/** g as the loops form it: −grad with maximize, then + λ·θ with coupled weight decay. */
function gradientUsed(dtype: DType, group: Group, terms: Terms, theta: number, coupled = true): number {
  const { fma, round } = ROUNDING[dtype];
  const g = group.maximize ? -terms.grad! : terms.grad!;
  const lambda = num(group, "weight_decay");
  return coupled && lambda !== 0 ? fma(theta, round(lambda), g) : g;
}

/** θ after the decoupled weight decay (NAdam, RAdam), checked, or θ itself. */
function decayed(dtype: DType, group: Group, terms: Terms): { theta: number; coupled: boolean } {
  const { round } = ROUNDING[dtype];
  const lambda = num(group, "weight_decay");
  if (lambda === 0 || !group.decoupled_weight_decay) return { theta: terms.theta!, coupled: true };
  const theta = round(terms.theta! * round(1 - num(group, "lr") * lambda));
  expect(terms.theta_decayed).toBe(theta);
  return { theta, coupled: false };
}

export const rebuildAdagrad: Rebuild = (dtype, group, s, e) => {
  const { fma, round } = ROUNDING[dtype];
  const g = gradientUsed(dtype, group, e, e.theta!);
  expect(e.g).toBe(g);
  const clr = round(num(group, "lr") / (1 + (s.t! - 1) * num(group, "lr_decay")));
  expect(s.clr).toBe(clr);
  expect(e.s).toBe(fma(g, g, e.s_prev!));
  expect(e.std).toBe(round(round(Math.sqrt(e.s!)) + round(num(group, "eps"))));
  expect(e.update).toBe(round(round(-clr * g) / e.std!));
  expect(e.theta_after).toBe(round(e.theta! + e.update!));
};

export const rebuildAdadelta: Rebuild = (dtype, group, _s, e) => {
  const { fma, round } = ROUNDING[dtype];
  const [rho, eps] = [round(num(group, "rho")), round(num(group, "eps"))];
  const g = gradientUsed(dtype, group, e, e.theta!);
  expect(e.g).toBe(g);
  expect(e.v).toBe(fma(round(round(1 - num(group, "rho")) * g), g, round(e.v_prev! * rho)));
  expect(e.std).toBe(round(Math.sqrt(round(e.v! + eps))));
  expect(e.rms_delta).toBe(round(Math.sqrt(round(e.u_prev! + eps))));
  expect(e.delta).toBe(round(round(e.rms_delta! / e.std!) * g));
  expect(e.u).toBe(fma(round(round(1 - num(group, "rho")) * e.delta!), e.delta!, round(e.u_prev! * rho)));
  expect(e.theta_after).toBe(fma(e.delta!, round(-num(group, "lr")), e.theta!));
};

export const rebuildAdamax: Rebuild = (dtype, group, s, e) => {
  const { round, lerp } = ROUNDING[dtype];
  const [beta1, beta2] = pairOf(group, "betas");
  const g = gradientUsed(dtype, group, e, e.theta!);
  expect(e.g).toBe(g);
  expect(e.m).toBe(lerp(e.m_prev!, g, round(1 - beta1)));
  expect(e.u).toBe(Math.max(round(e.u_prev! * round(beta2)), round(Math.abs(g) + round(num(group, "eps")))));
  const clr = round(num(group, "lr") / (1 - beta1 ** s.t!));
  expect(s.clr).toBe(clr);
  expect(e.update).toBe(round(round(-clr * e.m!) / e.u!));
  expect(e.theta_after).toBe(round(e.theta! + e.update!));
};

/** NAdam's and RAdam's start: θ (decayed if decoupled), g, then m and v as Adam's family forms them. */
function decayedMoments(dtype: DType, group: Group, e: Terms): { theta: number; g: number } {
  const { fma, round, lerp } = ROUNDING[dtype];
  const [beta1, beta2] = pairOf(group, "betas");
  const { theta, coupled } = decayed(dtype, group, e);
  const g = gradientUsed(dtype, group, e, theta, coupled);
  expect(e.g).toBe(g);
  expect(e.m).toBe(lerp(e.m_prev!, g, round(1 - beta1)));
  expect(e.v).toBe(fma(round(round(1 - beta2) * g), g, round(e.v_prev! * round(beta2))));
  return { theta, g };
}

export const rebuildNAdam: Rebuild = (dtype, group, s, e) => {
  const { round } = ROUNDING[dtype];
  const [beta1, beta2] = pairOf(group, "betas");
  const { theta, g } = decayedMoments(dtype, group, e);
  const psi = num(group, "momentum_decay");
  expect(s.mu).toBe(beta1 * (1 - 0.5 * 0.96 ** (s.t! * psi)));
  expect(s.mu_next).toBe(beta1 * (1 - 0.5 * 0.96 ** ((s.t! + 1) * psi)));
  const lr = num(group, "lr");
  const c_g = round((-lr * (1 - s.mu!)) / (1 - s.mu_product!));
  const c_m = round((-lr * s.mu_next!) / (1 - s.mu_product! * s.mu_next!));
  expect([s.grad_coefficient, s.exp_avg_coefficient]).toEqual([c_g, c_m]);
  expect(e.denom).toBe(round(round(Math.sqrt(round(e.v! / round(1 - beta2 ** s.t!)))) + round(num(group, "eps"))));
  expect(e.grad_update).toBe(round(round(c_g * g) / e.denom!));
  expect(e.theta_mid).toBe(round(theta + e.grad_update!));
  expect(e.exp_avg_update).toBe(round(round(c_m * e.m!) / e.denom!));
  expect(e.theta_after).toBe(round(e.theta_mid! + e.exp_avg_update!));
};

export const rebuildRAdam: Rebuild = (dtype, group, s, e) => {
  const { round } = ROUNDING[dtype];
  const [beta1, beta2] = pairOf(group, "betas");
  const { theta } = decayedMoments(dtype, group, e);
  const t = s.t!;
  const rho_inf = 2 / (1 - beta2) - 1;
  const rho_t = rho_inf - (2 * t * beta2 ** t) / (1 - beta2 ** t);
  expect([s.rho_inf, s.rho_t]).toEqual([rho_inf, rho_t]);
  expect(e.m_hat).toBe(round(e.m! / round(1 - beta1 ** t)));
  expect(e.step).toBe(round(e.m_hat! * round(num(group, "lr"))));
  if (rho_t > 5) {
    const rect = round(Math.sqrt(((rho_t - 4) * (rho_t - 2) * rho_inf) / ((rho_inf - 4) * (rho_inf - 2) * rho_t)));
    expect(s.rect).toBe(rect);
    const adaptive = round(round(1 / round(round(Math.sqrt(e.v!)) + round(num(group, "eps")))) * round(Math.sqrt(1 - beta2 ** t)));
    expect(e.adaptive_lr).toBe(adaptive);
    expect(e.update).toBe(-round(round(e.step! * adaptive) * rect));
  } else {
    expect(e.adaptive_lr).toBeUndefined();
    expect(e.update).toBe(-e.step!);
  }
  expect(e.theta_after).toBe(round(theta + e.update!));
};

export const rebuildRMSprop: Rebuild = (dtype, group, _s, e) => {
  const { fma, round, lerp } = ROUNDING[dtype];
  const alpha = num(group, "alpha");
  const w = round(1 - alpha);
  const g = gradientUsed(dtype, group, e, e.theta!);
  expect(e.g).toBe(g);
  expect(e.v).toBe(fma(round(w * g), g, round(e.v_prev! * round(alpha))));
  const eps = round(num(group, "eps"));
  if (group.centered) {
    expect(e.gbar).toBe(lerp(e.gbar_prev!, g, w));
    expect(e.avg).toBe(round(round(Math.sqrt(fma(-e.gbar!, e.gbar!, e.v!))) + eps));
  } else {
    expect(e.avg).toBe(round(round(Math.sqrt(e.v!)) + eps));
  }
  const neg_lr = round(-num(group, "lr"));
  if (num(group, "momentum") > 0) {
    expect(e.buf).toBe(round(round(e.buf_prev! * round(num(group, "momentum"))) + round(g / e.avg!)));
    expect(e.theta_after).toBe(fma(e.buf!, neg_lr, e.theta!));
  } else {
    expect(e.update).toBe(round(round(neg_lr * g) / e.avg!));
    expect(e.theta_after).toBe(round(e.theta! + e.update!));
  }
};

export const rebuildRprop: Rebuild = (dtype, group, s, e) => {
  const { round } = ROUNDING[dtype];
  expect(s.lr).toBe(num(group, "lr")); // the lr the step saw; η starts at it when the state is made
  if (s.t === 1) expect(e.eta_prev).toBe(round(s.lr!));
  const [etaminus, etaplus] = pairOf(group, "etas").map(round) as [number, number];
  const [lo, hi] = pairOf(group, "step_sizes").map(round) as [number, number];
  const g = group.maximize ? -e.grad! : e.grad!;
  expect(e.g).toBe(g);
  const product = round(g * e.g_prev!);
  expect(e.product).toBe(product);
  expect(e.factor).toBe(product > 0 ? etaplus : product < 0 ? etaminus : 1);
  expect(e.eta).toBe(Math.min(Math.max(round(e.eta_prev! * e.factor!), lo), hi));
  expect(e.g_kept).toBe(product < 0 ? 0 : g);
  expect(e.sign).toBe(e.g_kept! > 0 ? 1 : e.g_kept! < 0 ? -1 : 0); // torch.sign, 0 at ±0
  expect(e.theta_after).toBe(round(e.theta! - e.sign! * e.eta!));
};

export const rebuildASGD: Rebuild = (dtype, group, s, e) => {
  const { fma, round } = ROUNDING[dtype];
  const g = gradientUsed(dtype, group, e, e.theta!);
  expect(e.g).toBe(g);
  expect(s.shrink).toBe(round(1 - num(group, "lambd") * s.eta!));
  expect(e.theta_shrunk).toBe(round(e.theta! * s.shrink!));
  expect(e.theta_after).toBe(fma(g, round(-s.eta!), e.theta_shrunk!));
  expect(e.ax).toBe(s.mu === 1 ? e.theta_after : round(e.ax_prev! + round(round(e.theta_after! - e.ax_prev!) * round(s.mu!))));
  // the next step's η and μ, from the closed forms (float32 scalars, as PyTorch keeps them)
  const [lr, t] = [num(group, "lr"), s.t!];
  expect(s.eta_next).toBe(Math.fround(lr / (1 + num(group, "lambd") * lr * t) ** num(group, "alpha")));
  expect(s.mu_next).toBe(Math.fround(1 / Math.max(1, t - num(group, "t0"))));
};

/** SparseAdam, for an element whose row the gradient names (g recorded) or not (θ stays). */
export const rebuildSparseAdam: Rebuild = (dtype, group, s, e) => {
  const { round } = ROUNDING[dtype];
  if (e.g === undefined) {
    expect(Object.keys(e)).toEqual(["theta", "theta_after"]);
    expect(e.theta_after).toBe(e.theta);
    return;
  }
  const [beta1, beta2] = pairOf(group, "betas");
  // as torch/optim/_functional.py: math.sqrt(1 − β2^t) / (1 − β1^t), with C's pow
  const step_size = (num(group, "lr") * Math.sqrt(1 - libm.pow(beta2, s.t!))) / (1 - libm.pow(beta1, s.t!));
  expect(s.step_size).toBe(round(step_size));
  expect(e.dm).toBe(round(round(e.g - e.m_prev!) * round(1 - beta1)));
  expect(e.m).toBe(round(e.m_prev! + e.dm!));
  expect(e.dv).toBe(round(round(round(e.g * e.g) - e.v_prev!) * round(1 - beta2)));
  expect(e.v).toBe(round(e.v_prev! + e.dv!));
  expect(e.numer).toBe(round(e.dm! + e.m_prev!));
  expect(e.denom).toBe(round(round(Math.sqrt(round(e.dv! + e.v_prev!))) + round(num(group, "eps"))));
  expect(e.update).toBe(round(round(e.numer! / e.denom!) * round(-step_size)));
  expect(e.theta_after).toBe(round(e.theta! + e.update!));
};
