/**
 * The prose and examples of the docs pages that tools/docs_pages.ts builds: what each
 * optimizer and scheduler is for, and the example each page runs. Everything else on a
 * page (the algorithm, the defaults, the printed values, the figure) comes from the code.
 */
import type { Tensor } from "../src/index.ts";
import { optim } from "../src/index.ts";
import type { Optimizer } from "../src/optim/optimizer.ts";
import type { SGD } from "../src/optim/sgd.ts";

type Make = (params: Tensor[]) => Optimizer;

export interface OptimizerDoc {
  name: string;
  file: string;
  intro: string;
  notes?: string;
  exampleIntro: string;
  /** JavaScript with gradlab's names in scope; the last line is `console.log(value);`. */
  example: string;
  names?: string[];
  /** Trajectories to draw on the 2-D quadratic: a label and a way to make the optimizer. */
  figure?: [string, Make][];
  /** Instead, losses per step to draw on a matrix problem (for Muon), and what they show. */
  matrixFigure?: [string, Make][];
  figureText?: string;
}

export interface SchedulerDoc {
  name: string;
  file: string;
  intro: string;
  notes?: string;
  exampleIntro: string;
  example: string;
  make: (opt: SGD) => { step(...args: never[]): unknown };
  figureCaption: string;
  epochs?: number;
  /** ReduceLROnPlateau's metric at each epoch. */
  metric?: (epoch: number) => number;
}

/** Three steps of `name` with `options` from fixed gradients, in float64. */
const fixedGradients = (name: string, options: string): string => `const w = tensor([1, -2], { dtype: "float64", requires_grad: true });
const opt = new optim.${name}([w], ${options});
const path = [];
for (const g of [[0.5, -1], [0.25, 0.5], [-0.5, 1]]) {
  w.grad = tensor(g, { dtype: "float64" });
  opt.step();
  path.push(w.tolist());
}
console.log(path);`;

const fixedIntro = (what: string): string =>
  `Three steps on the parameter w = [1, −2] from fixed gradients [0.5, −1], [0.25, 0.5], [−0.5, 1], in float64, ${what}; it prints w after each step. The printed values are what gradlab computes; the tests check the same algorithm against PyTorch over 20-step trajectories.`;

