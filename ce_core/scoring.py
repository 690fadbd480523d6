"""Score parsed labels and predictions: a loss per sample, their mean, and a second opinion.

The second opinion is ``sklearn.metrics.log_loss`` run on the same numbers, so a
learner can see two independent implementations agree.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import log_loss

from .activations import softmax
from .information import to_unit
from .losses import categorical_cross_entropy, softmax_cross_entropy
from .parsing import ParsedInput
from .validation import check_number

#: Rows a person can read in the on-screen table; the download has them all.
TABLE_ROWS = 200


@dataclass(frozen=True)
class Scores:
    per_sample: np.ndarray        #: (n,) loss of each sample in nats (multi-label: mean over its labels)
    mean: float                   #: weighted mean loss in nats
    p_true: np.ndarray            #: (n,) probability given to the true class (multi-label: to each true label, geometric mean)
    reference: float | None       #: sklearn.metrics.log_loss of the same input, when it applies
    reference_note: str           #: how the reference was computed, or why there is none


def _smoothed(labels: np.ndarray, k: int, eps: float) -> np.ndarray:
    """(1 - eps) one-hot + eps / K: the label-smoothing targets (Szegedy et al., 2016)."""
    targets = np.full((len(labels), k), eps / k)
    targets[np.arange(len(labels)), labels] += 1.0 - eps
    return targets


def score(parsed: ParsedInput, *, label_smoothing: float = 0.0, clip: bool = True) -> Scores:
    """Cross-entropy of every sample of ``parsed``, in nats.

    Parameters
    ----------
    parsed : ParsedInput
        From :func:`ce_core.parsing.parse_table`.
    label_smoothing : float in [0, 1], default=0.0
        Mix each target with the uniform distribution over its classes.
    clip : bool, default=True
        Clip probabilities to [eps, 1 - eps] as scikit-learn does (a sure-and-wrong
        prediction costs 36.04 nats); False gives the exact loss, ``inf`` there.
        Logits need no clipping.

    Examples
    --------
    >>> from ce_core.parsing import parse_table
    >>> s = score(parse_table("1, 0.9\\n0, 0.1\\n1, 0.8\\n1, 0.7\\n0, 0.2\\n1, 0.9"))
    >>> round(s.mean, 4), round(s.reference, 4)
    (0.1865, 0.1865)
    """
    eps = check_number(label_smoothing, "label_smoothing", low=0.0, high=1.0)
    if parsed.kind == "logits":
        per_sample, probs = _losses_from_logits(parsed, eps)
    else:
        per_sample, probs = _losses_from_probabilities(parsed, eps, clip)
    return Scores(per_sample, _mean_loss(per_sample, parsed.weights), _p_true(parsed, probs),
                  *_reference(parsed, probs, eps, clip))


def _losses_from_logits(parsed: ParsedInput, eps: float) -> tuple[np.ndarray, np.ndarray]:
    """Per-sample loss straight from the scores (no clipping needed), and softmax of them."""
    logits = parsed.values
    per_sample = softmax_cross_entropy(parsed.labels, logits, label_smoothing=eps,
                                       reduction="none")
    return per_sample, softmax(logits)


def _losses_from_probabilities(parsed: ParsedInput, eps: float,
                               clip: bool) -> tuple[np.ndarray, np.ndarray]:
    """Per-sample loss of probability input, and the (n, K) probabilities it used."""
    probs, labels = _class_probabilities(parsed)
    targets = _smoothed(labels, probs.shape[1], eps) if eps else labels
    per_sample = categorical_cross_entropy(targets, probs, reduction="none", clip=clip)
    if parsed.kind == "multilabel":
        per_sample = per_sample.reshape(parsed.values.shape).mean(axis=1)
    return per_sample, probs


def _class_probabilities(parsed: ParsedInput) -> tuple[np.ndarray, np.ndarray]:
    """One row of class probabilities per problem, and its label.

    Binary P(1) becomes the row (1 - p, p); multi-label input is one binary
    problem per (sample, label) pair.
    """
    if parsed.kind == "multiclass":
        return parsed.values, parsed.labels
    p = parsed.values.ravel()
    return np.column_stack([1.0 - p, p]), parsed.labels.ravel()


def _mean_loss(per_sample: np.ndarray, weights: np.ndarray | None) -> float:
    """Weighted mean. A sample of weight 0 counts for nothing, even with an infinite loss;
    weights are scaled by the largest first, so 1e308 or 5e-324 neither overflow nor vanish."""
    share = _shares(weights, len(per_sample))
    counted = per_sample[share > 0]
    if np.isinf(counted).any():
        return float("inf")
    return float(np.sum(share[share > 0] * counted))


def _shares(weights: np.ndarray | None, n: int) -> np.ndarray:
    """Each sample's share of the mean, summing to 1."""
    if weights is None:
        return np.full(n, 1.0 / n)
    scaled = weights / weights.max()   # parse_table refuses all-zero weights
    return scaled / scaled.sum()


