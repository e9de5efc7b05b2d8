import type { Float } from "../tensor/dtype.ts";
import { Tensor } from "../methods.ts";
import { formatNumber } from "./checks.ts";
import { Optimizer, stateBuffer } from "./optimizer.ts";
import type { StepTrace } from "./step_trace.ts";
import { boolean, integer, keyword, kind, number, optional, signature } from "../utils/signature.ts";
import { type GroupOf, type OptimizerArguments, type OptionsOf, paramsParameter } from "./signatures.ts";

/** How Muon scales lr by the matrix's shape: null or 'original' (Keller Jordan's), or 'match_rms_adamw' (Moonshot's). */
export type AdjustLrFn = null | "original" | "match_rms_adamw";

/** An array of numbers: one not of length 3 fails at step time, with PyTorch's message. */
const coefficients = kind<[number, number, number]>("[number, number, number]", (v) => Array.isArray(v) && v.every((x) => typeof x === "number"));

/** Any string or null passes the kind check, so that another string gets PyTorch's own message. */
const adjustLrFn = kind<AdjustLrFn>('null, "original" or "match_rms_adamw"', (v) => v === null || typeof v === "string");

/**
 * Muon's signature in current PyTorch, the one declaration its types, parsing, defaults
 * and group keys come from: `Muon(params, lr=1e-3, weight_decay=0.1, momentum=0.95, nesterov=True, ns_coefficients=(3.4445, -4.775, 2.0315), eps=1e-7, ns_steps=5, adjust_lr_fn=None)`.
 */
export const muonSignature = signature("Muon.__init__", [
  paramsParameter,
  optional("lr", number, 1e-3),
  optional("weight_decay", number, 0.1),
  optional("momentum", number, 0.95),
  optional("nesterov", boolean, true),
  optional("ns_coefficients", coefficients, [3.4445, -4.775, 2.0315]),
  optional("eps", number, 1e-7),
  optional("ns_steps", integer, 5),
  optional("adjust_lr_fn", adjustLrFn, null),
  keyword("use_addmm", boolean, false),
]);

/** A param group of {@link Muon}: PyTorch's keys, as declared in `muonSignature`. */
export type MuonGroup = GroupOf<typeof muonSignature>;

/** The options of {@link Muon}: every key of its group but the params, all optional. */
export type MuonOptions = OptionsOf<typeof muonSignature>;

/** The per-parameter state of {@link Muon}, as PyTorch's. */
export interface MuonState {
  /** B, the momentum buffer. */
  momentum_buffer: Tensor;
}

/** Newton–Schulz work space for one p×q parameter (p ≤ q after transposing): X, X·Xᵀ, the polynomial, and a product. */
interface Scratch {
  X: Float64Array;
  A: Float64Array;
  B: Float64Array;
  Y: Float64Array;
}

