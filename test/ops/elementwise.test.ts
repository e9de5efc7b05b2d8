import { describe, it } from "vitest";
import { fixture } from "../helpers.ts";
import { type OpCase, checkCase } from "./fixture_cases.ts";

// expected values: tools/fixtures/ops_elementwise.py (torch 1.13): forward values and the
// gradients of (out · w).sum() for a fixed random w, float32 and float64, contiguous and
// transposed inputs, broadcasting shapes and scalar operands.
const { cases } = fixture<{ cases: OpCase[] }>("ops/elementwise");

describe("elementwise ops, activations and softmax follow PyTorch", () => {
  it.each(cases)("$name", (c) => checkCase(c));
});
