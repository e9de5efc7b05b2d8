/**
 * Type-level tests of PyTorch's calling conventions: `tsc` (part of `npm test`) fails if a
 * right call is rejected or if a line marked `@ts-expect-error` is accepted. Never run.
 */
import { type Tensor, arange, eye, full, full_like, linspace, nn, optim, rand_like, randint, tensor, zeros_like } from "gradlab";
import { type Arguments, keyword, number, optional, required, signature } from "../../src/utils/signature.ts";

const stepLr = signature("step_lr_types", [
  required("optimizer", number),
  required("step_size", number),
  optional("gamma", number, 0.1),
  optional("last_epoch", number, -1),
]);
const flagged = signature("flagged_types", [required("a", number), keyword("b", number, 1)]);

export function signatureCalls(): void {
  const f = (..._args: Arguments<typeof stepLr>): void => undefined;
  f(1, 30);
  f(1, 30, 0.5, 2);
  f(1, 30, { gamma: 0.5 });
  f(1, { step_size: 30 });
  f({ optimizer: 1, step_size: 30 });
  // @ts-expect-error: step_size is required
  f(1);
  // @ts-expect-error: step_size is required, by position or by name
  f(1, { gamma: 0.5 });
  // @ts-expect-error: an unknown name
  f(1, 30, { gama: 0.5 });
  // @ts-expect-error: gamma given twice
  f(1, 30, 0.5, { gamma: 0.5 });
  // @ts-expect-error: too many positional arguments
  f(1, 30, 0.5, 2, 3);
  // @ts-expect-error: a string where a number belongs
  f(1, 30, "0.5");
  const g = (..._args: Arguments<typeof flagged>): void => undefined;
  g(1, { b: 2 });
  // @ts-expect-error: b is keyword-only
  g(1, 2);
}

export function optimizerCalls(w: Tensor, model: nn.Module): void {
  new optim.SGD(model.parameters(), 0.1, 0.9);
  new optim.SGD(model.parameters(), 0.1, { momentum: 0.9, nesterov: true });
  new optim.Adam([w], 1e-3, [0.9, 0.99]);
  new optim.Adam([{ params: [w], lr: 0.2 }], { lr: 0.1 });
  new optim.AdamW([w], 0.1, { fused: null });
  new optim.RMSprop([w], 0.01, 0.99, 1e-8, 0, 0.9, true);
  // @ts-expect-error: a keyword-only parameter given positionally (maximize follows nesterov after *)
  new optim.SGD([w], 0.1, 0.9, 0, 0, false, true);
  // @ts-expect-error: an unknown option
  new optim.Adam([w], { lrr: 0.1 });
  // @ts-expect-error: lr given twice
  new optim.Adam([w], 0.1, { lr: 0.2 });
  // @ts-expect-error: a string lr
  new optim.Adam([w], "0.1");
  // @ts-expect-error: a group with an unknown option
  new optim.Adam([{ params: [w], lrr: 0.2 }]);
  // @ts-expect-error: AdamW has no decoupled_weight_decay
  new optim.AdamW([w], 0.1, { decoupled_weight_decay: true });
}

export function schedulerCalls(opt: optim.Optimizer): void {
  const S = optim.lr_scheduler;
  new S.StepLR(opt, 30, 0.1);
  new S.StepLR(opt, { step_size: 30, gamma: 0.1 });
  new S.CyclicLR(opt, 0.001, 0.1, 500);
  new S.ReduceLROnPlateau(opt, "min", 0.5, 3);
  new S.ExponentialLR(opt, { gamma: 0.9 });
  new S.ChainedScheduler([new S.ExponentialLR(opt, 0.9)], opt);
  new optim.swa_utils.SWALR(opt, 0.05, 5, "linear");
  // @ts-expect-error: StepLR needs step_size
  new S.StepLR(opt);
  // @ts-expect-error: a misspelt option
  new S.StepLR(opt, 30, { gama: 0.5 });
  // @ts-expect-error: ExponentialLR's gamma is a number
  new S.ExponentialLR(opt, "0.9");
  // @ts-expect-error: ReduceLROnPlateau's mode is "min" or "max"
  new S.ReduceLROnPlateau(opt, "mean");
  // @ts-expect-error: too many arguments
  new S.StepLR(opt, 30, 0.1, -1, 5);
}

export function factoryCalls(x: Tensor): void {
  full([2, 3], 0.5);
  full([2], 1, { dtype: "float64", requires_grad: true });
  full({ size: [2], fill_value: 0 });
  arange(5);
  arange(1, 4);
  arange(0, 1, 0.1, { dtype: "float64" });
  arange({ start: 1, end: 5 });
  linspace(0, 1, 5);
  linspace(0, 1, { steps: 5 });
  eye(2, 3);
  eye(2, { m: 3 });
  randint(10, [3]);
  randint(2, 10, [3], { dtype: "float32" });
  zeros_like(x, { dtype: "float64" });
  full_like(x, 7);
  rand_like(x, { generator: null });
  tensor([1, 2], { dtype: "float64", requires_grad: true });
  // @ts-expect-error: full needs fill_value
  full([2, 3]);
  // @ts-expect-error: full's size is an array, as PyTorch's tuple
  full(2, 3);
  // @ts-expect-error: linspace needs steps
  linspace(0, 1);
  // @ts-expect-error: zeros_like's dtype is keyword-only
  zeros_like(x, "float64");
  // @ts-expect-error: a misspelt option
  arange(5, { dtyp: "float64" });
  // @ts-expect-error: randint needs a size array
  randint(10, 3);
  // @ts-expect-error: tensor's dtype is keyword-only
  tensor([1, 2], "float64");
}
