/**
 * How close an optimizer's trajectory must come to its reference, by dtype.
 *
 * float64: within TOL.float64 (1e-12 relative) of the float64 reference after every step
 * (gradlab's float64 loops round a·b + c twice where PyTorch's FMA rounds once).
 * float32: exactly. Every float32 step follows PyTorch's op sequence with its rounding
 * (src/kernels/rounding.ts), so each element equals the reference bit for bit;
 * float32_bits.test.ts prints the fraction per fixture.
 */
import { expect } from "vitest";
import { TOL, type Tolerance, assertCloseAt } from "../helpers.ts";

/** Exact equality: rtol and atol 0. */
export const EXACT: Tolerance = { rtol: 0, atol: 0 };

/** The tolerance for a trajectory in `dtype`. */
export const trajectoryTol = (dtype: "float32" | "float64"): Tolerance => (dtype === "float64" ? TOL.float64 : EXACT);

/**
 * Asserts a trajectory (steps × parameters × values) close to its reference with
 * `testing.assert_close`, parameter by parameter (parameters differ in size), naming the
 * step and the parameter of a mismatch.
 */
export function assertTrajectory(actual: number[][][], expected: number[][][], tol: Tolerance): void {
  expect(actual.length, "steps").toBe(expected.length);
  actual.forEach((step, k) => {
    expect(step.length, `step ${k}: parameters`).toBe(expected[k]!.length);
    step.forEach((values, i) => {
      assertCloseAt(`step ${k}, param ${i}`, values, expected[k]![i]!, tol);
    });
  });
}
