/**
 * The Taylor series behind `libm.ts` and `trig_pi.ts`, in double-double: the inverse
 * factorials, cos r and sin r for |r| ≤ π/4 to the 30th power (relative error about 2⁻¹⁰⁰).
 * These are the slow, sure paths; the fast paths that usually suffice are in trig_pi.ts.
 */
import { type DD, dd, ddAdd, ddDiv, ddMul } from "./double_double.ts";

/** 1/n! for n = 0…30, in double-double. */
export const INV_FACTORIALS: DD[] = (() => {
  const out: DD[] = [dd(1)];
  for (let n = 1; n <= 30; n++) out.push(ddDiv(out[n - 1]!, dd(n)));
  return out;
})();

const neg = (v: DD): DD => ({ hi: -v.hi, lo: -v.lo });

/** cos r for |r| ≤ π/4, double-double. */
export function cosSeries(r: DD): DD {
  const r2 = ddMul(r, r);
  let sum = INV_FACTORIALS[30]!;
  for (let n = 28; n >= 0; n -= 2) sum = ddAdd(ddMul(sum, r2), n % 4 === 0 ? INV_FACTORIALS[n]! : neg(INV_FACTORIALS[n]!));
  return sum;
}

/** sin r for |r| ≤ π/4, double-double. */
export function sinSeries(r: DD): DD {
  const r2 = ddMul(r, r);
  let sum = neg(INV_FACTORIALS[29]!);
  for (let n = 27; n >= 1; n -= 2) sum = ddAdd(ddMul(sum, r2), n % 4 === 1 ? INV_FACTORIALS[n]! : neg(INV_FACTORIALS[n]!));
  return ddMul(sum, r);
}
