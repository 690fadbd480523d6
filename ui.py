"""Streamlit helpers every page calls: page setup, sidebar, formatting, "show the code".

Pages stay flat scripts: ``unit = ui.page_setup("Entropy")`` at the top, then
widgets, a ce_core call, and drawing. No math here: numbers are converted to the
chosen unit by ``ce_core.to_unit``.
"""

from __future__ import annotations

import functools
import gc
import inspect
import math
import re
import sys
from pathlib import Path

import streamlit as st

import ce_core

ROOT = Path(__file__).parent

#: Sidebar label and Material icon per page file; files in pages/ missing here
#: still get a link, labelled from their file name.
PAGE_INFO = {
    "app.py": ("Start here", ":material/home:"),
    "1_Entropy.py": ("Entropy", ":material/casino:"),
    "2_Cross_entropy_and_KL.py": ("Cross-entropy & KL", ":material/compare_arrows:"),
    "3_Softmax.py": ("Softmax", ":material/bar_chart:"),
    "4_Penalty_curves.py": ("Penalty curves", ":material/show_chart:"),
    "5_Your_numbers.py": ("Your numbers", ":material/table_edit:"),
    "6_Live_training.py": ("Live training", ":material/model_training:"),
    "7_Pitfalls.py": ("Pitfalls", ":material/warning:"),
}

UNITS = ("nats", "bits")


def page_files() -> list[str]:
    """Every page in the order of the lesson: app.py, then pages/ by numeric prefix."""
    def order(path: Path):
        match = re.match(r"(\d+)", path.name)
        return (int(match.group(1)) if match else 10**6, path.name)

    pages = sorted((ROOT / "pages").glob("*.py"), key=order)
    return ["app.py"] + [f"pages/{p.name}" for p in pages]


def page_label(path: str) -> tuple[str, str]:
    """(label, icon) of a page file."""
    name = Path(path).name
    if name in PAGE_INFO:
        return PAGE_INFO[name]
    stem = re.sub(r"^\d+_", "", Path(path).stem)
    return stem.replace("_", " "), ":material/article:"


def sidebar() -> str:
    """Our navigation and the shared settings; returns the chosen unit."""
    with st.sidebar:
        for path in page_files():
            label, icon = page_label(path)
            st.page_link(path, label=label, icon=icon)
        st.divider()
        unit = st.radio(
            "Information unit",
            UNITS,
            key="unit",
            horizontal=True,
            bind="query-params",      # ?unit=bits opens any page in bits
            persist_state="session",
            help="nats use the natural log (what PyTorch, TensorFlow and scikit-learn report); "
            "bits use log base 2 (what information theory counts). 1 bit = ln 2 = 0.693 nats.",
        )
        st.toggle(
            "Presenter mode", key="present", persist_state="session",
            help="Larger text and charts for a projector. Add _hide=1 to a control's key in "
            "the URL (for example e_k_hide=1) to hide that control from a shared view.",
        )
        # Opening the popover reruns the page, so the link is read when asked for: the
        # sidebar is outside the pages' fragments, and a link drawn with the sidebar went
        # stale after the first slider move.
        with st.popover("Link to this view", icon=":material/link:", key="link_open",
                        on_change="rerun", width="stretch") as link:
            if link.open:
                st.caption("This address reopens the page with every setting as it is now.")
                st.code(view_link(), language=None, wrap_lines=True)
    return unit


def page_setup(title: str, icon: str = "📉") -> str:
    """Configure the page, draw the sidebar, return the chosen unit ("nats" or "bits")."""
    if "present" not in st.session_state:   # a shared link may ask for it: ?present=1
        st.session_state["present"] = st.query_params.get("present") in ("1", "true")
    # A shared presenter link opens with the sidebar folded away: the projector gets the
    # whole width (the sidebar, and the presenter toggle in it, are one click away).
    st.set_page_config(page_title=f"{title} · Cross-entropy, interactively", page_icon=icon,
                       layout="wide",
                       initial_sidebar_state="collapsed" if st.session_state["present"] else "auto")
    freeze_imports()
    disable_nagle()
    unit = sidebar()
    _view_css()
    return unit


_frozen_at = 0  # len(sys.modules) when the heap was last frozen
_nagle_disabled = False


