"""Toy data sets for live training: five 2-D shapes and scikit-learn's 8×8 digits.

Every set comes with the same knobs: how many points, how noisy, how unequal the
class sizes, what fraction of training labels is flipped, a seed, and the share
held out for validation. The validation labels are never flipped, so the
validation loss measures how well a model learned the *true* pattern.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sklearn.datasets import load_digits, make_blobs, make_circles, make_moons
from sklearn.model_selection import train_test_split

from .validation import InputError, check_number

#: Names accepted by :func:`make_dataset`, in the order a menu shows them.
DATASETS = ("moons", "circles", "blobs", "xor", "spiral", "digits")
#: Sets whose number of classes is a knob (2–5); the others have a fixed count.
VARIABLE_CLASSES = ("blobs", "spiral")
_FIXED_CLASSES = {"moons": 2, "circles": 2, "xor": 2, "digits": 10}
#: Every class needs this many points so that both train and validation hold some.
MIN_PER_CLASS = 4
_DIGITS_PER_CLASS = 174  # the rarest digit in load_digits has 174 images


@dataclass(frozen=True)
class Dataset:
    """A train/validation split ready for a classifier.

    ``flipped`` marks the training points whose label was flipped on purpose;
    ``image_shape`` is ``(8, 8)`` for digits (each row of X is an image) and None
    for the 2-D sets (each row is a point).
    """

    name: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    n_classes: int
    flipped: np.ndarray = field(repr=False)
    image_shape: tuple[int, int] | None = None

    @property
    def n_features(self) -> int:
        return int(self.X_train.shape[1])

    @property
    def class_counts(self) -> np.ndarray:
        """Training labels per class, as the model sees them (flips included)."""
        return np.bincount(self.y_train, minlength=self.n_classes)


def class_sizes(n_samples: int, n_classes: int, imbalance: float) -> np.ndarray:
    r"""Points per class when the largest class is ``imbalance`` times the smallest.

    Class sizes fall geometrically, :math:`n_k \propto r^{-k/(K-1)}`, from class 0
    (the largest) to class K−1 (the smallest).

    Examples
    --------
    >>> class_sizes(300, 2, 1.0).tolist()
    [150, 150]
    >>> class_sizes(300, 2, 4.0).tolist()   # 240 / 60 = 4
    [240, 60]
    """
    r = check_number(imbalance, "imbalance", low=1.0, high=1000.0)
    share = r ** (-np.arange(n_classes) / max(n_classes - 1, 1))
    sizes = np.floor(n_samples * share / share.sum()).astype(int)
    sizes[0] += n_samples - sizes.sum()  # rounding leftovers go to the largest class
    if sizes.min() < MIN_PER_CLASS:
        raise InputError(
            f"With {n_samples} points, {n_classes} classes and an imbalance ratio of {r:g}, "
            f"class {n_classes - 1} gets only {sizes.min()} point(s); every class needs at "
            f"least {MIN_PER_CLASS}. Raise the number of points or lower the imbalance ratio."
        )
    return sizes


# ----------------------------------------------------------------------------- generators
# Each takes per-class sizes, a noise level (a standard deviation in data units; the
# shapes span roughly [-2, 2]) and a NumPy Generator, and returns X (n, 2) and y (n,).

def _moons(sizes, noise, rng):
    X, y = make_moons(n_samples=tuple(sizes), noise=noise, random_state=_seed(rng))
    return X - [0.5, 0.25], y  # centre the two moons on the origin


def _circles(sizes, noise, rng):
    # make_circles takes (outer, inner); we call the outer ring class 0 as it does.
    X, y = make_circles(n_samples=tuple(sizes), noise=noise, factor=0.5, random_state=_seed(rng))
    return 1.5 * X, y


def _blobs(sizes, noise, rng):
    angles = 2 * np.pi * np.arange(len(sizes)) / len(sizes)
    centres = 1.5 * np.column_stack([np.cos(angles), np.sin(angles)])
    return make_blobs(n_samples=list(sizes), centers=centres, cluster_std=0.3 + noise,
                      random_state=_seed(rng))


def _xor(sizes, noise, rng):
    # Class 0 lives in the quadrants where x1 and x2 share a sign, class 1 in the others.
    parts, labels = [], []
    for label, n in enumerate(sizes):
        corner = rng.integers(0, 2, n) * 2 - 1
        magnitude = rng.uniform(0.1, 1.5, (n, 2))
        signs = np.column_stack([corner, corner * (1 if label == 0 else -1)])
        parts.append(signs * magnitude + rng.normal(0, noise, (n, 2)))
        labels.append(np.full(n, label))
    return np.vstack(parts), np.concatenate(labels)


def _spiral(sizes, noise, rng):
    # One arm per class, each turning 1.25 times around the origin.
    parts, labels = [], []
    k = len(sizes)
    for label, n in enumerate(sizes):
        t = np.sqrt(rng.uniform(0.02, 1.0, n))  # sqrt spreads points evenly along the arm
        angle = 2 * np.pi * (1.25 * t + label / k)
        arm = 2.0 * t[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
        parts.append(arm + rng.normal(0, noise * 0.5, (n, 2)))
        labels.append(np.full(n, label))
    return np.vstack(parts), np.concatenate(labels)


def _digits(sizes, noise, rng):
    digits = load_digits()
    X, y = digits.data / 16.0, digits.target  # pixels 0..16 scaled to 0..1
    chosen = np.concatenate([
        rng.choice(np.flatnonzero(y == label), n, replace=False) for label, n in enumerate(sizes)
    ])
    images = X[chosen] + rng.normal(0, noise, (len(chosen), X.shape[1]))
    return np.clip(images, 0.0, 1.0), y[chosen]


_GENERATORS = {"moons": _moons, "circles": _circles, "blobs": _blobs, "xor": _xor,
               "spiral": _spiral, "digits": _digits}


def _seed(rng: np.random.Generator) -> int:
    return int(rng.integers(0, 2**31 - 1))


def flip_labels(y: np.ndarray, fraction: float, n_classes: int,
                rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Give ``round(fraction · n)`` randomly chosen points a different, random class.

    Returns the new labels and a boolean mask of the flipped points.

    Examples
    --------
    >>> y, mask = flip_labels(np.zeros(10, dtype=int), 0.3, 2, np.random.default_rng(0))
    >>> int(mask.sum()), int(y.sum())   # three points moved from class 0 to class 1
    (3, 3)
    """
    n_flip = int(round(fraction * len(y)))
    idx = rng.choice(len(y), n_flip, replace=False)
    shift = rng.integers(1, n_classes, n_flip)  # a non-zero shift always changes the class
    out = y.copy()
    out[idx] = (y[idx] + shift) % n_classes
    mask = np.zeros(len(y), dtype=bool)
    mask[idx] = True
    return out, mask


