"""A classroom on one server: 40 students at once, speaking Streamlit's own websocket protocol.

Run:  python bench/bench_classroom.py [--sessions 40] [--seconds 60]

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
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import st_client  # noqa: E402
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
    """Connect ``n`` sessions and open ``page`` in each, all at once."""
    xsrf = st_client.xsrf_cookie(server.url)

    async def one(i: int):
        session = st_client.Session(HOST, server.port, xsrf=xsrf)
        t0 = time.perf_counter()
        try:
            await session.connect()
            run = await session.open_page(page, timeout=timeout)
        except (TimeoutError, ConnectionError, OSError, st_client.ProtocolError) as exc:
            kind = "timeouts" if isinstance(exc, TimeoutError) else "disconnects"
            result.errors.note(kind, f"session {i} opening {page}: {exc}")
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
    args = parser.parse_args()

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