def disable_nagle() -> None:
    """Turn on TCP_NODELAY for the server's sockets, once per process.

    Streamlit 1.67 binds its listening socket as ``socket.socket(family=...)``, whose
    ``proto`` is 0, and asyncio only sets TCP_NODELAY on sockets whose ``proto`` is
    ``IPPROTO_TCP``. So Nagle's algorithm stays on: when a run sends several small
    websocket frames, every frame after the first waits for the browser's delayed ACK,
    40 ms on Linux (seen with tcpdump: "new_session" out, the rest 42 ms later). On a
    slider held down that doubled the reference page's latency (80 -> 39 ms, BENCHMARKS.md).
    On Linux the option set on the listening socket is inherited by every connection it
    accepts later; connections already open get it here too.
    """
    global _nagle_disabled
    if not _nagle_disabled:
        _nagle_disabled = True
        set_nodelay_on_open_sockets()


def set_nodelay_on_open_sockets() -> int:
    """TCP_NODELAY on every TCP socket this process has open; returns how many."""
    import os
    import socket
    import stat

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


def freeze_imports() -> None:
    """Move everything the imports created out of the garbage collector's sight.

    A full collection's cost grows with every object in the process: with NumPy, pandas,
    scikit-learn and Streamlit loaded it takes ~90 ms, paid on the server's one GIL by
    every session. Our config turns off Streamlit's collection after every run
    (``runner.postScriptGC``), but Python's own generational collector still makes full
    passes as sessions allocate, and a host may run with Streamlit's default.
    ``gc.freeze()`` puts the objects alive now into a permanent generation the collector
    skips (~1 ms after freezing), while reference counting still frees them. It runs again only when a page imported something new
    (a handful of times per server), so the few session objects frozen along with the
    modules stay bounded.
    """
    global _frozen_at
    if len(sys.modules) != _frozen_at:
        gc.collect()
        gc.freeze()
        _frozen_at = len(sys.modules)


# ----------------------------------------------------------------------------- classroom views

#: Widget keys are short identifiers (see each page's docstring); anything else is ignored,
#: so a crafted URL cannot inject CSS.
_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,40}$")
PRESENTER_FONT_PX = 21   # Streamlit's default is 16


def hidden_keys() -> list[str]:
    """Widget keys hidden by the URL, TensorFlow-Playground style: ``?e_k_hide=1``."""
    keys = []
    for name, value in st.query_params.items():
        if name.endswith("_hide") and value not in ("0", "false", ""):
            key = name[: -len("_hide")]
            if _KEY.match(key):
                keys.append(key)
    return keys


def _view_css() -> None:
    """Presenter mode enlarges text and controls; ``*_hide`` URL flags hide chosen controls.

    Streamlit tags each keyed widget's container with the class ``st-key-<key>``, so
    hiding needs no change to the pages, and the hidden widget keeps its value.
    """
    rules = [f".st-key-{key} {{ display: none !important; }}" for key in hidden_keys()]
    present = bool(st.session_state.get("present"))
    if present != (st.query_params.get("present") == "1"):   # write the URL only on a change
        if present:
            st.query_params["present"] = "1"    # a copied link keeps presenter mode
        else:
            st.query_params.pop("present", None)
    if present:
        # Streamlit sizes text, widgets and formulas in rem, so a larger root font enlarges
        # them while the layout still wraps to the real screen width (CSS zoom overflowed it).
        rules.append(f"html {{ font-size: {PRESENTER_FONT_PX}px; }}")
        rules.append(".katex-display { overflow-x: auto; overflow-y: hidden; }")  # scroll, never clip
        # Numbers and labels wrap instead of ending in "…" when the larger text fills a column.
        rules.append('[data-testid="stMetricValue"] > div, [data-testid="stMetricLabel"] p '
                     '{ white-space: normal !important; overflow-wrap: anywhere; }')
        rules.append('[data-testid="stBaseButton-secondary"] p { white-space: normal; }')
    if rules:
        st.html("<style>" + "\n".join(rules) + "</style>")


def view_link() -> str:
    """The address of this page with its current settings, for sharing."""
    base = str(st.context.url or "").split("?")[0]
    query = "&".join(f"{k}={v}" for k, v in st.query_params.items())
    return base + ("?" + query if query else "")


def neighbours(path: str) -> tuple[str | None, str | None]:
    """The previous and next page of the lesson path (None at either end)."""
    files = page_files()
    here = str(Path(path).resolve().relative_to(ROOT)) if Path(path).is_absolute() else path
    if here not in files:
        return None, None
    i = files.index(here)
    return (files[i - 1] if i > 0 else None), (files[i + 1] if i + 1 < len(files) else None)


