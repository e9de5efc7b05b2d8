/**
 * Run by test/speed/protector.test.ts under tsx, the way tutorials run: trains a small MLP
 * through every part a tutorial touches (nn, optim, zero_grad to zeros, a scheduler, a
 * terminal chart and an SVG chart), then prints whether V8's ArrayBuffer-detaching
 * protector of this thread is still intact (the probe is bench/protector.ts, which
 * `npm run bench` also prints). `--break-first` detaches a buffer before the work, to
 * show the probe sees a fall.
 */ import { manual_seed, nn, optim, tensor } from "gradlab";
import { lineChart, terminalChart } from "gradlab/plotting";
import { detachOne, protectorIntact } from "../../bench/protector.ts";

if (process.argv.includes("--break-first")) detachOne();

manual_seed(0);
const model = new nn.Sequential(new nn.Linear(2, 16), new nn.Tanh(), new nn.Linear(16, 16), new nn.Tanh(), new nn.Linear(16, 1));
const optimizer = new optim.Adam(model.parameters(), { lr: 0.01 });
const scheduler = new optim.lr_scheduler.StepLR(optimizer, 10);
const x = tensor([
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
]);
const y = tensor([[0], [1], [1], [0]]);
const losses: number[] = [];
for (let step = 0; step < 30; step++) {
  optimizer.zero_grad({ set_to_none: step % 2 === 0 });
  const loss = nn.functional.mse_loss(model.forward(x), y);
  loss.backward();
  optimizer.step();
  scheduler.step();
  losses.push(loss.item());
}
terminalChart([losses]);
const svg = await lineChart([{ name: "loss", x: losses.map((_, i) => i), y: losses }]);

const intact = protectorIntact();
console.log(`trained: ${losses.length} steps, chart ${svg.startsWith("<svg") ? "drawn" : "missing"}`);
console.log(`protector: ${intact ? "intact" : "invalidated"}`);