/**
 * Muon (Jordan et al., 2024) as current PyTorch's `torch.optim.Muon`, written the way
 * `step()` evaluates it, for 2-D parameters only (hidden-layer weight matrices).
 *
 * ```text
 * options  γ lr · λ weight_decay · μ momentum · nesterov · (a, b, c) ns_coefficients · ε eps
 *          k ns_steps · adjust_lr_fn
 * state    B momentum_buffer
 * for each parameter θ (an r×s matrix) that has a gradient g:
 *   B ← lerp(B, g, 1 − μ)
 *   U ← lerp(g, B, μ)                                 if nesterov, else U ← B
 *   X ← U, or Uᵀ when r > s                           so X is p×q with p ≤ q
 *   X ← X / max(‖X‖_F, ε)
 *   k times:  A ← X·Xᵀ;  P ← b·A + (c·A)·A;  X ← a·X + P·X
 *   O ← X, or Xᵀ when r > s
 *   γ' ← γ·√max(1, r/s)                               adjust_lr_fn null or 'original'
 *   γ' ← γ·0.2·√max(r, s)                             'match_rms_adamw'
 *   θ ← θ·(1 − γ·λ)
 *   θ ← θ − γ'·O
 * ```
 * where lerp(x, y, w) is x + w·(y − x) for w < 0.5 and y − (y − x)·(1 − w) otherwise,
 * as PyTorch's kernel computes it. The iteration drives every singular value of U toward
 * ~1, so the step has the direction of U with its scale removed.
 *
 * PyTorch runs the Newton–Schulz iteration on a bfloat16 copy of U (a speed choice for
 * GPUs); gradlab has no bfloat16 and runs it in float64, so its steps agree with
 * PyTorch's only to bfloat16 precision (~3 digits). The products are plain loops on
 * work buffers allocated once per parameter.
 *
 * @example
 * ```ts
 * import { optim, tensor } from "gradlab";
 * const W = tensor([[3, 0], [0, 1]], { dtype: "float64", requires_grad: true });
 * const opt = new optim.Muon([W], { lr: 0.1, weight_decay: 0, ns_steps: 10 });
 * W.grad = tensor([[2, 0], [0, 0.5]], { dtype: "float64" });
 * opt.step(); // both singular directions move by about lr, whatever the gradient's scale
 * console.log(W.tolist().flat().map((x) => Number(x).toFixed(1))); // ["2.9", "0.0", "0.0", "0.9"]
 * ```
 */
export class Muon extends Optimizer<MuonGroup, MuonState> {
  private readonly scratch = new WeakMap<Tensor, Scratch>();

  constructor(...args: OptimizerArguments<typeof muonSignature>) {
    const { params, ...defaults } = muonSignature.parse(args);
    const { lr, momentum, weight_decay, adjust_lr_fn } = defaults;
    if (!(0 <= lr)) throw new Error(`Learning rate should be >= 0 but is: ${formatNumber(lr)}`);
    if (!(0 <= momentum)) throw new Error(`momentum should be >= 0 but is: ${formatNumber(momentum)}`);
    if (!(0 <= weight_decay)) throw new Error(`weight decay should be >= 0 but is: ${formatNumber(weight_decay)}`);
    if (adjust_lr_fn !== null && adjust_lr_fn !== "original" && adjust_lr_fn !== "match_rms_adamw") {
      throw new Error(`Adjust learning rate function ${String(adjust_lr_fn)} is not supported`);
    }
    super(params, defaults, muonSignature);
    for (const group of this.param_groups) {
      for (const p of group.params) {
        if (p.ndim !== 2) {
          throw new Error(`Muon only supports 2D parameters whereas we found a parameter with size: torch.Size([${p.shape.join(", ")}])`);
        }
      }
    }
  }

  protected override initState(param: Tensor): MuonState {
    return { momentum_buffer: stateBuffer(param) };
  }

