/**
 * How close an optimizer's trajectory must come to its reference, by dtype.
 *
 * float64: within TOL.float64 (1e-12 relative) of the float64 reference after every step
 * (gradlab's float64 loops round a·b + c twice where PyTorch's FMA rounds once).
 * float32: exactly. Every float32 step follows PyTorch's op sequence with its rounding
 * (src/kernels/rounding.ts), so each element equals the reference bit for bit;
 * float32_bits.test.ts prints the fraction per fixture.
 */
import { TOL, type Tolerance } from "../helpers.ts";

/** Exact equality, as expectClose takes it. */
export const EXACT: Tolerance = { rtol: 0, atol: 0 };

/** The tolerance for a trajectory in `dtype`. */
export const trajectoryTol = (dtype: "float32" | "float64"): Tolerance => (dtype === "float64" ? TOL.float64 : EXACT);
