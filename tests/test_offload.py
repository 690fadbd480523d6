"""ui.offload: large inputs parsed in a worker process, with the same results and messages."""

import os
import signal

import numpy as np
import pytest
from sklearn.metrics import log_loss

from ce_core import InputError, parsing
from tests.apptest import metrics, open_page
from ui import offload


def test_small_inputs_stay_in_the_server_and_large_ones_go_to_the_worker():
    assert offload.apart(offload.APART_CHARS - 1, os.getpid) == os.getpid()
    assert offload.apart(offload.APART_CHARS, os.getpid) != os.getpid()


def test_the_worker_parses_alike_and_raises_the_same_message():
    text = "1, 0.9\n0, 0.2\n1, abc\n"
    with pytest.raises(InputError) as here:
        parsing.parse_table(text)
    with pytest.raises(InputError) as there:
        offload.apart(offload.APART_CHARS, parsing.parse_table, text)
    assert str(there.value) == str(here.value) and "line 3" in str(here.value).lower()
    good = "1, 0.9\n0, 0.2\n1, 0.6\n"
    mine, theirs = parsing.parse_table(good), offload.apart(10**9, parsing.parse_table, good)
    np.testing.assert_array_equal(theirs.labels, mine.labels)
    np.testing.assert_array_equal(theirs.values, [0.9, 0.2, 0.6])


def test_a_killed_worker_is_replaced_and_the_call_still_answers():
    worker = offload.apart(offload.APART_CHARS, os.getpid)
    assert worker != os.getpid()                 # never kill the test itself
    os.kill(worker, signal.SIGKILL)
    again = offload.apart(offload.APART_CHARS, os.getpid)   # answered by a new worker
    assert again not in (worker, os.getpid())


def test_the_page_scores_a_text_over_the_threshold_like_log_loss():
    rng = np.random.default_rng(7)
    n = offload.APART_CHARS // 12 + 1          # "1, 0.123456\n" is 12 characters
    y, p = rng.integers(0, 2, n), rng.uniform(0.01, 0.99, n).round(6)
    text = "".join(f"{label}, {prob:.6f}\n" for label, prob in zip(y, p))
    assert len(text) >= offload.APART_CHARS
    at = open_page("pages/5_Your_numbers.py")
    at.text_area(key="yn_text").set_value(text).run(timeout=120)
    assert not at.exception
    assert metrics(at)["Mean cross-entropy"] == f"{log_loss(y, p):.4f} nats"
    assert metrics(at)["Samples"] == f"{n:,}"
