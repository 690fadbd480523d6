"""A replayed run shows exactly what live training would have shown."""

import dataclasses

import numpy as np
import pytest

import ce_core
from ce_core.replay import Replay, Viewers, record_run
from ce_core.training import Trainer, TrainingRun
from ce_core import InputError, ModelSpec, make_dataset

DATA = ce_core.make_dataset("moons", n_samples=200, noise=0.2, seed=3)
SPEC = ce_core.ModelSpec(kind="mlp", hidden_layers=(8,), learning_rate=0.01, seed=3)


def without_time(record):
    return dataclasses.replace(record, seconds=0.0)   # wall-clock time differs run to run


@pytest.fixture(scope="module")
def run():
    return record_run(DATA, SPEC, max_epochs=23, max_seconds=60)


def test_replay_reveals_the_live_records_in_order(run):
    live = Trainer(DATA, SPEC, max_epochs=23, max_seconds=60)
    replay = Replay(run)
    while not live.done:
        live.advance(5)
        replay.advance(5)
        assert [without_time(r) for r in replay.history.records] == \
               [without_time(r) for r in live.history.records]
        assert replay.epoch == live.epoch
    assert replay.done and replay.stop_kind == live.stop_kind == "max_epochs"
    assert replay.stop_reason == live.stop_reason


@pytest.mark.parametrize("epoch", [1, 5, 20, 23])
def test_snapshot_predicts_like_the_live_model_at_that_epoch(run, epoch):
    live = Trainer(DATA, SPEC, max_epochs=23, max_seconds=60)
    live.advance(epoch)
    replay = Replay(run)
    replay.advance(epoch)
    np.testing.assert_array_equal(replay.model.predict_proba(DATA.X_val),
                                  live.model.predict_proba(DATA.X_val))


def test_between_snapshots_the_model_is_the_latest_earlier_one(run):
    replay = Replay(run)
    replay.advance(7)
    assert replay.model is run.snapshots[5]
    assert Replay(run).model is run.snapshots[1]   # before the first epoch: the first snapshot


def test_a_diverging_run_replays_its_stop_reason():
    spec = ce_core.ModelSpec(kind="logistic", learning_rate=1000.0)   # as in test_training.py
    data = ce_core.make_dataset("moons", n_samples=300)
    run = record_run(data, spec, max_epochs=50, max_seconds=60)
    replay = Replay(run)
    replay.advance(1000)
    assert replay.done and replay.stop_kind == "diverged"
    assert "diverged" in replay.stop_reason and "lower the learning rate" in replay.stop_reason.lower()


def test_play_keeps_the_pace_of_the_clock_however_rarely_it_is_called(run):
    """23 epochs at 10 epochs/s: due at t = 2.3 s whether the page ticks 4 times a second or
    only twice in all (a server too busy to tick)."""
    often, rarely = Replay(run, epochs_per_second=10), Replay(run, epochs_per_second=10)
    t = 0.0
    while t < 2.3:
        often.play(1000 + t)
        t += 0.25
    often.play(1000 + 2.3)
    rarely.play(1000.0)
    rarely.play(1002.3)
    assert often.done and rarely.done
    assert often.epoch == rarely.epoch == 23
    assert [without_time(r) for r in often.history.records] == [without_time(r) for r in run.records]


def test_play_moves_at_least_one_epoch_per_call_and_pause_stops_the_clock(run):
    replay = Replay(run, epochs_per_second=10)
    assert len(replay.play(0.0)) == 1                 # first frame at once
    assert len(replay.play(0.01)) == 1                # a tick faster than the pace still moves
    assert replay.epoch == 2
    replay.play(0.5)                                  # 0.5 s at 10/s: epoch 5
    assert replay.epoch == 5
    replay.pause()
    replay.play(60.0)                                 # a minute later: no jump of 600 epochs
    assert replay.epoch == 6
    replay.play(60.3)                                 # the clock restarted at epoch 5, t = 60:
    assert replay.epoch == 8                          # 0.3 s later, 5 + 3


