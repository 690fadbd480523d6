"""Example inputs for the "Your numbers" page, each with the loss its source documents.

The ``documented`` value is quoted from the source, not computed here, so a test can
check the parser and scorer against it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    name: str
    text: str
    documented: float        #: the mean loss in nats that the source prints
    source: str


PRESETS = [
    Preset(
        "Six binary predictions",
        "label, p\n1, 0.9\n0, 0.1\n1, 0.8\n1, 0.7\n0, 0.2\n1, 0.9\n",
        0.1865,
        "the NumPy example in 'What is Cross-Entropy Loss: Python For AI Explained' "
        "(its code prints 0.18649...)",
    ),
    Preset(
        "Five samples, three classes",
        "label, class 0, class 1, class 2\n0, 0.7, 0.2, 0.1\n1, 0.1, 0.6, 0.3\n"
        "2, 0.2, 0.3, 0.5\n0, 0.8, 0.1, 0.1\n1, 0.2, 0.7, 0.1\n",
        0.4281,
        "the one-hot NumPy example in the same article (its code prints 0.42809...)",
    ),
    Preset(
        "scikit-learn: log_loss([0, 1], ...)",
        "label, class 0, class 1\n0, 0.9, 0.1\n1, 0.5, 0.5\n",
        0.3993,
        "the log_loss example in 'Cross-Entropy Loss: Unraveling its Role in Machine Learning'",
    ),
    Preset(
        "scikit-learn: spam and ham",
        "label, ham, spam\nspam, .1, .9\nham, .9, .1\nham, .8, .2\nspam, .35, .65\n",
        0.21616,
        "the Examples section of sklearn.metrics.log_loss",
    ),
    Preset(
        "Keras: binary_crossentropy (two labels per sample)",
        "y1, y2, p1, p2\n0, 1, 0.6, 0.4\n0, 0, 0.4, 0.6\n",
        (0.916 + 0.714) / 2,
        "tf.keras.losses.binary_crossentropy docs: per-sample [0.916, 0.714]",
    ),
    Preset(
        "Keras: CategoricalCrossentropy",
        "label, class 0, class 1, class 2\n1, 0.05, 0.95, 0\n2, 0.1, 0.8, 0.1\n",
        1.177,
        "tf.keras.losses.CategoricalCrossentropy docs",
    ),
    Preset(
        "TensorFlow: sparse_softmax_cross_entropy_with_logits",
        "label, z0, z1, z2, z3\n0, 2, -5, .5, -.1\n3, 0, 0, 1.9, 1.4\n1, -100, 100, -100, -100\n",
        (0.29750752 + 1.1448325 + 0.0) / 3,
        "tf.nn.sparse_softmax_cross_entropy_with_logits docs: per-sample "
        "[0.29750752, 1.1448325, 0.]",
    ),
]

BY_NAME = {preset.name: preset for preset in PRESETS}
