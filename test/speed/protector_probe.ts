/**
 * Run by test/speed/protector.test.ts under tsx, the way tutorials run: trains a small MLP
 * through every part a tutorial touches (nn, optim, zero_grad to zeros, a scheduler, a
 * terminal chart and an SVG chart), then prints whether V8's ArrayBuffer-detaching
 * protector of this thread is still intact.
 *
 * The probe: optimise a function that reads a typed array. While the protector holds,
 * V8 compiles it without a detached-buffer check and registers a dependency on the
 * protector; detaching a buffer then (here, after all of gradlab's work) invalidates the
 * protector and throws that code away. If the protector had already fallen, the code was
 * compiled with the check, depends on nothing, and stays optimised.
 * `--break-first` detaches a buffer before the work, to show the probe sees a fall.
 */
import { setFlagsFromString } from "node:v8";
import { manual_seed, nn, optim, tensor } from "gradlab";
import { lineChart, terminalChart } from "gradlab/plotting";

const detachOne = (): void => {
  const buffer = new ArrayBuffer(8);
  structuredClone(buffer, { transfer: [buffer] });
};
if (process.argv.includes("--break-first")) detachOne();

manual_seed(0);
const model = new nn.Sequential(new nn.Linear(2, 16), new nn.Tanh(), new nn.Linear(16, 16), new nn.Tanh(), new nn.Linear(16, 1));
const optimizer = new optim.Adam(model.parameters(), { lr: 0.01 });
const scheduler = new optim.lr_scheduler.StepLR(optimizer, 10);
const x = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
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

setFlagsFromString("--allow-natives-syntax");
const natives = (body: string) => new Function("f", body) as (f: unknown) => number;
const prepare = natives("%PrepareFunctionForOptimization(f)");
const optimiseNext = natives("%OptimizeFunctionOnNextCall(f)");
const status = natives("return %GetOptimizationStatus(f)");
const OPTIMIZED = 1 << 4;
const read = new Function("a", "return a[0] + a[1];") as (a: Float64Array) => number;
const probe = new Float64Array(2);
prepare(read);
read(probe);
read(probe);
optimiseNext(read);
read(probe);
const optimised = (status(read) & OPTIMIZED) !== 0;
detachOne();
const thrownAway = (status(read) & OPTIMIZED) === 0;
console.log(`trained: ${losses.length} steps, chart ${svg.startsWith("<svg") ? "drawn" : "missing"}`);
console.log(`probe optimised: ${optimised}`);
console.log(`protector: ${thrownAway ? "intact" : "invalidated"}`);
