"""AppTest helpers the page tests and bench/bench_rerun.py share: open a page, read its
numbers and its charts' data, format a value the way the pages print it.

A page test opens its page with ``open_page = page_opener(PAGE)``; ``open_page(e_k="3")``
then opens it as the URL ``?e_k=3`` would.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow.ipc
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


# --- opening a page ------------------------------------------------------------------------

def open_app(*, unit: str = "nats", timeout: float = 60) -> AppTest:
    """The landing page after its first run; a unit other than nats is chosen in the sidebar."""
    at = AppTest.from_file(APP, default_timeout=timeout).run()
    if unit != "nats":
        at.radio(key="unit").set_value(unit).run()
    return at


def open_page(page: str, query: dict[str, str] | None = None, *, unit: str = "nats",
              timeout: float = 60) -> AppTest:
    """``page`` (a file of ``ui.registry.PAGES``) as a visitor reaches it: the landing page
    first (where ``unit`` is chosen), then the page opened with ``query`` in its URL.

    Fails if the page shows an exception.
    """
    at = open_app(unit=unit, timeout=timeout)
    if page != "app.py":    # the entry script is the landing page itself
        at.switch_page(page)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, f"{page} raised: {[e.value for e in at.exception]}"
    return at


def page_opener(page: str, **options) -> Callable[..., AppTest]:
    """``open_page`` for one page: its keyword arguments are the URL's query parameters."""
    return lambda **query: open_page(page, query, **options)


# --- reading what the page shows -----------------------------------------------------------

def metrics(at) -> dict[str, str]:
    """Every st.metric on the page, label -> shown value."""
    return {m.label: m.value for m in at.metric}


def shown(nats: float, unit: str = "nats", digits: int = 4) -> str:
    """A value in nats as the pages print it through ui.fmt: ``'0.5146 bits'``, ``'∞ nats'``.

    Written out here instead of calling ui.fmt, so a formatting bug there shows up.
    """
    value = nats / math.log(2) if unit == "bits" else nats
    return f"∞ {unit}" if math.isinf(value) else f"{value:.{digits}f} {unit}"


# --- reading a drawn Vega-Lite chart back --------------------------------------------------

def vega_charts(at) -> list:
    """The page's Vega-Lite chart elements, in the order they are drawn."""
    return list(at.get("vega_lite_chart"))


def chart_frames(chart) -> dict[str, pd.DataFrame]:
    """One drawn chart's named datasets, {name: DataFrame}, from the Arrow bytes the
    browser gets: the rows it shows before a drag (ui/scrub.py ships every slider
    step's rows too; the settled ones have ``_lo`` = -1)."""
    return {name: _settled(frame) for name, frame in scrub_frames(chart).items()}


def scrub_frames(chart) -> dict[str, pd.DataFrame]:
    """One drawn chart's named datasets with every row shipped, live-scrub states included."""
    return {d.name: pyarrow.ipc.open_stream(d.data.data).read_all().to_pandas()
            for d in chart.proto.datasets}


def _settled(frame: pd.DataFrame) -> pd.DataFrame:
    if "_lo" not in frame:
        return frame
    return (frame[frame["_lo"] < 0].drop(columns=["_t", "_lo", "_hi"])
            .reset_index(drop=True))


def chart_rows(chart, name: str) -> list[dict]:
    """One named dataset of a drawn chart, as a list of rows."""
    return chart_frames(chart)[name].to_dict("records")


def chart_json(chart) -> dict:
    """One drawn chart's spec, without its data, parsed."""
    return json.loads(chart.proto.spec)


def chart_datasets(at) -> list[dict[str, pd.DataFrame]]:
    """Each Vega-Lite chart's named datasets, {name: DataFrame}, read back from the page."""
    return [chart_frames(chart) for chart in vega_charts(at)]


def chart_data(at, index: int, dataset: str) -> pd.DataFrame:
    """One named dataset of the page's index-th Vega-Lite chart, as the browser gets it."""
    return chart_frames(vega_charts(at)[index])[dataset]


def chart_spec(at, index: int) -> str:
    """The index-th chart's spec as sent, without its data: while it stays the same the
    chart stays mounted."""
    return vega_charts(at)[index].proto.spec


def charts(at) -> list[tuple[dict, dict[str, pd.DataFrame]]]:
    """Every Vega-Lite chart on the page: its spec and its named datasets as DataFrames."""
    return [(chart_json(chart), chart_frames(chart)) for chart in vega_charts(at)]


# --- which fragment drew what --------------------------------------------------------------

def drawn_with_fragment_ids(monkeypatch, open_page, **query) -> list[tuple[str, str, str]]:
    """(element type, widget key or label or text, fragment id) of every element of the page
    ``open_page(**query)`` opens.

    Read from the deltas AppTest receives (its element tree drops this): an element drawn
    inside an st.fragment carries the fragment's id, which is what lets the browser rerun
    that fragment alone when one of its widgets changes. Outside a fragment the id is "".
    """
    from streamlit.testing.v1 import local_script_runner

    parse, last_run = local_script_runner.parse_tree_from_messages, []

    def keep(messages):
        last_run[:] = messages
        return parse(messages)

    monkeypatch.setattr(local_script_runner, "parse_tree_from_messages", keep)
    open_page(**query)
    drawn = []
    for msg in last_run:
        if msg.HasField("delta") and msg.delta.WhichOneof("type") == "new_element":
            kind = msg.delta.new_element.WhichOneof("type")
            proto = getattr(msg.delta.new_element, kind)
            widget_id = getattr(proto, "id", "")
            name = (widget_id.split("-", 2)[2] if widget_id.startswith("$$ID-")
                    else getattr(proto, "label", "") or getattr(proto, "body", ""))
            drawn.append((kind, name, msg.delta.fragment_id))
    return drawn
