/**
 * Helpers for testing code that uses gradlab, as `torch.testing`, imported as
 * `gradlab/testing`: `assert_close` (with PyTorch's tolerances, checks and mismatch report),
 * `isclose` / `allclose` (also `torch.isclose` / `torch.allclose`) and `make_tensor`.
 *
 * @packageDocumentation
 */
export { AssertionError, type AssertCloseOptions, type TensorLike, assert_close } from "./assert_close.ts";
export { allclose, isclose } from "../calls/isclose.ts";
export { type MakeTensorOptions, make_tensor } from "./make_tensor.ts";