def lesson_nav(path: str) -> None:
    """"Previous / Next" links at the bottom of a page: ``ui.lesson_nav(__file__)``."""
    previous, following = neighbours(path)
    st.divider()
    left, right = st.columns(2)
    if previous:
        label, icon = page_label(previous)
        left.page_link(previous, label=f"Previous: {label}", icon=":material/arrow_back:")
    if following:
        label, icon = page_label(following)
        with right:
            st.page_link(following, label=f"Next: {label}", icon=":material/arrow_forward:",
                         icon_position="right", width="stretch")


def quick_check(key: str, question: str, answer_nats: float, unit: str, why: str) -> None:
    """A "predict, then reveal" question: the learner types a number, then sees the answer.

    ``answer_nats`` comes from ce_core; it is shown in the chosen unit, and a guess within
    2 % (or 0.005) of it counts as right. The guess and the reveal live in session state,
    so they survive reruns and page switches.
    """
    with st.container(border=True, key=f"{key}_box"):
        st.markdown(f"**Quick check.** {question} Answer in **{unit}**.")
        col_guess, col_button = st.columns([3, 1], vertical_alignment="bottom")
        guess = col_guess.number_input("Your prediction", value=None, step=0.01, format="%.3f",
                                       placeholder="type a number", key=f"{key}_guess",
                                       persist_state="session")
        if col_button.button("Reveal", key=f"{key}_reveal", width="stretch"):
            st.session_state[f"{key}_shown"] = True
        if not st.session_state.get(f"{key}_shown"):
            return
        answer = ce_core.to_unit(answer_nats, unit)
        shown = fmt(answer_nats, unit, digits=3)
        if guess is None:
            st.info(f"The answer is **{shown}**. {why}", icon=":material/lightbulb:")
        elif math.isclose(guess, answer, rel_tol=0.02, abs_tol=0.005):
            st.success(f"Right: **{shown}**. {why}", icon=":material/check_circle:")
        else:
            st.warning(f"Not quite: you said {guess:.3f}, the answer is **{shown}**. {why}",
                       icon=":material/info:")


def number(nats: float, unit: str, digits: int = 4) -> str:
    """``fmt`` without the unit, for a metric whose label already names it."""
    return fmt(nats, unit, digits).rsplit(" ", 1)[0]


def fmt(nats: float, unit: str, digits: int = 4) -> str:
    """A value computed in nats, shown in ``unit`` with its label: ``'0.5146 bits'``."""
    value = ce_core.to_unit(nats, unit)
    if math.isinf(value):
        return f"∞ {unit}"
    text = f"{value:.{digits}f}"
    if text.startswith("-") and float(text) == 0:   # -0.00001 rounds to "-0.0000": show 0
        text = text[1:]
    return f"{text} {unit}"


def chart(figure, key: str) -> None:
    """Draw a ``ce_core.figures.Chart`` (Vega-Lite) full width.

    ``key`` keeps the chart mounted across reruns, so a control that moves its numbers
    only swaps the chart's datasets in the browser.
    """
    from ce_core.figures.style import scaled_fonts   # not at import: keeps app.py light

    spec = figure.to_vega_lite()
    if st.session_state.get("present"):   # larger chart text on a projector (re-embeds once)
        spec = scaled_fonts(spec, PRESENTER_FONT_PX / 16)
    spec["datasets"] = {name: _table(columns) for name, columns in spec["datasets"].items()}
    # Canvas, not Vega's default SVG: a curve with its hover points is ~1,000 SVG nodes,
    # and with three charts every frame of a slider move spent ~30 ms re-layering them
    # (Chrome trace: Layerize + Paint + PrePaint 80 -> 18 ms a press on Penalty curves).
    spec["usermeta"] = {"embedOptions": {"renderer": "canvas"}}
    st.vega_lite_chart(spec, key=key, width="stretch")


def _table(columns: dict[str, list]):
    """Columns as a pyarrow Table: Streamlit ships it as is (0.1 ms), where a dict goes
    through pandas first (0.6 ms for ten rows, 7 ms for 2,000)."""
    import pyarrow as pa

    try:
        return pa.table(columns)
    except (pa.ArrowException, TypeError):   # mixed types in a column: let pandas decide
        return columns


def show_code(*functions) -> None:
    """A "Show the code" expander with the source of the ce_core functions used."""
    with st.expander("Show the code", icon=":material/code:"):
        for fn in functions:
            st.code(_source(fn), language="python")


@functools.cache
def _source(fn) -> str:
    """inspect.getsource re-reads and re-parses the file: ~1 ms a function, every rerun."""
    return inspect.getsource(fn)
