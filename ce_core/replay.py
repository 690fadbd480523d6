"""Record a training run once, replay it to many viewers.

A run is deterministic for fixed data and a seeded model, so forty students
pressing Train on the same settings would compute forty identical runs.
:func:`record_run` trains once and keeps every epoch's record plus a copy of the
model every few epochs; :class:`Replay` plays that recording back epoch by
epoch. Both are a :class:`~ce_core.training.TrainingRun` (``history``, ``epoch``,
``done``, ``model``, ``tick``, ``pause`` ...), so a page draws a replay exactly as it
draws live training.

:class:`Viewers` counts the sessions watching a live page at once, and
:func:`redraw_interval` slows every session's redraws when a whole class watches.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass

from .datasets import Dataset
from .training import EpochRecord, History, ModelSpec, Pace, Trainer, speed_pace


@dataclass(frozen=True)
class RecordedRun:
    data: Dataset
    spec: ModelSpec
    max_epochs: int
    records: tuple[EpochRecord, ...]
    snapshots: dict[int, object]   #: epoch -> a copy of the model after that epoch
    stop_kind: str | None
    stop_reason: str
    start: EpochRecord | None = None   #: epoch 0, the model before any update


def record_run(data: Dataset, spec: ModelSpec, *, max_epochs: int, max_seconds: float,
               snapshot_every: int = 5) -> RecordedRun:
    """Train to the end, under the Trainer's guard rails, keeping what a replay needs.

    Examples
    --------
    >>> from ce_core.datasets import make_dataset
    >>> run = record_run(make_dataset("blobs", n_samples=120, n_classes=2),
    ...                  ModelSpec(kind="logistic"), max_epochs=12, max_seconds=30)
    >>> len(run.records), sorted(run.snapshots), run.stop_kind
    (12, [1, 5, 10, 12], 'max_epochs')
    """
    trainer = Trainer(data, spec, max_epochs=max_epochs, max_seconds=max_seconds)
    snapshots = {}
    while not trainer.done:
        record = trainer.step()
        if record is not None and (record.epoch == 1 or record.epoch % snapshot_every == 0):
            snapshots[record.epoch] = _frozen_copy(trainer.model)
    if trainer.epoch and trainer.epoch not in snapshots and trainer.stop_kind != "diverged":
        snapshots[trainer.epoch] = _frozen_copy(trainer.model)
    return RecordedRun(data, trainer.spec, trainer.max_epochs, tuple(trainer.history.records),
                       snapshots, trainer.stop_kind, trainer.stop_reason, trainer.history.start)


def _frozen_copy(model):
    """A copy that can predict but not train on: the optimiser's state (Adam's moment
    estimates, two arrays per weight) is dropped, which shrinks a snapshot about 3x."""
    snapshot = copy.deepcopy(model)
    if hasattr(snapshot, "_optimizer"):
        snapshot._optimizer = None
    return snapshot


class Replay:
    """A recorded run played back from epoch 0, a few epochs per :meth:`advance` or
    :meth:`tick` (a :class:`~ce_core.training.TrainingRun`, like a Trainer).

    Examples
    --------
    >>> from ce_core.datasets import make_dataset
    >>> run = record_run(make_dataset("blobs", n_samples=120, n_classes=2),
    ...                  ModelSpec(kind="logistic"), max_epochs=12, max_seconds=30)
    >>> replay = Replay(run)
    >>> len(replay.advance(5)), replay.epoch, replay.done
    (5, 5, False)
    >>> len(replay.advance(100)), replay.done, replay.stop_kind
    (7, True, 'max_epochs')
    """

    #: Replay speed for :meth:`play`: 150 epochs in under four seconds.
    EPOCHS_PER_SECOND = 40.0
    #: The epochs come from a recording, computed once for every viewer.
    replayed = True

    def __init__(self, run: RecordedRun, *, epochs_per_second: float = EPOCHS_PER_SECOND):
        self.run = run
        self.data = run.data
        self.spec = run.spec
        self.max_epochs = run.max_epochs
        self.history = History(start=run.start)
        self.pace = Pace(epochs_per_second)

    @property
    def epoch(self) -> int:
        return len(self.history)

    @property
    def done(self) -> bool:
        return self.epoch >= len(self.run.records)

    @property
    def stop_kind(self) -> str | None:
        return self.run.stop_kind if self.done else None

    @property
    def stop_reason(self) -> str:
        return self.run.stop_reason if self.done else ""

    @property
    def seconds(self) -> float:
        """Training time the recorded run had spent by this epoch."""
        last = self.history.last
        return last.seconds if last else 0.0

    @property
    def model(self):
        """The latest snapshot at or before the current epoch (the model as it was then)."""
        taken = [epoch for epoch in self.run.snapshots if epoch <= max(self.epoch, 1)]
        return self.run.snapshots[max(taken)] if taken else None

    def advance(self, epochs: int = 1, *, seconds: float | None = None) -> list[EpochRecord]:
        """Reveal up to ``epochs`` more epochs (``seconds`` is accepted for Trainer's signature)."""
        new = list(self.run.records[self.epoch:self.epoch + int(epochs)])
        self.history.records.extend(new)
        return new

    def play(self, now: float) -> list[EpochRecord]:
        """Reveal the epochs due at clock time ``now`` (seconds, e.g. ``time.monotonic()``).

        The replay runs at ``epochs_per_second`` of wall time however often it is called:
        on a busy server the page's ticks come late or are cut short, and a run paced by
        ticks would crawl, while one paced by the clock still ends on time (it just shows
        fewer frames). Every call reveals at least one epoch, so each tick moves. After
        :meth:`pause`, the clock restarts from the current epoch.

        Examples
        --------
        >>> from ce_core.datasets import make_dataset
        >>> run = record_run(make_dataset("blobs", n_samples=120, n_classes=2),
        ...                  ModelSpec(kind="logistic"), max_epochs=12, max_seconds=30)
        >>> replay = Replay(run, epochs_per_second=10)
        >>> len(replay.play(100.0)), len(replay.play(100.05)), len(replay.play(100.5))
        (1, 1, 3)
        >>> replay.pause(); len(replay.play(500.0)), replay.epoch
        (1, 6)
        """
        return self.advance(self.pace.due(now, epoch=self.epoch))

    def tick(self, now: float) -> list[EpochRecord]:
        """One redraw: :meth:`play` at clock time ``now``, so late ticks never slow the run."""
        return self.play(now)

    def pause(self) -> None:
        """Stop the clock: the next :meth:`play` continues from the current epoch."""
        self.pace.restart()

    def set_speed(self, speed: float) -> None:
        """Play ``speed`` x NORMAL_EPOCHS_PER_SECOND epochs a second from the current epoch."""
        self.pace = speed_pace(speed, self.pace)


def redraw_interval(viewers: int, *, fastest: float = 0.25, slowest: float = 1.5,
                    full_rate_viewers: int = 8) -> float:
    """Seconds between a live chart's redraws when ``viewers`` sessions watch at once.

    Every session's redraws run on the server's one Python core (~10 ms each). Up to
    ``full_rate_viewers`` sessions each get a redraw every ``fastest`` seconds; beyond
    that the interval grows in proportion, so the class as a whole asks for the same
    number of redraws per second, capped at ``slowest``. Without this, forty students
    at four redraws a second ask for 1.6 cores: the redraws queue and none arrives.
    A replay is paced by the clock (:meth:`Replay.play`), so fewer redraws show fewer
    frames of the run but never make it last longer.

    Examples
    --------
    >>> redraw_interval(1), redraw_interval(8), redraw_interval(16), redraw_interval(40)
    (0.25, 0.25, 0.5, 1.25)
    >>> redraw_interval(200)
    1.5
    """
    return min(slowest, fastest * max(1.0, viewers / full_rate_viewers))


class Viewers:
    """The sessions that ran a page in the last ``window`` seconds, shared by all of them.

    One instance serves every session of a process (a page keeps it in
    ``st.cache_resource``), so a lock guards it: sessions run their scripts on threads
    of their own. ``now`` is any steady clock in seconds, e.g. ``time.monotonic()``.

    Examples
    --------
    >>> viewers = Viewers(window=60.0)
    >>> viewers.watching("ada", 0.0), viewers.watching("bob", 1.0), viewers.watching("ada", 2.0)
    (1, 2, 2)
    >>> viewers.watching("cy", 61.5)          # bob was last seen more than 60 s ago
    2
    >>> Viewers().redraw_interval("ada", 0.0, fastest=0.25)
    0.25
    """

    def __init__(self, *, window: float = 60.0):
        self.window = float(window)
        self._last_seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def watching(self, viewer: str, now: float) -> int:
        """Note that ``viewer`` (a session's id) watches at ``now``; return how many do."""
        with self._lock:
            self._last_seen[viewer] = now
            for key, seen in list(self._last_seen.items()):
                if now - seen > self.window:
                    del self._last_seen[key]
            return len(self._last_seen)

    def redraw_interval(self, viewer: str, now: float, **pace: float) -> float:
        """:meth:`watching`, then :func:`redraw_interval` for that many viewers (``pace``
        is its keyword arguments: ``fastest``, ``slowest``, ``full_rate_viewers``)."""
        return redraw_interval(self.watching(viewer, now), **pace)
