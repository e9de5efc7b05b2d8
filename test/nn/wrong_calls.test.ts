import { describe, expect, it } from "vitest";
import { F, nn, optim, randn, tensor } from "gradlab";

// Wrong calls a user porting PyTorch code makes, each of which used to end in a JavaScript
// error ("Cannot read properties of undefined", "fn is not a function", "modules is not
// iterable") or in a silent NaN: each now says what was wrong, and changes nothing.
// PyTorch's own words where it has them: "params argument given to the optimizer should be
// an iterable of Tensors or dicts, but got <type>", "linear(): argument 'input' (position 1)
// must be Tensor, not list", "'int' object is not callable" (step(5)).
describe("wrong calls say what was wrong", () => {
  const sgd = () => new optim.SGD([tensor([1, 2], { requires_grad: true })], 0.1, 0.9);
  it.each([
    {
      what: "a model given to an optimizer instead of its parameters",
      call: () => new optim.SGD(new nn.Linear(2, 2) as never, 0.1),
      message: "params argument given to the optimizer should be an iterable of Tensors or dicts, but got Linear",
    },
    {
      what: "model.parameters given uncalled",
      call: () => new optim.SGD(new nn.Linear(2, 2).parameters as never, 0.1),
      message: "params argument given to the optimizer should be an iterable of Tensors or dicts, but got function",
    },
    {
      what: "a number as the closure of step",
      call: () => sgd().step(5 as never),
      message: "Optimizer.step(): argument 'closure' must be a function or null, but got number 5",
    },
    {
      what: "an array where Linear wants a tensor",
      call: () => new nn.Linear(2, 3).forward([[1, 2]] as never),
      message: "linear(): argument 'input' must be a Tensor, but got array [[1,2]]",
    },
    {
      what: "forward with no input",
      call: () => (new nn.Linear(2, 3).forward as () => unknown)(),
      message: "linear() missing 1 required positional argument: 'input'",
    },
    {
      what: "a model given to clip_grad_norm_",
      call: () => nn.utils.clip_grad_norm_(new nn.Linear(2, 2) as never, 1),
      message: "clip_grad_norm_(): argument 'parameters' must be a Tensor or an iterable of Tensors, but got a Linear (pass model.parameters())",
    },
    {
      what: "a Sequential given to clip_grad_value_",
      call: () => nn.utils.clip_grad_value_(new nn.Sequential(new nn.Linear(2, 2)) as never, 1),
      message:
        "clip_grad_value_(): argument 'parameters' must be a Tensor or an iterable of Tensors, but got an iterable holding a Linear (pass model.parameters())",
    },
    {
      what: "F.linear with a bias that is not a tensor",
      call: () => F.linear(randn(2, 2), randn(2, 2), [1, 2] as never),
      message: "linear(): argument 'bias' must be a Tensor or null, but got array [1,2]",
    },
  ])("$what", ({ call, message }) => {
    expect(call).toThrow(TypeError);
    expect(call).toThrow(message);
  });

  it.each([
    { name: "LambdaLR", make: (o: optim.Optimizer) => new optim.lr_scheduler.LambdaLR(o, (e: number) => (e < 1 ? 1 : ("0.5" as never))) },
    { name: "MultiplicativeLR", make: (o: optim.Optimizer) => new optim.lr_scheduler.MultiplicativeLR(o, (e: number) => (e < 1 ? 1 : (undefined as never))) },
  ])("$name whose lr_lambda returns no number throws at that step and leaves the lr (PyTorch: TypeError from base_lr * lmbda(epoch))", ({ name, make }) => {
    const opt = sgd();
    const sched = make(opt);
    const warn = console.warn;
    console.warn = () => {};
    try {
      expect(() => sched.step()).toThrow(new RegExp(`^${name}: lr_lambda must return a number, but returned (string "0.5"|nothing) at epoch 1$`));
    } finally {
      console.warn = warn;
    }
    expect(opt.param_groups[0]!.lr).toBe(0.1);
    expect(sched.last_epoch).toBe(0);
  });
});