export const OPTIMIZERS: OptimizerDoc[] = [
  {
    name: "SGD",
    file: "sgd",
    intro: `Stochastic gradient descent moves each parameter against its gradient, scaled by the learning rate. Plain SGD is memoryless, so it zig-zags across narrow valleys; **momentum** keeps a running buffer of past gradients that damps the zig-zag and speeds up travel along the valley, and **Nesterov** momentum looks ahead along the buffer before taking the gradient step. Weight decay adds λ·θ to the gradient (an L2 penalty).`,
    exampleIntro: fixedIntro("with momentum 0.9 and Nesterov"),
    example: fixedGradients("SGD", "{ lr: 0.1, momentum: 0.9, nesterov: true }"),
    figure: [
      ["lr 0.15", (p) => new optim.SGD(p, { lr: 0.15 })],
      ["lr 0.05, momentum 0.9", (p) => new optim.SGD(p, { lr: 0.05, momentum: 0.9 })],
      ["lr 0.05, Nesterov 0.9", (p) => new optim.SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true })],
    ],
  },
  {
    name: "Adam",
    file: "adam",
    intro: `Adam keeps two running averages per element: m of the gradient (the first moment, a momentum) and v of the squared gradient (the second moment). Each element's step is m divided by √v, so every coordinate moves at a similar pace whatever the scale of its gradient. Both averages start at zero and are biased towards it in the first steps; the bias corrections 1 − β1ᵗ and 1 − β2ᵗ undo that. \`amsgrad\` uses the running maximum of v, and \`decoupled_weight_decay\` turns Adam into AdamW.`,
    notes:
      "The box is grouped as PyTorch's single-tensor loop computes it: the step size γ/(1 − β1ᵗ) and the denominator √v/√(1 − β2ᵗ) + ε are formed separately. The textbook form with m̂ = m/(1 − β1ᵗ) and v̂ = v/(1 − β2ᵗ) gives γ·m̂/(√v̂ + ε), which is the same number only algebraically: the roundings differ.",
    exampleIntro: fixedIntro("with lr 0.1"),
    example: fixedGradients("Adam", "{ lr: 0.1 }"),
    figure: [
      ["lr 0.1", (p) => new optim.Adam(p, { lr: 0.1 })],
      ["lr 0.3", (p) => new optim.Adam(p, { lr: 0.3 })],
      ["lr 0.1, amsgrad", (p) => new optim.Adam(p, { lr: 0.1, amsgrad: true })],
    ],
  },
  {
    name: "AdamW",
    file: "adamw",
    intro: `AdamW is Adam with **decoupled** weight decay (Loshchilov & Hutter): instead of adding λ·θ to the gradient, where Adam's per-element scaling would shrink the penalty for elements with large gradients, it multiplies the parameter by 1 − γλ before the Adam step, so every weight decays at the same rate. Its default weight_decay is 1e-2.`,
    exampleIntro: fixedIntro("with lr 0.1 and weight_decay 0.1"),
    example: fixedGradients("AdamW", "{ lr: 0.1, weight_decay: 0.1 }"),
    figure: [
      ["lr 0.1", (p) => new optim.AdamW(p, { lr: 0.1 })],
      ["lr 0.1, weight_decay 1", (p) => new optim.AdamW(p, { lr: 0.1, weight_decay: 1 })],
    ],
  },
  {
    name: "Adamax",
    file: "adamax",
    intro: `Adamax replaces Adam's second moment by an exponentially weighted infinity norm u = max(β2·u, |g| + ε): the step is m/u, bounded by the learning rate, and no bias correction of u is needed.`,
    exampleIntro: fixedIntro("with lr 0.1"),
    example: fixedGradients("Adamax", "{ lr: 0.1 }"),
    figure: [
      ["lr 0.1", (p) => new optim.Adamax(p, { lr: 0.1 })],
      ["lr 0.3", (p) => new optim.Adamax(p, { lr: 0.3 })],
    ],
  },
  {
    name: "NAdam",
    file: "nadam",
    intro: `NAdam is Adam with Nesterov momentum (Dozat): the step mixes the current gradient and the momentum as if looking one step ahead, with a momentum coefficient μₜ that warms up over the first steps (\`momentum_decay\`). \`decoupled_weight_decay\` gives the decoupled (AdamW-style) decay.`,
    exampleIntro: fixedIntro("with lr 0.1"),
    example: fixedGradients("NAdam", "{ lr: 0.1 }"),
    figure: [
      ["lr 0.1", (p) => new optim.NAdam(p, { lr: 0.1 })],
      ["lr 0.3", (p) => new optim.NAdam(p, { lr: 0.3 })],
    ],
  },
  {
    name: "RAdam",
    file: "radam",
    intro: `RAdam (rectified Adam) addresses the large variance of Adam's adaptive step in the first iterations: while the length of the approximated simple moving average ρₜ is at most 5, it takes un-adapted momentum steps, and afterwards it multiplies the adaptive step by a rectification term rₜ.`,
    exampleIntro: fixedIntro("with lr 0.1 (the first steps are the un-adapted ones)"),
    example: fixedGradients("RAdam", "{ lr: 0.1 }"),
    figure: [
      ["lr 0.1", (p) => new optim.RAdam(p, { lr: 0.1 })],
      ["lr 0.3", (p) => new optim.RAdam(p, { lr: 0.3 })],
    ],
  },
  {
    name: "Adagrad",
    file: "adagrad",
    intro: `Adagrad divides each element's step by the square root of the sum of all its past squared gradients: rarely updated (sparse) features keep large steps while frequent ones slow down. The sum only grows, so the effective learning rate keeps shrinking, which suits convex problems and hurts long non-convex training (RMSprop and Adam use decaying averages instead).`,
    exampleIntro: fixedIntro("with lr 0.5"),
    example: fixedGradients("Adagrad", "{ lr: 0.5 }"),
    figure: [
      ["lr 0.5", (p) => new optim.Adagrad(p, { lr: 0.5 })],
      ["lr 1.5", (p) => new optim.Adagrad(p, { lr: 1.5 })],
    ],
  },
  {
    name: "Adadelta",
    file: "adadelta",
    intro: `Adadelta (Zeiler) keeps decaying averages of both the squared gradients and the squared updates, and scales each step by the ratio of their roots, so the update has the units of the parameter; PyTorch still multiplies by lr (default 1.0).`,
    exampleIntro: fixedIntro("with lr 1"),
    example: fixedGradients("Adadelta", "{ lr: 1 }"),
    figure: [
      ["lr 1", (p) => new optim.Adadelta(p, { lr: 1 })],
      ["lr 10", (p) => new optim.Adadelta(p, { lr: 10 })],
    ],
  },
  {
    name: "RMSprop",
    file: "rmsprop",
    intro: `RMSprop (Hinton) divides each step by the root of a decaying average of squared gradients, so steep and flat directions move at similar speeds without Adagrad's ever-shrinking rate. \`centered\` subtracts the squared running mean of the gradient (an estimate of the variance), and \`momentum\` adds a momentum buffer on the scaled step.`,
    exampleIntro: fixedIntro("with lr 0.01 and alpha 0.9"),
    example: fixedGradients("RMSprop", "{ lr: 0.01, alpha: 0.9 }"),
    figure: [
      ["lr 0.05", (p) => new optim.RMSprop(p, { lr: 0.05 })],
      ["lr 0.02, momentum 0.9", (p) => new optim.RMSprop(p, { lr: 0.02, momentum: 0.9 })],
      ["lr 0.05, centered", (p) => new optim.RMSprop(p, { lr: 0.05, centered: true })],
    ],
  },
  {
    name: "Rprop",
    file: "rprop",
    intro: `Rprop (resilient backpropagation) uses only the sign of each gradient element: every element has its own step size, which grows by η+ while the gradient keeps its sign and shrinks by η− when it flips (a jump over a minimum), within \`step_sizes\`. It is meant for full-batch training, where gradient signs are reliable.`,
    exampleIntro: fixedIntro("with lr 0.1"),
    example: fixedGradients("Rprop", "{ lr: 0.1 }"),
    figure: [
      ["lr 0.1", (p) => new optim.Rprop(p, { lr: 0.1 })],
      ["lr 0.3, etas [0.3, 1.5]", (p) => new optim.Rprop(p, { lr: 0.3, etas: [0.3, 1.5] })],
    ],
  },
  {
    name: "ASGD",
    file: "asgd",
    intro: `Averaged SGD (Polyak–Juditsky averaging) takes SGD steps with a slowly decaying step size η and, from step t0 on, keeps the running average \`ax\` of the iterates, which converges faster than the iterates themselves on noisy convex problems. The averaged parameters live in the optimizer state, not in the model.`,
    exampleIntro: fixedIntro("with lr 0.1 and t0 1, so averaging starts at once"),
    example: fixedGradients("ASGD", "{ lr: 0.1, t0: 1 }"),
    figure: [
      ["lr 0.15", (p) => new optim.ASGD(p, { lr: 0.15 })],
      ["lr 0.15, lambd 0.01", (p) => new optim.ASGD(p, { lr: 0.15, lambd: 0.01 })],
    ],
  },
  {
    name: "LBFGS",
    file: "lbfgs",
    intro: `L-BFGS is a quasi-Newton method: it builds an approximation of the inverse Hessian from the last \`history_size\` pairs of parameter and gradient differences, and steps along the resulting direction. One \`step(closure)\` runs up to \`max_iter\` iterations, calling the closure (which recomputes the loss and gradients) as often as it needs; with \`line_search_fn: "strong_wolfe"\` each iteration searches for a step satisfying the strong Wolfe conditions. It works on full batches of smooth problems.`,
    exampleIntro:
      "One `step` minimising f(w) = (w₀ − 3)² + 10·(w₁ + 1)² from [1, −2] in float64, with a strong Wolfe line search; the closure recomputes the loss each time L-BFGS asks for it.",
    example: `const w = tensor([1, -2], { dtype: "float64", requires_grad: true });
const opt = new optim.LBFGS([w], { line_search_fn: "strong_wolfe" });
const target = tensor([3, -1], { dtype: "float64" });
const scale = tensor([1, 10], { dtype: "float64" });
const closure = () => {
  opt.zero_grad();
  const loss = w.sub(target).pow(2).mul(scale).sum();
  loss.backward();
  return loss;
};
opt.step(closure);
console.log(w.tolist());`,
    figure: [
      ["lr 1", (p) => new optim.LBFGS(p, { lr: 1, max_iter: 1 })],
      ["strong Wolfe", (p) => new optim.LBFGS(p, { max_iter: 1, line_search_fn: "strong_wolfe" })],
    ],
  },
  {
    name: "Adafactor",
    file: "adafactor",
    intro: `Adafactor (Shazeer & Stern) saves memory on matrices: instead of a full second-moment estimate it keeps one running average per row and one per column and rebuilds the estimate from their outer product. The averaging weight decays with the step (β2ₜ = 1 − t^beta2_decay), the step is relative to the parameter's RMS (\`eps\` pair), and there is no first moment. This follows current PyTorch's \`torch.optim.Adafactor\`.`,
    exampleIntro: fixedIntro("with lr 0.1"),
    example: fixedGradients("Adafactor", "{ lr: 0.1 }"),
    figure: [
      ["lr 0.1", (p) => new optim.Adafactor(p, { lr: 0.1 })],
      ["lr 0.3", (p) => new optim.Adafactor(p, { lr: 0.3 })],
    ],
  },
  {
    name: "Muon",
    file: "muon",
    intro: `Muon updates 2-D weight matrices with an orthogonalised momentum: it keeps a (Nesterov) momentum of the gradient and replaces it by the nearest semi-orthogonal matrix, computed by a few Newton–Schulz iterations with tuned coefficients, so every direction of the update has the same size. It is for hidden-layer matrices only; PyTorch (and gradlab) reject other shapes. \`adjust_lr_fn\` rescales the lr by the matrix shape.`,
    notes:
      "PyTorch runs the Newton–Schulz iterations on a bfloat16 copy; gradlab has no bfloat16 and runs them in the parameter's dtype, so its Muon agrees with PyTorch's published algorithm exactly (checked against a float64 reference) but with PyTorch's bfloat16 numbers only to about three digits.",
    exampleIntro:
      "Three steps on a 2×2 weight matrix from fixed gradients, in float64, with lr 0.1 and the default weight_decay 0.1; it prints w after each step.",
    example: `const w = tensor([[1, -2], [0.5, 3]], { dtype: "float64", requires_grad: true });
const opt = new optim.Muon([w], { lr: 0.1 });
const path = [];
for (const g of [[[0.5, -1], [0.2, 0.1]], [[0.25, 0.5], [-0.3, 0.2]], [[-0.5, 1], [0.1, -0.4]]]) {
  w.grad = tensor(g, { dtype: "float64" });
  opt.step();
  path.push(w.tolist());
}
console.log(path);`,
    matrixFigure: [
      ["Muon lr 0.05", (p) => new optim.Muon(p, { lr: 0.05, weight_decay: 0 })],
      ["Muon lr 0.1", (p) => new optim.Muon(p, { lr: 0.1, weight_decay: 0 })],
      ["SGD lr 0.1", (p) => new optim.SGD(p, { lr: 0.1 })],
    ],
    figureText: `The loss ½‖W‖² before each of 60 steps from the same 3×4 matrix W₀ (weight_decay 0), drawn by tools/docs_pages.ts from a real run, on a log scale. The gradient is W itself, so SGD shrinks every singular value of W by the same factor each step and the loss falls geometrically. Muon's update has all its singular values near 1 whatever the gradient's size, so each singular value of W moves by about lr per step: the loss falls steadily but not geometrically. Near the minimum the steps do not shrink with the gradient, so W overshoots, and the default momentum 0.95 carries it well past and back (the lr 0.1 curve after step 30): Muon wants a decaying lr at the end of training. Muon's strength is elsewhere: in a network's hidden layers the gradient's singular values span orders of magnitude, and equalising them lets the rare directions learn.`,
  },
  {
    name: "SparseAdam",
    file: "sparse_adam",
    intro: `SparseAdam is the lazy Adam for sparse gradients, as \`nn.Embedding(..., { sparse: true })\` and \`F.embedding(..., { sparse: true })\` produce them: each step moves only the rows its gradient names, and only their moments decay, so a row that is not looked up keeps its weights and its history. A dense gradient is refused at \`step()\` with PyTorch's message (use \`Adam\` there).`,
    exampleIntro:
      "An embedding of four rows, looked up at rows 1, 3 and 1 again: the sparse gradient names rows 1 and 3 (row 1's two lookups summed), and one step moves those two rows only.",
    example: `const emb = new nn.Embedding(4, 2, { sparse: true, _weight: tensor([[0, 0], [1, 1], [2, 2], [3, 3]], { dtype: "float64" }), dtype: "float64" });
const opt = new optim.SparseAdam(emb.parameters(), { lr: 0.1 });
emb.forward([1, 3, 1]).mul(tensor([[1, -1], [2, 2], [0.5, 0.5]], { dtype: "float64" })).sum().backward();
console.log(emb.weight.grad.to_dense().tolist());
opt.step();
console.log(emb.weight.tolist());`,
    names: ["nn", "optim", "tensor"],
  },
];

