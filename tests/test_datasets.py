"""ce_core.datasets: shapes, knobs, reproducibility, and refusals with how-to-fix messages."""

import numpy as np
import pytest

from ce_core import InputError, make_dataset
from ce_core.datasets import DATASETS, class_sizes, flip_labels


@pytest.mark.parametrize("name", DATASETS)
def test_every_set_splits_into_train_and_validation(name):
    data = make_dataset(name, n_samples=200, n_classes=3, val_fraction=0.25, seed=3)
    assert len(data.X_train) + len(data.X_val) == 200
    assert len(data.X_val) == 50  # 25 % held out
    assert data.X_train.shape[1] == (64 if name == "digits" else 2)
    assert set(np.unique(data.y_val)) == set(range(data.n_classes))  # stratified: every class
    assert np.isfinite(data.X_train).all() and np.isfinite(data.X_val).all()


def test_fixed_and_variable_class_counts():
    assert make_dataset("moons").n_classes == 2
    assert make_dataset("xor").n_classes == 2
    assert make_dataset("digits", n_samples=500).n_classes == 10
    assert make_dataset("blobs", n_classes=5).n_classes == 5
    assert make_dataset("spiral", n_classes=4).n_classes == 4


def test_same_seed_same_data_other_seed_other_data():
    a, b = make_dataset("spiral", seed=7), make_dataset("spiral", seed=7)
    c = make_dataset("spiral", seed=8)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    np.testing.assert_array_equal(a.y_train, b.y_train)
    assert not np.array_equal(a.X_train, c.X_train)


def test_imbalance_ratio_sets_class_sizes():
    # 300 points, ratio 4 between two classes: 240 and 60 (hand computation: 300·4/5, 300/5).
    assert class_sizes(300, 2, 4.0).tolist() == [240, 60]
    # Three classes, ratio 4: shares 1, 1/2, 1/4 of 350 -> 200, 100, 50.
    assert class_sizes(350, 3, 4.0).tolist() == [200, 100, 50]
    data = make_dataset("moons", n_samples=300, imbalance=4.0)
    total = np.bincount(np.concatenate([data.y_train, data.y_val]))
    assert total.tolist() == [240, 60]


def test_flipped_labels_are_training_only_and_always_wrong():
    clean = make_dataset("blobs", n_classes=3, seed=1)
    noisy = make_dataset("blobs", n_classes=3, flip=0.2, seed=1)
    assert noisy.flipped.sum() == round(0.2 * len(noisy.y_train))
    np.testing.assert_array_equal(clean.y_val, noisy.y_val)  # validation labels stay true
    y, mask = flip_labels(np.arange(12) % 3, 0.5, 3, np.random.default_rng(0))
    assert mask.sum() == 6
    assert np.all(y[mask] != (np.arange(12) % 3)[mask])  # a flip always changes the class


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(name="nope"), "Unknown data set"),                                  # unknown name
    (dict(n_samples=5), "n_samples"),                                         # too few points
    (dict(noise=-1), "noise"),                                                # negative noise
    (dict(flip=0.9), "flip"),                                                 # mostly wrong labels
    (dict(n_samples=40, imbalance=20), "every class needs at least"),         # a class vanishes
    (dict(name="digits", n_samples=1790), "at most 1740"),                    # more than stored
    (dict(name="digits", n_samples=1500, imbalance=3), "only 174"),           # digit 0 runs out
    (dict(name="blobs", n_classes=9), "n_classes"),                           # too many blobs
])
def test_bad_knobs_raise_input_error_saying_how_to_fix(kwargs, fragment):
    with pytest.raises(InputError, match=fragment) as err:
        make_dataset(**kwargs)
    assert any(word in str(err.value) for word in ("Choose", "Raise", "Lower"))