def _split(X, y, held_out: float, rng):
    """A stratified train / validation split, or a message when a class is too small."""
    try:
        return train_test_split(X, y.astype(np.intp), test_size=held_out, stratify=y,
                                random_state=_seed(rng))
    except ValueError as err:  # too few points to put every class on both sides
        raise InputError(
            f"Cannot split {len(y)} points of {len(np.unique(y))} classes with {held_out:.0%} "
            f"held out ({err}). Raise the number of points or the validation share."
        ) from None


def _points_per_class(name: str, n: int, k: int, imbalance: float) -> np.ndarray:
    """:func:`class_sizes`, and for digits a check that there are enough images of each."""
    if name == "digits" and n > k * _DIGITS_PER_CLASS:
        raise InputError(
            f"digits has {k * _DIGITS_PER_CLASS} images to share fairly between its 10 classes, "
            f"but n_samples={n}. Choose at most {k * _DIGITS_PER_CLASS}."
        )
    sizes = class_sizes(n, k, imbalance)
    if name == "digits" and sizes.max() > _DIGITS_PER_CLASS:
        raise InputError(
            f"With imbalance {imbalance:g}, digit 0 would need {sizes.max()} images but there are "
            f"only {_DIGITS_PER_CLASS}. Lower n_samples or the imbalance ratio."
        )
    return sizes


def make_dataset(name: str = "moons", *, n_samples: int = 300, noise: float = 0.2,
                 n_classes: int = 3, imbalance: float = 1.0, flip: float = 0.0,
                 val_fraction: float = 0.3, seed: int = 0) -> Dataset:
    """Build a named data set and split it into training and validation points.

    Parameters
    ----------
    name : {"moons", "circles", "blobs", "xor", "spiral", "digits"}
    n_samples : int, default=300
        Points in total, 20–5000 (digits: at most 1740, 174 per class).
    noise : float, default=0.2
        Standard deviation of the Gaussian jitter, 0–2 (for digits: per pixel,
        with pixels scaled to 0..1).
    n_classes : int, default=3
        Used by "blobs" and "spiral" (2–5); moons, circles and XOR have 2, digits 10.
    imbalance : float, default=1.0
        Size of the largest class over the smallest, 1 (balanced) to 1000.
    flip : float, default=0.0
        Fraction of *training* labels changed to a wrong class, 0–0.5.
    val_fraction : float, default=0.3
        Share of the points held out for validation (stratified), 0.1–0.5.
    seed : int, default=0
        Same seed, same data.

    Examples
    --------
    >>> data = make_dataset("moons", n_samples=200, seed=1)
    >>> data.X_train.shape, data.X_val.shape, data.n_classes
    ((140, 2), (60, 2), 2)
    >>> make_dataset("digits", n_samples=500).image_shape
    (8, 8)
    """
    if name not in _GENERATORS:
        raise InputError(f"Unknown data set {name!r}. Choose one of {', '.join(DATASETS)}.")
    n = int(check_number(n_samples, "n_samples", low=20, high=5000))
    sd = check_number(noise, "noise", low=0.0, high=2.0)
    fraction = check_number(flip, "flip", low=0.0, high=0.5)
    held_out = check_number(val_fraction, "val_fraction", low=0.1, high=0.5)
    k = _FIXED_CLASSES.get(name) or int(check_number(n_classes, "n_classes", low=2, high=5))
    sizes = _points_per_class(name, n, k, imbalance)
    rng = np.random.default_rng(seed)
    X_train, X_val, y_train, y_val = _split(*_GENERATORS[name](sizes, sd, rng), held_out, rng)
    y_train, flipped = flip_labels(y_train, fraction, k, rng)
    return Dataset(name=name, X_train=X_train, y_train=y_train, X_val=X_val, y_val=y_val,
                   n_classes=k, flipped=flipped, image_shape=(8, 8) if name == "digits" else None)
