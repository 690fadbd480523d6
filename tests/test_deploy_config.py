"""The hosting config: safe values, consistent with the code, and the app starts with it."""

import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

from ce_core.parsing import MAX_BYTES

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_config_is_fit_for_public_hosting():
    assert CONFIG["server"]["enableXsrfProtection"] is True
    assert CONFIG["client"]["showErrorDetails"] == "none"      # no tracebacks for visitors
    assert CONFIG["client"]["toolbarMode"] == "viewer"
    assert CONFIG["client"]["showSidebarNavigation"] is False  # ui.navigation.sidebar() draws ours
    assert CONFIG["browser"]["gatherUsageStats"] is False
    # A full gc.collect() after every run was the largest cost with a class on one
    # server (BENCHMARKS.md, bench_classroom); Python's own collector still runs.
    assert CONFIG["runner"]["postScriptGC"] is False


def test_upload_cap_matches_what_the_parser_accepts():
    # the browser's uploader reads maxUploadSize in MB of 10**6 bytes (it refused a
    # 20,570,000-byte file), the server in MiB: the smaller, the browser's, is the cap
    assert CONFIG["server"]["maxUploadSize"] * 10**6 == MAX_BYTES


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_app_starts_with_this_config_and_serves_the_landing_page():
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline, health = time.monotonic() + 60, ""
        while time.monotonic() < deadline and health != "ok":
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    health = r.read().decode()
            except OSError:
                time.sleep(0.3)
        assert health == "ok", "server did not become healthy within 60 s"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as r:
            assert r.status == 200 and b"<html" in r.read().lower()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
