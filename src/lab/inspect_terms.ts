/**
 * What each optimizer's traced step records, and what each term means, in the symbols of
 * the optimizer's algorithm box (its class's doc comment): the rows of `lab.inspect`'s
 * table, in the order the loop computes them, and the one-line explanations. The tables
 * live by family: terms_sgd_family.ts, terms_adaptive.ts, terms_adam_family.ts,
 * terms_matrix.ts (Adafactor, Muon), and LBFGS's, whose terms are its iterations',
 * terms_lbfgs.ts.
 */
import type { Optimizer } from "../optim/optimizer.ts";
import { Adadelta } from "../optim/adadelta.ts";
import { Adafactor } from "../optim/adafactor.ts";
import { Adagrad } from "../optim/adagrad.ts";
import { Adam } from "../optim/adam.ts";
import { Adamax } from "../optim/adamax.ts";
import { ASGD } from "../optim/asgd.ts";
import { LBFGS } from "../optim/lbfgs.ts";
import { Muon } from "../optim/muon.ts";
import { NAdam } from "../optim/nadam.ts";
import { RAdam } from "../optim/radam.ts";
import { RMSprop } from "../optim/rmsprop.ts";
import { Rprop } from "../optim/rprop.ts";
import { SGD } from "../optim/sgd.ts";
import { SparseAdam } from "../optim/sparse_adam.ts";
import { ADAGRAD_TERMS, ADADELTA_TERMS, RMSPROP_TERMS } from "./terms_adaptive.ts";
import { ADAMAX_TERMS, ADAM_TERMS, NADAM_TERMS, RADAM_TERMS, SPARSE_ADAM_TERMS } from "./terms_adam_family.ts";
import { LBFGS_TERMS } from "./terms_lbfgs.ts";
import { ADAFACTOR_TERMS, MUON_TERMS } from "./terms_matrix.ts";
import { ASGD_TERMS, RPROP_TERMS, SGD_TERMS } from "./terms_sgd_family.ts";
import type { TermTable } from "./terms_common.ts";

export type { TermTable } from "./terms_common.ts";

/** Each traced optimizer's table, in the docs' reading order (AdamW is an Adam, as in PyTorch). */
const TABLES: [abstract new (...args: never) => Optimizer, TermTable][] = [
  [SGD, SGD_TERMS],
  [Adagrad, ADAGRAD_TERMS],
  [RMSprop, RMSPROP_TERMS],
  [Adadelta, ADADELTA_TERMS],
  [Adam, ADAM_TERMS],
  [Adamax, ADAMAX_TERMS],
  [NAdam, NADAM_TERMS],
  [RAdam, RADAM_TERMS],
  [ASGD, ASGD_TERMS],
  [Rprop, RPROP_TERMS],
  [SparseAdam, SPARSE_ADAM_TERMS],
  [LBFGS, LBFGS_TERMS],
  [Adafactor, ADAFACTOR_TERMS],
  [Muon, MUON_TERMS],
];

/** The names of the optimizers the inspector traces. */
export const TRACED = [
  "SGD",
  "Adagrad",
  "RMSprop",
  "Adadelta",
  "Adam",
  "AdamW",
  "Adamax",
  "NAdam",
  "RAdam",
  "ASGD",
  "Rprop",
  "SparseAdam",
  "LBFGS",
  "Adafactor",
  "Muon",
] as const;

/** Every traced optimizer's class name and table, in the docs' reading order (AdamW shares Adam's). */
export const termTables = (): [string, TermTable][] => TABLES.map(([Class, table]) => [Class.name, table]);

/** The term table of an optimizer the inspector supports; throws for the others. */
export function termTableOf(optimizer: Optimizer): TermTable {
  for (const [Class, table] of TABLES) if (optimizer instanceof Class) return table;
  throw new Error(`lab.inspect does not trace ${optimizer.constructor.name} (it traces ${TRACED.join(", ")})`);
}
