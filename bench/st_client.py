"""A headless Streamlit client: speaks the browser's websocket protocol, for load tests.

Streamlit 1.67 serves ``/_stcore/stream`` with Starlette. What the browser does, and so
what this client does:

* ``GET /_stcore/health`` first (the frontend polls it before connecting): its response
  sets the ``_streamlit_xsrf`` cookie (when ``server.enableXsrfProtection`` is on). The
  handshake sends that cookie and ``Sec-WebSocket-Protocol: streamlit, <xsrf token>``:
  the server repurposes the subprotocol list to carry the token (only auth cookies
  depend on it; the connection is accepted without it) and selects ``streamlit``. ``Origin`` equals the host, so the
  same-origin check passes.
* Each frame is one serialized protobuf: ``BackMsg`` up, ``ForwardMsg`` down.
* Opening a page at ``/<Page_name>``: the first ``BackMsg.rerun_script`` carries a
  ``ClientState`` with the query string, ``page_name`` from the URL path and an empty
  ``page_script_hash``. Every later rerun names the page by its ``page_script_hash``,
  as reported in the ``navigation`` message (with a ``pages/`` directory, 1.67 wraps the
  app in its own navigation; ``new_session.page_script_hash`` is then the wrapper's hash,
  and a rerun sent with it runs the landing page).
* A widget change is another ``rerun_script`` whose ``widget_states`` hold the widget's
  new value under its id (found in the ``delta`` messages: each widget proto carries
  ``id``, which ends in the user ``key``). Sliders: ``double_array_value``; buttons: a
  ``trigger_value`` sent once. Like the frontend, every known numeric slider's value is
  sent on each rerun; other widgets (select sliders, radios, ...) are not sent, so the
  server keeps their previous values.
* Every script run (full or fragment) begins with ``new_session`` and ends with
  ``script_finished``; both carry ``metadata.run`` (script_run_id, fragment_ids).
  Deltas in between belong to that run.
* ``st.fragment(run_every=...)``: the server sends ``auto_rerun`` (interval, fragment_id)
  and the FRONTEND keeps a timer that sends ``rerun_script`` with ``fragment_id`` and
  ``is_auto_rerun``. A full run's ``new_session`` cancels all timers; ``stop_auto_rerun``
  cancels the named ones. This client does the same.
* A widget drawn inside an ``st.fragment`` arrives in a delta whose ``fragment_id`` is set;
  when the user changes it, the frontend reruns that fragment only (``rerun_script`` with
  that ``fragment_id``). This client does the same.

Only the standard library, ``websockets`` (installed with uvicorn, a Streamlit
dependency) and ``streamlit.proto`` are used.
"""

from __future__ import annotations

import asyncio
import http.cookies
import time
import urllib.request
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Slider_pb2 import Slider
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED_OK = ForwardMsg.FINISHED_SUCCESSFULLY
FRAGMENT_OK = ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
FINISHED_EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN
SELECT_SLIDER = Slider.SELECT_SLIDER   # same proto, but its state is a string array
STATUS_NAMES = {v: k for k, v in ForwardMsg.ScriptFinishedStatus.items()}


class ProtocolError(RuntimeError):
    """The server did something this client (or a browser) would not accept."""


@dataclass
class Run:
    """One script run as the client saw it: from ``new_session`` to ``script_finished``."""

    run_id: str
    fragment_ids: tuple[str, ...]
    started: float
    elements: list = field(default_factory=list)      # (delta_path tuple, Element)
    exceptions: list = field(default_factory=list)    # Exception protos
    status: int | None = None
    finished: float | None = None
    done: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def ok(self) -> bool:
        return self.status in (FINISHED_OK, FRAGMENT_OK) and not self.exceptions

    def of_type(self, kind: str) -> list:
        """This run's elements of one kind, e.g. ``"metric"``, ``"progress"``."""
        return [getattr(el, kind) for _, el in self.elements if el.WhichOneof("type") == kind]


def xsrf_cookie(http_base: str, timeout: float = 10.0) -> str | None:
    """The ``_streamlit_xsrf`` cookie that ``/_stcore/health`` sets (None if XSRF is off).

    The frontend polls the health endpoint before it opens the websocket; that response
    is where Streamlit 1.67 (Starlette) sets the cookie."""
    with urllib.request.urlopen(http_base + "/_stcore/health", timeout=timeout) as resp:
        for header in resp.headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie()
            jar.load(header)
            if "_streamlit_xsrf" in jar:
                return jar["_streamlit_xsrf"].value
    return None


