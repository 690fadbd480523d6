"""A classroom on one server: 40 students at once, speaking Streamlit's own websocket protocol.

Run:  python bench/bench_classroom.py [--sessions 40] [--seconds 60]
      python bench/bench_classroom.py --replicas 1,2     (a class behind HAProxy; see below)
      python bench/bench_classroom.py --url http://127.0.0.1:8501

Starts ``streamlit run app.py`` on a free loopback port (and always stops it), the way
the browser tests do (tests/e2e/browser.py), then:

* Reference: 1 session, the same concept-page measurement as below (``--ref-seconds``),
  then one training run on the Live training page.
* Phase 1: ``--sessions`` sessions open a concept page (``--page``, a page file of
  ui/registry.py, default the Entropy page) at once; each moves a slider once a second for ``--seconds`` s, alternating between two
  values inside its range. Latency = from sending the ``rerun_script`` BackMsg to
  receiving that run's ``script_finished`` (FINISHED_SUCCESSFULLY). A session sends its
  next change on its next one-second tick after the previous run finished, so at most one
  rerun per session is in flight (a slower server gets fewer reruns, not interrupted ones).
* Phase 2: the same sessions follow the sidebar link to Live training and press Train
  with the default settings, all at once. The client runs the fragments' ``run_every``
  timers exactly as the frontend does (see bench/st_client.py). A run has finished when
  the page shows its end-of-run alert ("Finished the N epochs", "Stopped after ... s",
  "Training diverged"); bounded by ``--train-timeout``.
* Server memory: VmRSS of the server process and its children, from /proc, every 0.25 s;
  peak over the whole bench, and the final figure a few seconds after every session
  closed.

Errors counted: Exception elements in any delta, a script_finished other than success
(FINISHED_EARLY_FOR_RERUN is not an error, it is counted apart), disconnects, and
timeouts (no script_finished within ``--rerun-timeout``; in phase 2, no end of run within
``--train-timeout``). ``--st-option runner.postScriptGC=false`` (repeatable) passes an
option to ``streamlit run`` to measure a what-if without touching the config.
Targets: p95 <= 500 ms on the concept page with all sessions, zero errors, every training
run finished all its epochs, peak RSS <= 600 MB. Exit status 1 when one is missed.

Behind a proxy (``--url``, or ``--replicas 1,2`` to start deploy/local_cluster.py's HAProxy
and replicas itself): the largest class that keeps p95 <= 300 ms with zero errors, each
student with its own affinity cookie, found by trials of phase 1 (``--trial-seconds`` each)
growing by ``--step``; reported with the CPU of each replica, the proxy and this load
generator, and the load average. Then, on the last cluster, the fault: a class moves
sliders and one replica is SIGKILLed; its students must reconnect (as the frontend does:
/_stcore/health, a new websocket, the page's rerun) to a live replica within 10 s, and the
others must see no disconnect and no error. Target: 2 replicas carry >= 1.7x the students
of 1.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import random
import re
import statistics
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "deploy"))

import local_cluster  # noqa: E402  (deploy/local_cluster.py)
import st_client  # noqa: E402
import websockets.exceptions  # noqa: E402
from measure import percentile, tree_cpu_s, tree_rss_bytes  # noqa: E402
from tests.e2e import browser as b  # noqa: E402
from tests.e2e.browser import HOST, Server  # noqa: E402

CONCEPT_PAGE = "pages/1_Entropy.py"          # defaults, both files of ui/registry.py
TRAINING_PAGE = "pages/6_Live_training.py"
P95_TARGET_MS = 500.0
RSS_TARGET_MB = 600.0
END_OF_RUN = re.compile(r"^(Finished the \d+ epochs|Stopped after|Training diverged)")
PROGRESS = re.compile(r"^Epoch (\d+) of (\d+)")


# ----------------------------------------------------------------------------- the server

class RssSampler(threading.Thread):
    """The server's memory (VmRSS, MB of 10^6 bytes) every ``every`` s, and its CPU per phase."""

    def __init__(self, pid: int, every: float = 0.25):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.samples: list[tuple[float, str, float]] = []
        self._phase = "start"
        self.cpu: dict[str, float] = {}      # server CPU seconds per phase
        self.wall: dict[str, float] = {}
        self._mark = (time.perf_counter(), tree_cpu_s(pid))
        self._halt = threading.Event()

    @property
    def phase(self) -> str:
        return self._phase

    @phase.setter
    def phase(self, name: str) -> None:
        now, cpu = time.perf_counter(), tree_cpu_s(self.pid)
        self.wall[self._phase] = self.wall.get(self._phase, 0.0) + now - self._mark[0]
        self.cpu[self._phase] = self.cpu.get(self._phase, 0.0) + cpu - self._mark[1]
        self._mark = (now, cpu)
        self._phase = name

    def run(self) -> None:
        while not self._halt.is_set():
            self.samples.append((time.perf_counter(), self.phase, tree_rss_bytes(self.pid) / 1e6))
            self._halt.wait(self.every)

    def stop(self) -> None:
        self._halt.set()
        self.join(5)

    def peak(self, phase: str | None = None) -> float:
        values = [mb for _, ph, mb in self.samples if phase is None or ph == phase]
        return max(values, default=float("nan"))


# ----------------------------------------------------------------------------- measurements

