"""Large inputs parsed and scored in a worker process, off the server's one GIL.

Every session's script runs on the server process's GIL: a 20 MB upload parsed there held
it for seconds, and every other student's slider waited (bench/bench_uploads.py,
BENCHMARKS.md). One worker process takes inputs above ``APART_CHARS``; the script thread
waits for it without holding the GIL.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import logging
import multiprocessing
import sys
import threading
import types

#: Inputs of at least this many characters go to the worker: below it, parsing takes
#: less than the ~40 ms of handing the text over and the result back.
APART_CHARS = 1_000_000

_log = logging.getLogger(__name__)
_lock = threading.Lock()


@functools.cache
def _pool() -> concurrent.futures.ProcessPoolExecutor:
    # One worker: the server keeps the other core. "spawn": forking a threaded server is unsafe.
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=1, mp_context=multiprocessing.get_context("spawn"))


@contextlib.contextmanager
def _no_main_script():
    """While a worker starts: Streamlit (and AppTest) make the page script ``__main__``, and
    "spawn" would run it again in the worker. A bare ``__main__`` gives it nothing to run."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if sys.modules["__main__"].__dict__.get("__file__") is None:
            sys.modules["__main__"] = main


def apart(size: int, fn, /, *args, **kwargs):
    """``fn(*args, **kwargs)``, in the worker process when ``size >= APART_CHARS``.

    ``fn`` is a module-level ``ce_core`` function (it is pickled by name); what it raises,
    ``InputError`` included, is raised here. A dead worker is replaced and the call tried
    once more there; if the new one dies too, the call runs here.
    """
    if size < APART_CHARS:
        return fn(*args, **kwargs)
    for _ in range(2):
        with _lock:   # a dead pool is replaced once, not by every waiting session
            pool = _pool()
        try:
            with _lock, _no_main_script():
                future = pool.submit(fn, *args, **kwargs)   # starts the worker if need be
            return future.result()
        except concurrent.futures.process.BrokenProcessPool:
            _log.warning("the worker process died; starting another for %s", fn.__name__)
            with _lock:
                if _pool() is pool:
                    _pool.cache_clear()
    return fn(*args, **kwargs)
