"""Process tuning for a class on one server: done once per process, on the first import.

Two fixes, measured in BENCHMARKS.md ("bench_classroom", "Session 3"):

* ``TCP_NODELAY`` on the server's sockets. Streamlit 1.67 binds its listening socket
  with ``proto`` 0 (``_bind_socket`` in ``streamlit/web/server/starlette/
  starlette_server.py``), and asyncio only sets ``TCP_NODELAY`` when ``proto`` is
  ``IPPROTO_TCP``, so every websocket frame after the first waited for a 40 ms delayed ACK.
* ``gc.freeze()`` after the imports: a full collection costs ~90 ms with NumPy, pandas,
  scikit-learn and Streamlit loaded; frozen objects are skipped (~1 ms).
"""

from __future__ import annotations

import gc
import logging
import os
import socket
import stat
import sys
import threading

import streamlit

#: The Streamlit release whose socket bug ``disable_nagle`` works around.
#: tests/test_tuning.py fails on a release where the bug is gone: then delete the fix.
WORKS_AROUND = "1.67."

#: Modules only the training and pitfalls pages need (scikit-learn, SciPy: over a second
#: to import). They are imported in the background once, then frozen with the rest.
HEAVY = ("ce_core.training", "ce_core.pitfalls", "charts.training", "charts.pitfalls",
         "ce_core.scoring", "charts.calculator")

_log = logging.getLogger(__name__)


def set_nodelay_on_open_sockets() -> int:
    """TCP_NODELAY on every TCP socket this process has open; returns how many.

    On Linux a listening socket hands the option to every connection it accepts later.
    """
    try:
        fds = [int(fd) for fd in os.listdir("/proc/self/fd")]
    except OSError:       # no /proc: try the low descriptors
        fds = list(range(3, 1024))
    done = 0
    for fd in fds:
        try:
            if not stat.S_ISSOCK(os.fstat(fd).st_mode):
                continue
            sock = socket.socket(fileno=fd)   # adopts the descriptor; detach() gives it back
        except OSError:
            continue
        try:
            if (sock.family in (socket.AF_INET, socket.AF_INET6)
                    and sock.type == socket.SOCK_STREAM):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                done += 1
        except OSError:
            pass
        finally:
            sock.detach()
    return done


def disable_nagle() -> int:
    """TCP_NODELAY on the server's sockets, on the Streamlit release that needs it."""
    if not streamlit.__version__.startswith(WORKS_AROUND):
        _log.warning("ui.tuning.disable_nagle works around Streamlit %s*, not %s: check "
                     "whether _bind_socket still leaves Nagle on", WORKS_AROUND,
                     streamlit.__version__)
        return 0
    return set_nodelay_on_open_sockets()


def freeze_imports() -> int:
    """Move every object alive now out of the collector's sight; returns the frozen count."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def _import_heavy_then_freeze() -> None:
    import importlib

    for name in HEAVY:
        importlib.import_module(name)
    freeze_imports()


#: Seconds between the first import and the background import of ``HEAVY``: the first
#: page is drawn before scikit-learn competes with it for the GIL.
HEAVY_DELAY_S = 1.0


def tune_process() -> threading.Timer | None:
    """Both fixes. Importing ``ui`` calls this once per process (modules are imported once).

    Returns the timer that imports ``HEAVY`` and freezes again (None if already imported).
    """
    disable_nagle()
    freeze_imports()
    if all(name in sys.modules for name in HEAVY):
        return None
    timer = threading.Timer(HEAVY_DELAY_S, _import_heavy_then_freeze)
    timer.daemon = True
    timer.start()
    return timer
