/**
 * How close an optimizer's trajectory must come to its reference, by dtype.
 *
 * float64: within TOL.float64 (1e-12 relative) of the float64 reference after every step.
 * float32: PyTorch rounds to float32 after every elementwise op; gradlab computes each
 * element's update in doubles and rounds once when it stores it. Each step may so differ
 * by a float32 ulp or two of the values involved (|θ| ≲ 2 in the fixtures), and the
 * difference is carried into later steps. The tolerance is therefore TOL.float32's
 * relative part plus an absolute part that grows by one unit-value float32 ulp (2^-23)
 * per step: 20 steps allow 2.4e-6, where the largest difference seen is about 5e-7.
 */
import { TOL, type Tolerance } from "../helpers.ts";

const FLOAT32_ULP_OF_ONE = 2 ** -23;

/** The tolerance for a trajectory of `steps` steps in `dtype`. */
export function trajectoryTol(dtype: "float32" | "float64", steps: number): Tolerance {
  if (dtype === "float64") return TOL.float64;
  return { rtol: TOL.float32.rtol, atol: steps * FLOAT32_ULP_OF_ONE };
}
