/**
 * Text for the docs pages that tools/docs_pages.ts builds: each example's first steps worked
 * by hand (BY_HAND), so a reader can check the printed numbers with a calculator, and, where
 * a textbook or PyTorch's own docs write the method differently from the loop, how the two
 * forms relate (TEXTBOOK). The numbers quoted here come from the examples' printed output.
 */

export const BY_HAND: Record<string, string> = {
  SGD: `Step 1: the buffer starts as the gradient, b = [0.5, −1]; Nesterov adds μ·b to the gradient: [0.5 + 0.45, −1 − 0.9] = [0.95, −1.9]; θ = [1 − 0.095, −2 + 0.19] = [0.905, −1.81].

Step 2: b = 0.9·[0.5, −1] + [0.25, 0.5] = [0.7, −0.4]; g + μ·b = [0.25 + 0.63, 0.5 − 0.36] = [0.88, 0.14]; θ = [0.905 − 0.088, −1.81 − 0.014] = [0.817, −1.824]. The trailing digits of 0.8170000000000001 are float64 rounding.`,

  Adam: `Step 1: m = 0.1·g = [0.05, −0.1] and v = 0.001·g² = [0.00025, 0.001]. The step size is γ/(1 − β1) = 0.1/0.1 = 1, and √v/√(1 − β2) = √v/√0.001 = |g| = [0.5, 1], so θ moves by m/(|g| + ε) = [0.05/0.50000001, −0.1/1.00000001]: θ = [0.900000002, −1.900000001]. Adam's first step is always γ·g/(|g| + ε): about γ per element against the sign of the gradient, whatever the gradient's size.`,

  AdamW: `Step 1: the decay first scales θ by 1 − γλ = 1 − 0.1·0.1 = 0.99, giving [0.99, −1.98]; the Adam step is then the one worked on the [Adam page](adam.md), 0.1·g/(|g| + ε) ≈ [0.1, −0.1]: θ = [0.890000002, −1.880000001].`,

  Adamax: `Step 1: m = 0.1·g = [0.05, −0.1] and u = max(0, |g| + ε) = [0.50000001, 1.00000001]; the step size γ/(1 − β1) is 1, so θ moves by m/u: θ = [0.900000002, −1.900000001].

Step 2: m = 0.9·[0.05, −0.1] + 0.1·[0.25, 0.5] = [0.07, −0.04]; u = max(0.999·u, |g| + ε) = [0.4995, 0.999] (to 4 digits: the old maxima, decayed, still win); the step size is 0.1/(1 − 0.81) ≈ 0.526316, so θ ≈ [0.9 − 0.526316·0.07/0.4995, −1.9 + 0.526316·0.04/0.999] ≈ [0.826242, −1.878926].`,

  NAdam: `Step 1, with ψ = 0.004: μ = 0.9·(1 − 0.5·0.96^0.004) ≈ 0.450073 and μ' = 0.9·(1 − 0.5·0.96^0.008) ≈ 0.450147; Π = μ. As in Adam, m = [0.05, −0.1], v = [0.00025, 0.001] and d = √(v/0.001) + ε = |g| + ε. The first subtraction is γ·(1 − μ)/(1 − μ)·g/d ≈ 0.1 per element; the second is γ·μ'/(1 − μ·μ')·m/d ≈ 0.1·0.450147/0.797401·0.1 ≈ 0.005645 per element. Together θ moves by about 0.105645: θ ≈ [0.894355, −1.894355].`,

  RAdam: `ρ∞ = 2/(1 − 0.999) − 1 = 1999, and ρ = 1999 − 2t·0.999ᵗ/(1 − 0.999ᵗ) is about 1.0, 2.0, 3.0, 4.0, 5.0, 5.99 for t = 1…6: it first exceeds 5 at t = 6, so all three steps here are the plain momentum steps θ ← θ − (m/(1 − β1ᵗ))·γ.

Step 1: m = [0.05, −0.1] and m/(1 − 0.9) = g, so θ = [1 − 0.05, −2 + 0.1] = [0.95, −1.9].

Step 2: m = 0.9·[0.05, −0.1] + 0.1·[0.25, 0.5] = [0.07, −0.04]; m/0.19 ≈ [0.368421, −0.210526]; θ ≈ [0.913158, −1.878947].

Step 3: m = 0.9·[0.07, −0.04] + 0.1·[−0.5, 1] = [0.013, 0.064]; m/0.271 ≈ [0.047970, 0.236162]; θ ≈ [0.908361, −1.902564].`,

  Adagrad: `Step 1: s = g² = [0.25, 1] and γ' = γ = 0.5 (lr_decay 0), so θ moves by 0.5·g/(|g| + ε), about 0.5 per element: θ ≈ [0.5, −1.5].

Step 2: s = [0.25 + 0.0625, 1 + 0.25] = [0.3125, 1.25]; θ₀ = 0.5 − 0.5·0.25/√0.3125 ≈ 0.5 − 0.223607 = 0.276393 and θ₁ = −1.5 − 0.5·0.5/√1.25 ≈ −1.723607.`,

  Adadelta: `Step 1: v = 0.1·g² = [0.025, 0.1] and u = 0, so Δ = (√(10⁻⁶)/√(v + 10⁻⁶))·g = 0.001·[0.5/√0.025001, −1/√0.100001] ≈ [0.0031622, −0.0031623]: θ ≈ [0.996838, −1.996838]. Whatever the gradient, the first steps have size about √ε/√(1 − ρ) ≈ 0.00316: Adadelta starts slowly and speeds up as u, the average of past squared updates, grows.`,

  RMSprop: `Step 1: v = 0.1·g² = [0.025, 0.1], so √v = √0.1·|g| and θ moves by γ·g/(√0.1·|g| + ε), about 0.01/0.316228 ≈ 0.0316228 per element: θ ≈ [0.968377, −1.968377]. Like Adam's, the first step has about the same size in every element; without a bias correction it is γ/√(1 − α) rather than γ.`,

  Rprop: `Step 1: there is no previous gradient (g_prev = 0), so s = 0 and η stays at lr = 0.1: θ = [1 − 0.1, −2 + 0.1] = [0.9, −1.9].

Step 2: g·g_prev = [0.25·0.5, 0.5·(−1)] has signs [+, −]: η = [0.1·1.2, 0.1·0.5] = [0.12, 0.05], and the second element's gradient is set to 0 (it jumped over a minimum), so it does not move: θ = [0.9 − 0.12, −1.9] = [0.78, −1.9].

Step 3: g_prev = [0.25, 0] (the zeroed gradient was stored), so g·g_prev has signs [−, 0]: the first element's η halves to 0.06 and its gradient is zeroed, the second keeps η = 0.05 and moves against sign(1): θ = [0.78, −1.95].`,

  ASGD: `η starts at γ = 0.1 held as a float32 scalar, 0.100000001490116 (as PyTorch's state tensor holds it). Step 1: θ ← θ·(1 − λη) = θ·(1 − 1.0000000149·10⁻⁵), then θ ← θ − η·g: θ₀ = 0.99998999999985 − 0.0500000007 ≈ 0.9499899993 and θ₁ = −1.99998000000003 + 0.100000001490116 ≈ −1.8999799985. Since μ = 1, ax ← θ. Then η ← γ/(1 + λγ·1)^0.75 and μ ← 1/max(1, 1 − 1) = 1. The printed values are the iterates θ; the average is \`opt.state.get(w).ax\`.`,

  LBFGS: `f has its minimum at [3, −1]. At the start g = [2·(1 − 3), 20·(−2 + 1)] = [−4, −20]. The first iteration has no curvature pairs yet, so d = −g = [4, 20], and its trial step is t = min(1, 1/Σ|g|)·γ = 1/24; the strong Wolfe search then finds a step along d. Every later iteration adds a pair (y, s) and uses it to bend d towards the Newton direction; on a 2-D quadratic two pairs describe the Hessian diag(2, 20) exactly. The iterations stop once a step or a change in f falls below tolerance_change (10⁻⁹) or max|g| below tolerance_grad (10⁻⁷), which is why w ends within about 4·10⁻⁷ of [3, −1] rather than on it.`,

  Adafactor: `Step 1: t^τ = 1^−0.8 = 1, so V = lerp(V, g·g, 1) = g·g = [0.25, 1] (a vector keeps its full second moment; only matrices are factored into rows and columns). ρ = min(0.1, 1/√1) = 0.1 and a = max(10⁻³, ‖θ‖/√2)·ρ = √(5/2)·0.1 ≈ 0.158114. U = g/√V = [1, −1] has RMS 1, so nothing is clipped and θ moves by a: θ ≈ [0.841886, −1.841886]. The step is relative to the parameter's RMS, not to the gradient's size.`,

  Muon: `Step 1: B = lerp(0, g, 0.05) = 0.05·g and, with Nesterov, U = lerp(g, B, 0.95) = 0.0975·g; the normalisation by ‖X‖_F removes that scale, so O depends only on the direction of g. Write g = P·Σ·Qᵀ (its singular value decomposition): here Σ = diag(1.118, 0.224) and P·Qᵀ = [[0.447, −0.894], [0.894, 0.447]], the orthogonal polar factor. The Newton–Schulz iterations keep P and Q and push Σ towards 1; the tuned coefficients make five iterations fast rather than exact, so O = P·diag(0.797, 0.722)·Qᵀ ≈ [[0.323, −0.646], [0.713, 0.356]]: a 5 : 1 spread of singular values became 1.1 : 1. The weight decay scales θ by 1 − γλ = 1 − 0.1·0.1 = 0.99 and the 2×2 shape leaves γ' = γ, so θ₁ = 0.99·θ₀ − 0.1·O = [[0.99 − 0.0323, −1.98 + 0.0646], [0.495 − 0.0713, 2.97 − 0.0356]] ≈ [[0.9577, −1.9154], [0.4237, 2.9344]].`,

  SparseAdam: `The gradient names row 1 (lookups 0 and 2: [1, −1] + [0.5, 0.5] = [1.5, −0.5]) and row 3 ([2, 2]). Step 1 on those rows only: Δm = 0.1·g, Δv = 0.001·g², so m/(√v + ε) = 0.1·g/(0.0316·|g| + 10⁻⁸) ≈ 3.162·sign(g), and the step size is γ·√(1 − 0.999)/(1 − 0.9) ≈ 0.03162: each element of the two rows moves by almost exactly γ = 0.1 against its gradient's sign (row 1 → ≈ [0.9, 1.1], row 3 → ≈ [2.9, 2.9]), while rows 0 and 2 and their moments stay as they were.`,

  LambdaLR: `lr = 0.1·min(1, (e + 1)/4) = 0.1·¼, 0.1·½, 0.1·¾, then 0.1: 0.025, 0.05, 0.075, 0.1, 0.1, 0.1 (0.07500000000000001 is 0.1·0.75 in float64).`,

  MultiplicativeLR: `Epoch 0 runs at the initial lr, 0.1; each step then multiplies the current lr by 0.9: 0.09, 0.081, 0.0729, 0.06561 (the trailing digits are the roundings of repeated float64 products).`,

  StepLR: `lr = 0.1·0.1^⌊e/3⌋: 0.1 for epochs 0–2, 0.01 for epochs 3–5, 0.001 at epoch 6. The loop multiplies the previous lr by γ at each drop, so 0.1·0.1 prints as 0.010000000000000002.`,

  MultiStepLR: `0.1 before epoch 2; halved at the milestone 2 (0.05) and again at 4 (0.025).`,

  ConstantLR: `0.1·0.5 = 0.05 for epochs 0–2 (total_iters 3); at epoch 3 the loop divides the factor back out: 0.1.`,

  LinearLR: `The factor goes from 0.25 to 1 in 4 equal steps of 0.1875: 0.25, 0.4375, 0.625, 0.8125, 1, so lr = 0.025, 0.04375, 0.0625, 0.08125, 0.1 and then stays. The loop reaches these by multiplying the previous lr by a ratio of consecutive factors (the chainable form), 1 + 0.75/(4·0.25 + (e − 1)·0.75): 1.75 at epoch 1, for example. Each lr carries the roundings of the earlier products, which is why the last two print as 0.10000000000000002.`,

  ExponentialLR: `lr = 0.1·0.5ᵉ: 0.1, 0.05, 0.025, 0.0125.`,

  PolynomialLR: `lr = 0.1·(1 − e/4)²: 0.1·1, 0.1·0.5625, 0.1·0.25, 0.1·0.0625, then 0: 0.1, 0.05625, 0.025, 0.00625, 0, 0. The loop multiplies by ((1 − e/4)/(1 − (e − 1)/4))² at each step, so 0.025 prints as 0.024999999999999998.`,

  CosineAnnealingLR: `With η_min = 0, lr = 0.1·(1 + cos(π·e/4))/2: e = 1 gives 0.1·(1 + 0.7071068)/2 ≈ 0.0853553, e = 2 gives 0.05, e = 3 gives 0.1·(1 − 0.7071068)/2 ≈ 0.0146447, e = 4 gives 0.`,

  CosineAnnealingWarmRestarts: `T_0 = 3 and T_mult = 1, so T_cur runs 0, 1, 2, then restarts at 0: lr = 0.1·(1 + cos(π·T_cur/3))/2 = 0.1, 0.1·0.75, 0.1·0.25, then 0.1 again (cos(π/3) = 0.5, cos(2π/3) = −0.5).`,

  CyclicLR: `base_lr 0.01, max_lr 0.1 and step_size_up 2 (so step_size_down 2): the position f in the cycle runs 0, ½, 1, ½, 0, ½, and lr = 0.01 + 0.09·f = 0.01, 0.055, 0.1, 0.055, 0.01, 0.055.`,

  OneCycleLR: `initial_lr = 0.1/25 = 0.004 and min_lr = 0.004/10⁴ = 4·10⁻⁷. The warmup phase ends at step 0.3·6 − 1 = 0.8, so step 0 is its start: the cosine anneal at pct 0 computes 0.1 + (0.004 − 0.1)/2·(cos 0 + 1), which prints as 0.0040000000000000036. Steps 1–5 lie in the decay phase (0.8, 5]: pct = (t − 0.8)/4.2 and lr = min_lr + (0.1 − min_lr)/2·(cos(π·pct) + 1); at t = 1, pct ≈ 0.047619 and lr ≈ 0.0994415.`,

  SequentialLR: `ConstantLR (factor 0.5) runs epochs 0 and 1: 0.05, 0.05. At the milestone 2, ExponentialLR takes over at its own epoch 0, where its lr is the initial lr, 0.1; then it multiplies by 0.9 each epoch: 0.09, 0.081, 0.0729.`,

  ChainedScheduler: `Both schedulers act at every step: ConstantLR halves the lr for epochs 0–1 and doubles it back at epoch 2, and ExponentialLR multiplies it by 0.9 from epoch 1 on. Epoch 0: 0.1·0.5 = 0.05; epoch 1: 0.05·0.9 = 0.045; epoch 2: 0.045·2·0.9 = 0.081; then 0.0729 and 0.06561.`,

  ReduceLROnPlateau: `The losses 1.0, 0.8, 0.7 each improve on the best (below best·(1 − 10⁻⁴)); the later 0.7s do not. After the 4th value one epoch is bad, after the 5th two are, which exceeds patience 1: the lr halves to 0.05 and the count resets. The 6th value makes one bad epoch, the 7th two: 0.025.`,

  SWALR: `anneal_epochs 3 with cosine annealing: α = (1 − cos(π·s/3))/2 = 0, 0.25, 0.75, 1 for s = 0…3, and lr = 0.05·α + 0.1·(1 − α) (the start η_start stays 0.1): 0.1, 0.0875, 0.0625, 0.05, then 0.05 for good.`,
};