def _p_true(parsed: ParsedInput, probs: np.ndarray) -> np.ndarray:
    if parsed.kind == "multilabel":
        p = parsed.values
        p_label = np.where(parsed.labels == 1, p, 1.0 - p)
        with np.errstate(divide="ignore"):
            return np.exp(np.log(p_label).mean(axis=1))
    return probs[np.arange(len(probs)), parsed.labels]


def _reference(parsed: ParsedInput, probs: np.ndarray, eps: float, clip: bool):
    if eps:
        return None, "scikit-learn's log_loss has no label smoothing, so there is no second opinion here."
    if not clip and parsed.kind != "logits":
        return None, "scikit-learn's log_loss always clips, so it cannot check the exact (unclipped) loss."
    # scaled by the largest: the same weighted mean, but log_loss gives 0 for weights of 1e308
    w = None if parsed.weights is None else parsed.weights / parsed.weights.max()
    if parsed.kind == "multilabel":
        y, p = parsed.labels, parsed.values
        per_label = [log_loss(y[:, j], p[:, j], labels=[0, 1], sample_weight=w) for j in range(y.shape[1])]
        return float(np.mean(per_label)), "mean over the labels of log_loss(y[:, j], p[:, j])"
    k = probs.shape[1]
    value = log_loss(parsed.labels, probs, labels=list(range(k)), sample_weight=w)
    if parsed.kind == "logits":
        return value, "log_loss(y, softmax(logits)): scikit-learn needs probabilities"
    return value, "sklearn.metrics.log_loss(y, p)"


# ----------------------------------------------------------------------------- tables

def sample_table(parsed: ParsedInput, scores: Scores, unit: str, *,
                 limit: int | None = TABLE_ROWS) -> dict[str, np.ndarray | list]:
    """Columns of the per-sample table, worst loss first, losses in ``unit``.

    ``limit`` keeps only the rows a person reads on screen; None keeps all.
    """
    order = np.argsort(-scores.per_sample, kind="stable")
    if limit is not None:
        order = order[:limit]
    names = parsed.class_names
    if parsed.kind == "multilabel":
        true_name = [parsed.label_text[i] for i in order]
    else:
        true_name = [names[parsed.labels[i]] for i in order]
    return {
        "line": parsed.line_numbers[order],
        "true label": true_name,
        "p(true)": scores.p_true[order],
        f"loss ({unit})": to_unit(scores.per_sample[order], unit),
    }


def table_csv(parsed: ParsedInput, scores: Scores, unit: str) -> str:
    """Every sample's row of the table as CSV text, worst first."""
    columns = sample_table(parsed, scores, unit, limit=None)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns.keys())
    writer.writerows(zip(*(list(col) for col in columns.values())))
    return out.getvalue()


def loss_histogram(per_sample: np.ndarray, unit: str, *, max_bins: int = 30):
    """Counts and bin edges (in ``unit``) of the finite per-sample losses, plus how many are infinite.

    About √n bins, between 5 and ``max_bins``: a handful of samples gets a few wide
    bars, 100,000 samples get ``max_bins``.
    """
    values = to_unit(per_sample, unit)
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return np.zeros(0), np.zeros(1), int(np.isinf(values).sum())
    bins = int(np.clip(np.sqrt(finite.size), 5, max_bins))
    try:
        counts, edges = np.histogram(finite, bins=bins)
    except ValueError:   # losses a rounding step apart: no room for several bins, so one
        middle, half = float(finite.mean()), max(abs(float(finite.mean())) * 1e-3, 1e-3)
        counts, edges = np.array([finite.size]), np.array([middle - half, middle + half])
    return counts, edges, int(values.size - finite.size)