@dataclass
class Errors:
    exceptions: int = 0
    bad_status: int = 0
    disconnects: int = 0
    timeouts: int = 0
    examples: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.exceptions + self.bad_status + self.disconnects + self.timeouts

    def note(self, kind: str, text: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        if len(self.examples) < 5:
            self.examples.append(f"{kind}: {text[:200]}")

    def check_run(self, run: st_client.Run, what: str) -> bool:
        for exc in run.exceptions:
            self.note("exceptions", f"{what}: {exc.type}: {exc.message}")
        if run.status not in (st_client.FINISHED_OK, st_client.FRAGMENT_OK,
                              st_client.FINISHED_EARLY):   # early: stopped for a newer run
            self.note("bad_status", f"{what}: {st_client.STATUS_NAMES.get(run.status, run.status)}")
        return run.ok

    def __str__(self) -> str:
        return (f"{self.total} (exceptions {self.exceptions}, error status {self.bad_status}, "
                f"disconnects {self.disconnects}, timeouts {self.timeouts})")


@dataclass
class ConceptResult:
    sessions: int
    opened: int = 0
    open_s: list[float] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    errors: Errors = field(default_factory=Errors)
    slider: str = ""
    cut_off: int = 0       # still running when the phase ended (younger than the timeout)
    sent: int = 0


@dataclass
class TrainResult:
    sessions: int
    opened: int = 0            # the training page loaded
    open_s: list[float] = field(default_factory=list)
    pressed: int = 0           # Train's run finished
    finished: int = 0          # reached an end-of-run alert
    all_epochs: int = 0        # ... and it was "Finished the N epochs"
    kinds: dict = field(default_factory=dict)
    seconds: list[float] = field(default_factory=list)
    epochs: list[int] = field(default_factory=list)
    fragment_runs: int = 0     # fragment runs completed
    early_runs: int = 0        # runs stopped early by a newer request (mostly ticks)
    ticks_sent: int = 0
    errors: Errors = field(default_factory=Errors)
    wall_s: float = 0.0


def pick_slider(session: st_client.Session, key: str | None):
    """The slider to move: ``key`` if given, else the first enabled numeric slider the
    page drew (this app's sidebar has none; on Entropy it is ``e_k``)."""
    if key:
        return session.widget_by_key("slider", key)
    for slider in session.sliders():
        if slider.type != st_client.SELECT_SLIDER and not slider.disabled:
            return slider
    raise LookupError("no slider on this page")


def two_values(slider) -> tuple[float, float]:
    """Two values inside the slider's range, a quarter from each end, on its step."""
    lo, hi, step = slider.min, slider.max, slider.step or 1.0

    def snap(v: float) -> float:
        return min(hi, max(lo, lo + round((v - lo) / step) * step))

    a, b = snap(lo + (hi - lo) / 4), snap(lo + 3 * (hi - lo) / 4)
    return (a, b) if a != b else (lo, hi)


async def open_sessions(server: Server, n: int, page: str, result, timeout: float):
    """Connect ``n`` sessions and open ``page`` in each, all at once.

    Behind a proxy (``server.affinity``) each session first gets its own cookies from
    /_stcore/health, as each student's browser does, so the proxy spreads them over its
    replicas and keeps each on its own."""
    affinity = getattr(server, "affinity", False)
    xsrf = None if affinity else st_client.xsrf_cookie(server.url)

    async def one(i: int):
        t0 = time.perf_counter()
        session = None
        try:
            cookies = (await asyncio.to_thread(st_client.http_cookies, server.url)
                       if affinity else None)
            session = st_client.Session(getattr(server, "host", HOST), server.port, xsrf=xsrf,
                                        cookies=cookies)
            await session.connect()
            run = await session.open_page(page, timeout=timeout)
        except (TimeoutError, ConnectionError, OSError, st_client.ProtocolError) as exc:
            kind = "timeouts" if isinstance(exc, TimeoutError) else "disconnects"
            result.errors.note(kind, f"session {i} opening {page}: {exc}")
            if session is not None:
                await session.close()
            return None
        result.errors.check_run(run, f"session {i} opening {page}")
        result.open_s.append(time.perf_counter() - t0)
        return session

    sessions = await asyncio.gather(*(one(i) for i in range(n)))
    return [s for s in sessions if s is not None]


async def concept_phase(sessions: list[st_client.Session], result: ConceptResult, *,
                        seconds: float, slider_key: str | None, rerun_timeout: float,
                        seed: int, grace: float = 5.0) -> None:
    """Each session moves its slider once a second for ``seconds`` s."""
    rng = random.Random(seed)
    t_start = time.perf_counter() + 0.5
    t_end = t_start + seconds

    async def student(i: int, session: st_client.Session, offset: float):
        try:
            slider = pick_slider(session, slider_key)
        except (KeyError, LookupError) as exc:
            result.errors.note("exceptions", f"session {i}: {exc}")
            return
        result.slider = user_key(slider.id)
        values = two_values(slider)
        tick, n = t_start + offset, 0
        while tick < t_end:
            await asyncio.sleep(max(0.0, tick - time.perf_counter()))
            limit = min(rerun_timeout, t_end + grace - time.perf_counter())
            result.sent += 1
            try:
                run, latency = await session.set_slider(slider.id, values[n % 2],
                                                        timeout=max(0.5, limit))
            except TimeoutError as exc:
                if limit < rerun_timeout:
                    result.cut_off += 1
                    return
                result.errors.note("timeouts", f"session {i}: {exc}")
            except ConnectionError as exc:
                result.errors.note("disconnects", f"session {i}: {exc}")
                return
            else:
                if result.errors.check_run(run, f"session {i} rerun"):
                    result.latencies_ms.append(latency * 1000)
            n += 1
            tick += 1.0
            while tick < time.perf_counter():     # the run took longer than a tick
                tick += 1.0

    await asyncio.gather(*(student(i, s, rng.random()) for i, s in enumerate(sessions)))


def user_key(widget_id: str) -> str:
    """The user key at the end of a widget id: ``$$ID-<hash>-<key>``."""
    return widget_id.split("-", 2)[-1]


def end_of_run_alert(run: st_client.Run) -> str | None:
    """The text of the page's end-of-run alert, if this run drew it."""
    for alert in run.of_type("alert"):
        if END_OF_RUN.match(alert.body):
            return alert.body
    return None


def epochs_shown(run: st_client.Run) -> int:
    """The epoch in this run's progress text ("Epoch 35 of 150 ..."), 0 if none."""
    for progress in run.of_type("progress"):
        match = PROGRESS.match(progress.text)
        if match:
            return int(match.group(1))
    return 0


async def training_phase(sessions: list[st_client.Session], result: TrainResult, *,
                         page: str, timeout: float, rerun_timeout: float) -> None:
    """Each session follows the link to ``page`` and presses Train, all at once."""
    t_phase = time.perf_counter()

    async def student(i: int, session: st_client.Session):
        ended = asyncio.Event()
        state = {"epochs": 0, "text": None}
        frag0 = session.runs_done["fragment"]
        early0 = session.runs_done["early"]
        sent0 = session.fragment_reruns_sent
        bad0 = len(session.bad_runs)

        def watch(run: st_client.Run) -> None:   # called by the client as each run ends
            state["epochs"] = max(state["epochs"], epochs_shown(run))
            text = end_of_run_alert(run)
            if text and state["text"] is None:
                state["text"] = text
                ended.set()

        try:
            def left() -> float:     # page loads and Train share the phase's time bound
                return max(0.5, timeout - (time.perf_counter() - t_phase))

            t_open = time.perf_counter()
            run = await session.switch_page(page, timeout=left())
            result.errors.check_run(run, f"session {i} opening {page}")
            result.opened += 1
            result.open_s.append(time.perf_counter() - t_open)
            button = session.widget_by_key("button", "t_train")
            pressed = time.perf_counter()
            session.on_run_done = watch
            run, _ = await session.click(button.id, timeout=left())
            result.errors.check_run(run, f"session {i} Train")
            result.pressed += 1
            while not ended.is_set():
                if session.closed is not None:
                    raise ConnectionError(session.closed)
                if time.perf_counter() - t_phase > timeout:
                    raise TimeoutError(f"no end of run within {timeout:.0f} s of the phase")
                try:
                    await asyncio.wait_for(ended.wait(), min(1.0, left()))
                except TimeoutError:
                    pass
            result.finished += 1
            result.seconds.append(time.perf_counter() - pressed)
            result.kinds[state["text"].split(" ")[0]] = result.kinds.get(
                state["text"].split(" ")[0], 0) + 1
            if state["text"].startswith("Finished the"):
                result.all_epochs += 1
        except TimeoutError as exc:
            result.errors.note("timeouts", f"session {i} training (epoch {state['epochs']}): {exc}")
        except (ConnectionError, OSError) as exc:
            result.errors.note("disconnects", f"session {i} training: {exc}")
        except (st_client.ProtocolError, KeyError) as exc:
            result.errors.note("exceptions", f"session {i} training: {exc}")
        finally:
            session.on_run_done = None
            result.epochs.append(state["epochs"])
            result.fragment_runs += session.runs_done["fragment"] - frag0
            result.early_runs += session.runs_done["early"] - early0
            result.ticks_sent += session.fragment_reruns_sent - sent0
            for run in session.bad_runs[bad0:]:
                if run.fragment_ids:      # full runs were checked above
                    result.errors.check_run(run, f"session {i} fragment run")

    await asyncio.gather(*(student(i, s) for i, s in enumerate(sessions)))
    result.wall_s = time.perf_counter() - t_phase


# ----------------------------------------------------------------------------- the bench

async def bench(server: Server, sampler: RssSampler, args) -> dict:
    out: dict = {}
    concept, training = b.url_path(args.page), b.url_path(args.train_page)

    # Reference: one session alone.
    sampler.phase = "ref-open"
    ref = ConceptResult(1)
    ref_sessions = await open_sessions(server, 1, concept, ref, args.open_timeout)
    ref.opened = len(ref_sessions)
    sampler.phase = "ref-concept"
    await concept_phase(ref_sessions, ref, seconds=args.ref_seconds, slider_key=args.slider,
                        rerun_timeout=args.rerun_timeout, seed=1)
    ref_train = TrainResult(1)
    sampler.phase = "ref-training"
    await training_phase(ref_sessions, ref_train, page=training,
                         timeout=args.ref_train_timeout, rerun_timeout=args.rerun_timeout)
    for s in ref_sessions:
        await s.close()
    out["ref"], out["ref_train"] = ref, ref_train

    # Phase 1: the class on a concept page.
    sampler.phase = "open"
    many = ConceptResult(args.sessions)
    sessions = await open_sessions(server, args.sessions, concept, many, args.open_timeout)
    many.opened = len(sessions)
    sampler.phase = "concept"
    try:
        await concept_phase(sessions, many, seconds=args.seconds, slider_key=args.slider,
                            rerun_timeout=args.rerun_timeout, seed=2)
        out["many"] = many
        # Phase 2: everyone presses Train.
        sampler.phase = "training"
        train = TrainResult(len(sessions))
        await training_phase(sessions, train, page=training, timeout=args.train_timeout,
                             rerun_timeout=args.rerun_timeout)
        out["train"] = train
    finally:
        sampler.phase = "closing"
        await asyncio.gather(*(s.close() for s in sessions))
    sampler.phase = "after"
    await asyncio.sleep(args.settle)
    return out


def fmt_ms(v: float) -> str:
    return "–" if v != v else f"{v:.0f}"


def report(out: dict, sampler: RssSampler, args, cold_start: float, client_cpu: float) -> bool:
    ref, many = out["ref"], out["many"]
    ref_train, train = out["ref_train"], out["train"]
    p50_1, p95_1 = percentile(ref.latencies_ms, 50), percentile(ref.latencies_ms, 95)
    p50_n, p95_n = percentile(many.latencies_ms, 50), percentile(many.latencies_ms, 95)
    ratio = p95_n / p95_1 if p95_1 else float("nan")
    errors = ref.errors.total + many.errors.total + train.errors.total + ref_train.errors.total
    peak = sampler.peak()
    final = [mb for _, ph, mb in sampler.samples if ph == "after"]
    final_mb = final[-1] if final else float("nan")
    n = args.sessions

    def per_run_ms(phase: str, runs: int) -> str:
        return f"{1000 * sampler.cpu.get(phase, 0) / runs:.0f}" if runs else "–"

    def busy(phase: str) -> str:
        wall = sampler.wall.get(phase, 0)
        return f"{sampler.cpu.get(phase, 0) / wall:.2f}" if wall else "–"

    checks = {
        "p95": p95_n <= P95_TARGET_MS,
        "errors": errors == 0 and many.opened == n,
        "training": train.all_epochs == n,
        "rss": peak <= RSS_TARGET_MB,
    }

    def yn(ok: bool) -> str:
        return "met" if ok else "**missed**"

    rows = [
        ("page opened (first load), median s", f"{statistics.median(ref.open_s):.2f}"
         if ref.open_s else "–", f"{statistics.median(many.open_s):.2f}" if many.open_s else "–",
         "", ""),
        (f"concept page `{b.url_path(args.page)}`, slider `{many.slider or ref.slider}`: reruns sent / "
         "measured / cut off at the end", f"{ref.sent} / {len(ref.latencies_ms)} / {ref.cut_off}",
         f"{many.sent} / {len(many.latencies_ms)} / {many.cut_off}",
         f"≈ {n} × {args.seconds:.0f}", ""),
        ("rerun latency p50, ms", fmt_ms(p50_1), fmt_ms(p50_n), "", ""),
        ("rerun latency p95, ms", fmt_ms(p95_1), f"**{fmt_ms(p95_n)}**", f"≤ {P95_TARGET_MS:.0f}",
         yn(checks["p95"])),
        ("p95(40) / p95(1)" if n == 40 else f"p95({n}) / p95(1)", "1.00", f"{ratio:.1f}", "", ""),
        ("errors (exceptions, error status, disconnects, timeouts)",
         str(ref.errors.total + ref_train.errors.total),
         str(many.errors.total + train.errors.total), "0", yn(checks["errors"])),
        ("server CPU per concept rerun, ms", per_run_ms("ref-concept", len(ref.latencies_ms)),
         per_run_ms("concept", len(many.latencies_ms)), "", ""),
        ("server CPU busy during the phase, cores", busy("ref-concept"), busy("concept"), "", ""),
        ("training page opened / Train run finished", f"{ref_train.opened} / {ref_train.pressed}",
         f"{train.opened} / {train.pressed}", "", ""),
        ("training page load (sidebar link), median s",
         f"{statistics.median(ref_train.open_s):.2f}" if ref_train.open_s else "–",
         f"{statistics.median(train.open_s):.2f}" if train.open_s else "–", "", ""),
        ("training runs finished (end-of-run alert)", f"{ref_train.finished}/1",
         f"{train.finished}/{train.sessions}", "", ""),
        ("… of them all epochs (not stopped by the 30 s limit)", f"{ref_train.all_epochs}/1",
         f"**{train.all_epochs}/{train.sessions}**", "all", yn(checks["training"])),
        ("time from Train to end of run, median / max s",
         " / ".join(f"{f(ref_train.seconds):.1f}" for f in (statistics.median, max))
         if ref_train.seconds else "–",
         " / ".join(f"{f(train.seconds):.1f}" for f in (statistics.median, max))
         if train.seconds else "–", "", ""),
        ("epochs reached, min / median", f"{min(ref_train.epochs, default=0)} / "
         f"{statistics.median(ref_train.epochs) if ref_train.epochs else 0:g}",
         f"{min(train.epochs, default=0)} / "
         f"{statistics.median(train.epochs) if train.epochs else 0:g}", "", ""),
        ("run_every ticks sent / fragment runs completed / runs stopped early by a tick",
         f"{ref_train.ticks_sent} / {ref_train.fragment_runs} / {ref_train.early_runs}",
         f"{train.ticks_sent} / {train.fragment_runs} / {train.early_runs}", "", ""),
        ("server RSS peak, MB", f"{max(sampler.peak(p) for p in ('ref-open', 'ref-concept', 'ref-training')):.0f}",
         f"**{peak:.0f}**",
         f"≤ {RSS_TARGET_MB:.0f}", yn(checks["rss"])),
        (f"server RSS final ({args.settle:.0f} s after all closed), MB", "", f"{final_mb:.0f}",
         "", ""),
    ]
    print()
    if args.st_option:
        print("server options:", " ".join(args.st_option))
    print(f"date {datetime.date.today()} · {os.cpu_count()} cores · load average "
          f"{os.getloadavg()[0]:.1f} · server cold start to health {cold_start:.1f} s · "
          f"bench client CPU {client_cpu:.0f} s")
    print()
    print(f"| measure | 1 session | {n} sessions | target | |")
    print("|---|---:|---:|---:|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    for phase in ("open", "concept", "training"):
        print(f"{phase}: RSS peak {sampler.peak(phase):.0f} MB, server CPU "
              f"{sampler.cpu.get(phase, 0):.0f} s in {sampler.wall.get(phase, 0):.0f} s")
    if train.kinds:
        print("end-of-run alerts:", ", ".join(f"{k}: {v}" for k, v in sorted(train.kinds.items())))
    for name, res in (("reference", ref), ("reference training", ref_train),
                      ("concept", many), ("training", train)):
        if res.errors.total:
            print(f"errors in {name}: {res.errors}")
            for example in res.errors.examples:
                print("   ", example)
    missed = [k for k, ok in checks.items() if not ok]
    print("targets:", "all met" if not missed else "missed: " + ", ".join(missed))
    return not missed


# ----------------------------------------------------------------------------- behind a proxy

CLASS_P95_MS = 300.0        # the class-size search's bar: p95 at most this, and zero errors
RECONNECT_TARGET_S = 10.0
COOKIE = "ce_replica"           # deploy/haproxy.cfg.in's affinity cookie
DISCONNECTED = (ConnectionError, OSError, websockets.exceptions.WebSocketException,
                st_client.ProtocolError)


@dataclass
class Target:
    """Where the students connect (a proxy with cookie affinity), and the processes whose CPU
    the bench reports: {"app1": pid, ..., "proxy": pid}, empty for a remote URL."""

    url: str
    pids: dict = field(default_factory=dict)
    affinity: bool = True

    @property
    def host(self) -> str:
        return urllib.parse.urlsplit(self.url).hostname or HOST

    @property
    def port(self) -> int:
        parts = urllib.parse.urlsplit(self.url)
        return parts.port or (443 if parts.scheme == "https" else 80)


def cluster_target(cluster) -> Target:
    pids = {r.name: r.process.pid for r in cluster.replicas}
    pids["proxy"] = cluster.proxy.process.pid
    return Target(cluster.url, pids)


def cpu_now(target: Target) -> dict[str, float]:
    """CPU seconds so far of each watched process, and of this load generator."""
    now = {name: tree_cpu_s(pid) for name, pid in target.pids.items()}
    now["load generator"] = time.process_time()
    return now


@dataclass
class Trial:
    """One class size, moving sliders for a while: its latencies, errors and CPU."""

    students: int
    result: ConceptResult
    cpu: dict          # CPU seconds during the moving phase, per process
    wall_s: float
    load: tuple        # os.getloadavg() at the end

    @property
    def p95(self) -> float:
        return percentile(self.result.latencies_ms, 95)

    @property
    def ok(self) -> bool:
        return (self.result.errors.total == 0 and self.result.opened == self.students
                and self.p95 <= CLASS_P95_MS)

    def replica_cpu_per_rerun_ms(self) -> float:
        replicas = sum(v for k, v in self.cpu.items() if k.startswith("app"))
        runs = len(self.result.latencies_ms)
        return 1000 * replicas / runs if runs else float("nan")

    def line(self) -> str:
        cores = ", ".join(f"{k} {v / self.wall_s:.2f}" for k, v in self.cpu.items())
        return (f"{self.students:4d} students: p95 {fmt_ms(self.p95)} ms, p50 "
                f"{fmt_ms(percentile(self.result.latencies_ms, 50))} ms, "
                f"{len(self.result.latencies_ms)} reruns, errors {self.result.errors.total}, "
                f"{'pass' if self.ok else 'FAIL'} · cores busy: {cores} · "
                f"load average {self.load[0]:.2f}")


async def class_trial(target: Target, n: int, args, seed: int) -> Trial:
    """``n`` students open the concept page through ``target`` and move its slider once a
    second for ``args.trial_seconds`` s (phase 1 of the bench, as it is)."""
    result = ConceptResult(n)
    sessions = await open_sessions(target, n, b.url_path(args.page), result, args.open_timeout)
    result.opened = len(sessions)
    before, t0 = cpu_now(target), time.perf_counter()
    try:
        if result.opened == n:
            await concept_phase(sessions, result, seconds=args.trial_seconds,
                                slider_key=args.slider, rerun_timeout=args.rerun_timeout,
                                seed=seed)
    finally:
        wall = time.perf_counter() - t0
        after = cpu_now(target)
        await asyncio.gather(*(s.close() for s in sessions))
    cpu = {k: after[k] - before[k] for k in after}
    return Trial(n, result, cpu, max(wall, 1e-9), os.getloadavg())


async def largest_class(target: Target, args, start: int, label: str) -> list[Trial]:
    """The largest class with p95 <= 300 ms and zero errors: from ``start``, up by ``--step``
    students until a trial fails (or halving until one passes), then bisection of the gap
    down to ``--resolution`` students."""
    trials: dict[int, Trial] = {}

    async def run(n: int) -> bool:
        trial = await class_trial(target, n, args, seed=n)
        trials[n] = trial
        print(f"  [{label}] {trial.line()}", flush=True)
        await asyncio.sleep(args.pause)
        return trial.ok

    passed, failed, n = 0, None, max(1, start)
    while n <= args.max_students:              # bracket the answer
        if await run(n):
            passed = n
            if failed is not None:
                break
            n += args.step
        else:
            failed = n
            if passed or n == 1:
                break
            n = max(1, n // 2)
    while failed is not None and failed - passed > args.resolution:
        n = (passed + failed) // 2
        if n in (passed, 0):
            break
        if await run(n):
            passed = n
        else:
            failed = n
    return [trials[k] for k in sorted(trials)]


def capacity(trials: list[Trial]) -> int:
    """The largest passing class below the smallest failing one above it (0 if none)."""
    best = 0
    for trial in sorted(trials, key=lambda t: t.students):
        if trial.ok:
            best = trial.students
        elif best:
            break
    return best


# ----------------------------------------------------------------------------- a replica killed

@dataclass
class FaultResult:
    students: int
    victim: str = ""
    on_victim: int = 0                 # students whose replica cookie was the victim's
    lost: int = 0                      # connections the kill closed
    lost_elsewhere: int = 0            # ... of students on a live replica: must be 0
    reconnect_s: list[float] = field(default_factory=list)   # kill -> first run on a live one
    moved_to_live: int = 0             # reconnected with another replica's cookie
    not_back: int = 0                  # still not reconnected at the end
    others: Errors = field(default_factory=Errors)       # students on live replicas
    victims: Errors = field(default_factory=Errors)      # the victim's (bar the kill itself)
    before_ms: list[float] = field(default_factory=list)  # everyone, before the kill
    after_ms: list[float] = field(default_factory=list)   # the others, after the kill
    moved_ms: list[float] = field(default_factory=list)   # the victim's, once reconnected
    result: ConceptResult | None = None


async def reconnect(target: Target, cookies: dict, page: str, args, until: float):
    """What the frontend does when its websocket closes: ask /_stcore/health again (the
    proxy sends the dead replica's cookie elsewhere and sets a new one), reconnect, rerun
    the page; retried every 0.25 s until ``until``."""
    while time.perf_counter() < until:
        session = None
        try:
            cookies = await asyncio.to_thread(st_client.http_cookies, target.url, cookies, 2.0)
            session = st_client.Session(target.host, target.port, cookies=cookies)
            await session.connect(timeout=2.0)
            run = await session.open_page(page, timeout=max(0.5, until - time.perf_counter()))
            if run.ok:
                return session, cookies
        except (TimeoutError, *DISCONNECTED):
            pass
        if session is not None:
            await session.close()
        await asyncio.sleep(0.25)
    return None, cookies


@dataclass
class FaultClock:
    """What every student of the fault phase shares."""

    target: Target
    page: str
    args: argparse.Namespace
    fault: FaultResult
    victim_cookie: str | None
    t0: float
    t_kill: float
    t_end: float
    sessions: list
    killed: asyncio.Event = field(default_factory=asyncio.Event)


async def fault_phase(cluster, n: int, args) -> FaultResult:
    """``n`` students move sliders through the proxy; ``--kill-after`` s in, the last replica
    is SIGKILLed. Its students must be back on a live replica within 10 s; the others must
    not notice (no disconnect, no error)."""
    target, page = cluster_target(cluster), b.url_path(args.page)
    fault = FaultResult(n, victim=cluster.replicas[-1].name)
    fault.result = ConceptResult(n)
    sessions = await open_sessions(target, n, page, fault.result, args.open_timeout)
    if len(sessions) != n:
        fault.others.note("disconnects", f"only {len(sessions)} of {n} sessions opened")
        await asyncio.gather(*(s.close() for s in sessions))
        return fault
    t0 = time.perf_counter() + 0.5
    clock = FaultClock(target, page, args, fault, replica_cookie(cluster, -1), t0,
                       t0 + args.kill_after, t0 + args.fault_seconds, sessions)

    async def killer():
        await asyncio.sleep(max(0.0, clock.t_kill - time.perf_counter()))
        cluster.kill(len(cluster.replicas) - 1)
        clock.killed.set()

    rng = random.Random(3)
    try:
        await asyncio.gather(killer(), *(fault_student(clock, i, s, rng.random())
                                         for i, s in enumerate(list(sessions))))
    finally:
        await asyncio.gather(*(s.close() for s in sessions))
    return fault


async def fault_student(clock: FaultClock, i: int, session, offset: float) -> None:
    """One student of the fault phase: a move a second; when the kill closes its
    connection, back to a live replica as the frontend would, and on."""
    fault, args = clock.fault, clock.args
    cookies = dict(session.cookies)
    on_victim = cookies.get(COOKIE) == clock.victim_cookie
    fault.on_victim += on_victim
    moved = False
    values = two_values(pick_slider(session, args.slider))
    tick, k = clock.t0 + offset, 0
    while tick < clock.t_end:
        await asyncio.sleep(max(0.0, tick - time.perf_counter()))
        errors = fault.victims if on_victim else fault.others
        try:
            slider = pick_slider(session, args.slider)
            run, latency = await session.set_slider(slider.id, values[k % 2],
                                                    timeout=args.rerun_timeout)
        except TimeoutError as exc:
            errors.note("timeouts", f"student {i}: {exc}")
        except DISCONNECTED as exc:
            if not on_victim or moved:        # the fault reached a live replica
                errors.note("disconnects", f"student {i}: {exc}")
                fault.lost_elsewhere += not on_victim
                return
            fault.lost += 1
            await session.close()
            session, cookies = await reconnect(clock.target, cookies, clock.page, args,
                                               until=clock.t_kill + 3 * RECONNECT_TARGET_S)
            if session is None:
                fault.not_back += 1
                return
            fault.reconnect_s.append(time.perf_counter() - clock.t_kill)
            fault.moved_to_live += cookies.get(COOKIE) not in (None, clock.victim_cookie)
            moved = True
            clock.sessions.append(session)
            values = two_values(pick_slider(session, args.slider))
        else:
            if errors.check_run(run, f"student {i} rerun"):
                (fault.moved_ms if moved else fault.after_ms if clock.killed.is_set()
                 else fault.before_ms).append(latency * 1000)
        k += 1
        tick += 1.0
        while tick < time.perf_counter():     # the run took longer than a tick
            tick += 1.0


def replica_cookie(cluster, index: int) -> str | None:
    """The affinity cookie value HAProxy gives replica ``index``: health requests are sent until
    the stats show the one that landed there (each GET without a cookie is balanced anew)."""
    name = cluster.replicas[index].name
    for _ in range(4 * len(cluster.replicas)):
        before = int(cluster.servers()[name]["stot"])
        cookie = st_client.http_cookies(cluster.url).get(COOKIE)
        if int(cluster.servers()[name]["stot"]) > before:
            return cookie
    return None


# ----------------------------------------------------------------------------- the class-size bench

def warm_up(target: Target, replicas: int, args) -> None:
    """Each replica builds its caches (first page run, imports) before anything is timed."""
    asyncio.run(class_trial(target, 2 * replicas, argparse.Namespace(
        **{**vars(args), "trial_seconds": 3.0}), seed=0))


def class_size_bench(args) -> int:
    """``--url``: the largest class at that address. ``--replicas 1,2``: a local cluster of
    each size in turn (deploy/local_cluster.py), the same search through its proxy, then the
    fault on the last one."""
    local_cluster._stop_on_signals()      # SIGTERM ends the bench through ``with Cluster``
    started = time.perf_counter()
    runs: list[tuple[str, list[Trial]]] = []
    fault = None
    if args.url:
        target = Target(args.url.rstrip("/"))
        warm_up(target, 1, args)
        runs.append((args.url, asyncio.run(largest_class(target, args, args.start, args.url))))
    for count in args.replicas:
        with local_cluster.Cluster(count, st_options=args.st_option) as cluster:
            target = cluster_target(cluster)
            print(f"--- {count} replica(s) behind HAProxy at {cluster.url}", flush=True)
            warm_up(target, count, args)
            start = max([args.start] + [capacity(t) for _, t in runs])
            label = f"{count} replica{'s' if count > 1 else ''}"
            runs.append((label, asyncio.run(largest_class(target, args, start, label))))
            if count == args.replicas[-1] and count >= 2 and not args.no_fault:
                n = args.fault_students or max(4, capacity(runs[0][1]))
                print(f"--- fault: {n} students, {cluster.replicas[-1].name} SIGKILLed "
                      f"{args.kill_after:.0f} s in", flush=True)
                fault = asyncio.run(fault_phase(cluster, n, args))
    ok = report_class_sizes(runs, fault)
    print(f"bench took {time.perf_counter() - started:.0f} s")
    return 0 if ok else 1


def report_class_sizes(runs: list[tuple[str, list[Trial]]], fault: FaultResult | None) -> bool:
    print()
    print(f"date {datetime.date.today()} · {os.cpu_count()} cores · load average now "
          f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print()
    print("| set-up | largest class (p95 ≤ 300 ms, 0 errors) | p95 there, ms | reruns/s | "
          "replica CPU per rerun, ms | cores busy: replicas / proxy / load generator | "
          "load average (1 min) |")
    print("|---|---:|---:|---:|---:|---|---:|")
    sizes = []
    for label, trials in runs:
        best = capacity(trials)
        sizes.append(best)
        t = next((x for x in trials if x.students == best), None)
        if t is None:
            print(f"| {label} | 0 | – | – | – | – | – |")
            continue
        reps = sum(v for k, v in t.cpu.items() if k.startswith("app")) / t.wall_s
        print(f"| {label} | **{best}** | {fmt_ms(t.p95)} | "
              f"{len(t.result.latencies_ms) / t.wall_s:.0f} | {t.replica_cpu_per_rerun_ms():.1f} | "
              f"{reps:.2f} / {t.cpu.get('proxy', 0) / t.wall_s:.2f} / "
              f"{t.cpu['load generator'] / t.wall_s:.2f} | {t.load[0]:.2f} |")
    checks = {"every class size passed somewhere": all(sizes)}
    if len(sizes) >= 2 and sizes[0]:
        ratio = sizes[-1] / sizes[0]
        print(f"\n{runs[-1][0]} carry {ratio:.2f}× the students of {runs[0][0]} (target ≥ 1.7)")
        checks["2 replicas ≥ 1.7× 1"] = ratio >= 1.7
    print("\ntrials:")
    for label, trials in runs:
        for t in trials:
            print(f"  [{label}] {t.line()}")
            for example in t.result.errors.examples[:2]:
                print("      ", example)
    if fault is not None:
        checks.update(report_fault(fault))
    missed = [k for k, ok in checks.items() if not ok]
    print("targets:", "all met" if not missed else "missed: " + "; ".join(missed))
    return not missed


def report_fault(fault: FaultResult) -> dict[str, bool]:
    back = fault.reconnect_s
    print(f"\nfault: {fault.students} students, {fault.victim} SIGKILLed; "
          f"{fault.on_victim} were on it")
    print(f"  connections closed by the kill: {fault.lost} (of students on live replicas: "
          f"{fault.lost_elsewhere})")
    print(f"  reconnected to a live replica: {fault.moved_to_live} of {fault.lost}; not back: "
          f"{fault.not_back}; kill → first run on a live replica, s: "
          + (f"median {statistics.median(back):.2f}, max {max(back):.2f}" if back else "–"))
    print(f"  errors, students on live replicas: {fault.others}")
    print(f"  errors, the killed replica's students (besides the kill): {fault.victims}")
    for example in (fault.others.examples + fault.victims.examples)[:4]:
        print("      ", example)
    print(f"  p95 ms: everyone before the kill {fmt_ms(percentile(fault.before_ms, 95))}; "
          f"the others after it {fmt_ms(percentile(fault.after_ms, 95))}; the moved students "
          f"once back {fmt_ms(percentile(fault.moved_ms, 95))}")
    return {
        "the killed replica had students": fault.on_victim > 0,
        f"its students back within {RECONNECT_TARGET_S:.0f} s": (
            fault.not_back == 0 and fault.moved_to_live == fault.lost == fault.on_victim
            and bool(back) and max(back) <= RECONNECT_TARGET_S),
        "the others saw nothing": fault.others.total == 0 and fault.lost_elsewhere == 0,
        "no errors after reconnecting": fault.victims.total == 0,
    }


def add_class_size_options(parser: argparse.ArgumentParser) -> None:
    size = parser.add_argument_group(
        "class size behind a proxy", "the largest class with p95 <= 300 ms and zero errors "
        "on the concept page (phase 1, without training), found by trials of growing size")
    size.add_argument("--url", help="search at this address (a proxy, e.g. compose's "
                      "http://127.0.0.1:8501) instead of starting a server")
    size.add_argument("--replicas", type=replica_counts, default=[], metavar="1,2",
                      help="start a local cluster (deploy/local_cluster.py) of each size in "
                      "turn, search through its proxy, then kill a replica of the last one")
    size.add_argument("--trial-seconds", type=float, default=15.0, help="one trial's moves, s")
    size.add_argument("--start", type=int, default=10, help="first class size")
    size.add_argument("--step", type=int, default=10, help="students added per trial")
    size.add_argument("--resolution", type=int, default=4,
                      help="bisect until the largest pass and smallest failure are this close")
    size.add_argument("--max-students", type=int, default=300)
    size.add_argument("--pause", type=float, default=2.0, help="s between trials")
    size.add_argument("--no-fault", action="store_true", help="skip the killed replica")
    size.add_argument("--fault-students", type=int, default=0,
                      help="class for the fault (default: what 1 replica carried)")
    size.add_argument("--kill-after", type=float, default=8.0, help="s into the fault phase")
    size.add_argument("--fault-seconds", type=float, default=30.0)


def replica_counts(text: str) -> list[int]:
    try:
        counts = [int(x) for x in text.split(",")]
    except ValueError:
        counts = []
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError(f"write replica counts like 1,2, not {text!r}")
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=60.0, help="phase 1 length")
    parser.add_argument("--ref-seconds", type=float, default=15.0, help="1-session length")
    pages = b.registry().page_files()
    parser.add_argument("--page", default=CONCEPT_PAGE, choices=pages, metavar="FILE",
                        help=f"concept page, a file of ui/registry.py (default {CONCEPT_PAGE})")
    parser.add_argument("--slider", default=None, help="slider key (default: the first)")
    parser.add_argument("--train-page", default=TRAINING_PAGE, choices=pages, metavar="FILE",
                        help=f"the page with the Train button (default {TRAINING_PAGE})")
    parser.add_argument("--train-timeout", type=float, default=75.0,
                        help="phase 2 bound, s: page load + Train + training")
    parser.add_argument("--ref-train-timeout", type=float, default=40.0)
    parser.add_argument("--open-timeout", type=float, default=60.0)
    parser.add_argument("--rerun-timeout", type=float, default=30.0)
    parser.add_argument("--settle", type=float, default=5.0, help="s before the final RSS")
    parser.add_argument("--st-option", action="append", default=[], metavar="KEY=VALUE",
                        help="extra `streamlit run` option to try, e.g. runner.postScriptGC=false")
    parser.add_argument("--deadline", type=float, default=285.0, help="whole bench, s")
    add_class_size_options(parser)
    args = parser.parse_args()
    if args.url or args.replicas:
        try:
            return class_size_bench(args)
        except KeyboardInterrupt as stop:          # Ctrl-C, SIGTERM: the clusters are stopped
            print(f"bench stopped ({stop or 'Ctrl-C'})", file=sys.stderr)
            return 130

    bench_start = time.perf_counter()
    server = b.start_server("app.py", args.st_option)
    sampler = None
    try:
        b.wait_healthy(server)
        cold_start = time.perf_counter() - bench_start
        print(f"server on {server.url} (pid {server.process.pid}), healthy after "
              f"{cold_start:.1f} s; log {server.log}", flush=True)
        sampler = RssSampler(server.process.pid)
        sampler.start()
        cpu0 = time.process_time()
        left = args.deadline - (time.perf_counter() - bench_start)
        try:
            out = asyncio.run(asyncio.wait_for(bench(server, sampler, args), left))
        except TimeoutError:
            print(f"bench stopped by its {args.deadline:.0f} s deadline", file=sys.stderr)
            return 2
        client_cpu = time.process_time() - cpu0
        sampler.stop()
        ok = report(out, sampler, args, cold_start, client_cpu)
    finally:
        try:
            if sampler is not None:
                sampler.stop()
        finally:
            b.stop_server(server)
    print(f"bench took {time.perf_counter() - bench_start:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
