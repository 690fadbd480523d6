"""ui/tuning.py: the once-per-process fixes, and the Streamlit bug they work around."""

import gc
import socket
import subprocess
import sys
from pathlib import Path

import streamlit

from ui import tuning

ROOT = Path(__file__).resolve().parent.parent


def test_streamlit_still_binds_with_nagle_on_so_the_fix_is_still_needed():
    """Fails on a Streamlit release that sets TCP_NODELAY itself: then delete disable_nagle.

    Binds a socket with Streamlit's own function and checks the bug tuning works around."""
    from streamlit.web.server.starlette.starlette_server import _bind_socket

    assert streamlit.__version__.startswith(tuning.WORKS_AROUND), (
        f"ui/tuning.py works around Streamlit {tuning.WORKS_AROUND}*, this is "
        f"{streamlit.__version__}: check _bind_socket, then update WORKS_AROUND or drop the fix")
    sock = _bind_socket("127.0.0.1", 0, 8)
    try:
        assert sock.proto == 0
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
    finally:
        sock.close()


def test_nodelay_reaches_a_listener_bound_like_streamlits_and_its_connections():
    """Streamlit binds with proto 0, so asyncio leaves Nagle on (40 ms stalls between
    frames); tuning sets TCP_NODELAY on the open sockets, and Linux hands it on
    from the listener to every connection accepted later."""
    listener = socket.socket(family=socket.AF_INET)   # as Streamlit 1.67's _bind_socket
    unix_a, unix_b = socket.socketpair()               # not TCP: must be left alone
    try:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        assert listener.proto == 0
        assert listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0

        assert tuning.disable_nagle() >= 1
        assert listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0

        with socket.create_connection(listener.getsockname()) as client:
            accepted, _ = listener.accept()               # the listener still works
            with accepted:
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
                client.sendall(b"x")
                assert accepted.recv(1) == b"x"
        unix_a.sendall(b"y")                              # the unix pair still works
        assert unix_b.recv(1) == b"y"
    finally:
        for sock in (listener, unix_a, unix_b):
            sock.close()


def test_freeze_imports_moves_the_imported_modules_out_of_the_collectors_sight():
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    frozen = tuning.freeze_imports()
    assert gc.get_freeze_count() > 0.9 * frozen   # refcounting still frees frozen objects
    assert frozen > 10_000          # the imported modules' objects, not a handful


def test_importing_ui_does_not_wait_for_scikit_learn_and_freezes_it_later():
    """The landing page starts without scikit-learn; the tuning timer imports it after the
    first page, then freezes again, so the training pages' objects are frozen too."""
    code = (
        "import sys, gc, ce_core, ui; from ui import tuning\n"
        "assert 'sklearn' not in sys.modules, 'importing ui imported sklearn'\n"
        "first = gc.get_freeze_count()\n"
        "import threading\n"
        "[t.join(60) for t in threading.enumerate() if isinstance(t, threading.Timer)]\n"
        "assert all(m in sys.modules for m in tuning.HEAVY), 'HEAVY not imported'\n"
        "assert 'sklearn' in sys.modules\n"
        "assert gc.get_freeze_count() > first, 'not frozen after the heavy imports'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]


def test_ce_core_alone_never_imports_scikit_learn_until_a_training_name_is_used():
    code = ("import sys, ce_core; assert 'sklearn' not in sys.modules, 'sklearn imported'; "
            "ce_core.Trainer; assert 'sklearn' in sys.modules")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
