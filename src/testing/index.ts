/**
 * `gradlab/testing`, as `torch.testing`: `assert_close` (with PyTorch's tolerances, checks and
 * mismatch report), and `isclose` / `allclose` (also `torch.isclose` / `torch.allclose`).
 */
export { AssertionError, type AssertCloseOptions, type TensorLike, allclose, assert_close, isclose } from "./assert_close.ts";