def http_cookies(http_base: str, cookies: dict[str, str] | None = None,
                 timeout: float = 10.0) -> dict[str, str]:
    """``cookies`` updated with what ``GET /_stcore/health`` sets, sending ``cookies`` along.

    Behind a proxy with cookie affinity (deploy/haproxy.cfg.in) this is how a browser gets
    its replica cookie, and how it gets a new one when its replica died."""
    jar_out = dict(cookies or {})
    request = urllib.request.Request(http_base + "/_stcore/health")
    if jar_out:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in jar_out.items()))
    with urllib.request.urlopen(request, timeout=timeout) as resp:
        for header in resp.headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie()
            jar.load(header)
            jar_out.update({name: morsel.value for name, morsel in jar.items()})
    return jar_out


class Session:
    """One browser tab's worth of protocol, on asyncio. Use ``async with``."""

    def __init__(self, host: str, port: int, *, xsrf: str | None = None, keep_runs: int = 64,
                 cookies: dict[str, str] | None = None):
        self.host, self.port = host, port
        # every cookie the handshake sends (a proxy's affinity cookie, the XSRF one)
        self.cookies = dict(cookies or {})
        xsrf = xsrf or self.cookies.get("_streamlit_xsrf")
        self.keep_runs = keep_runs        # runs kept in ``runs`` (older ones are dropped)
        # finished runs: completed full / fragment runs, and runs stopped early for a newer
        # request (FINISHED_EARLY_FOR_RERUN; a run_every tick that arrives while the last
        # tick's fragment run is still going stops it)
        self.runs_done = {"full": 0, "fragment": 0, "early": 0}
        self.bad_runs: list[Run] = []     # finished with an exception or an error status
        self.on_run_done = None           # optional callback(run), called as each run ends
        self.xsrf = xsrf
        self.ws = None
        self.page_script_hash = ""
        self.main_script_hash = ""
        self.app_pages: list = []          # AppPage protos from the latest new_session
        self.query_string = ""
        self.widgets: dict[str, object] = {}       # widget id -> latest widget proto
        # widget id -> the st.fragment it was drawn in ("" outside any): the frontend sends a
        # change to such a widget as a rerun of that fragment only
        self.widget_fragment: dict[str, str] = {}
        self.slider_values: dict[str, list[float]] = {}
        self.runs: list[Run] = []
        self.current: Run | None = None
        self.auto_reruns: dict[str, tuple[float, asyncio.Task]] = {}
        self.fragment_reruns_sent = 0
        self.closed: str | None = None    # why the connection ended, if it did
        self._reader: asyncio.Task | None = None
        self._changed = asyncio.Condition()

    # ------------------------------------------------------------------ connection

    async def __aenter__(self) -> "Session":
        await self.connect()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def connect(self, timeout: float = 10.0) -> None:
        origin = f"http://{self.host}:{self.port}"
        headers = {"Origin": origin}
        subprotocols = ["streamlit"]
        jar = dict(self.cookies)
        if self.xsrf:
            jar["_streamlit_xsrf"] = self.xsrf
            subprotocols.append(self.xsrf)
        if jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        self.ws = await asyncio.wait_for(
            websockets.connect(
                f"ws://{self.host}:{self.port}/_stcore/stream",
                additional_headers=headers,
                subprotocols=subprotocols,
                max_size=None,          # no frame size limit, as in the browser
                ping_interval=None,     # the browser does not ping either
                open_timeout=timeout,
                compression=None,
            ),
            timeout,
        )
        if self.ws.subprotocol != "streamlit":
            raise ProtocolError(f"server selected subprotocol {self.ws.subprotocol!r}")
        self._reader = asyncio.create_task(self._read_loop())

    async def close(self) -> None:
        for _, task in self.auto_reruns.values():
            task.cancel()
        self.auto_reruns.clear()
        if self.ws is not None:
            try:
                await asyncio.wait_for(self.ws.close(), 5)
            except Exception:  # noqa: BLE001 - closing is best effort
                pass
        if self._reader is not None:
            self._reader.cancel()
            try:
                await asyncio.wait_for(self._reader, 5)
            except BaseException:  # noqa: BLE001 - cancelled or already failed
                pass

    # ------------------------------------------------------------------ receiving

    async def _read_loop(self) -> None:
        try:
            async for frame in self.ws:
                if isinstance(frame, str):
                    raise ProtocolError("text frame from server")
                msg = ForwardMsg()
                msg.ParseFromString(frame)
                self._handle(msg)
                async with self._changed:
                    self._changed.notify_all()
            self.closed = f"closed by server ({self.ws.close_code})"
        except asyncio.CancelledError:
            self.closed = self.closed or "closed by client"
            raise
        except Exception as exc:  # noqa: BLE001 - recorded, reported by the caller
            self.closed = f"{type(exc).__name__}: {exc}"
        finally:
            if self.current is not None and not self.current.done.is_set():
                self.current.done.set()
            async with self._changed:
                self._changed.notify_all()

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        now = time.perf_counter()
        if kind == "new_session":
            ns = msg.new_session
            run = Run(msg.metadata.run.script_run_id, tuple(msg.metadata.run.fragment_ids), now)
            self.runs.append(run)
            if len(self.runs) > self.keep_runs:
                del self.runs[: len(self.runs) - self.keep_runs]
            self.current = run
            self.main_script_hash = ns.main_script_hash
            if not run.fragment_ids:     # a full run: the frontend cancels every timer
                self._cancel_auto_reruns(list(self.auto_reruns))
        elif kind == "delta":
            if self.current is None:
                return
            delta = msg.delta
            if delta.WhichOneof("type") == "new_element":
                el = delta.new_element
                self.current.elements.append((tuple(msg.metadata.delta_path), el))
                etype = el.WhichOneof("type")
                if etype == "exception":
                    self.current.exceptions.append(el.exception)
                else:
                    widget = getattr(el, etype, None)
                    wid = getattr(widget, "id", None) if widget is not None else None
                    if wid:
                        self.widgets[wid] = widget
                        self.widget_fragment[wid] = delta.fragment_id
                        if etype == "slider" and widget.type != SELECT_SLIDER:
                            self._learn_slider(widget)
        elif kind == "script_finished":
            run = self.current
            if run is not None and run.run_id == msg.metadata.run.script_run_id:
                run.status = msg.script_finished
                run.finished = now
                run.done.set()
                self.current = None
                self.runs_done["early" if run.status == FINISHED_EARLY
                               else "fragment" if run.fragment_ids else "full"] += 1
                if (run.exceptions or run.status not in (FINISHED_OK, FRAGMENT_OK, FINISHED_EARLY)) \
                        and len(self.bad_runs) < 100:
                    self.bad_runs.append(run)
                if self.on_run_done is not None:
                    self.on_run_done(run)
        elif kind == "navigation":
            # With a pages/ directory, 1.67 runs the app through its own navigation: the
            # page that ran, and every page, are in this message, not in new_session.
            self.page_script_hash = msg.navigation.page_script_hash
            self.app_pages = list(msg.navigation.app_pages)
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "session_event":
            if msg.session_event.WhichOneof("type") == "script_compilation_exception":
                if self.current is not None:
                    self.current.exceptions.append(msg.session_event.script_compilation_exception)
        elif kind == "auto_rerun":
            self._schedule_auto_rerun(msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            self._cancel_auto_reruns(list(msg.stop_auto_rerun.fragment_ids))

    def _learn_slider(self, slider) -> None:
        """The slider's value as the frontend would hold it after drawing the delta."""
        if slider.id not in self.slider_values or slider.set_value:
            values = list(slider.value) if len(slider.value) else list(slider.default)
            self.slider_values[slider.id] = values

    # ------------------------------------------------------------------ fragments

    def _schedule_auto_rerun(self, fragment_id: str, interval: float) -> None:
        if not fragment_id:
            return
        old = self.auto_reruns.get(fragment_id)
        if old is not None and old[0] == interval:
            return
        self._cancel_auto_reruns([fragment_id])
        task = asyncio.get_running_loop().create_task(self._tick(fragment_id, interval))
        self.auto_reruns[fragment_id] = (interval, task)

    def _cancel_auto_reruns(self, fragment_ids: list[str]) -> None:
        for fid in fragment_ids:
            entry = self.auto_reruns.pop(fid, None)
            if entry is not None:
                entry[1].cancel()

    async def _tick(self, fragment_id: str, interval: float) -> None:
        """setInterval(() => sendUpdateWidgetsMessage(fragmentId, true), interval)."""
        next_at = time.perf_counter() + interval
        while self.closed is None:
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
            next_at += interval
            if next_at < time.perf_counter():      # a late timer does not burst
                next_at = time.perf_counter() + interval
            try:
                await self._send_rerun(fragment_id=fragment_id, is_auto_rerun=True)
                self.fragment_reruns_sent += 1
            except Exception:  # noqa: BLE001 - the reader records the disconnect
                return

    # ------------------------------------------------------------------ sending

    def _widget_states(self, extra: list[WidgetState] = ()) -> list[WidgetState]:
        states = {}
        for wid, values in self.slider_values.items():
            ws = WidgetState(id=wid)
            ws.double_array_value.data.extend(values)
            states[wid] = ws
        for ws in extra:
            states[ws.id] = ws
        return list(states.values())

    async def _send_rerun(self, *, page_name: str = "", fragment_id: str = "",
                          is_auto_rerun: bool = False,
                          extra: list[WidgetState] = ()) -> None:
        cs = ClientState(
            query_string=self.query_string,
            page_script_hash="" if page_name else self.page_script_hash,
            page_name=page_name,
            fragment_id=fragment_id,
            is_auto_rerun=is_auto_rerun,
        )
        cs.widget_states.widgets.extend(self._widget_states(extra))
        cs.context_info.url = f"http://{self.host}:{self.port}/{page_name}"
        cs.context_info.timezone = "UTC"
        cs.context_info.locale = "en-US"
        await asyncio.wait_for(self.ws.send(BackMsg(rerun_script=cs).SerializeToString()), 10)

    async def _wait_run(self, sent_at: float, timeout: float, *, fragment: bool = False) -> Run:
        """The first run that started after ``sent_at`` and ended other than 'early'."""

        def pick(session: "Session") -> Run | None:
            for run in session.runs:
                if (run.started >= sent_at and bool(run.fragment_ids) == fragment
                        and run.done.is_set() and run.status != FINISHED_EARLY):
                    return run
            return None

        return await self.wait_for(pick, timeout, failure="no script_finished")

    async def open_page(self, page_name: str = "", *, query_string: str = "",
                        timeout: float = 30.0) -> Run:
        """What a browser does at ``/<page_name>?<query_string>``: the first rerun."""
        self.query_string = query_string
        self.slider_values.clear()
        sent = time.perf_counter()
        await self._send_rerun(page_name=page_name)
        run = await self._wait_run(sent, timeout)
        if page_name and not any(p.page_script_hash == self.page_script_hash
                                 and page_name in (p.url_pathname, p.page_name)
                                 for p in self.app_pages):
            raise ProtocolError(f"page {page_name!r} not opened: server ran "
                                f"{self.page_script_hash!r}; pages: {self.page_names()}")
        return run

    async def switch_page(self, url_pathname: str, *, timeout: float = 30.0) -> Run:
        """What a click on ``st.page_link`` does: a rerun naming the page's script hash
        (from the ``navigation`` message), with the old page's widget states dropped."""
        target = next((p for p in self.app_pages if url_pathname in (p.url_pathname, p.page_name)),
                      None)
        if target is None:
            raise ProtocolError(f"no page {url_pathname!r}; pages: {self.page_names()}")
        self._cancel_auto_reruns(list(self.auto_reruns))
        self.slider_values.clear()
        self.page_script_hash = target.page_script_hash
        sent = time.perf_counter()
        await self._send_rerun()
        run = await self._wait_run(sent, timeout)
        if self.page_script_hash != target.page_script_hash:
            raise ProtocolError(f"asked for {url_pathname!r}, server ran {self.page_script_hash!r}")
        return run

    def page_names(self) -> list[str]:
        return [p.url_pathname or p.page_name for p in self.app_pages]

    async def rerun(self, extra: list[WidgetState] = (), *, timeout: float = 30.0,
                    changed: str = "") -> tuple[Run, float]:
        """Send a rerun with the current widget states (plus ``extra``); return the run
        and the seconds from sending to its ``script_finished``. ``changed`` is the widget
        the user touched: inside an st.fragment, only that fragment reruns, as in the
        frontend."""
        fragment_id = self.widget_fragment.get(changed, "")
        sent = time.perf_counter()
        await self._send_rerun(extra=extra, fragment_id=fragment_id)
        run = await self._wait_run(sent, timeout, fragment=bool(fragment_id))
        if run.finished is None:       # the reader ended the run: the connection closed
            raise ConnectionError(self.closed or "connection closed during the run")
        return run, run.finished - sent

    async def set_slider(self, widget_id: str, value: float, *, timeout: float = 30.0):
        self.slider_values[widget_id] = [float(value)]
        return await self.rerun(timeout=timeout, changed=widget_id)

    async def click(self, widget_id: str, *, timeout: float = 30.0):
        return await self.rerun([WidgetState(id=widget_id, trigger_value=True)], timeout=timeout,
                                changed=widget_id)

    # ------------------------------------------------------------------ finding widgets

    def widget_by_key(self, kind: str, key: str):
        """The widget proto whose id carries the user ``key`` (ids end in ``-<key>``)."""
        for wid, widget in self.widgets.items():
            if wid.endswith("-" + key) and widget.DESCRIPTOR.name.lower() == kind.lower():
                return widget
        raise KeyError(f"no {kind} with key {key!r}; seen: {sorted(self.widgets)[:20]}")

    def sliders(self) -> list:
        return [w for w in self.widgets.values() if w.DESCRIPTOR.name == "Slider"]

    async def wait_for(self, predicate, timeout: float, *, failure: str = "condition not met"):
        """Wait until ``predicate(self)`` is true; return its value (TimeoutError, saying
        ``failure``, if not)."""
        deadline = time.perf_counter() + timeout
        async with self._changed:
            while True:
                value = predicate(self)
                if value:
                    return value
                if self.closed is not None:
                    raise ConnectionError(self.closed)
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise TimeoutError(f"{failure} within {timeout:.0f} s")
                try:
                    await asyncio.wait_for(self._changed.wait(), left)
                except TimeoutError:
                    pass
