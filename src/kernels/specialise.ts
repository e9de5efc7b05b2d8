let copies = 0;

/** What esbuild's `__name(fn, name)` does, minus the name: the function itself (see {@link specialise}). */
const keepName = <T>(fn: T): T => fn;

/**
 * A private copy of a loop function, compiled from the same source.
 *
 * Kernels take their per-element function `f` as an argument. When one loop serves many
 * kernels, V8 sees many different `f` at the call site and stops inlining it, which makes
 * every elementwise op several times slower. Giving each kernel its own copy of the loop
 * (made distinct by a trailing comment, or V8 would reuse the cached compilation) keeps
 * each call site monomorphic, so `f` is inlined as if the loop were written by hand.
 *
 * The loop must reference only its parameters and globals such as `Math`. One exception is
 * made for the loader: tsx (esbuild's keepNames) rewrites a named inner function as
 * `__name(f, "f")`, a helper of the module that the copy cannot see, so the copy gets a
 * `__name` of its own that returns the function as it is.
 */
export function specialise<F extends (...args: never[]) => unknown>(loop: F): F {
  return compile(loop.toString()) as F;
}

/** A private copy of the function whose source is `source` (see {@link specialise}); `name` labels it in a debugger's list of scripts. */
function compile(source: string, name = ""): unknown {
  const label = name === "" ? "" : `\n//# sourceURL=gradlab-${name}-${copies}.js`;
  return new Function("__name", `return (${source}); // copy ${copies++}${label}`)(keepName);
}

import type { Rounding } from "./rounding.ts";

/** How a {@link LoopFamily} lays its loops out in two lanes. */
export interface LaneOptions {
  /** The family's name in a debugger's list of scripts (`gradlab-<name>-<copy>.js`): "adam", "sgd" … */
  name: string;
}

/**
 * How many times {@link LoopFamily.make} runs a new loop on small arrays before its first real
 * call. V8 allocates a function's feedback vector only after it has run a budget of bytecode;
 * a loop that does one iteration per warm call (two elements per iteration, as Adam's) may
 * not have reached it after a dozen calls, and its first real call then leaves the entry
 * code without feedback: the optimised code deoptimises there ("insufficient type feedback",
 * bytecode offset 2) and the loop keeps running its slower on-stack-replacement code.
 */
const WARM_CALLS = 40;

/**
 * The specialised loops of one optimizer, made from one source: `family.get(key)` is the
 * loop for an option set (the key packs dtype and options into a small integer), and
 * `family.make(key, settings)` builds it the first time, from a private copy of `factory`
 * called with those settings. A loop takes its arrays first (`arrays` of them, the
 * parameter's elements first), then its scalars.
 *
 * The factory reads its settings into `const`s and returns the loop as a closure over
 * them. Because each copy makes exactly one closure, V8 compiles that closure with its
 * context as constants: the option tests fold away and the rounding functions inline, so
 * every (dtype, option set) runs its own monomorphic loop with no option branch inside.
 * A variant with one more setting (`family.variant(key, bit, changes)`) is made from the
 * same source the same way: the traced loops of `lab.inspect`, which also record the named
 * terms of the elements they update (src/optim/step_trace.ts).
 *
 * A family made with {@link LaneOptions} (`new LoopFamily(arrays, factory, { name })`)
 * compiles its factory's one `for` loop in two lanes, two elements per iteration
 * ({@link twoLanes}): the factory's loop is written per element, as a plain loop, and
 * is what runs, unchanged, if the factory is called directly.
 *
 * Two habits keep the compiled loop that tight from the first step on:
 * - the loop starts by unboxing its scalar arguments once (`eps *= 1`): V8 otherwise checks
 *   and unboxes a number argument at every use, inside the loop;
 * - `make` runs the new loop a few times on fresh two-element arrays of the dtype (three
 *   in two lanes, so the odd element's tail runs too; scalars 0.5, so the feedback says
 *   "number", not "small integer") before the real call. A new function runs its first call without type feedback, so the first long loop would be compiled while
 *   the code before the loop has none: the optimised code then deoptimises at its first
 *   instruction on the next call, and the loop keeps running in the slower on-stack-
 *   replacement code (which is compiled without the constant context) for many steps.
 */
