/**
 * Python's "Did you mean" for a misspelt name: the candidate CPython would suggest, for the
 * TypeErrors of declared signatures (signature.ts) and the optimizers' option checks.
 */

/**
 * Python's "Did you mean" candidate (CPython's `_suggestions`: a Levenshtein distance with
 * cost 2 per edit and 1 per change of case, within (|a| + |b| + 3)·2/6), or undefined.
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestCost = Infinity;
  for (const candidate of candidates) {
    const limit = Math.floor(((name.length + candidate.length + 3) * 2) / 6);
    const cost = editCost(name, candidate);
    if (cost <= limit && cost < bestCost) {
      best = candidate;
      bestCost = cost;
    }
  }
  return best;
}

function editCost(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => 2 * j);
  for (let i = 1; i <= a.length; i++) {
    const row = [2 * i];
    for (let j = 1; j <= b.length; j++) {
      const x = a[i - 1]!;
      const y = b[j - 1]!;
      const substitute = x === y ? 0 : x.toLowerCase() === y.toLowerCase() ? 1 : 2;
      row.push(Math.min(previous[j]! + 2, row[j - 1]! + 2, previous[j - 1]! + substitute));
    }
    previous = row;
  }
  return previous[b.length]!;
}
