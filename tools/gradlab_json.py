"""Saves what a PyTorch run computed as JSON in gradlab's layout, for tests that check gradlab
against PyTorch (docs/testing_against_pytorch.md walks through one). Needs only torch.

    import sys; sys.path.insert(0, "tools")
    from gradlab_json import save
    save("test/fixtures/my_run.json", {"w": w, "optimizer": opt.state_dict(), "scheduler": sched.state_dict()})

gradlab's layout, which `load_state_dict` of every gradlab optimizer and scheduler reads:
- a tensor of one or more dims is `{"dtype", "shape", "data"}`, `data` its elements in row-major
  order, its dtype "float32", "float64" or "int64" (other integer and bool dtypes become int64);
- a 0-dim tensor is a number (PyTorch keeps `step`, ASGD's `eta` and `mu`, NAdam's
  `mu_product` as 0-dim tensors; gradlab keeps them as numbers);
- tuples are arrays, None is null, dict keys are strings (`state` is keyed "0", "1", …);
- NaN and ±inf are the strings "nan", "inf", "-inf" (JSON has no such numbers);
- functions (a LambdaLR's lr_lambdas) are null, as PyTorch does not save them either.
"""
import json
import math

import torch

_DTYPES = {torch.float32: "float32", torch.float64: "float64"}


def _number(x):
    if isinstance(x, float) and not math.isfinite(x):
        return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    return x


def to_gradlab(value):
    """`value` (tensors, numbers, dicts, lists, tuples) as JSON-ready data in gradlab's layout."""
    if isinstance(value, torch.Tensor):
        t = value.detach().cpu()
        if t.dim() == 0:
            return _number(t.item())
        dtype = _DTYPES.get(t.dtype)
        if dtype is None:
            if t.dtype.is_floating_point:
                t, dtype = t.to(torch.float32), "float32"
            else:
                t, dtype = t.to(torch.int64), "int64"
        return {"dtype": dtype, "shape": list(t.shape), "data": [_number(x) for x in t.flatten().tolist()]}
    if isinstance(value, dict):
        return {str(k): to_gradlab(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_gradlab(v) for v in value]
    if isinstance(value, float):
        return _number(value)
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if callable(value):
        return None
    raise TypeError(f"cannot write a {type(value).__name__} for gradlab")


def save(path, values):
    """Writes `values` (a dict of tensors, numbers and state_dicts) to `path` as gradlab's JSON."""
    with open(path, "w") as f:
        json.dump(to_gradlab(values), f, indent=1)
        f.write("\n")