def test_redraw_interval_keeps_a_class_total_redraw_rate_bounded():
    from ce_core.replay import redraw_interval
    # Hand values: 8 viewers or fewer redraw every 0.25 s (32 a second in total at most);
    # beyond that the total stays 8 / 0.25 = 32 a second until the 1.5 s cap.
    assert [redraw_interval(n) for n in (0, 1, 8)] == [0.25, 0.25, 0.25]
    for n in (10, 20, 40, 48):
        assert n / redraw_interval(n) == pytest.approx(32.0)
    assert redraw_interval(49) == redraw_interval(1000) == 1.5


def test_a_replay_is_a_training_run_that_ticks_by_the_clock(run):
    replay = Replay(run, epochs_per_second=10)
    assert isinstance(replay, TrainingRun) and replay.replayed
    assert len(replay.tick(100.0)) == 1               # as play(): the first frame at once
    assert len(replay.tick(100.5)) == 4               # 0.5 s at 10/s: epoch 5
    replay.pause()
    replay.tick(200.0)                                # the clock restarted: one more epoch
    assert replay.epoch == 6


def test_viewers_count_the_sessions_seen_within_the_window():
    viewers = Viewers(window=60.0)
    assert [viewers.watching(name, t) for name, t in [("a", 0.0), ("b", 10.0), ("a", 20.0)]] == [1, 2, 2]
    assert viewers.watching("c", 70.5) == 2           # b, last seen 60.5 s ago, has left
    assert viewers.watching("c", 200.0) == 1
    # As redraw_interval says for that many viewers: 16 sessions at once redraw every 0.5 s.
    crowd = Viewers()
    for i in range(15):
        crowd.watching(f"student {i}", 0.0)
    assert crowd.redraw_interval("lecturer", 1.0, fastest=0.25) == 0.5


def test_viewers_count_every_session_when_many_threads_watch_at_once():
    import threading

    viewers = Viewers()
    barrier = threading.Barrier(32)

    def session(i):
        barrier.wait()
        for t in range(200):
            viewers.watching(f"session {i}", float(t))

    threads = [threading.Thread(target=session, args=(i,)) for i in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert viewers.watching("session 0", 199.0) == 32


def test_a_replay_starts_from_the_live_runs_epoch_zero(run):
    live = Trainer(DATA, SPEC, max_epochs=23, max_seconds=60)
    replay = Replay(run)
    assert replay.history.start is not None and replay.epoch == 0
    assert without_time(replay.history.start) == without_time(live.history.start)
    assert [r.epoch for r in replay.history.timeline] == [0]


def test_speed_sets_epochs_a_second_for_a_replay():
    """At speed s a replay shows 10·s epochs a second of wall time (1x: 10/s)."""
    from ce_core.training import NORMAL_EPOCHS_PER_SECOND
    run = record_run(make_dataset("blobs", n_samples=120, n_classes=2), ModelSpec(kind="logistic"),
                     max_epochs=60, max_seconds=30)
    assert NORMAL_EPOCHS_PER_SECOND == 10.0
    for speed, after_two_seconds in ((0.25, 5), (1.0, 20), (4.0, 60)):
        replay = Replay(run)
        replay.set_speed(speed)
        replay.play(50.0)                       # the clock starts: epoch 1
        replay.play(52.0)                       # 2 s later: 10·speed·2 epochs in all
        assert replay.epoch == min(after_two_seconds, 60), speed
    with pytest.raises(InputError, match="speed"):
        Replay(run).set_speed(0.0)


def test_a_new_speed_goes_on_from_the_current_epoch():
    run = record_run(make_dataset("blobs", n_samples=120, n_classes=2), ModelSpec(kind="logistic"),
                     max_epochs=60, max_seconds=30)
    replay = Replay(run)
    replay.set_speed(1.0)
    replay.play(0.0), replay.play(1.0)          # 10 epochs at 10/s
    assert replay.epoch == 10
    replay.set_speed(2.0)                       # no jump: 2x from epoch 10 on
    replay.play(100.0), replay.play(101.0)
    assert replay.epoch == 10 + 20              # 1 s at 20/s after epoch 10
