import { describe, expect, it } from "vitest";
import {
  arrayOf,
  boolean,
  closestName,
  formatCall,
  keyword,
  nullable,
  number,
  oneOf,
  optional,
  required,
  signature,
  tuple,
} from "../../src/utils/signature.ts";
import { fixture } from "../helpers.ts";

// expected messages: tools/fixtures/calls.py, Python 3.11's own TypeErrors for a function
// declared as `step_lr(optimizer, step_size, gamma=0.1, last_epoch=-1)` and `flagged(a, *, b=1)`
const { python_messages } = fixture<{ python_messages: { name: string; message: string }[] }>("optim/calls");

const stepLr = signature("step_lr", [
  required("optimizer", number),
  required("step_size", number),
  optional("gamma", number, 0.1),
  optional("last_epoch", number, -1),
]);
const flagged = signature("flagged", [required("a", number), keyword("b", number, 1)]);

const WRONG_CALLS: Record<string, () => unknown> = {
  "unexpected keyword": () => stepLr.parse([1, 2, { gama: 3 }]),
  "too many positional": () => stepLr.parse([1, 2, 3, 4, 5]),
  "multiple values": () => stepLr.parse([1, 2, { step_size: 3 }]),
  "one missing": () => stepLr.parse([1]),
  "two missing": () => stepLr.parse([]),
  "keyword-only given positionally": () => flagged.parse([1, 2]),
};

describe("signature", () => {
  it.each(python_messages)("throws Python's TypeError for a call with $name", ({ name, message }) => {
    expect(WRONG_CALLS[name]).toThrow(TypeError);
    expect(WRONG_CALLS[name]).toThrow(message);
  });

  it("adds Python 3.13's did-you-mean to an unexpected keyword close to a parameter's name", () => {
    expect(() => stepLr.parse([1, 2, { gama: 3 }])).toThrow("step_lr() got an unexpected keyword argument 'gama'. Did you mean 'gamma'?");
    expect(() => stepLr.parse([1, 2, { zzz: 3 }])).toThrow(/argument 'zzz'$/);
    expect(closestName("eta_mn", ["T_max", "eta_min", "last_epoch"])).toBe("eta_min");
    expect(closestName("patiance", ["patience", "factor"])).toBe("patience");
    expect(closestName("Gamma", ["gamma"])).toBe("gamma");
  });

  it("binds positional, mixed and by-name calls to the same values", () => {
    const expected = { optimizer: 1, step_size: 30, gamma: 0.5, last_epoch: -1 };
    expect(stepLr.parse([1, 30, 0.5])).toEqual(expected);
    expect(stepLr.parse([1, 30, { gamma: 0.5 }])).toEqual(expected);
    expect(stepLr.parse([1, { step_size: 30, gamma: 0.5 }])).toEqual(expected);
    expect(stepLr.parse([{ optimizer: 1, step_size: 30, gamma: 0.5 }])).toEqual(expected);
  });

  it("takes the default for an undefined argument or key, and keeps null as None", () => {
    const s = signature("f", [optional("a", nullable(number), 2), optional("b", number, 3)]);
    expect(s.parse([undefined, 4])).toEqual({ a: 2, b: 4 });
    expect(s.parse([{ a: undefined }])).toEqual({ a: 2, b: 3 });
    expect(s.parse([null])).toEqual({ a: null, b: 3 });
  });

  it.each([
    { value: "0.5", got: 'string "0.5"' },
    { value: NaN, got: "NaN" },
    { value: [0.5], got: "array [0.5]" },
    { value: true, got: "boolean true" },
    { value: () => 0.5, got: "a function" },
    { value: new Map(), got: "a Map" },
  ])("rejects $got where a number belongs, naming the argument, expected and received", ({ value, got }) => {
    expect(() => stepLr.parse([1, 30, value])).toThrow(`step_lr(): argument 'gamma' must be a number, but got ${got}`);
    expect(() => stepLr.parse([1, 30, { gamma: value }])).toThrow(TypeError);
  });

  it("checks tuples, arrays, choices and booleans element by element", () => {
    const s = signature("g", [
      optional("betas", tuple(number, number), [0.9, 0.999]),
      optional("ms", arrayOf(number), []),
      optional("mode", oneOf("min", "max"), "min"),
      optional("flag", boolean, false),
    ]);
    expect(() => s.parse([[0.9]])).toThrow("g(): argument 'betas' must be [number, number], but got array [0.9]");
    expect(() => s.parse([[0.9, "x"]])).toThrow("argument 'betas'");
    expect(() => s.parse([{ ms: [1, "2"] }])).toThrow("argument 'ms' must be an array of numbers");
    expect(() => s.parse([{ mode: "mean" }])).toThrow(`argument 'mode' must be "min" or "max", but got string "mean"`);
    expect(() => s.parse([{ flag: 1 }])).toThrow("argument 'flag' must be a boolean, but got number 1");
  });

  it("copies array values, so a caller's array is never aliased", () => {
    const betas: [number, number] = [0.8, 0.9];
    const s = signature("h", [optional("betas", tuple(number, number), [0.9, 0.999])]);
    const a = s.parse([betas]);
    const b = s.parse([]);
    expect(a.betas).toEqual(betas);
    expect(a.betas).not.toBe(betas);
    expect(b.betas).not.toBe(s.parse([]).betas);
  });

  it("shows the call as TypeScript writes it, keyword-only parameters in the trailing object", () => {
    expect(formatCall(signature("StepLR.__init__", stepLr.parameters))).toBe("new StepLR(optimizer, step_size, gamma = 0.1, last_epoch = -1)");
    expect(formatCall(flagged)).toBe("flagged(a, { b = 1 })");
  });
});
