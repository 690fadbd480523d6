"""Epochs per second of the Live training page's loop against a bare partial_fit loop.

"page loop"  = ce_core.Trainer.advance, exactly what the page's fragment calls each tick:
               partial_fit, predict_proba on train + validation, both cross-entropies,
               accuracy, L2 penalty and guard rails. No drawing.
"with chart" = the same plus building the live chart's data and spec
               (charts.training.loss_curves(...).to_vega_lite()), as the fragment does each tick (every
               EPOCHS_PER_TICK epochs); the browser's rendering is not included.
"bare loop"  = MLPClassifier.partial_fit on the same data, same settings, nothing else.

The three run in this process on the same data in lockstep, one epoch of each in
turn, so load from other processes hits them alike; the table keeps each loop's
fastest repeat and the ratio is the median over repeats of page / bare.
Run:  python bench/bench_training.py [--epochs 150] [--repeats 5]
Targets: page loop at most 1.5x the bare loop; the default demo reaches its best
validation loss within 3 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import ce_core  # noqa: E402
from ce_core.training import build_model  # noqa: E402
from charts.training import loss_curves  # noqa: E402

# The page's defaults (pages/6_Live_training.py): moons, 300 points, noise 0.2, 30 % held out,
# MLP 16-16 relu + adam, learning rate 0.01, batch 32, alpha 1e-4, 150 epochs.
DATA = dict(name="moons", n_samples=300, noise=0.2, val_fraction=0.3, seed=0)
SPEC = ce_core.ModelSpec(hidden_layers=(16, 16), activation="relu", solver="adam",
                         learning_rate=0.01, batch_size=32, alpha=1e-4, seed=0)
EPOCHS_PER_TICK = ce_core.Trainer.EPOCHS_PER_TICK   # what the page's fragment trains a tick
MAX_RATIO = 1.5
MAX_SECONDS_TO_BEST = 3.0


def lockstep(data, epochs: int) -> tuple[float, float, float, ce_core.Trainer]:
    """Run the three loops side by side, one epoch of each in turn, timing every epoch.

    Interleaving epoch by epoch means a burst of load from other processes hits all
    three alike; returns the total seconds of each loop and the page's trainer."""
    bare = build_model(SPEC, len(data.y_train))
    classes = np.arange(data.n_classes)
    page = ce_core.Trainer(data, SPEC, max_epochs=epochs, max_seconds=120)
    chart = ce_core.Trainer(data, SPEC, max_epochs=epochs, max_seconds=120)
    totals = [0.0, 0.0, 0.0]
    for epoch in range(epochs):
        start = time.perf_counter()
        bare.partial_fit(data.X_train, data.y_train, classes=classes)
        totals[0] += time.perf_counter() - start

        start = time.perf_counter()
        page.advance(1)
        totals[1] += time.perf_counter() - start

        start = time.perf_counter()
        chart.advance(1)
        if (epoch + 1) % EPOCHS_PER_TICK == 0:  # the fragment rebuilds the chart once a tick
            loss_curves(chart.history, max_epochs=epochs).to_vega_lite()
        totals[2] += time.perf_counter() - start
    return totals[0], totals[1], totals[2], page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=150)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    data = ce_core.make_dataset(**DATA)
    lockstep(data, 3)  # warm up imports and caches
    runs = [lockstep(data, args.epochs) for _ in range(args.repeats)]
    t_bare, t_page, t_chart = (min(run[i] for run in runs) for i in range(3))
    ratios = sorted(run[1] / run[0] for run in runs)
    trainer = runs[-1][3]
    best = trainer.history.best

    print(f"cores: {os.cpu_count()}; data: {DATA['name']} {len(data.y_train)} train + "
          f"{len(data.y_val)} validation; MLP {SPEC.hidden_layers}, {args.epochs} epochs, "
          f"best of {args.repeats}")
    print(f"{'loop':<28}{'s':>8}{'epochs/s':>10}{'× bare':>8}")
    for name, t in (("bare partial_fit", t_bare), ("page loop (Trainer)", t_page),
                    ("page loop + chart data", t_chart)):
        print(f"{name:<28}{t:8.3f}{args.epochs / t:10.0f}{t / t_bare:8.2f}")
    ratio = ratios[len(ratios) // 2]
    print(f"page / bare per repeat: {', '.join(f'{r:.2f}' for r in ratios)} (median {ratio:.2f})")
    print(f"best validation loss {best.val_loss:.4f} nats at epoch {best.epoch}, "
          f"after {best.seconds:.2f} s of training")
    print(f"target page loop <= {MAX_RATIO}x bare: {'met' if ratio <= MAX_RATIO else 'MISSED'} "
          f"({ratio:.2f}x)")
    print(f"target best validation within {MAX_SECONDS_TO_BEST:g} s: "
          f"{'met' if best.seconds <= MAX_SECONDS_TO_BEST else 'MISSED'} ({best.seconds:.2f} s)")


if __name__ == "__main__":
    main()
