/**
 * float32 optimizer steps, bit for bit: every element of every step of every float32
 * trajectory fixture must equal the reference exactly, and the suite prints, per fixture
 * and optimizer, the fraction of elements that are bit-identical.
 *
 * expected values: tools/fixtures/optim_float32.py (lengths 7, 16, 33 and 100, so PyTorch's
 * vectorised body and scalar tail both run): torch 1.13's own trajectories for SGD,
 * Adagrad, Adadelta, Rprop and ASGD; for Adam, AdamW, Adamax, NAdam, RAdam and RMSprop,
 * whose op sequence changed after 1.13, the numpy op model of current PyTorch
 * (tools/fixtures/optim_reference.py), which reproduces torch 1.13 bit for bit when run
 * with 1.13's op sequence. The float32 cases of the per-optimizer fixtures
 * (tools/fixtures/optim_<name>.py) are counted and checked too.
 */
import { afterAll, describe, expect, it } from "vitest";
import { optim } from "gradlab";
import { fixture } from "../helpers.ts";
import { type MakeOptimizer, type TrajectoryCase, runCase } from "./trajectory_cases.ts";

type Optimizers = Record<string, { source: string; cases: (TrajectoryCase & { optimizer: string })[] }>;
const { optimizers } = fixture<{ optimizers: Optimizers }>("optim/float32_steps");

const classes = optim as unknown as Record<string, new (groups: never, options: never) => ReturnType<MakeOptimizer>>;
const makeFor =
  (name: string): MakeOptimizer =>
  (groups, options) =>
    new classes[name]!(groups as never, options as never);

/** The per-optimizer fixtures whose float32 cases are counted, by class name. */
const PER_OPTIMIZER: Record<string, string> = {
  SGD: "sgd",
  Adagrad: "adagrad",
  Adadelta: "adadelta",
  Rprop: "rprop",
  ASGD: "asgd",
  RMSprop: "rmsprop",
  Adam: "adam",
  AdamW: "adamw",
  Adamax: "adamax",
  NAdam: "nadam",
  RAdam: "radam",
};

const tally = new Map<string, { same: number; total: number }>();

/** Runs a case and returns the elements that differ from fround(expected), as [step, param, index]. */
function differences(name: string, c: TrajectoryCase, fixtureName: string): number[][] {
  const { trajectory } = runCase(makeFor(name), c);
  const bad: number[][] = [];
  let total = 0;
  trajectory.forEach((params, k) =>
    params.forEach((values, p) =>
      values.forEach((v, i) => {
        total++;
        if (!Object.is(v, Math.fround(c.expected[k]![p]![i]!))) bad.push([k, p, i]);
      }),
    ),
  );
  const row = tally.get(`${fixtureName} ${name}`) ?? { same: 0, total: 0 };
  row.same += total - bad.length;
  row.total += total;
  tally.set(`${fixtureName} ${name}`, row);
  return bad;
}

describe.each(Object.keys(optimizers))("%s in float32", (name) => {
  it.each(optimizers[name]!.cases)("is bit-identical to its reference at every step: $name", (c) => {
    expect(differences(name, c, "float32_steps").slice(0, 5)).toEqual([]);
  });
});

describe.each(Object.keys(PER_OPTIMIZER))("%s's own fixture in float32", (name) => {
  const { cases } = fixture<{ cases: TrajectoryCase[] }>(`optim/${PER_OPTIMIZER[name]}`);
  it.each(cases.filter((c) => c.dtype === "float32"))("is bit-identical to its reference at every step: $name", (c) => {
    expect(differences(name, c, `${PER_OPTIMIZER[name]}.json`).slice(0, 5)).toEqual([]);
  });
});

afterAll(() => {
  const lines = [...tally].map(([key, { same, total }]) => `  ${key.padEnd(28)} ${same}/${total} = ${((100 * same) / total).toFixed(2)}%`);
  console.log(`float32 optimizer steps, bit-identical elements per fixture:\n${lines.join("\n")}`);
});
