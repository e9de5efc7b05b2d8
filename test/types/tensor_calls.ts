/**
 * Type-level tests of the tensor methods' and torch functions' calling conventions: `tsc`
 * (part of `npm test`) fails if a right call is rejected or if a line marked
 * `@ts-expect-error` is accepted. Never run.
 */
import {
  type Tensor,
  add,
  allclose,
  cat,
  clamp_max,
  clamp_min,
  cumsum,
  flatten,
  isclose,
  log_softmax,
  max,
  mean,
  narrow,
  norm,
  permute,
  reshape,
  softmax,
  square,
  squeeze,
  stack,
  sum,
  transpose,
  unsqueeze,
} from "gradlab";

export function listMethods(x: Tensor): Tensor[] {
  return [
    x.view(2, 3),
    x.view([2, 3]),
    x.view(2, -1),
    x.view({ size: [2, 3] }),
    x.reshape(6, -1),
    x.reshape([6, -1]),
    x.reshape({ shape: 6 }),
    x.expand(3, -1),
    x.expand([3, -1], { implicit: false }),
    x.expand(3, -1, { implicit: true }),
    x.expand({ size: [3, -1], implicit: true }),
    x.permute(1, 0),
    x.permute([1, 0]),
    x.permute({ dims: [1, 0] }),
    x.repeat(2, 1),
    x.repeat([2, 1]),
  ];
}

export function wrongListMethods(x: Tensor): void {
  // @ts-expect-error: a size is integers, not a string
  x.view("a");
  // @ts-expect-error: view needs a size
  x.view();
  // @ts-expect-error: a list, then another positional argument
  x.view([2, 3], 1);
  // @ts-expect-error: view takes no options
  x.view(2, 3, { foo: 1 });
  // @ts-expect-error: reshape's parameter is named shape
  x.reshape({ size: [6] });
  // @ts-expect-error: a misspelt option
  x.expand(3, -1, { implict: true });
  // @ts-expect-error: permute needs dims
  x.permute();
  // @ts-expect-error: repeats are integers
  x.repeat(true);
}

export function dimMethods(x: Tensor): Tensor[] {
  return [
    x.sum(),
    x.sum(1),
    x.sum(1, true),
    x.sum([0, 1]),
    x.sum(null, true),
    x.sum({ dim: 1, keepdim: true }),
    x.sum(1, { dtype: "float64" }),
    x.mean(1, true),
    x.mean({ dim: [0, 1] }),
    x.softmax(1),
    x.softmax(1, "float64"),
    x.softmax({ dim: 1 }),
    x.log_softmax(1),
    x.log_softmax(-1, { dtype: "float64" }),
    x.transpose(0, 1),
    x.transpose(0, { dim1: 1 }),
    x.flatten(),
    x.flatten(1),
    x.flatten(0, 1),
    x.flatten({ end_dim: -2 }),
    x.squeeze(),
    x.squeeze(1),
    x.squeeze([0, 1]),
    x.unsqueeze(0),
    x.unsqueeze({ dim: -1 }),
  ];
}

export function wrongDimMethods(x: Tensor): void {
  // @ts-expect-error: keepdim is a boolean
  x.sum(1, "a");
  // @ts-expect-error: dtype is keyword-only
  x.sum(1, true, "float64");
  // @ts-expect-error: dim given twice
  x.sum(1, { dim: 1 });
  // @ts-expect-error: a misspelt option
  x.sum({ dim: 1, keepdm: true });
  // @ts-expect-error: softmax needs a dim
  x.softmax();
  // @ts-expect-error: too many arguments
  x.softmax(1, "float64", 3);
  // @ts-expect-error: transpose needs two dims
  x.transpose(0);
  // @ts-expect-error: too many arguments
  x.flatten(0, 1, 2);
  // @ts-expect-error: squeeze takes one dim argument
  x.squeeze(1, 2);
  // @ts-expect-error: unsqueeze needs a dim
  x.unsqueeze();
  // @ts-expect-error: a dim is a number
  x.unsqueeze("a");
}

export function operatorMethods(x: Tensor, y: Tensor): unknown[] {
  return [
    x.add(y),
    x.add(2),
    x.add(y, { alpha: 2 }),
    x.add({ other: y, alpha: 2 }),
    x.sub(y, { alpha: 0.5 }),
    x.mul(y),
    x.div(2),
    x.add_(y, { alpha: -0.1 }),
    x.mul_(0.9),
    x.isclose(y),
    x.isclose(y, 1e-3, 1e-6, true),
    x.isclose(y, { atol: 1e-6 }),
    x.allclose(y) === true,
    x.allclose(y, 1e-3, { equal_nan: true }),
  ];
}

