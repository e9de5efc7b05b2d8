import { no_grad, randn } from "gradlab";
import type { Tf } from "./tfjs.ts";
import { figures, num, row, secondsPerCall, section } from "./timing.ts";

/**
 * Per-op overhead of the core on tensors so small that the arithmetic is negligible: one
 * `add` of two 32×16 tensors, and a tiny 2-16-1 MLP written with core ops only (8 recorded
 * ops: matmul, add, mul, matmul, add, sub, mul, sum), forward alone, forward recorded for
 * autograd, and forward plus backward.
 */
export function benchOverhead(tf: Tf): void {
  section("Per-op overhead, tiny tensors           µs per call   µs per op");
  const a = randn([32, 16]);
  const b = randn([32, 16]);
  const add = secondsPerCall(() => a.add(b)) * 1e6;
  row("add 32×16 (gradlab)", num(add, 12), num(add, 12));
  const ta = tf.randomNormal([32, 16]);
  const tb = tf.randomNormal([32, 16]);
  const tfAdd = secondsPerCall(() => tf.add(ta, tb).dispose()) * 1e6;
  row("add 32×16 (tfjs)", num(tfAdd, 12), num(tfAdd, 12));
  figures.set("add 32×16 µs/call", add);
  figures.set("tfjs add 32×16 µs/call", tfAdd);

  const ops = 8;
  const x = randn([32, 2]);
  const y = randn([32, 1]);
  const w1 = randn([2, 16], { requires_grad: true });
  const b1 = randn([16], { requires_grad: true });
  const w2 = randn([16, 1], { requires_grad: true });
  const b2 = randn([1], { requires_grad: true });
  const forward = () => {
    let h = x.matmul(w1).add(b1);
    h = h.mul(h);
    const d = h.matmul(w2).add(b2).sub(y);
    return d.mul(d).sum();
  };
  // each row printed right after its measurement, so that its wall ÷ CPU is its own
  const plain = secondsPerCall(() => no_grad(forward)) * 1e6;
  row("MLP forward, no_grad", num(plain, 12), num(plain / ops, 12));
  const recorded = secondsPerCall(forward) * 1e6;
  row("MLP forward, recorded", num(recorded, 12), num(recorded / ops, 12));
  const both =
    secondsPerCall(() => {
      w1.grad = b1.grad = w2.grad = b2.grad = null;
      forward().backward();
    }) * 1e6;
  row("MLP forward + backward", num(both, 12), num(both / ops, 12));
  row("  of which backward", num(both - recorded, 12), num((both - recorded) / ops, 12));
  figures.set("MLP 2-16-1 forward, no_grad µs/call", plain);
  figures.set("MLP 2-16-1 forward, recorded µs/call", recorded);
  figures.set("MLP 2-16-1 forward + backward µs/call", both);
  ta.dispose();
  tb.dispose();
}