export class LoopFamily<S extends { rounding: Rounding }, L extends (...args: never[]) => void> {
  private readonly loops: (L | undefined)[] = [];
  private readonly settings: (S | undefined)[] = [];
  private readonly arrays: number;
  private readonly factory: (settings: S) => L;
  private readonly lanes: LaneOptions | null;
  /** The factory's source as compiled: its own, or its two-lane form (made on the first `make`). */
  private source: string | null = null;

  /**
   * `lanes`, when given, makes every loop of the family from the two-lane form of the
   * factory's one `for` loop ({@link twoLanes}): the optimizer writes its loop once, per
   * element, and each (dtype, option set) runs two elements per iteration.
   */
  constructor(arrays: number, factory: (settings: S) => L, lanes: LaneOptions | null = null) {
    this.arrays = arrays;
    this.factory = factory;
    this.lanes = lanes;
  }

  /** The loop made for `key`, if any. */
  get(key: number): L | undefined {
    return this.loops[key];
  }

  /** Makes (once), warms and returns the loop for `key` from `settings`. */
  make(key: number, settings: S): L {
    this.source ??= this.lanes === null ? this.factory.toString() : twoLanes(this.factory.toString());
    const loop = (compile(this.source, this.lanes?.name) as (settings: S) => L)(settings);
    const Elements = settings.rounding.round === Math.fround ? Float32Array : Float64Array;
    // two lanes: three elements, so that the pair loop and the odd element's tail both run before the real call
    const length = this.lanes === null ? 2 : 3;
    const args = Array.from({ length: loop.length }, (_, i) => (i < this.arrays ? new Elements(length).fill(0.5) : 0.5));
    const run = loop as unknown as (...a: unknown[]) => void;
    for (let i = 0; i < WARM_CALLS; i++) run(...args);
    this.loops[key] = loop;
    this.settings[key] = settings;
    return loop;
  }

  /**
   * The variant of the loop made for `key` whose settings differ by `changes`, kept under
   * `key | bit` (a bit no option uses): the traced loops of `lab.inspect`.
   */
  variant(key: number, bit: number, changes: Partial<S>): L {
    const base = this.settings[key];
    if (base === undefined) throw new Error(`no loop was made for key ${key}`);
    return this.get(key | bit) ?? this.make(key | bit, { ...base, ...changes });
  }
}

/**
 * The two-lane form of a loop function's one `for` loop, as source text: what
 * {@link LoopFamily} compiles when made with {@link LaneOptions} (print it with
 * `console.log(twoLanes(factory.toString()))` to read what runs).
 *
 * Why: in float32 each element of an optimizer step is a chain of some twenty dependent
 * roundings (FMA checks, a square root, divisions). One element's chain alone leaves the
 * core mostly idle; two independent chains written side by side overlap (0.78–0.86× the
 * time here). V8 keeps the statements of a chain near where they are written, so the
 * overlap has to be in the source: each statement of lane a followed by the same
 * statement of lane b.
 *
 * The loop is written once, per element, as a plain loop that is correct as it stands:
 *
 * ```ts
 * for (let i = 0; i < theta.length; i++) {
 *   const gi = g[i]!;
 *   const mi = fma(k, round(gi - m[i]!), m[i]!);
 *   m[i] = mi;
 * }
 * ```
 * and becomes, with every name declared in the body (and the index) suffixed `$b` in lane b:
 *
 * ```js
 * { const n$lanes = theta.length, last$lanes = n$lanes - 1;
 *   for (let i$lanes = 0; i$lanes < last$lanes; i$lanes += 2) {
 *     const i = i$lanes, i$b = i$lanes + 1;
 *     const gi = g[i];            const gi$b = g[i$b];
 *     const mi = fma(…gi…);       const mi$b = fma(…gi$b…);
 *     m[i] = mi;                  m[i$b] = mi$b;
 *   }
 *   if (n$lanes % 2 === 1) { const i = last$lanes; …the body once… } }  // an odd length's last element
 * ```
 * (one statement a line in the real output). The lanes are two different elements, each
 * running its own statements in their written order, so any elementwise body keeps its
 * meaning, whatever it reads and writes.
 *
 * What the body may hold, so that this textual copy is sound (anything else throws when
 * the family is built, naming what it found): declarations `const`/`let` of plain names,
 * expression statements, `if`/`else` and blocks; no nested loops, functions or arrows,
 * `return`/`break`/`continue`, template literals or regular expressions. Names are found
 * in the code itself, not by convention, so the output of a minifier works too. Object
 * keys and `.property` names are left alone (`{ g: gi, grad }` becomes
 * `{ g: gi$b, grad: grad$b }` in lane b).
 */
