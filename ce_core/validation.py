"""Input checks shared by every public ce_core function.

Each check turns bad input into an :class:`InputError` whose message says
**what** is wrong, **where** (index, or row and column, counted from 0 as
NumPy does) and **how** to fix it. Checks run once, at the top of each
public function, so the math below them can assume clean arrays.
"""

from __future__ import annotations

import math

import numpy as np

#: Tolerance for "this row of probabilities sums to 1".
SUM_TOLERANCE = 1e-6

#: The clipping bound scikit-learn's ``log_loss`` uses for float64 input.
EPS = float(np.finfo(np.float64).eps)

REDUCTIONS = ("mean", "sum", "none")


class InputError(ValueError):
    """Raised for every bad input; the message says what, where and how to fix it."""


def where(index: tuple[int, ...] | int, ndim: int) -> str:
    """Describe a position in words: ``index 3`` or ``row 2, column 1``."""
    idx = tuple(int(i) for i in np.atleast_1d(index))
    if ndim <= 1:
        return f"index {idx[0]}"
    if ndim == 2:
        return f"row {idx[0]}, column {idx[1]}"
    return "position " + str(idx)


def _first(mask: np.ndarray) -> tuple[int, ...]:
    return tuple(int(i) for i in np.argwhere(mask)[0])


def _find_non_number(x) -> str:
    """Name the first element of a nested list that float() rejects."""
    def walk(obj, path):
        if isinstance(obj, (list, tuple, np.ndarray)):
            for i, item in enumerate(obj):
                found = walk(item, path + (i,))
                if found:
                    return found
            return None
        try:
            float(obj)
        except (TypeError, ValueError):
            return path, obj
        return None

    found = walk(x, ())
    if found is None:
        return ""
    path, obj = found
    ndim = len(path)
    return f" at {where(path, ndim) if path else 'the top level'} ({obj!r})"


def as_float_array(x, name: str, *, ndim: tuple[int, ...] = (1,),
                   probabilities: bool = False) -> np.ndarray:
    """Convert to a finite float64 array with one of the allowed ``ndim``; never empty.

    With ``probabilities=True`` every entry must also lie in [0, 1].
    """
    arr = _numbers_array(x, name)
    _check_shape(arr, name, ndim)
    # Fast path: min and max are single passes with no temporaries, and both
    # propagate NaN, so finite extremes mean every entry is finite.
    low, high = arr.min(), arr.max()
    if probabilities and low >= 0 and high <= 1:
        return arr
    if not probabilities and np.isfinite(low) and np.isfinite(high):
        return arr
    _check_finite(arr, name)
    return check_probabilities(arr, name) if probabilities else arr


def _numbers_array(x, name: str) -> np.ndarray:
    """``x`` as float64, or an InputError naming the ragged row or the first non-number."""
    if x is None:
        raise InputError(f"{name} is missing (got None). Pass a list or array of numbers.")
    try:
        return np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        if "inhomogeneous" in str(exc) or "sequence" in str(exc):
            raise InputError(
                f"{name} has rows of different lengths. Give every row the same "
                "number of entries (one per class)."
            ) from None
        raise InputError(
            f"{name} contains something that is not a number{_find_non_number(x)}. "
            "Use plain numbers such as 0.25 (a dot as the decimal separator)."
        ) from None


def _check_shape(arr: np.ndarray, name: str, ndim: tuple[int, ...]) -> None:
    """One of the allowed numbers of dimensions, and at least one value."""
    if arr.ndim not in ndim:
        wanted = " or ".join(f"{d}-D" for d in ndim)
        raise InputError(
            f"{name} must be {wanted}, but it has shape {arr.shape}. "
            + _shape_hint(ndim)
        )
    if arr.size == 0:
        raise InputError(f"{name} is empty. Give at least one value.")


def _check_finite(arr: np.ndarray, name: str) -> None:
    bad = ~np.isfinite(arr)
    if bad.any():
        pos = _first(bad)
        raise InputError(
            f"{name} contains {arr[pos]} at {where(pos, arr.ndim)}. "
            "Every value must be a finite number: remove or replace NaN and infinity."
        )


def _shape_hint(ndim: tuple[int, ...]) -> str:
    if ndim == (1,):
        return "Pass a flat list such as [0.2, 0.8]."
    if ndim == (2,):
        return "Pass one row per sample and one column per class, e.g. [[0.9, 0.1], [0.3, 0.7]]."
    return "Pass a flat list for one sample or a list of rows for several."


def check_probabilities(arr: np.ndarray, name: str) -> np.ndarray:
    """Every entry in [0, 1]."""
    if arr.min() >= 0 and arr.max() <= 1:
        return arr
    bad = (arr < 0) | (arr > 1)
    if bad.any():
        pos = _first(bad)
        raise InputError(
            f"{name} has {arr[pos]:g} at {where(pos, arr.ndim)}, outside [0, 1]. "
            "Probabilities lie between 0 and 1; if these are raw scores (logits), "
            "use softmax_cross_entropy or sigmoid_cross_entropy, which take logits."
        )
    return arr