  protected override update(theta: Float, g: Float, s: MuonState | null, group: MuonGroup, param: Tensor, trace: StepTrace | null): void {
    const { lr: gamma, weight_decay: lambda, momentum: mu, nesterov, ns_coefficients, eps, ns_steps, adjust_lr_fn } = group;
    if (param.ndim !== 2) throw new Error("Param gradient must be a 2D matrix");
    if (ns_steps >= 100) throw new Error("Number of steps must be less than 100 for computational efficiency");
    if (ns_coefficients.length !== 3) throw new Error("Coefficients must be a tuple of exactly 3 values");
    const [r, c] = param.shape as [number, number];
    const transposed = r > c;
    const [p, q] = transposed ? [c, r] : [r, c];
    const work = this.workspace(param, p, q);
    const { X } = work;
    // B ← lerp(B, g, 1 − μ); U ← lerp(g, B, μ) or B, written straight into X (transposed if r > s).
    const B = s!.momentum_buffer.data.data;
    const w = 1 - mu;
    // lab.inspect: the watched elements' terms are copied as the loops compute them (watch ascends,
    // as k does; plain loops, not closures, which would move the arrays out of registers)
    const watch = trace?.watch ?? [];
    let next = watch[0] ?? -1;
    let watched = 0;
    let normSq = 0;
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < c; j++) {
        const k = i * c + j;
        const b0 = B[k]!;
        B[k] = lerp(b0, g[k]!, w);
        const u = nesterov ? lerp(g[k]!, B[k]!, mu) : B[k]!;
        X[transposed ? j * q + i : k] = u;
        normSq += u * u;
        if (k === next) {
          trace!.elements.push({ theta: theta[k]!, grad: g[k]!, buf_prev: b0, buf: B[k]!, u });
          next = watch[++watched] ?? -1;
        }
      }
    }
    const norm = Math.max(Math.sqrt(normSq), eps);
    for (let k = 0; k < p * q; k++) X[k] = X[k]! / norm;
    for (let n = 0; n < watch.length; n++) {
      const k = watch[n]!;
      trace!.elements[n]!.x = X[transposed ? (k % c) * q + Math.floor(k / c) : k]!; // element k of θ sits there in X
    }
    newtonSchulz(work, p, q, ns_coefficients, ns_steps);
    const ratio =
      adjust_lr_fn === "match_rms_adamw"
        ? 0.2 * Math.sqrt(Math.max(r, c))
        : adjust_lr_fn === null || adjust_lr_fn === "original"
          ? Math.sqrt(Math.max(1, r / c))
          : 1;
    const adjusted_lr = gamma * ratio;
    const decay = 1 - gamma * lambda;
    next = watch[0] ?? -1;
    watched = 0;
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < c; j++) {
        const k = i * c + j;
        theta[k] = theta[k]! * decay;
        const theta_decayed = theta[k]!;
        theta[k] = theta[k]! - adjusted_lr * X[transposed ? j * q + i : k]!;
        if (k === next) {
          Object.assign(trace!.elements[watched]!, { o: X[transposed ? j * q + i : k]!, theta_decayed, theta_after: theta[k]! });
          next = watch[++watched] ?? -1;
        }
      }
    }
    if (trace !== null) Object.assign(trace.scalars, { lr: gamma, momentum: mu, weight_decay: lambda, eps, ns_steps, norm, adjusted_lr });
  }

  /** The parameter's Newton–Schulz buffers, made on its first step. */
  private workspace(param: Tensor, p: number, q: number): Scratch {
    let work = this.scratch.get(param);
    if (work === undefined) {
      work = { X: new Float64Array(p * q), A: new Float64Array(p * p), B: new Float64Array(p * p), Y: new Float64Array(p * q) };
      this.scratch.set(param, work);
    }
    return work;
  }
}

/** PyTorch's lerp kernel: x + w·(y − x) for |w| < 0.5, else y − (y − x)·(1 − w). */
const lerp = (x: number, y: number, w: number): number => (Math.abs(w) < 0.5 ? x + w * (y - x) : y - (y - x) * (1 - w));

/**
 * ns_steps iterations on the p×q matrix X (p ≤ q), in place, in PyTorch's operation order:
 *
 * ```text
 * A ← X·Xᵀ                 p×p
 * P ← b·A + (c·A)·A        p×p   (P is stored in B; c·A is formed on the fly)
 * X ← a·X + P·X            p×q   (P·X is formed in Y, then combined)
 * ```
 */
function newtonSchulz(work: Scratch, p: number, q: number, [a, b, c]: readonly number[], ns_steps: number): void {
  const { X, A, B: P, Y } = work;
  for (let step = 0; step < ns_steps; step++) {
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) {
        let sum = 0;
        for (let k = 0; k < q; k++) sum += X[i * q + k]! * X[j * q + k]!;
        A[i * p + j] = sum;
      }
    }
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) {
        let sum = 0;
        for (let k = 0; k < p; k++) sum += c! * A[i * p + k]! * A[k * p + j]!;
        P[i * p + j] = b! * A[i * p + j]! + sum;
      }
    }
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < q; j++) {
        let sum = 0;
        for (let k = 0; k < p; k++) sum += P[i * p + k]! * X[k * q + j]!;
        Y[i * q + j] = sum;
      }
    }
    for (let k = 0; k < p * q; k++) X[k] = a! * X[k]! + Y[k]!;
  }
}
