/**
 * The calls of the random in-place fills, declared once as PyTorch declares them.
 *
 * ```text
 * Tensor.uniform_(from=0, to=1, *, generator=None)     x.uniform_(-1, 1) ≡ x.uniform_({ from: -1, to: 1 })
 * Tensor.normal_(mean=0, std=1, *, generator=None)     x.normal_(0, 0.02, { generator })
 * ```
 */
import * as ops from "../ops/random_fill.ts";
import { Generator } from "../tensor/generator.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { type Arguments, instanceOf, keyword, nullable, number, optional } from "../utils/signature.ts";
import { methodSignature } from "./kinds.ts";

const generatorParameter = keyword("generator", nullable(instanceOf(Generator, "a Generator")), null);
/** `Tensor.uniform_(from=0, to=1, *, generator=None)`. */
export const uniformSignature = methodSignature("uniform_", [optional("from", number, 0), optional("to", number, 1), generatorParameter]);
/** `Tensor.normal_(mean=0, std=1, *, generator=None)`. */
export const normalSignature = methodSignature("normal_", [optional("mean", number, 0), optional("std", number, 1), generatorParameter]);

const drawFrom = (generator: Generator | null): ops.FillOptions => (generator === null ? {} : { generator });

/** `x.uniform_()`, `x.uniform_(-1, 1)`, `x.uniform_({ to: 2, generator })`: uniform numbers in [from, to). */
export function uniformMethod(self: Tensor, ...args: Arguments<typeof uniformSignature>): Tensor {
  const values = uniformSignature.parse(args);
  return ops.uniform_(self, values.from, values.to, drawFrom(values.generator));
}

/** `x.normal_()`, `x.normal_(0, 0.02)`, `x.normal_({ std: 0.02, generator })`: normal numbers. */
export function normalMethod(self: Tensor, ...args: Arguments<typeof normalSignature>): Tensor {
  const values = normalSignature.parse(args);
  return ops.normal_(self, values.mean, values.std, drawFrom(values.generator));
}