def check_sums_to_one(arr: np.ndarray, name: str) -> np.ndarray:
    """Each row (the last axis) sums to 1 within ``SUM_TOLERANCE``."""
    # A mat-vec product sums many short rows far faster than .sum(axis=-1).
    sums = arr @ np.ones(arr.shape[-1])
    bad = np.abs(sums - 1.0) > SUM_TOLERANCE
    if np.any(bad):
        if arr.ndim == 1:
            place = ""
        else:
            place = f" row {int(np.argwhere(np.atleast_1d(bad))[0][0])}"
        total = np.atleast_1d(sums)[np.atleast_1d(bad)][0]
        raise InputError(
            f"{name}{place} sums to {total:.6g}, not 1. A probability distribution must "
            "sum to 1: divide each entry by the sum, or use softmax if these are scores."
        )
    return arr


def as_distribution(p, name: str) -> np.ndarray:
    """A 1-D probability distribution: finite, in [0, 1], summing to 1."""
    return check_sums_to_one(as_float_array(p, name, probabilities=True), name)


def check_same_length(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    if len(a) != len(b):
        raise InputError(
            f"{name_a} has {len(a)} entries but {name_b} has {len(b)}. "
            f"Give one {name_b} entry for each {name_a} entry."
        )


def as_class_labels(y, name: str, n_classes: int) -> np.ndarray:
    """1-D integer labels in 0..n_classes-1 (floats like 2.0 are accepted)."""
    raw = np.asarray(y) if isinstance(y, np.ndarray) else None
    if raw is not None and raw.ndim == 1 and raw.size and raw.dtype.kind in "iu":
        if raw.min() >= 0 and raw.max() < n_classes:  # fast path: already valid ints
            return raw
    arr = as_float_array(y, name)
    fractional = arr != np.round(arr)
    if fractional.any():
        pos = _first(fractional)
        raise InputError(
            f"{name} has {arr[pos]:g} at {where(pos, 1)}, which is not a whole number. "
            f"Labels are class numbers 0..{n_classes - 1}; for soft targets pass one "
            "probability per class as a 2-D array instead."
        )
    out = (arr < 0) | (arr >= n_classes)
    if out.any():
        pos = _first(out)
        raise InputError(
            f"{name} has label {arr[pos]:g} at {where(pos, 1)}, but there are only "
            f"{n_classes} classes (labels 0..{n_classes - 1}). Renumber the labels "
            "from 0, or add a column for the missing class."
        )
    return arr.astype(np.intp)


def as_binary_labels(y, name: str) -> np.ndarray:
    """1-D labels that are exactly 0 or 1."""
    arr = as_float_array(y, name)
    bad = (arr != 0) & (arr != 1)
    if bad.any():
        pos = _first(bad)
        raise InputError(
            f"{name} has {arr[pos]:g} at {where(pos, 1)}, but a binary loss needs labels "
            "0 or 1. Map your two classes to 0 and 1; for more classes use "
            "categorical_cross_entropy."
        )
    return arr


def as_sample_weight(w, n: int, name: str = "sample_weight") -> np.ndarray | None:
    """None, or n finite non-negative weights."""
    if w is None:
        return None
    arr = as_float_array(w, name)
    if len(arr) != n:
        raise InputError(
            f"{name} has {len(arr)} entries but there are {n} samples. "
            "Give one weight per sample."
        )
    neg = arr < 0
    if neg.any():
        pos = _first(neg)
        raise InputError(
            f"{name} has {arr[pos]:g} at {where(pos, 1)}. Weights must be 0 or more."
        )
    return arr


def check_reduction(reduction: str) -> str:
    if reduction not in REDUCTIONS:
        raise InputError(
            f"reduction={reduction!r} is not one of {', '.join(map(repr, REDUCTIONS))}. "
            "Use 'mean' for the average loss, 'sum' for the total, 'none' for one per sample."
        )
    return reduction


def check_number(value, name: str, *, low: float, high: float = math.inf,
                 low_open: bool = False, high_open: bool = False) -> float:
    """A finite real scalar inside the given interval."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number, got {value!r}.") from None
    too_low = v <= low if low_open else v < low
    too_high = v >= high if high_open else v > high
    if not math.isfinite(v) or too_low or too_high:
        lo = "(" if low_open else "["
        hi = ")" if high_open or high == math.inf else "]"
        raise InputError(f"{name}={value!r} is outside {lo}{low:g}, {high:g}{hi}. Choose a value in that range.")
    return v


def check_base(base) -> float:
    """A logarithm base: positive, finite, not 1."""
    b = check_number(base, "base", low=0.0, low_open=True)
    if b == 1.0:
        raise InputError("base=1 has no logarithm. Use 2 for bits or e (the default) for nats.")
    return b


def reduce(losses: np.ndarray, reduction: str, weights: np.ndarray | None = None):
    """Apply 'mean' (weighted by ``weights``), 'sum' or 'none' to per-sample losses."""
    if weights is not None:
        # A weight of 0 removes a sample even when its loss is inf (never 0 * inf = nan).
        losses = np.multiply(losses, weights, out=np.zeros_like(losses), where=weights != 0)
    if reduction == "none":
        return losses
    if reduction == "sum":
        return float(losses.sum())
    total = float(losses.size) if weights is None else float(weights.sum())
    if total == 0:
        raise InputError(
            "All weights are 0, so the weighted mean is undefined. Give at least one "
            "sample a positive weight, or use reduction='sum'."
        )
    return float(losses.sum() / total)
