/**
 * What the signatures of tensor methods and torch functions share: the kinds of their values
 * (a Tensor, a Tensor or a number, a dim, a list of dims, a dtype) and PyTorch's varargs lists.
 *
 * ```text
 * Python                         TypeScript                     parsed `size`
 * x.view(2, 3)                   x.view(2, 3)                   [2, 3]
 * x.view((2, 3))                 x.view([2, 3])                 [2, 3]
 * x.view(size=(2, 3))            x.view({ size: [2, 3] })       [2, 3]
 * x.expand(3, -1, implicit=True) x.expand(3, -1, { implicit })  [3, -1]
 * ```
 * As PyTorch's argument parser, a method whose only positional parameter is a list of
 * integers (`view`, `reshape`, `expand`, `permute`, `repeat`) also takes that list as
 * varargs; no other method does (`x.sum(0, 1)` is dim 0 and a keepdim that is not a boolean).
 */
import type { DType } from "../tensor/dtype.ts";
import { Tensor } from "../tensor/tensor.ts";
import type { Operand } from "../ops/operands.ts";
import { type Parameter, type Signature, arrayOf, instanceOf, integer, isPlainObject, kind, nullable, required, signature, union } from "../utils/signature.ts";

type AnySignature = Signature<readonly Parameter[], boolean>;

/** A Tensor. */
export const tensorKind = instanceOf(Tensor, "a Tensor");

/** A Tensor, or a number used as a scalar (`x.add(1)`), as PyTorch's Scalars promote to tensors. */
export const operandKind = kind<Operand>("a Tensor or a number", (v) => v instanceof Tensor || typeof v === "number");

/** A dtype name. */
export const dtypeKind = kind<DType>('"float32", "float64" or "int64"', (v) => v === "float32" || v === "float64" || v === "int64");

/** `dtype=None`: the dtype to compute in, or null for the input's. */
export const nullableDtype = nullable(dtypeKind);

/** One dim, or a list of dims (`int[1]` in PyTorch's declarations: `x.sum(1)` or `x.sum([0, 1])`). */
export const dimsKind = union(integer, arrayOf(integer, "an array of integers"));

/** A list of integers (a size, a permutation, repeats); a single integer counts as a list of one. */
export const intListKind = kind<number | readonly number[]>(
  "an integer or an array of integers",
  (v) => Number.isInteger(v) || (Array.isArray(v) && v.every((x) => Number.isInteger(x))),
);

/** The `input` of a torch function: `torch.sum(input, …)`. */
export const inputParameter = required("input", tensorKind);

/**
 * The calls of a method whose one positional parameter `N` is a list of integers: varargs
 * (`x.view(2, -1)`), one array (`x.view([2, -1])`) or by name (`x.view({ size: [2, -1] })`),
 * with the keyword-only options `K` (if any) in a trailing object.
 */
export type IntListArguments<N extends string, K extends object = never> = [K] extends [never]
  ? [number, ...number[]] | [list: readonly number[]] | [options: { [P in N]: number | readonly number[] }]
  :
      | [number, ...number[]]
      | [...list: [number, ...number[]], options: K]
      | [list: readonly number[], options?: K]
      | [options: { [P in N]: number | readonly number[] } & K];

/**
 * The list itself when a call gives it plainly (all integers as varargs, or one array of
 * integers and nothing else), without parsing: the fast path of `view`, `reshape` and friends.
 */
export function plainIntList(args: readonly unknown[]): readonly number[] | null {
  if (args.length === 0) return null;
  const first = args[0];
  if (args.length === 1 && Array.isArray(first)) return first.every((x) => Number.isInteger(x)) ? (first as number[]) : null;
  for (let i = 0; i < args.length; i++) if (!Number.isInteger(args[i])) return null;
  return args as readonly number[];
}

/**
 * The arguments with a varargs list folded into one array, for the signature's parser:
 * `[2, 3, { implicit }]` becomes `[[2, 3], { implicit }]`. PyTorch folds when the first
 * argument is an integer; here every call with a number first or with more than one
 * positional argument is folded, so that a wrong element is reported as part of the list
 * (`array [2,"a"]`, `array [true,6]`) rather than as a surplus argument.
 *
 * With an array first, PyTorch's parser binds it as the list. What follows it is, like
 * PyTorch's, ignored when the list is the signature's only parameter (torch 1.13 and current
 * PyTorch: `x.view([2, 3], 1)` is `x.view([2, 3])`), and a surplus argument when a
 * keyword-only parameter follows (`x.expand([2, 3], 1)`: `expand() takes 1 positional argument
 * but 2 were given`).
 */