export function wrongOperatorMethods(x: Tensor, y: Tensor): void {
  // @ts-expect-error: other is a Tensor or a number
  x.add("a");
  // @ts-expect-error: add needs other
  x.add();
  // @ts-expect-error: alpha is keyword-only
  x.add(y, 2);
  // @ts-expect-error: a misspelt option
  x.add(y, { alfa: 2 });
  // @ts-expect-error: other given twice
  x.add(y, { other: y });
  // @ts-expect-error: mul takes one argument
  x.mul(y, y);
  // @ts-expect-error: null is not an operand
  x.add_(null);
  // @ts-expect-error: rtol is a number
  x.isclose(y, "a");
  // @ts-expect-error: too many arguments
  x.allclose(y, 1, 2, true, 4);
  // @ts-expect-error: allclose gives a boolean, not a tensor
  x.allclose(y).sum();
}

export function functions(x: Tensor, y: Tensor): unknown[] {
  return [
    add(x, y),
    add(x, y, { alpha: 2 }),
    sum(x, 1, true),
    sum(x, { dim: [0, 1] }),
    mean(x, 1),
    reshape(x, [6, -1]),
    permute(x, [1, 0]),
    transpose(x, 0, 1),
    flatten(x, 1),
    squeeze(x, 0),
    unsqueeze(x, 0),
    softmax(x, 1),
    log_softmax(x, { dim: 1 }),
    isclose(x, y, 1e-3),
    allclose(x, y, { atol: 1e-6 }),
  ];
}

export function wrongFunctions(x: Tensor): void {
  // @ts-expect-error: torch.add needs other
  add(x);
  // @ts-expect-error: torch.reshape takes its shape as one array
  reshape(x, 2, 3);
  // @ts-expect-error: torch.permute takes its dims as one array
  permute(x, 1, 0);
  // @ts-expect-error: torch.transpose needs two dims
  transpose(x, 0);
  // @ts-expect-error: keepdim is a boolean
  sum(x, 1, "a");
  // @ts-expect-error: torch.softmax needs a dim
  softmax(x);
}

export function moreMethods(x: Tensor, y: Tensor, idx: Tensor): unknown[] {
  return [
    x.max(),
    x.max(y),
    x.max(1).values,
    x.max(1, true).indices,
    x.max({ dim: 1, keepdim: true }).values,
    x.amax([0, 1], true),
    x.argmax(1, true),
    x.argmin(),
    x.var(1, false),
    x.var(false),
    x.var(1, { correction: 0, keepdim: true }),
    x.std(null, true, true),
    x.logsumexp(1, true),
    x.norm(2, 1),
    x.norm("fro", [0, 1], true),
    x.clamp(0, 1),
    x.clamp(null, 1),
    x.clamp({ min: y }),
    x.clamp_(0),
    x.pow(2),
    x.eq(0),
    x.lt(y),
    x.maximum(y),
    x.where(idx, 0),
    x.lerp(y, 0.5),
    x.lerp_(y, y),
    x.addcmul(y, y, { value: 2 }),
    x.addcdiv_(y, y),
    x.fill_(1),
    x.narrow(0, 1, 2),
    x.index_select(0, idx),
    x.gather(1, idx),
    x.uniform_(-1, 1),
    x.normal_(0, 0.02),
  ];
}

export function wrongMoreMethods(x: Tensor, y: Tensor): void {
  // @ts-expect-error: keepdim is a boolean
  x.max(1, "a");
  // @ts-expect-error: max(other) takes no keepdim
  x.max(y, true);
  // @ts-expect-error: a misspelt option
  x.max({ dim: 1, keepdm: true });
  // @ts-expect-error: unbiased is a boolean
  x.var(1, 2);
  // @ts-expect-error: correction is keyword-only
  x.var(1, true, false, 0);
  // @ts-expect-error: logsumexp needs a dim
  x.logsumexp();
  // @ts-expect-error: clamp's bounds are Tensors or numbers
  x.clamp("a");
  // @ts-expect-error: pow needs an exponent
  x.pow();
  // @ts-expect-error: narrow needs a length
  x.narrow(0, 0);
  // @ts-expect-error: gather's sparse_grad is keyword-only
  x.gather(1, y, true);
  // @ts-expect-error: addcmul's value is keyword-only
  x.addcmul(y, y, 2);
  // @ts-expect-error: fill_ needs a value
  x.fill_();
  // @ts-expect-error: too many arguments
  x.normal_(0, 1, 2);
}

export function rightActivationsAndCopies(x: Tensor, y: Tensor): void {
  x.clamp_min(0);
  x.clamp_max(y);
  x.clamp_min({ min: -1 });
  x.to("float64");
  x.to(y);
  x.to("cpu");
  x.to("float64", false, true);
  x.to({ dtype: "float64", copy: true });
  x.copy_(y);
  x.copy_(2, { non_blocking: false });
  x.matmul(y);
  x.mm({ mat2: y });
  x.leaky_relu(0.2);
  x.leaky_relu_({ negative_slope: 0.2 });
  x.gelu({ approximate: "tanh" });
  x.softplus(2, 10);
  x.softplus({ threshold: 10 });
  x.sum().backward();
  x.backward(y, true);
  x.backward(null, { create_graph: true });
}

