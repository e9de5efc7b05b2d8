// The test docs/testing_against_pytorch.md walks through: gradlab against a PyTorch run
// recorded by tools/fixtures/against_pytorch.py (with tools/gradlab_json.py), torch 1.13, float64.
import { describe, it } from "vitest";
import { type DType, F, type Tensor, nn, no_grad, optim, tensor } from "gradlab";
import { assert_close } from "gradlab/testing";
import { fixture } from "../helpers.ts";

interface TensorJSON {
  dtype: DType;
  shape: number[];
  data: number[];
}
interface Run {
  x: TensorJSON;
  y: TensorJSON;
  losses: number[];
  after_3: { weight: TensorJSON; bias: TensorJSON; optimizer: optim.StateDict; scheduler: Record<string, unknown> };
  after_6: { weight: TensorJSON; bias: TensorJSON };
}
const run = fixture<Run>("testing/against_pytorch");
const fromJSON = (t: TensorJSON): Tensor => tensor(t.data, { dtype: t.dtype }).reshape(t.shape);

/** The model, optimizer and scheduler of the PyTorch script, starting from `weight` and `bias`. */
function setUp(weight: Tensor, bias: Tensor) {
  const model = new nn.Linear(2, 1, true, null, "float64");
  no_grad(() => {
    model.weight.copy_(weight);
    model.bias!.copy_(bias);
  });
  const opt = new optim.Adam(model.parameters(), 0.1);
  const sched = new optim.lr_scheduler.StepLR(opt, 2, 0.5);
  return { model, opt, sched };
}

/** One epoch of the script: zero_grad, loss, backward, step, scheduler step; the loss. */
function epoch({ model, opt, sched }: ReturnType<typeof setUp>): number {
  opt.zero_grad();
  const loss = F.mse_loss(model.forward(fromJSON(run.x)), fromJSON(run.y));
  loss.backward();
  opt.step();
  sched.step();
  return loss.item();
}

describe("gradlab against a recorded PyTorch run", () => {
  it("gives PyTorch's losses and parameters over 6 epochs", () => {
    const setup = setUp(tensor([[0.1, -0.2]], { dtype: "float64" }), tensor([0.05], { dtype: "float64" }));
    const losses = Array.from({ length: 6 }, () => epoch(setup));
    // float64 throughout: assert_close's float64 defaults (rtol 1e-7, atol 1e-7) hold with room to spare
    assert_close(tensor(losses, { dtype: "float64" }), run.losses);
    assert_close(setup.model.weight, fromJSON(run.after_6.weight));
    assert_close(setup.model.bias!, fromJSON(run.after_6.bias));
  });

  it("continues PyTorch's run from its optimizer and scheduler state_dicts", () => {
    const setup = setUp(fromJSON(run.after_3.weight), fromJSON(run.after_3.bias));
    setup.opt.load_state_dict(run.after_3.optimizer);
    setup.sched.load_state_dict(run.after_3.scheduler);
    for (let e = 3; e < 6; e++) epoch(setup);
    assert_close(setup.model.weight, fromJSON(run.after_6.weight), { rtol: 1e-12, atol: 1e-14 });
    assert_close(setup.model.bias!, fromJSON(run.after_6.bias), { rtol: 1e-12, atol: 1e-14 });
  });
});
