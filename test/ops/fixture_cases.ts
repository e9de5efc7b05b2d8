import { expect } from "vitest";
import * as gl from "gradlab";
import { type DType, type Tensor, tensor, testing } from "gradlab";
import { tolFor } from "../helpers.ts";

/** An input as tools/fixtures/ops_reduce_shape.py stores it: a contiguous base, permuted when `perm` is set. */
export interface InputSpec {
  values: number[];
  base_shape: number[];
  perm: number[] | null;
}

/** One case of test/fixtures/ops/{reduce,shape}.json. */
export interface OpCase {
  name: string;
  op: string;
  dtype: "float32" | "float64";
  args: Record<string, unknown> & { dim?: number | number[]; keepdim?: boolean };
  inputs: InputSpec[];
  out_shape: number[];
  /** The output's strides and whether it shares an input's memory (shape ops only). */
  out_stride?: number[];
  shares_storage?: boolean;
  out: number[];
  indices?: number[];
  w?: number[];
  grads?: (number[] | null)[];
}

type Result = Tensor | { values: Tensor; indices: Tensor };

/** One step of a chain: an op applied to the previous result, with its own options. */
type Step = OpCase["args"] & { op: string };

/** Runs `op`, then each step of `args.then` on the previous result (as the generator's `call`). */
function call(op: string, xs: Tensor[], args: OpCase["args"]): Result {
  const { then, ...own } = args as OpCase["args"] & { then?: Step[] };
  let out = callOne(op, xs, own);
  for (const { op: next, ...step } of then ?? []) out = callOne(next, ["indices" in out ? out.values : out], step);
  return out;
}

/** The TypeScript call for a fixture op, with the fixture's options passed as the library takes them. */
function callOne(op: string, xs: Tensor[], args: OpCase["args"]): Result {
  const x = xs[0]!;
  const a = args as Record<"dim" | "dims" | "index" | "keepdim" | "length" | "shape" | "start", never>;
  switch (op) {
    case "sum":
    case "mean":
    case "var":
    case "std":
    case "norm":
    case "amax":
    case "amin":
    case "argmax":
    case "argmin":
      return x[op](a);
    case "logsumexp":
      return x.logsumexp(a.dim, { keepdim: a.keepdim });
    case "max":
    case "min":
      return args.dim === undefined ? x[op]() : x[op](args.dim as number, { keepdim: args.keepdim });
    case "transpose":
      return x.transpose(a.dims[0]!, a.dims[1]!);
    case "t":
      return x.t();
    case "permute":
      return x.permute(a.dims);
    case "squeeze":
      return x.squeeze(a.dim);
    case "unsqueeze":
      return x.unsqueeze(a.dim);
    case "flatten":
      return x.flatten(args as never);
    case "reshape":
      return x.reshape(a.shape);
    case "view":
      return x.view(a.shape);
    case "expand":
      return x.expand(a.shape);
    case "narrow":
      return x.narrow(a.dim, a.start, a.length);
    case "index_select":
      return x.index_select(a.dim, a.index);
    case "gather":
      return x.gather(a.dim, a.index);
    case "cat":
      return gl.cat(xs, a);
    case "stack":
      return gl.stack(xs, a);
    case "isnan":
    case "isinf":
    case "isfinite":
    case "exp":
    case "log":
    case "log1p":
    case "sqrt":
    case "rsqrt":
    case "abs":
    case "sign":
    case "neg":
    case "relu":
    case "sigmoid":
    case "tanh":
    case "silu":
      return x[op]();
    case "add":
    case "sub":
      return x[op](xs[1] ?? (args.scalar as number), args.alpha === undefined ? {} : { alpha: args.alpha as number });
    case "eq":
    case "ne":
    case "lt":
    case "le":
    case "gt":
    case "ge":
    case "mul":
    case "div":
    case "maximum":
    case "minimum":
      return x[op](xs[1] ?? (args.scalar as number));
    case "pow":
      return x.pow(xs[1] ?? (args.exponent as number));
    case "clamp":
      return x.clamp({
        min: args.min === "tensor" ? xs[1]! : (args.min as number | undefined),
        max: args.max === "tensor" ? xs.at(-1)! : (args.max as number | undefined),
      });
    case "where":
      return gl.where(xs[0]!.gt(0), xs[1]!, xs[2]!);
    case "leaky_relu":
      return x.leaky_relu(args.negative_slope as number);
    case "gelu":
      return x.gelu({ approximate: args.approximate as "none" | "tanh" });
    case "softplus":
      return x.softplus({ beta: args.beta as number, threshold: args.threshold as number });
    case "softmax":
    case "log_softmax":
      return x[op](args.dim as number);
    case "addcmul":
    case "addcdiv":
      return x[op](xs[1]!, xs[2]!, { value: args.value as number });
    case "lerp":
      return x.lerp(xs[1]!, xs[2] ?? (args.weight as number));
    default:
      throw new Error(`unknown fixture op ${op}`);
  }
}

/** Builds the case's inputs (leaves are the bases), runs the op, and returns everything to compare. */
export function runCase(c: OpCase): { bases: Tensor[]; values: Tensor; indices: Tensor | null } {
  const differentiable = c.grads !== undefined;
  const bases = c.inputs.map((s) =>
    gl
      .tensor(s.values, { dtype: c.dtype as DType })
      .reshape(s.base_shape)
      .requires_grad_(differentiable),
  );
  const xs = bases.map((b, i) => (c.inputs[i]!.perm ? b.permute(c.inputs[i]!.perm!) : b));
  const result = call(c.op, xs, c.args);
  const { values, indices } = "indices" in result ? result : { values: result, indices: null };
  if (differentiable)
    values
      .mul(gl.tensor(c.w!, { dtype: c.dtype }).reshape(c.out_shape))
      .sum()
      .backward();
  return { bases, values, indices };
}

/** Asserts forward values, indices and input gradients against the fixture. */
export function checkCase(c: OpCase): void {
  const { bases, values, indices } = runCase(c);
  const tol = tolFor(c.dtype);
  expect(values.shape).toEqual(c.out_shape);
  if (values.dtype === "int64") {
    expect(Array.from(values.toTypedArray())).toEqual(c.indices);
    return;
  }
  expect(values.dtype).toBe(c.dtype);
  if (c.out_stride !== undefined) expect(values.stride(), "strides").toEqual(c.out_stride);
  if (c.shares_storage !== undefined)
    expect(
      bases.some((b) => b.storage === values.storage),
      "shares memory",
    ).toBe(c.shares_storage);
  // the fixture keeps values flat, with the shapes beside them
  testing.assert_close(values, tensor(c.out, { dtype: c.dtype }).reshape(c.out_shape), { ...tol, equal_nan: true });
  if (c.indices !== undefined) {
    expect(indices!.dtype).toBe("int64");
    expect(Array.from(indices!.toTypedArray())).toEqual(c.indices);
  }
  c.grads?.forEach((g, i) => {
    // PyTorch leaves no gradient for the 0-norm (it is piecewise constant); ours is all zeros.
    if (g === null) expect(Array.from(bases[i]!.grad?.toTypedArray() ?? [])).toSatisfy((v: number[]) => v.every((e) => e === 0));
    else testing.assert_close(bases[i]!.grad!, tensor(g, { dtype: c.dtype }).reshape(c.inputs[i]!.base_shape), { ...tol, equal_nan: true });
  });
}