export function wrongActivationsAndCopies(x: Tensor, y: Tensor): void {
  // @ts-expect-error: clamp_min needs its bound
  x.clamp_min();
  // @ts-expect-error: clamp_max takes one bound
  x.clamp_max(0, 1);
  // @ts-expect-error: not a dtype
  x.to("float65");
  // @ts-expect-error: copy is a boolean
  x.to("float64", { copy: 1 });
  // @ts-expect-error: copy_'s argument is other (src in PyTorch's docs, other in its parser)
  x.copy_({ src: y });
  // @ts-expect-error: matmul multiplies by a Tensor
  x.matmul(2);
  // @ts-expect-error: approximate is keyword-only
  x.gelu("tanh");
  // @ts-expect-error: beta is a number
  x.softplus("a");
  // @ts-expect-error: retain_graph is a boolean
  x.backward(y, 1);
}

export function numpyNames(x: Tensor): unknown[] {
  return [x.sum({ axis: 1, keepdims: true }), x.mean(0, { keepdims: true }), x.amax({ axis: [0, 1] }), x.squeeze({ axis: 0 })];
}

/** NumPy's names stand for required parameters too, wherever PyTorch's parser takes them. */
export function numpyNamesOfRequired(x: Tensor, y: Tensor, index: Tensor): unknown[] {
  return [
    x.logsumexp({ axis: 1, keepdims: true }),
    x.narrow({ axis: 1, start: 0, length: 2 }),
    x.gather({ axis: 1, index }),
    x.softmax({ axis: 1 }),
    x.unsqueeze({ axis: 0 }),
    x.cumsum({ axis: 1 }),
    x.mul({ x2: y }),
    sum({ a: x, axis: 0 }),
    add({ x1: x, x2: y }),
    add({ x: x, other: y }),
    log_softmax(x, { axis: 0 }),
    cumsum({ x: x, axis: 0, dtype: "float64" }),
    cat([x, y], { axis: 1 }),
    stack({ tensors: [x, y], axis: 0 }),
    max(x, { axis: 1 }).indices,
    x.max({ axis: 1, keepdims: true }).values,
    narrow({ a: x, axis: 1, start: 0, length: 1 }),
  ];
}

export function wrongNumpyNamesOfRequired(x: Tensor, y: Tensor): void {
  // @ts-expect-error: dim given twice, by both its names
  x.logsumexp({ axis: 1, dim: 1 });
  // @ts-expect-error: a misspelt NumPy name
  x.logsumexp({ axes: 1 });
  // @ts-expect-error: x1 names input, which a method has not
  x.mul({ x1: y });
  // @ts-expect-error: input given twice
  add({ x: x, input: x, other: y });
  // @ts-expect-error: cumsum needs a dim, by one of its names
  x.cumsum({ dtype: "float64" });
  // @ts-expect-error: torch.norm is written in Python: no NumPy names
  norm(x, { axis: 1 });
}

export function wrongNumpyNames(x: Tensor): void {
  // @ts-expect-error: Tensor.norm is written in Python: no NumPy names
  x.norm({ dim: 1, keepdims: true });
  // @ts-expect-error: flatten's start_dim has no NumPy name
  x.flatten({ axis: 0 });
}

export function roundingModes(x: Tensor, y: Tensor): unknown[] {
  return [x.div(y, { rounding_mode: "floor" }), x.div_(2, { rounding_mode: "trunc" }), x.div(y, { rounding_mode: null })];
}

export function wrongRoundingModes(x: Tensor, y: Tensor): void {
  // @ts-expect-error: rounding_mode is keyword-only
  x.div(y, "floor");
  // @ts-expect-error: not a rounding mode
  x.div(y, { rounding_mode: "round" });
}

export function joinsAndNewOps(x: Tensor, y: Tensor): unknown[] {
  return [
    cat([x, y]),
    cat([x, y], 1),
    cat([x, y], { dim: -1 }),
    cat({ tensors: [x, y] }),
    stack([x, y], 0),
    clamp_min(x, 0),
    clamp_max(x, { max: y }),
    x.square(),
    square(x),
    x.cumsum(1),
    x.cumsum(0, { dtype: "float64" }),
    cumsum(x, 1),
    x.to("cpu", "float64"),
    x.to(y, false, true),
    x.to({ device: "cpu", copy: true }),
    x.to(null),
    x.backward({ inputs: [x] }),
    x.backward(null, null, false, x),
  ];
}

export function wrongJoinsAndNewOps(x: Tensor, y: Tensor): void {
  // @ts-expect-error: cat takes one list of tensors, not varargs
  cat(x, y);
  // @ts-expect-error: dim is an integer
  stack([x, y], "a");
  // @ts-expect-error: clamp_min needs min
  clamp_min(x);
  // @ts-expect-error: square takes no arguments
  x.square(1);
  // @ts-expect-error: dtype is keyword-only
  x.cumsum(1, "float64");
  // @ts-expect-error: gradlab's one device is "cpu"
  x.to("cuda");
  // @ts-expect-error: the tensor overload has no dtype
  x.to(y, { dtype: "float64" });
  // @ts-expect-error: inputs are tensors
  x.backward({ inputs: 5 });
}
