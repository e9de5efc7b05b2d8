/**
 * The ways a PyTorch call can be written in gradlab, derived from its declared signature:
 * for `x.sum(dim=1, keepdim=True)` the forms `x.sum({ dim: 1, keepdim: true })`,
 * `x.sum(1, { keepdim: true })` and `x.sum(1, true)`; for a list taken as varargs
 * (`x.view(size=(2, 3))`) the forms `x.view(2, 3)`, `x.view([2, 3])` and `x.view({ size: [2, 3] })`.
 */
import type { Parameter, Signature } from "../../src/utils/signature.ts";

/** One written form of a call: a label for the test name and its arguments. */
export interface Form {
  label: string;
  args: unknown[];
}

const show = (v: unknown): string =>
  v !== null && typeof v === "object" && "shape" in v
    ? "t"
    : JSON.stringify(v, (_, x: unknown) => (x !== null && typeof x === "object" && "shape" in x ? "t" : x));

const formOf = (args: unknown[]): Form => ({ label: `(${args.map(show).join(", ")})`, args });

/**
 * Every form of a call whose arguments are `binding` (by name, as Python's keywords): the first
 * k positional parameters given positionally (a parameter left out before a given one takes
 * its default), the rest in a trailing options object, for k = 0 up to the last given one.
 */
export function callForms(sig: Signature<readonly Parameter[]>, binding: Record<string, unknown>): Form[] {
  const positional = sig.parameters.filter((p) => !p.keywordOnly);
  const lastGiven = positional.reduce((last, p, i) => (p.name in binding ? i : last), -1);
  const forms: Form[] = [];
  for (let k = 0; k <= lastGiven + 1; k++) {
    const prefix = positional.slice(0, k).map((p) => (p.name in binding ? binding[p.name] : p.default));
    const rest = Object.fromEntries(Object.entries(binding).filter(([name]) => !positional.slice(0, k).some((p) => p.name === name)));
    forms.push(formOf(Object.keys(rest).length > 0 || k === 0 ? [...prefix, rest] : prefix));
  }
  if (Object.keys(binding).length === 0) forms.push(formOf([]));
  return forms;
}

/** The forms of a call whose first parameter, `list`, may be given as varargs: varargs, one array, by name. */
export function listForms(list: string, binding: Record<string, unknown>): Form[] {
  const values = binding[list] as number[];
  const rest = Object.fromEntries(Object.entries(binding).filter(([name]) => name !== list));
  const options = Object.keys(rest).length > 0 ? [rest] : [];
  return [formOf([...values, ...options]), formOf([values, ...options]), formOf([binding])];
}
