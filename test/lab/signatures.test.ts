/**
 * `lab.signatures`: the declared PyTorch signatures, as Python's `inspect.signature` shows
 * them. Expected values: the signatures in PyTorch's current docs (torch.optim.Adam,
 * torch.optim.lr_scheduler.StepLR), copied by hand.
 */
import { lab, optim } from "gradlab";
import { describe, expect, it } from "vitest";

/** A signature written as Python prints it: `(params, lr=0.001, …, *, foreach=None, …)`. */
function pythonStyle(name: string): string {
  const sig = lab.signatures.get(name);
  if (sig === undefined) throw new Error(`no signature ${name}`);
  const py = (v: unknown): string =>
    v === null ? "None" : v === true ? "True" : v === false ? "False" : Array.isArray(v) ? `(${v.join(", ")})` : typeof v === "string" ? `'${v}'` : String(v);
  const parts: string[] = [];
  let star = false;
  for (const p of sig.parameters) {
    if (p.keywordOnly && !star) {
      parts.push("*");
      star = true;
    }
    parts.push(p.required ? p.name : `${p.name}=${py(p.default)}`);
  }
  return `(${parts.join(", ")})`;
}

describe("lab.signatures", () => {
  it("gives Adam's signature as PyTorch declares it", () => {
    // torch.optim.Adam(params, lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0, amsgrad=False, *, foreach=None,
    //                  maximize=False, capturable=False, differentiable=False, fused=None, decoupled_weight_decay=False)
    expect(pythonStyle("Adam.__init__")).toBe(
      "(params, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *, foreach=None, maximize=False, capturable=False, differentiable=False, fused=None, decoupled_weight_decay=False)",
    );
  });

  it("gives StepLR's signature as PyTorch declares it", () => {
    // torch.optim.lr_scheduler.StepLR(optimizer, step_size, gamma=0.1, last_epoch=-1)
    expect(pythonStyle("StepLR.__init__")).toBe("(optimizer, step_size, gamma=0.1, last_epoch=-1)");
  });

  it("holds the constructor of every optimizer in optim", () => {
    const optimizers = Object.entries(optim)
      .filter(([name, value]) => typeof value === "function" && value.prototype instanceof optim.Optimizer && name !== "Optimizer")
      .map(([name]) => name);
    expect(optimizers.length).toBeGreaterThan(10);
    expect(optimizers.filter((name) => !lab.signatures.has(`${name}.__init__`))).toEqual([]);
  });
});
