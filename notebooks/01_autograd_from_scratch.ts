// %% [markdown]
// # 1. Autograd from scratch
//
// Every optimizer in this library needs one thing from the model: the gradient of the
// loss with respect to each parameter. This tutorial shows where those gradients come
// from. gradlab, like PyTorch, records the operations applied to tensors that require
// gradients (the *tape*), and `backward()` walks that record in reverse, applying the
// chain rule one operation at a time.

// %%
import { type Node, Tensor, autograd, manual_seed, no_grad, randn, tensor } from "gradlab";

const x = tensor([1.5, -0.5], { dtype: "float64", requires_grad: true });
const w = tensor([2, 3], { dtype: "float64", requires_grad: true });
const y = x.mul(w).sum(); // y = x₀w₀ + x₁w₁
console.log(y.toString());

// %% [markdown]
// `y` is not a leaf: it remembers the operation that made it in `grad_fn`, and that
// node points at the nodes (or leaves) that made its inputs. Walking `next_functions`
// shows the recorded graph:

// %%
// An edge leads to another recorded node, to a leaf tensor (PyTorch's AccumulateGrad), or nowhere.
const describe = (edge: Node | Tensor | null): string => (edge === null ? "none" : edge instanceof Tensor ? "leaf tensor (AccumulateGrad)" : edge.name);
console.log(`y.grad_fn            = ${y.grad_fn!.name}`);
const mulNode = y.grad_fn!.next_functions[0] as Node;
console.log(`  ← ${mulNode.name}`);
console.log(`      ← ${mulNode.next_functions.map(describe).join(", ")}`);
console.log(`x.is_leaf = ${x.is_leaf}, y.is_leaf = ${y.is_leaf}`);

// %% [markdown]
// `backward()` starts from dy/dy = 1 and sends gradients down the edges. For
// y = Σ xᵢwᵢ the chain rule gives ∂y/∂x = w and ∂y/∂w = x, and that is what lands in
// the leaves' `.grad`:

// %%
y.backward();
console.log(`x.grad = ${JSON.stringify(x.grad!.tolist())}   (expected w = [2, 3])`);
console.log(`w.grad = ${JSON.stringify(w.grad!.tolist())}   (expected x = [1.5, -0.5])`);

// %% [markdown]
// ## A longer chain, checked against finite differences
//
// For f(x) = Σ tanh(x)² the derivative is 2·tanh(x)·(1 − tanh(x)²). Autograd composes it
// from the pieces `tanh` and `mul` without knowing the formula. A central finite
// difference (f(x + ε) − f(x − ε)) / 2ε gives an independent estimate:

// %%
manual_seed(0);
const z = randn(4, { dtype: "float64" }).requires_grad_();
const f = (t: typeof z) => t.tanh().mul(t.tanh()).sum();
f(z).backward();
const eps = 1e-6;
const values = z.tolist() as number[];
console.log("   x          autograd        finite difference   by the formula");
values.forEach((v, i) => {
  const shifted = (d: number) =>
    no_grad(() =>
      f(
        tensor(
          values.map((u, j) => (j === i ? u + d : u)),
          { dtype: "float64" },
        ),
      ).item(),
    );
  const numeric = (shifted(eps) - shifted(-eps)) / (2 * eps);
  const exact = 2 * Math.tanh(v) * (1 - Math.tanh(v) ** 2);
  const auto = (z.grad!.tolist() as number[])[i]!;
  console.log(`${v.toFixed(4).padStart(8)}   ${auto.toFixed(12)}   ${numeric.toFixed(12)}      ${exact.toFixed(12)}`);
});

// %% [markdown]
// Autograd agrees with the formula to every printed digit, and the finite difference to
// about 1e-10 (its own truncation and rounding error). `autograd.gradcheck` does this
// comparison for every input element and every output element, and is how the test
// suite checks each operation's backward rule:

// %%
console.log(`gradcheck(tanh²):       ${autograd.gradcheck(f, [z])}`);
console.log(`gradcheck(x·w):         ${autograd.gradcheck((a, b) => a.mul(b), [x, w])}`);
console.log(`gradcheck(softmax):     ${autograd.gradcheck((a) => a.softmax(0), [z])}`);

// %% [markdown]
// ## Gradients accumulate, graphs are freed
//
// Calling `backward()` again *adds* to `.grad`, which is why training loops call
// `optimizer.zero_grad()` every step. And once a backward pass has run, the tensors the
// graph saved for it are freed, so a second pass through the same graph is an error
// unless the first one asked to `retain_graph`:

// %%
const a = tensor([3], { dtype: "float64", requires_grad: true });
const b = a.mul(a);
b.backward(null, { retain_graph: true });
b.backward();
console.log(`a.grad after two backward passes: ${a.grad!.item()}   (2·3 twice)`);
try {
  b.backward();
} catch (e) {
  console.log(`third pass: ${(e as Error).message.slice(0, 60)}...`);
}

// %% [markdown]
// Inside `no_grad`, nothing is recorded: that is how optimizers update parameters
// without the update itself becoming part of the next step's graph.

// %%
const c = no_grad(() => a.mul(2));
console.log(`inside no_grad: requires_grad = ${c.requires_grad}, grad_fn = ${c.grad_fn}`);
