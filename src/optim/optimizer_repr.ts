/**
 * An optimizer's printout, as PyTorch's `Optimizer.__repr__`: the class name, then each
 * group's options sorted by name, valued as Python prints them.
 */
import { formatNumber } from "./checks.ts";
import type { ParamGroup } from "./param_group.ts";

/** A value as Python prints it in the printout (numbers, tuples, None, booleans). */
export function formatValue(value: unknown): string {
  if (typeof value === "number") return formatNumber(value);
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (Array.isArray(value)) return `(${value.map(formatValue).join(", ")})`;
  return String(value);
}

/**
 * The printout of an optimizer of class `name` with these groups:
 * `SGD (\nParameter Group 0\n    dampening: 0\n    lr: 0.1\n …)`.
 */
export function optimizerRepr(name: string, groups: readonly ParamGroup[]): string {
  let out = `${name} (`;
  groups.forEach((group, i) => {
    out += `\nParameter Group ${i}\n`;
    for (const key of Object.keys(group).sort()) {
      if (key !== "params") out += `    ${key}: ${formatValue(group[key])}\n`;
    }
  });
  return `${out})`;
}