export function twoLanes(source: string): string {
  const tokens = tokenize(source);
  const loops = tokens.filter((t, k) => t.text === "for" && tokens[k - 1]?.text !== ".");
  if (loops.length !== 1) throw new Error(`a laned loop function has exactly one for loop, found ${loops.length}`);
  let at = tokens.indexOf(loops[0]!);
  const start = tokens[at]!.start;
  // for ( let I = 0 ; I < BOUND ; I++ ) {
  const expect = (...texts: string[]): string => {
    const t = tokens[++at];
    if (t === undefined || (texts.length > 0 && !texts.includes(t.text)))
      throw new Error(`a laned loop reads for (let i = 0; i < n; i++) { … }, found "${t?.text}"`);
    return t.text;
  };
  expect("(");
  expect("let", "var");
  const index = expect();
  expect("=");
  expect("0");
  expect(";");
  expect(index);
  expect("<");
  const boundFrom = at + 1;
  at = skipTo(tokens, boundFrom, ";");
  const bound = source.slice(tokens[boundFrom]!.start, tokens[at - 1]!.end);
  const headerEnd = skipTo(tokens, at + 1, ")");
  const increment = tokens
    .slice(at + 1, headerEnd)
    .map((t) => t.text)
    .join(" ");
  if (![`${index} ++`, `++ ${index}`, `${index} += 1`].includes(increment)) throw new Error(`a laned loop counts ${index}++, found "${increment}"`);
  at = headerEnd + 1;
  if (tokens[at]?.text !== "{") throw new Error("a laned loop's body is a block { … }");
  const close = matching(tokens, at);
  const body = tokens.slice(at + 1, close);
  const banned = body.find((t) => BANNED.has(t.text));
  if (banned !== undefined) throw new Error(`a laned loop's body has no "${banned.text}" (see twoLanes)`);
  const statements = splitStatements(body);
  const renamed = new Set([index, ...statements.flatMap(declaredNames)]);
  const names = new Set(tokens.filter((t) => t.kind === "name").map((t) => t.text));
  for (const name of [...[...renamed].map((n) => `${n}$b`), "n$lanes", "last$lanes", "i$lanes"]) {
    if (names.has(name)) throw new Error(`a laned loop may not use the name ${name} (twoLanes makes it)`);
  }
  const lane = (s: Token[], b: boolean): string => {
    const text = b ? laneB(source, s, renamed) : source.slice(s[0]!.start, s.at(-1)!.end);
    return [";", "}"].includes(s.at(-1)!.text) ? text : `${text};`; // a minifier's last statement has no `;`
  };
  const pair = statements.flatMap((s) => [lane(s, false), lane(s, true)]);
  const single = statements.map((s) => lane(s, false));
  const loop = [
    `{ const n$lanes = ${bound}, last$lanes = n$lanes - 1;`,
    "for (let i$lanes = 0; i$lanes < last$lanes; i$lanes += 2) {",
    `const ${index} = i$lanes, ${index}$b = i$lanes + 1;`,
    ...pair,
    "}",
    `if (n$lanes % 2 === 1) { const ${index} = last$lanes;`,
    ...single,
    "} }",
  ].join("\n");
  return source.slice(0, start) + loop + source.slice(tokens[close]!.end);
}

/** What a laned loop's body may not contain: constructs a textual copy of each statement could change the meaning of. */
const BANNED = new Set(["for", "while", "do", "function", "=>", "return", "break", "continue", "switch", "try", "class", "yield", "await", "`"]);

interface Token {
  text: string;
  kind: "name" | "number" | "string" | "punctuation";
  start: number;
  end: number;
}