/** An example of the standard loop for a scheduler made by `construct` (SGD with lr 0.1). */
const loop = (construct: string, epochs: number): string => `const w = tensor([1], { requires_grad: true });
const opt = new optim.SGD([w], { lr: 0.1 });
const scheduler = ${construct};
const lrs = [];
for (let epoch = 0; epoch < ${epochs}; epoch++) {
  lrs.push(scheduler.get_last_lr()[0]);
  opt.step();
  scheduler.step();
}
console.log(lrs);`;

const loopIntro = (epochs: number): string =>
  `The learning rate used in each of the first ${epochs} epochs of the standard loop (\`optimizer.step()\`, then \`scheduler.step()\`), for SGD with lr 0.1. The tests check every scheduler's trajectory against PyTorch.`;

const S = optim.lr_scheduler;

export const SCHEDULERS: SchedulerDoc[] = [
  {
    name: "LambdaLR",
    file: "lambda_lr",
    intro:
      "LambdaLR sets each group's lr to its initial lr times a function of the epoch that you supply (one function, or one per group): the most general closed-form schedule, often used for warmup.",
    exampleIntro: loopIntro(6) + " Here a linear warmup over 4 epochs.",
    example: loop("new optim.lr_scheduler.LambdaLR(opt, (epoch) => Math.min(1, (epoch + 1) / 4))", 6),
    make: (opt) => new S.LambdaLR(opt, (e) => Math.min(1, (e + 1) / 10) * 0.97 ** e),
    figureCaption: "lr_lambda = min(1, (e+1)/10)·0.97ᵉ (warmup then decay)",
  },
  {
    name: "MultiplicativeLR",
    file: "multiplicative_lr",
    intro:
      "MultiplicativeLR multiplies each group's current lr by a factor you compute from the epoch, at every step (chainable, unlike LambdaLR which starts from the initial lr each time).",
    exampleIntro: loopIntro(5) + " Each step multiplies the lr by 0.9.",
    example: loop("new optim.lr_scheduler.MultiplicativeLR(opt, () => 0.9)", 5),
    make: (opt) => new S.MultiplicativeLR(opt, (e) => (e % 10 === 0 ? 0.7 : 1)),
    figureCaption: "lr_lambda = 0.7 every 10th epoch, else 1",
  },
  {
    name: "StepLR",
    file: "step_lr",
    intro: "StepLR multiplies the lr by `gamma` every `step_size` epochs: the classic staircase decay.",
    exampleIntro: loopIntro(7) + " The lr drops by 10x every 3 epochs.",
    example: loop("new optim.lr_scheduler.StepLR(opt, 3, { gamma: 0.1 })", 7),
    make: (opt) => new S.StepLR(opt, 15, { gamma: 0.5 }),
    figureCaption: "step_size 15, gamma 0.5",
  },
  {
    name: "MultiStepLR",
    file: "multi_step_lr",
    intro: "MultiStepLR multiplies the lr by `gamma` at each of the given milestone epochs; a milestone listed twice multiplies twice.",
    exampleIntro: loopIntro(6) + " Milestones at epochs 2 and 4.",
    example: loop("new optim.lr_scheduler.MultiStepLR(opt, [2, 4], { gamma: 0.5 })", 6),
    make: (opt) => new S.MultiStepLR(opt, [20, 35, 35, 50], { gamma: 0.5 }),
    figureCaption: "milestones [20, 35, 35, 50], gamma 0.5 (35 twice)",
  },
  {
    name: "ConstantLR",
    file: "constant_lr",
    intro: "ConstantLR multiplies the lr by a constant `factor` for the first `total_iters` epochs, then restores it: a crude warmup.",
    exampleIntro: loopIntro(5),
    example: loop("new optim.lr_scheduler.ConstantLR(opt, { factor: 0.5, total_iters: 3 })", 5),
    make: (opt) => new S.ConstantLR(opt, { factor: 0.25, total_iters: 20 }),
    figureCaption: "factor 0.25, total_iters 20",
  },
  {
    name: "LinearLR",
    file: "linear_lr",
    intro:
      "LinearLR changes the lr's multiplier linearly from `start_factor` to `end_factor` over `total_iters` epochs, then keeps it: the usual linear warmup (or linear decay).",
    exampleIntro: loopIntro(6),
    example: loop("new optim.lr_scheduler.LinearLR(opt, { start_factor: 0.25, total_iters: 4 })", 6),
    make: (opt) => new S.LinearLR(opt, { start_factor: 0.1, total_iters: 25 }),
    figureCaption: "start_factor 0.1, total_iters 25",
  },
  {
    name: "ExponentialLR",
    file: "exponential_lr",
    intro: "ExponentialLR multiplies the lr by `gamma` every epoch: a smooth geometric decay.",
    exampleIntro: loopIntro(4),
    example: loop("new optim.lr_scheduler.ExponentialLR(opt, 0.5)", 4),
    make: (opt) => new S.ExponentialLR(opt, 0.95),
    figureCaption: "gamma 0.95",
  },
  {
    name: "PolynomialLR",
    file: "polynomial_lr",
    intro: "PolynomialLR decays the lr to zero over `total_iters` epochs following (1 − t/total_iters)^power, then keeps it at zero.",
    exampleIntro: loopIntro(6),
    example: loop("new optim.lr_scheduler.PolynomialLR(opt, { total_iters: 4, power: 2 })", 6),
    make: (opt) => new S.PolynomialLR(opt, { total_iters: 50, power: 2 }),
    figureCaption: "total_iters 50, power 2",
  },
  {
    name: "CosineAnnealingLR",
    file: "cosine_annealing_lr",
    intro:
      "CosineAnnealingLR follows half a cosine from the initial lr down to `eta_min` over `T_max` epochs (and back up if training continues). PyTorch computes it recursively from the previous lr at each step; its closed form serves `step(epoch)`, and a test keeps the two together.",
    exampleIntro: loopIntro(5),
    example: loop("new optim.lr_scheduler.CosineAnnealingLR(opt, 4)", 5),
    make: (opt) => new S.CosineAnnealingLR(opt, 40, { eta_min: 0.01 }),
    figureCaption: "T_max 40, eta_min 0.01 (the curve rises again after epoch 40)",
  },
  {
    name: "CosineAnnealingWarmRestarts",
    file: "cosine_annealing_warm_restarts",
    intro:
      "CosineAnnealingWarmRestarts (SGDR) runs cosine annealing cycles that restart at the initial lr, the i-th cycle lasting T_0·T_multⁱ epochs; `step(epoch)` accepts fractional epochs to anneal within an epoch.",
    exampleIntro: loopIntro(6),
    example: loop("new optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, 3)", 6),
    make: (opt) => new S.CosineAnnealingWarmRestarts(opt, 10, { T_mult: 2 }),
    figureCaption: "T_0 10, T_mult 2 (cycles of 10, 20, 40 epochs)",
  },
  {
    name: "CyclicLR",
    file: "cyclic_lr",
    intro:
      "CyclicLR (Smith) cycles the lr between `base_lr` and `max_lr` every batch: triangular, triangular2 (amplitude halves each cycle) or exp_range (amplitude decays by gamma^iteration), or your own `scale_fn`. With `cycle_momentum` it cycles SGD's momentum (or Adam's β1) the opposite way.",
    exampleIntro: loopIntro(6) + " (CyclicLR is meant to step every batch.)",
    notes:
      "**Plain SGD gets momentum.** `cycle_momentum` is on by default, so CyclicLR writes the `momentum` of every group: 0.9 (`max_momentum`) at construction and at each lr trough, 0.8 (`base_momentum`) at each lr peak. An `SGD(params, { lr })` made without momentum therefore trains with momentum between 0.8 and 0.9, as in PyTorch (the momentum figure below is from such a run's schedule). Pass `cycle_momentum: false` to keep the optimizer's own momentum; an optimizer with neither `momentum` nor `betas` in its defaults makes CyclicLR throw unless you do.",
    example: loop("new optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1, { step_size_up: 2, cycle_momentum: false })", 6),
    make: (opt) => new S.CyclicLR(opt, 0.01, 0.1, { step_size_up: 10, mode: "triangular2" }),
    figureCaption: "base_lr 0.01, max_lr 0.1, step_size_up 10, triangular2",
  },
  {
    name: "OneCycleLR",
    file: "one_cycle_lr",
    intro:
      "OneCycleLR (Smith & Topin) warms the lr up from max_lr/div_factor to `max_lr` over the first `pct_start` of training, then anneals it to max_lr/(div_factor·final_div_factor) (cosine or linear), optionally in three phases, cycling momentum the opposite way. It needs the total number of steps and throws if stepped past it.",
    exampleIntro: loopIntro(5),
    example: loop("new optim.lr_scheduler.OneCycleLR(opt, 0.1, { total_steps: 6 })", 5),
    make: (opt) => new S.OneCycleLR(opt, 0.1, { total_steps: 60 }),
    figureCaption: "max_lr 0.1, total_steps 60, cosine annealing",
  },
  {
    name: "SequentialLR",
    file: "sequential_lr",
    intro:
      "SequentialLR hands control from one scheduler to the next at the given milestone epochs, e.g. a warmup followed by a decay. Each scheduler starts its own count when it takes over.",
    exampleIntro: loopIntro(6) + " Two epochs of constant warmup, then exponential decay.",
    example: loop(
      "new optim.lr_scheduler.SequentialLR(opt, [new optim.lr_scheduler.ConstantLR(opt, { factor: 0.5, total_iters: 2 }), new optim.lr_scheduler.ExponentialLR(opt, 0.9)], [2])",
      6,
    ),
    notes:
      "**Each phase starts again from the initial rate.** At a milestone SequentialLR sets the next scheduler's `last_epoch` to 0 and takes its closed form, computed from `base_lrs` (each group's `initial_lr`), where it has one (current PyTorch calls `_update_lr(0)`; torch 1.13 called `step(0)`, with the same rates and a deprecation warning). So StepLR, MultiStepLR, ConstantLR, LinearLR, ExponentialLR, PolynomialLR and CosineAnnealingLR begin their phase at the initial rate, not where the previous phase left it, and LambdaLR computes from `base_lrs` anyway; MultiplicativeLR, which has no closed form, multiplies the current rate instead. Switching schedulers by hand continues from the current rate. [Tutorial 06](../tutorials/06_multi_stage_training.md) draws both with [`lab.preview_schedule`](../lab/preview_schedule.md), and the tests check them against PyTorch.",
    make: (opt) => new S.SequentialLR(opt, [new S.LinearLR(opt, { start_factor: 0.1, total_iters: 10 }), new S.CosineAnnealingLR(opt, 50)], [10]),
    figureCaption: "LinearLR warmup for 10 epochs, then CosineAnnealingLR(T_max 50)",
  },
  {
    name: "ChainedScheduler",
    file: "chained_scheduler",
    intro:
      "ChainedScheduler steps several chainable schedulers together at every step, so their multiplicative effects combine (e.g. a warmup factor times an exponential decay).",
    exampleIntro: loopIntro(5) + " ConstantLR's factor and ExponentialLR's decay apply together.",
    example: loop(
      "new optim.lr_scheduler.ChainedScheduler([new optim.lr_scheduler.ConstantLR(opt, { factor: 0.5, total_iters: 2 }), new optim.lr_scheduler.ExponentialLR(opt, 0.9)])",
      5,
    ),
    make: (opt) => new S.ChainedScheduler([new S.ConstantLR(opt, { factor: 0.2, total_iters: 10 }), new S.ExponentialLR(opt, 0.97)]),
    figureCaption: "ConstantLR(0.2 for 10 epochs) chained with ExponentialLR(0.97)",
  },
  {
    name: "ReduceLROnPlateau",
    file: "reduce_lr_on_plateau",
    intro:
      "ReduceLROnPlateau watches a metric you pass to `step(metric)` (a validation loss, say) and multiplies the lr by `factor` when it has not improved by more than `threshold` for `patience` epochs, then waits `cooldown` epochs before watching again; lrs never go below `min_lr`.",
    exampleIntro: "A metric that stops improving after epoch 2; with patience 1 the lr drops after two epochs without improvement.",
    example: `const w = tensor([1], { requires_grad: true });
const opt = new optim.SGD([w], { lr: 0.1 });
const scheduler = new optim.lr_scheduler.ReduceLROnPlateau(opt, { patience: 1, factor: 0.5 });
const lrs = [];
for (const loss of [1.0, 0.8, 0.7, 0.7, 0.7, 0.7, 0.7]) {
  opt.step();
  scheduler.step(loss);
  lrs.push(scheduler.get_last_lr()[0]);
}
console.log(lrs);`,
    make: (opt) => new S.ReduceLROnPlateau(opt, { patience: 5, factor: 0.5 }),
    metric: (e) => Math.max(1 / (1 + e), 1 / 15) + (e % 2) * 1e-6,
    figureCaption: "patience 5, factor 0.5, a loss that stops improving at epoch 14",
  },
  {
    name: "SWALR",
    file: "swalr",
    intro:
      "SWALR anneals each group's lr to a constant `swa_lr` over `anneal_epochs` (cosine or linear) and then holds it, as stochastic weight averaging wants: a constant, fairly high lr while `AveragedModel` averages the weights.",
    exampleIntro: loopIntro(5),
    example: loop("new optim.swa_utils.SWALR(opt, 0.05, { anneal_epochs: 3 })", 5),
    make: (opt) => new optim.swa_utils.SWALR(opt, 0.02, { anneal_epochs: 20 }),
    figureCaption: "swa_lr 0.02, anneal_epochs 20, cosine",
  },
];
