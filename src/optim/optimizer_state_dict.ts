/**
 * An optimizer's `state_dict()` and `load_state_dict` in PyTorch's layout: `state` keyed
 * by each parameter's position (counted across groups in order), `param_groups` with those
 * positions in `params`. The JSON form of the values is in `state_dict.ts`.
 */
import type { Tensor } from "../tensor/tensor.ts";
import type { ParamGroup } from "./param_group.ts";
import { type Plain, fromPlain, toPlain } from "./state_dict.ts";

/** The state of an optimizer as `state_dict()` returns it, in PyTorch's layout, JSON-ready. */
export interface StateDict {
  /** Per-parameter state keyed by the parameter's position across all groups. */
  state: Record<number, Record<string, Plain>>;
  /** The groups' options, with `params` replaced by those positions. */
  param_groups: Array<Record<string, Plain> & { params: number[] }>;
}

/** The groups and the per-parameter state written as a {@link StateDict}. */
export function packStateDict<G extends ParamGroup, S>(groups: readonly G[], perParam: ReadonlyMap<Tensor, S>): StateDict {
  const index = new Map<Tensor, number>();
  const param_groups = groups.map((group) => {
    const packed: Record<string, Plain> = {};
    for (const [key, value] of Object.entries(group)) if (key !== "params") packed[key] = toPlain(value);
    const params = group.params.map((p) => {
      if (!index.has(p)) index.set(p, index.size);
      return index.get(p)!;
    });
    return { ...packed, params };
  });
  const state: Record<number, Record<string, Plain>> = {};
  for (const [param, s] of perParam) {
    const position = index.get(param);
    if (position !== undefined) state[position] = toPlain(s) as Record<string, Plain>;
  }
  return { state, param_groups };
}

/**
 * The groups and per-parameter state a {@link StateDict} describes for an optimizer whose
 * groups are `groups`: groups are matched by position and size, state tensors are copied
 * and cast to their parameter's dtype. Throws PyTorch's messages; changes nothing itself.
 */
export function unpackStateDict<G extends ParamGroup, S>(groups: readonly G[], sd: StateDict): { param_groups: G[]; state: Map<Tensor, S> } {
  const saved = sd.param_groups;
  if (groups.length !== saved.length) throw new Error("loaded state dict has a different number of parameter groups");
  if (groups.some((g, i) => g.params.length !== saved[i]!.params.length)) {
    throw new Error("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
  }
  const byPosition = new Map<number, Tensor>();
  saved.forEach((g, i) => g.params.forEach((position, j) => byPosition.set(Number(position), groups[i]!.params[j]!)));
  const state = new Map<Tensor, S>();
  for (const [key, value] of Object.entries(sd.state)) {
    const param = byPosition.get(Number(key));
    if (param !== undefined) state.set(param, fromPlain(value, param.dtype) as S);
  }
  const param_groups = saved.map((g, i) => {
    const group = fromPlain(g) as Record<string, unknown>;
    group.params = groups[i]!.params;
    if (groups[i]!.param_names !== undefined && group.param_names === undefined) group.param_names = groups[i]!.param_names;
    return group as unknown as G;
  });
  return { param_groups, state };
}
