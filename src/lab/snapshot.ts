/**
 * Everything a trial run can change in a model, its optimizer and the random streams, saved
 * so that it can be put back bit for bit, into the same objects: `lab.lr_finder` trains for
 * a hundred steps and then leaves the model, the optimizer and the generators as it found
 * them (the same tensors holding the same bits, so references held elsewhere stay valid).
 *
 * ```text
 * model      every module's `training` flag; every parameter and buffer slot: which tensor
 *            it holds and that tensor's memory, layout and `.grad` (its tensor and memory)
 * optimizer  every param group's options (arrays such as betas copied), the per-parameter
 *            `state` (which parameters have state, each value: numbers, tensors' memory,
 *            arrays and records walked to the leaves), the scheduler's `_opt_called` flag,
 *            and every group parameter's memory and `.grad`
 * streams    the state of each given generator (the default one: shuffles, dropout)
 * ```
 */
import type { Module } from "../nn/module.ts";
import type { Optimizer } from "../optim/optimizer.ts";
import type { Generator } from "../tensor/generator.ts";
import { Tensor } from "../tensor/tensor.ts";

/** Puts one saved thing back. */
type Restore = () => void;

/** Saves a tensor's memory, layout and gradient; restoring writes them back into the same tensor. */
function saveTensor(t: Tensor): Restore {
  const { data, storage } = t;
  const bits = storage.buffer.slice();
  const grad = t.grad;
  const restoreGrad = grad === null ? null : saveTensor(grad);
  return () => {
    t.data = data;
    t.storage = storage;
    storage.buffer.set(bits);
    if (t.grad !== grad) t.grad = grad;
    restoreGrad?.();
  };
}

/**
 * Saves a state value down to its leaves (numbers, strings, tensors' memory, arrays, plain
 * records); restoring gives back the same value: the same array and record objects, with
 * their saved contents, and the same tensors with their saved memory.
 */
function saveValue(value: unknown): { value: unknown; restore: Restore } {
  if (value instanceof Tensor) return { value, restore: saveTensor(value) };
  if (value instanceof Float32Array || value instanceof Float64Array) {
    const bits = value.slice();
    return { value, restore: () => value.set(bits) };
  }
  if (Array.isArray(value)) {
    const items = value.map(saveValue);
    return {
      value,
      restore: () => {
        value.length = 0;
        for (const item of items) {
          item.restore();
          value.push(item.value);
        }
      },
    };
  }
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const entries = Object.entries(record).map(([key, v]) => [key, saveValue(v)] as const);
    return {
      value,
      restore: () => {
        for (const key of Object.keys(record)) delete record[key];
        for (const [key, saved] of entries) {
          saved.restore();
          record[key] = saved.value;
        }
      },
    };
  }
  return { value, restore: () => {} };
}

/** Saves every module's mode and every parameter and buffer slot of `model`. */
function saveModel(model: Module): Restore[] {
  const out: Restore[] = [];
  for (const module of model.modules()) {
    const training = module.training;
    out.push(() => {
      module.training = training;
    });
    const fields = module as unknown as Record<string, unknown>;
    for (const [name, t] of [...module._parameters(), ...module._buffers()]) {
      const restoreTensor = t === null ? null : saveTensor(t);
      out.push(() => {
        if (fields[name] !== t) fields[name] = t;
        restoreTensor?.();
      });
    }
  }
  return out;
}

/** Saves the optimizer's groups' options, its per-parameter state and its parameters. */
function saveOptimizer(optimizer: Optimizer): Restore[] {
  const out: Restore[] = [];
  const groups = optimizer.param_groups;
  const savedGroups = groups.map((group) => {
    const options = Object.entries(group)
      .filter(([key]) => key !== "params")
      .map(([key, v]) => [key, saveValue(v)] as const);
    const params = group.params.slice();
    return { group, params, options };
  });
  out.push(() => {
    optimizer.param_groups = groups;
    groups.length = 0;
    for (const { group, params, options } of savedGroups) {
      const record = group as unknown as Record<string, unknown>;
      for (const key of Object.keys(record)) if (key !== "params") delete record[key];
      for (const [key, saved] of options) {
        saved.restore();
        record[key] = saved.value;
      }
      group.params.length = 0;
      group.params.push(...params);
      groups.push(group);
    }
  });
  for (const { params } of savedGroups) for (const p of params) out.push(saveTensor(p));
  const state = optimizer.state;
  const entries = [...state.entries()].map(([param, s]) => [param, saveValue(s)] as const);
  out.push(() => {
    optimizer.state = state;
    state.clear();
    for (const [param, saved] of entries) {
      saved.restore();
      state.set(param, saved.value as object);
    }
  });
  const flags = optimizer as unknown as Record<string, unknown>;
  const hadFlag = Object.hasOwn(flags, "_opt_called");
  const flag = flags._opt_called;
  out.push(() => {
    if (hadFlag) flags._opt_called = flag;
    else delete flags._opt_called;
  });
  return out;
}

/**
 * Saves what a trial run on `model` with `optimizer` can change, and the state of each
 * generator in `generators`; returns the function that puts it all back.
 */
export function saveTrainingState(model: Module, optimizer: Optimizer, generators: readonly Generator[]): Restore {
  const restores = [...saveModel(model), ...saveOptimizer(optimizer)];
  for (const g of new Set(generators)) {
    const state = g.get_state();
    restores.push(() => g.set_state(state));
  }
  return () => {
    for (const restore of restores) restore();
  };
}
