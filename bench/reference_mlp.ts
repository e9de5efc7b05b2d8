/**
 * The hand-fused training step of the tiny 2-16-16-1 tanh MLP (MSE loss, Adam, batch 32)
 * that gradlab's tiny-MLP target is measured against in the same run: forward, backward
 * and Adam written out by hand over Float32Arrays, as a careful person would without a
 * library. All parameters live in one array (and their gradients and Adam's moments in
 * three more), so the Adam step is one fused loop over 337 numbers.
 *
 * ```text
 * h1 = tanh(x·W1 + b1)   h2 = tanh(h1·W2 + b2)   out = h2·W3 + b3   loss = mean((out − y)²)
 * dout = 2·(out − y)/32  dz2 = (dout·W3ᵀ) ⊙ (1 − h2²)   dz1 = (dz2·W2ᵀ) ⊙ (1 − h1²)
 * dW = inputᵀ·dz, db = Σ_rows dz, for each layer; then one Adam step over every parameter
 * ```
 * The target "within 1.6× of a hand-fused loop" is gradlab's seconds per step ÷ this one's.
 */

const BATCH = 32;
/** Layer widths: 2 inputs, two hidden layers of 16, 1 output. */
const SIZES = [2, 16, 16, 1] as const;

/** Offsets of each layer's weights (in×out, row-major) and bias inside the parameter array. */
function layout(): { w: number[]; b: number[]; total: number } {
  const w: number[] = [];
  const b: number[] = [];
  let at = 0;
  for (let l = 0; l < 3; l++) {
    w.push(at);
    at += SIZES[l]! * SIZES[l + 1]!;
    b.push(at);
    at += SIZES[l + 1]!;
  }
  return { w, b, total: at };
}

/** out[r][j] = b[j] + Σ_i x[r][i]·W[i][j], through tanh when `tanh`; W and b read from p. */
function dense(x: Float32Array, nin: number, p: Float32Array, w: number, b: number, out: Float32Array, nout: number, tanh: boolean): void {
  for (let r = 0; r < BATCH; r++) {
    for (let j = 0; j < nout; j++) {
      let s = p[b + j]!;
      for (let i = 0; i < nin; i++) s += x[r * nin + i]! * p[w + i * nout + j]!;
      out[r * nout + j] = tanh ? Math.tanh(s) : s;
    }
  }
}

/** gW = xᵀ·dz and gb = Σ_r dz into g; then, when dx is given, dx = (dz·Wᵀ) ⊙ (1 − x²) (x is a tanh output). */
function denseBack(
  x: Float32Array,
  nin: number,
  dz: Float32Array,
  nout: number,
  p: Float32Array,
  g: Float32Array,
  w: number,
  b: number,
  dx: Float32Array | null,
): void {
  for (let i = 0; i < nin; i++) {
    for (let j = 0; j < nout; j++) {
      let s = 0;
      for (let r = 0; r < BATCH; r++) s += x[r * nin + i]! * dz[r * nout + j]!;
      g[w + i * nout + j] = s;
    }
  }
  for (let j = 0; j < nout; j++) {
    let s = 0;
    for (let r = 0; r < BATCH; r++) s += dz[r * nout + j]!;
    g[b + j] = s;
  }
  if (dx === null) return;
  for (let r = 0; r < BATCH; r++) {
    for (let i = 0; i < nin; i++) {
      let s = 0;
      for (let j = 0; j < nout; j++) s += dz[r * nout + j]! * p[w + i * nout + j]!;
      const h = x[r * nin + i]!;
      dx[r * nin + i] = s * (1 - h * h);
    }
  }
}

/** A step function for the hand-fused MLP on fixed data x (32×2) and y (32×1), Adam with lr = 1e-3; it returns the loss before the step. */
export function referenceMlpStep(x: Float32Array, y: Float32Array, lr = 1e-3): () => number {
  const { w, b, total } = layout();
  const p = new Float32Array(total);
  for (let l = 0; l < 3; l++) {
    const bound = 1 / Math.sqrt(SIZES[l]!);
    for (let i = w[l]!; i < w[l]! + SIZES[l]! * SIZES[l + 1]! + SIZES[l + 1]!; i++) p[i] = (Math.random() * 2 - 1) * bound;
  }
  const g = new Float32Array(total);
  const m = new Float32Array(total);
  const v = new Float32Array(total);
  const h1 = new Float32Array(BATCH * 16);
  const h2 = new Float32Array(BATCH * 16);
  const out = new Float32Array(BATCH);
  const dz1 = new Float32Array(BATCH * 16);
  const dz2 = new Float32Array(BATCH * 16);
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  let t = 0;
  return () => {
    dense(x, 2, p, w[0]!, b[0]!, h1, 16, true);
    dense(h1, 16, p, w[1]!, b[1]!, h2, 16, true);
    dense(h2, 16, p, w[2]!, b[2]!, out, 1, false);
    let loss = 0;
    for (let r = 0; r < BATCH; r++) {
      const d = out[r]! - y[r]!;
      loss += d * d;
      out[r] = (2 * d) / BATCH; // out now holds dout
    }
    denseBack(h2, 16, out, 1, p, g, w[2]!, b[2]!, dz2);
    denseBack(h1, 16, dz2, 16, p, g, w[1]!, b[1]!, dz1);
    denseBack(x, 2, dz1, 16, p, g, w[0]!, b[0]!, null);
    t++;
    const a = lr / (1 - beta1 ** t);
    const c = 1 / Math.sqrt(1 - beta2 ** t);
    for (let i = 0; i < total; i++) {
      const gi = g[i]!;
      const mi = (m[i] = beta1 * m[i]! + (1 - beta1) * gi);
      const vi = (v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi);
      p[i] = p[i]! - (a * mi) / (Math.sqrt(vi) * c + eps);
    }
    return loss / BATCH;
  };
}