const SPACE = /(?:\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/)+/y;
const PATTERNS: [Token["kind"], RegExp][] = [
  ["string", /"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/y],
  ["number", /(?:0[xXoObB][\da-fA-F_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?)n?/y],
  ["name", /[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*/uy],
  [
    "punctuation",
    /\?\.(?!\d)|>>>=|\.\.\.|===|!==|\*\*=|<<=|>>=|>>>|&&=|\|\|=|\?\?=|=>|==|!=|<=|>=|&&|\|\||\?\?|\+\+|--|\+=|-=|\*=|\/=|%=|&=|\|=|\^=|\*\*|<<|>>|[{}()[\];,<>+\-*/%&|^!~?:=.@`#]/y,
  ],
];

/** JavaScript source as tokens (no regular expression literals: `/` is division; a backtick is a token of its own, refused in a body). */
function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    SPACE.lastIndex = at;
    if (SPACE.test(source)) at = SPACE.lastIndex;
    if (at >= source.length) break;
    const found = PATTERNS.find(([, pattern]) => {
      pattern.lastIndex = at;
      return pattern.test(source);
    });
    if (found === undefined) throw new Error(`twoLanes cannot read the source at "${source.slice(at, at + 20)}"`);
    const end = found[1].lastIndex;
    tokens.push({ text: source.slice(at, end), kind: found[0], start: at, end });
    at = end;
  }
  return tokens;
}

const OPEN = new Set(["(", "[", "{"]);
const CLOSE = new Set([")", "]", "}"]);

/** The index of the bracket that closes the one at `open`. */
function matching(tokens: Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    if (OPEN.has(tokens[k]!.text)) depth++;
    else if (CLOSE.has(tokens[k]!.text) && --depth === 0) return k;
  }
  throw new Error("twoLanes: unbalanced brackets");
}

/** The index of the first `text` at bracket depth 0 from `from`, or of the bracket that closes an enclosing one (or the end). */
function skipTo(tokens: Token[], from: number, text: string): number {
  let k = from;
  while (k < tokens.length && tokens[k]!.text !== text && !CLOSE.has(tokens[k]!.text)) k = OPEN.has(tokens[k]!.text) ? matching(tokens, k) + 1 : k + 1;
  return k;
}

/** The end (exclusive) of the statement that starts at `from`: a block, an if/else, or up to its `;`. */
function statementEnd(tokens: Token[], from: number): number {
  const first = tokens[from]!.text;
  if (first === "{") return matching(tokens, from) + 1;
  if (first === "if") {
    let end = statementEnd(tokens, matching(tokens, from + 1) + 1);
    if (tokens[end]?.text === "else") end = statementEnd(tokens, end + 1);
    return end;
  }
  return Math.min(skipTo(tokens, from, ";") + 1, tokens.length);
}

/** The statements of a body, each as its tokens. */
function splitStatements(tokens: Token[]): Token[][] {
  const statements: Token[][] = [];
  for (let k = 0; k < tokens.length; ) {
    const end = statementEnd(tokens, k);
    statements.push(tokens.slice(k, end));
    k = end;
  }
  return statements;
}

/** Every name a statement declares with const, let or var, at any depth of its blocks. */
function declaredNames(statement: Token[]): string[] {
  const names: string[] = [];
  statement.forEach((t, k) => {
    if (!["const", "let", "var"].includes(t.text) || statement[k - 1]?.text === ".") return;
    // declarators: a name, then anything up to a comma at this depth, until the statement's `;`
    const end = skipTo(statement, k + 1, ";");
    for (let d = k + 1; d < end; ) {
      const name = statement[d]!;
      if (name.kind !== "name") throw new Error(`a laned loop declares plain names, found "${name.text}"`);
      names.push(name.text);
      d = skipTo(statement.slice(0, end), d, ",") + 1;
    }
  });
  return names;
}

/** Tokens after which `{` opens a block, not an object literal. */
const BEFORE_BLOCK = new Set([")", "else", ";", "{", "}"]);

/** Lane b's copy of a statement (as written in `source`): every name in `renamed` suffixed `$b`, except object keys and property names. */
function laneB(source: string, statement: Token[], renamed: Set<string>): string {
  const objects: boolean[] = []; // for each open bracket: is it an object literal's brace?
  let out = "";
  statement.forEach((t, k) => {
    const before = statement[k - 1]?.text;
    out += source.slice(k === 0 ? t.start : statement[k - 1]!.end, t.start);
    if (OPEN.has(t.text)) objects.push(t.text === "{" && before !== undefined && !BEFORE_BLOCK.has(before));
    if (CLOSE.has(t.text)) objects.pop();
    if (t.kind !== "name" || !renamed.has(t.text) || before === "." || before === "?.") {
      out += t.text;
      return;
    }
    const after = statement[k + 1]?.text;
    const keyPlace = objects.at(-1) === true && (before === "{" || before === ",");
    if (keyPlace && after === ":") out += t.text;
    else if (keyPlace && (after === "," || after === "}")) out += `${t.text}: ${t.text}$b`;
    else out += `${t.text}$b`;
  });
  return out;
}
