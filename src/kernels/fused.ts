/**
 * The fused multiply-add of tensor ops, `out = a·b + c` rounded once, as PyTorch's CPU kernels
 * give `self + (value·t1)·t2` (addcmul) and `self + alpha·other` (add, sub): one FMA per
 * element, in the vector body and the scalar tail alike (tools/fixtures/ops_fused.py).
 *
 * float32 uses {@link fma32} (exact for float32 operands); float64 uses {@link fma64}, the
 * exact FMA by an error-free product, falling back to `a·b + c` where it cannot be formed
 * (products beyond 2^995, infinities, NaN: then the rounded forms agree or overflow alike).
 * These ops are not the optimizers' loops, so float64 pays fma64's cost here.
 */
import { fma32, fma64, keep, lerpWith } from "./rounding.ts";

type Buffer = Float32Array | Float64Array;

/** a·b + c rounded once in float64; a·b + c where the exact form would overflow. */
export function fmaFloat64(a: number, b: number, c: number): number {
  const r = fma64(a, b, c);
  return Number.isFinite(r) ? r : a * b + c;
}

/** PyTorch's two-branch lerp in float64 with exact FMAs (tensor ops; the optimizer loops keep ROUNDING.float64's). */
export const lerpFloat64 = lerpWith(fmaFloat64, keep);

/** out = self + (v·t1)·t2 with one rounding of v·t1 and one FMA, as addcmul; v already in out's dtype. */
export function addcmulInto(out: Buffer, value: number, t1: Buffer, t2: Buffer, self: Buffer): Buffer {
  if (out instanceof Float32Array) for (let i = 0; i < out.length; i++) out[i] = fma32(Math.fround(value * t1[i]!), t2[i]!, self[i]!);
  else for (let i = 0; i < out.length; i++) out[i] = fmaFloat64(value * t1[i]!, t2[i]!, self[i]!);
  return out;
}

/** out = self + (v·t1)/t2, each op rounded to out's dtype (a quotient cannot be fused), as addcdiv. */
export function addcdivInto(out: Buffer, value: number, t1: Buffer, t2: Buffer, self: Buffer): Buffer {
  if (out instanceof Float32Array) for (let i = 0; i < out.length; i++) out[i] = self[i]! + Math.fround(Math.fround(value * t1[i]!) / t2[i]!);
  else for (let i = 0; i < out.length; i++) out[i] = self[i]! + (value * t1[i]!) / t2[i]!;
  return out;
}

/** out = self + α·other as one FMA, as add(self, other, alpha=α); α already in out's dtype. */
export function addScaledInto(out: Buffer, self: Buffer, alpha: number, other: Buffer): Buffer {
  if (out instanceof Float32Array) for (let i = 0; i < out.length; i++) out[i] = fma32(alpha, other[i]!, self[i]!);
  else for (let i = 0; i < out.length; i++) out[i] = fmaFloat64(alpha, other[i]!, self[i]!);
  return out;
}
