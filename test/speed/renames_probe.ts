/**
 * Run by test/speed/renames.test.ts under tsx, the way tutorials run. tsx compiles with
 * esbuild's keepNames, which wraps every named function made inside another function
 * (`const f = () => …`, `function f() {}`) in `__name(f, "f")`: an Object.defineProperty
 * call each time the outer function runs, and a closure whose shape differs from an
 * unnamed one. On gradlab's training path such a closure costs every step a call that the
 * bundle (and vitest) never make. This probe counts the functions renamed that way while
 * training steps run, after a few warm-up steps (anything made once and cached is not a
 * per-step cost), and prints them. `--named-closure` makes one such closure in every step,
 * to show the count sees it.
 */
// First: the counter must be installed before gradlab's modules are evaluated.
import { counter, renamed } from "./renames_counter.ts";
import { manual_seed, nn, optim, randint, randn } from "gradlab";

const namedClosure = process.argv.includes("--named-closure");

/** Stands for a hot path that makes a named closure each call (renamed under tsx). */
function withNamedClosure(x: number): number {
  const twice = (v: number): number => 2 * v;
  return twice(x);
}

manual_seed(0);
const x = randn([32, 2]);
const y = randn([32, 1]);
const labels = randint(0, 3, [32]);
const regression = new nn.Sequential(new nn.Linear(2, 16), new nn.Tanh(), new nn.Linear(16, 16), new nn.Tanh(), new nn.Linear(16, 1));
const classifier = new nn.Sequential(new nn.Linear(2, 16), new nn.ReLU(), new nn.Linear(16, 3));
const adam = new optim.Adam(regression.parameters(), { lr: 1e-3 });
const sgd = new optim.SGD(classifier.parameters(), { lr: 0.1, momentum: 0.9 });
const S = optim.lr_scheduler;
const stepLR = new S.StepLR(sgd, 5);
const sequential = new S.SequentialLR(adam, [new S.LinearLR(adam, { start_factor: 0.1, total_iters: 5 }), new S.CosineAnnealingLR(adam, 25)], [5]);
const trajectory: unknown[] = [];
const mse = new nn.MSELoss();
const crossEntropy = new nn.CrossEntropyLoss();

/**
 * One step of each kind a tutorial writes: the tiny tanh MLP with MSE, Adam and a
 * SequentialLR, its weights recorded with tolist(); a ReLU classifier with cross-entropy,
 * SGD with momentum, gradient clipping and a StepLR.
 */
function step(): void {
  adam.zero_grad();
  mse.forward(regression.forward(x), y).backward();
  adam.step();
  sequential.step();
  trajectory.push(regression.parameters()[0]!.tolist());

  sgd.zero_grad({ set_to_none: true });
  const loss = crossEntropy.forward(classifier.forward(x), labels);
  loss.backward();
  nn.utils.clip_grad_norm_(classifier.parameters(), 1.0);
  sgd.step();
  stepLR.step();
  loss.item();
  if (namedClosure) withNamedClosure(1);
}

const steps = 10;
// warm-up, past the SequentialLR's milestone (5): what is made once and cached (optimizer
// state, specialised loops) is made before counting
for (let i = 0; i < 8; i++) step();
counter.counting = true;
for (let i = 0; i < steps; i++) step();
counter.counting = false;
console.log(`steps: ${steps}`);
console.log(`renamed: ${JSON.stringify([...new Set(renamed)])} (${renamed.length} calls)`);