export const TEXTBOOK: Record<string, string> = {
  SGD: `**Two ways to write momentum.** Sutskever et al. (2013) and several other libraries put the lr inside the buffer: v ← μ·v − γ·g, θ ← θ + v. PyTorch (and gradlab) keep the lr outside: b ← μ·b + g, θ ← θ − γ·b. With a constant lr the two give the same parameters (v = −γ·b, up to rounding); when a scheduler changes the lr they differ, because PyTorch applies the new lr to the whole accumulated buffer at once.`,

  AdamW: `**The decay in the paper.** Loshchilov & Hutter write θ ← θ − ηₜ·(α·m̂/(√v̂ + ε) + λ·θ), where α is the lr and ηₜ the schedule multiplier alone, so their decay per step is ηₜ·λ. PyTorch multiplies by the lr itself, θ·(1 − γλ) with γ = α·ηₜ: the same step when λ_PyTorch = λ_paper/α, so a weight_decay value from the paper is not a weight_decay value here.`,

  Adamax: `**ε in the maximum.** Kingma & Ba's Adamax uses u ← max(β2·u, |g|) with no ε; PyTorch adds ε inside the maximum, |g| + ε, so u is never 0 even when an element's gradient has always been 0.`,

  NAdam: `**The textbook form.** PyTorch's docs (after Dozat) write one update, θ ← θ − γ·(μ'·m/(1 − Π·μ') + (1 − μ)·g/(1 − Π))/(√v̂ + ε) with v̂ = v/(1 − β2ᵗ). The loop subtracts the two terms one after the other, each with its own coefficient and divided by d = √v̂ + ε: the same number algebraically, but rounded at different places.`,

  RAdam: `**The textbook form.** PyTorch's docs write the adaptive term lₜ = √((1 − β2ᵗ)/(v + ε)) and the step θ ← θ − γ·m̂·r·lₜ with m̂ = m/(1 − β1ᵗ). The loop computes √(1 − β2ᵗ)/(√v + ε): ε outside the root, as PyTorch's code does. The two agree only when ε is negligible next to √v; and the loop's product order (m̂·γ·l·r) rounds differently from the docs' γ·m̂·r·l.`,

  RMSprop: `**Where ε goes.** PyTorch (and gradlab) add ε after the square root, √v + ε; TensorFlow and Keras add it inside, √(v + ε), so their results differ when v is tiny. Without momentum the loop computes (−γ·g)/avg, the grouping of PyTorch's addcdiv; the textbook θ − γ·g/avg is the same number only algebraically.`,

  Adadelta: `**The paper's form.** Zeiler writes Δ = (RMS[Δ]ₜ₋₁/RMS[g]ₜ)·g with RMS[x] = √(E[x²] + ε), which is the loop's √(u + ε)/√(v + ε), and has no learning rate. PyTorch multiplies by lr, whose default 1.0 gives the paper's rule.`,

  Rprop: `**Which Rprop.** This is the variant often called Rprop⁻ (Igel & Hüsken): after a sign change the gradient is set to 0, so the element does not move on that step and the next step sees s = 0. The original Rprop (Riedmiller & Braun) also undoes the previous step ("weight backtracking"); PyTorch does not.`,

  CosineAnnealingLR: `**Recursive and closed forms.** With the standard loop the code does not evaluate the closed form η_min + (η₀ − η_min)·(1 + cos(π·t/T_max))/2; it multiplies the previous lr by (1 + cos(π·t/T_max))/(1 + cos(π·(t − 1)/T_max)) (around η_min), as PyTorch does, which lets it compose with other schedulers acting on the same lr. The two agree algebraically; in floating point each recursive lr carries the roundings of all earlier steps, so their last digits can differ. \`step(epoch)\` uses the closed form.`,
};