export function foldVarargs(args: readonly unknown[], onlyParameter: boolean): unknown[] {
  const end = args.length > 0 && isPlainObject(args[args.length - 1]) ? args.length - 1 : args.length;
  const options = end === args.length ? [] : [args[end]];
  if (Array.isArray(args[0])) return onlyParameter ? [args[0], ...options] : args.slice();
  if (end === 0 || (end === 1 && typeof args[0] !== "number")) return args.slice();
  return [args.slice(0, end), ...options];
}

/** A parsed list argument as an array (a single integer is a list of one). */
export const asList = (value: number | readonly number[]): readonly number[] => (typeof value === "number" ? [value] : value);

/**
 * The signature of a tensor method PyTorch's C++ argument parser binds (`Tensor.sum` …): it
 * also takes the NumPy names `axis`, `keepdims`, `x`/`a`/`x1` and `x2` by name, as that
 * parser does (`x.sum({ axis: 1, keepdims: true })`). Declared as `"Tensor.<name>"`, with
 * `overload` (`"other"`: `"Tensor.max(other)"`) where one name has two signatures.
 */
export const methodSignature = <const P extends readonly Parameter[]>(name: string, parameters: P, overload?: string): Signature<P, true> =>
  signature(name, parameters, true, `Tensor.${name}${overload === undefined ? "" : `(${overload})`}`);

/** The same for a torch function (`torch.sum(input, …)`), declared as `"torch.<name>"`. */
export const functionSignature = <const P extends readonly Parameter[]>(name: string, parameters: P, overload?: string): Signature<P, true> =>
  signature(name, parameters, true, `torch.${name}${overload === undefined ? "" : `(${overload})`}`);

/** A parameter as the "expected one of" list of PyTorch's message shows it, in TypeScript spelling. */
const shownParameter = (p: Parameter): string => (p.required ? p.name : `${p.name} = ${JSON.stringify(p.default) ?? "undefined"}`);

/** One signature as that list shows it: `(dtype, non_blocking = false, copy = false, { memory_format = null })`. */
function shownSignature(sig: AnySignature): string {
  const positional = sig.parameters.filter((p) => !p.keywordOnly).map(shownParameter);
  const keywords = sig.parameters.filter((p) => p.keywordOnly).map(shownParameter);
  return `(${[...positional, ...(keywords.length > 0 ? [`{ ${keywords.join(", ")} }`] : [])].join(", ")})`;
}

/** How PyTorch's "got (…)" names the arguments of a call: `Tensor`, `string`, `boolean`, `{dtype, copy}`. */
export const shownArguments = (args: readonly unknown[]): string =>
  args
    .filter((a) => a !== undefined)
    .map((a) =>
      a instanceof Tensor ? "Tensor" : a === null ? "null" : isPlainObject(a) ? `{${Object.keys(a).join(", ")}}` : Array.isArray(a) ? "array" : typeof a,
    )
    .join(", ");

/**
 * PyTorch's argument parser for an overloaded method (`Tensor.to`): the first signature that
 * binds the call wins, in declaration order. When none does and exactly one could by its
 * number of arguments, that one's TypeError is thrown (as the parser re-parses the one
 * plausible signature to raise); otherwise PyTorch's "received an invalid combination of
 * arguments - got (…), but expected one of: …".
 */
export function parseOverloads(
  name: string,
  signatures: readonly AnySignature[],
  args: readonly unknown[],
): { index: number; values: Record<string, unknown> } {
  const errors: TypeError[] = [];
  for (let index = 0; index < signatures.length; index++) {
    try {
      return { index, values: signatures[index]!.parse(args) as Record<string, unknown> };
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      errors.push(e);
    }
  }
  let given = args.length;
  while (given > 0 && args[given - 1] === undefined) given--;
  const last = args[given - 1];
  const count = isPlainObject(last) ? given - 1 + Object.keys(last).length : given;
  const plausible = signatures.flatMap((sig, i) => {
    const minimum = sig.parameters.filter((p) => p.required).length;
    return count >= minimum && count <= sig.parameters.length ? [i] : [];
  });
  if (plausible.length === 1) throw errors[plausible[0]!]!;
  throw new TypeError(
    `${name}() received an invalid combination of arguments - got (${shownArguments(args)}), but expected one of: ${signatures.map(shownSignature).join(" or ")}`,
  );
}
