"""Live scrubbing: a section's charts and headline numbers follow a slider while it moves.

A Streamlit slider sends its value on release only. So for each slider of a section the
server works out, through ``ce_core`` and the chart builders, what the section shows at
every step of that slider (the other controls as they are), and ships those rows inside
the section's charts, keyed by state. In the browser, ``ui/scrub.js`` watches the sliders:
while one moves, it sets each chart's hidden Vega param to that step's state, which picks
its rows (:data:`FILTER`), and writes the step's headline numbers. On release Streamlit
reruns as always; the new rows settle in. Why this design: docs/ARCHITECTURE.md.

A page builds one :class:`Section` per group of controls, from a ``view`` function
(control values in, a :class:`View` out), then draws the section's metrics and charts
through it and, last, calls :meth:`Section.follow`.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

import ce_core
from charts.style import Chart
from ui.draw import chart as draw_chart

#: Largest table a section may ship (Arrow bytes of its rows plus the numbers, as JSON).
BUDGET_BYTES = 200_000
PARAM = "scrub"
#: A chart's row shows when its key ``"<token>:<state>"`` is the param's value; a settled
#: row (key ``"<token>"``) shows unless the param points into this token's states.
FILTER = {"filter": f"datum._k == {PARAM} || (indexof(datum._k, ':') < 0 && "
                    f"split({PARAM}, ':')[0] != datum._k)"}
_BIND = {"input": "text", "name": "scrub", "tabindex": "-1", "aria-hidden": "true"}
_CSS = ('form.vega-bindings:has(input[name="scrub"]) { display: none !important; }\n'
        '[class*="st-key-scrub_"] { display: none !important; }')
_log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def _bridge():
    """The browser half, registered once per process (its code is in the repository)."""
    js = Path(__file__).with_name("scrub.js").read_text(encoding="utf-8")
    return st.components.v2.component("ce_scrub", js=js, css=_CSS, isolate_styles=False)


@dataclass(frozen=True)
class View:
    """What a section shows for one set of control values."""

    charts: dict[str, Chart]
    #: metric key -> (label, value), the value as written on screen
    metrics: dict[str, tuple[str, str]] = field(default_factory=dict)


def steps(low: float, high: float, step: float) -> list[float]:
    """Every value a slider from ``low`` to ``high`` in ``step`` can send, as Streamlit
    sends it (rounded to the step's decimals, so 0.29, not 0.29000000000000004)."""
    decimals = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    n = round((high - low) / step)
    if isinstance(low, int) and isinstance(step, int):
        return list(range(low, high + 1, step))
    return [round(low + i * step, decimals + 2) for i in range(n + 1)]


Views = Callable[[str, Sequence, dict], list]   # (slider key, its steps, values) -> views


class Section:
    """A group of controls, the charts and metrics they move, and their grids.

    ``view(values)`` gives the :class:`View` for ``values`` (slider key -> value) and
    raises ``ce_core.InputError`` for values with nothing to show; ``grids`` maps each
    slider to its steps. ``views(key, steps, values)``, if given, computes one slider's
    grid at once (a list with a View, or None, per step) instead of one ``view`` per
    step. ``context`` names what else the views depend on (the unit...), for the cache.
    """

    def __init__(self, key: str, view: Callable[[dict], View], values: dict,
                 grids: dict[str, Sequence], *, views: Views | None = None,
                 context: tuple = ()):
        self.key = key
        self.settled = view(values)     # InputError: the page shows it instead
        self.grids = {k: list(v) for k, v in grids.items()}
        many = views or (lambda k, grid, vals: _one_by_one(view, k, grid, vals))
        states = {k: _cached((key, context, k, _frozen(values, k)),
                             lambda k=k: many(k, self.grids[k], values)) for k in self.grids}
        token = self._token(repr((context, sorted(values.items()), list(self.grids))))
        self.charts, self.table = _build(self.settled, self.grids, states, token)

    def _token(self, inputs: str) -> str:
        """A number new to this session whenever the rows change: a param left over from
        an earlier drag never matches rows it was not meant for."""
        digest = inputs
        memo = st.session_state.setdefault("_scrub_tokens", {})
        last = memo.get(self.key)
        if last and last[0] == digest:
            return last[1]
        token = str(int(last[1]) + 1 if last else 1)
        memo[self.key] = (digest, token)
        return token

    def metric(self, where, key: str, **options) -> None:
        """``st.metric`` of this metric's settled label and value, in ``where``, kept in a
        container keyed ``key`` so the browser half finds it."""
        label, value = self.settled.metrics[key]
        with where.container(key=key):
            st.metric(label, value, **options)

    def chart(self, key: str) -> None:
        """The chart with every state's rows; shows the settled ones until a drag. In a
        container keyed ``<key>_live``: Streamlit tags a chart's own box with no key."""
        with st.container(key=f"{key}_live"):
            draw_chart(self.charts[key], key)

    def follow(self) -> None:
        """Mount the browser half (after the section's charts and metrics)."""
        if self.table is not None:
            _bridge()(key=f"scrub_{self.key}", data=self.table)


def _one_by_one(view, key: str, grid: Sequence, values: dict) -> list:
    out = []
    for v in grid:
        try:
            out.append(view({**values, key: v}))
        except ce_core.InputError:   # nothing to show there (all weights 0): an empty chart
            out.append(None)
    return out


def _frozen(values: dict, moving: str) -> tuple:
    return tuple(sorted((k, v) for k, v in values.items() if k != moving))


_CACHE: OrderedDict = OrderedDict()
_CACHE_SIZE = 256


def _cached(key: tuple, compute: Callable[[], list]) -> list:
    """A slider's grid for fixed other controls, shared by every session of the process:
    after a release, the released slider's own grid is the same as before the drag."""
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    value = _CACHE[key] = compute()
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return value


# ----------------------------------------------------------------------------- the table

def _build(settled: View, grids: dict, states: dict[str, list], token: str):
    """Each chart with every state's rows, and what the browser half needs. Over budget,
    the numbers alone follow the hand (the charts wait for the rerun); over budget even
    so, nothing does (the usual rerun)."""
    first, n = {}, 0
    for key, views in states.items():
        first[key], n = n, n + len(views)
    charts, firsts, size = {}, {}, 0
    for name, chart in settled.charts.items():
        per_slider = {k: [v.charts.get(name) if v else None for v in views]
                      for k, views in states.items()}
        charts[name], moves, nbytes = _merge(chart, per_slider, first, token)
        firsts[name] = {k: first[k] for k in moves}
        size += nbytes
    table = {"token": token, "sliders": grids, "charts": firsts,
             "metrics": {m: _metric_rows(m, settled, states) for m in settled.metrics}}
    numbers = len(json.dumps(table))
    if size + numbers > BUDGET_BYTES:
        _log.info("scrub rows of %d bytes are over budget: only the numbers follow", size)
        charts, size, table["charts"] = dict(settled.charts), 0, {}
        if numbers > BUDGET_BYTES:
            return charts, None
    table["bytes"] = size + numbers
    return charts, table


def _moving(chart: Chart, per_slider: dict[str, list]) -> tuple[set, list]:
    """The datasets some state changes, and the sliders that change any."""
    moving, moves = set(), []
    for key, charts in per_slider.items():
        changed = False
        for c in charts:
            if c is None:
                changed = True
                continue
            diff = {name for name, cols in c.data.items() if cols != chart.data.get(name)}
            moving |= diff
            changed = changed or bool(diff)
        if changed:
            moves.append(key)
    return moving, moves


def _merge(chart: Chart, per_slider: dict[str, list], first: dict, token: str):
    """The chart with its moving datasets holding every state's rows, keyed ``_k``."""
    moving, moves = _moving(chart, per_slider)
    exact = _shown_fields(chart.spec)
    data, nbytes = {}, 0
    for name, cols in chart.data.items():
        if name not in moving:
            data[name] = cols
            continue
        out = {c: list(v) for c, v in cols.items()}
        keys = [token] * _length(cols)
        for key in moves:
            for i, c in enumerate(per_slider[key]):
                if c is None:
                    continue    # nothing to show at this step: no rows
                rows = c.data.get(name, cols)   # a grid view may leave out what stays
                for col, values in out.items():
                    values.extend(rows[col])
                keys.extend([f"{token}:{first[key] + i}"] * _length(rows))
        out["_k"] = keys
        data[name], size = _arrow(out, exact)
        nbytes += size
    spec = _filtered(chart.spec, moving) if moving else chart.spec
    return Chart(_with_param(spec) if moving else spec, data), moves, nbytes


def _length(columns: dict) -> int:
    return len(next(iter(columns.values()))) if columns else 0


def _shown_fields(spec) -> set[str]:
    """Fields a chart writes as text (labels, tooltips) or tests in an expression: they
    stay float64; a field only drawn as a length or position goes as float32."""
    found: set[str] = set()

    def walk(node, shown=False):
        if isinstance(node, dict):
            if shown and isinstance(node.get("field"), str):
                found.add(node["field"])
            for key, value in node.items():
                walk(value, shown or key in ("text", "tooltip"))
        elif isinstance(node, list):
            for value in node:
                walk(value, shown)
        elif isinstance(node, str) and "datum." in node:
            found.update(re.findall(r"datum\.(\w+)", node))
    walk(spec)
    return found


def _arrow(columns: dict, exact: set[str]) -> tuple[dict, int]:
    """Text columns dictionary-encoded (a label repeats across states), geometry in
    float32; the Arrow size."""
    import pyarrow as pa

    out = {}
    for name, values in columns.items():
        if name not in exact and values and all(
                v is None or (isinstance(v, float) and not isinstance(v, bool)) for v in values):
            out[name] = pa.array(values, pa.float32())
            continue
        if values and all(v is None or isinstance(v, str) for v in values):
            codes = pa.array(values, pa.string()).dictionary_encode()
            small = pa.int8() if len(codes.dictionary) < 128 else pa.int16()
            out[name] = pa.DictionaryArray.from_arrays(codes.indices.cast(small),
                                                       codes.dictionary)
        else:
            out[name] = values
    try:
        table = pa.table(out)
    except (pa.ArrowException, TypeError):
        return columns, len(json.dumps(columns))
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return out, sink.getvalue().size


def _filtered(node, moving: set):
    """A copy of a spec whose layers that draw a moving dataset keep one state's rows."""
    if isinstance(node, list):
        return [_filtered(v, moving) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _filtered(v, moving) for k, v in node.items()}
    data = node.get("data")
    if isinstance(data, dict) and data.get("name") in moving:
        out["transform"] = [FILTER, *out.get("transform", [])]
    return out


def _with_param(spec: dict) -> dict:
    param = {"name": PARAM, "value": "", "bind": _BIND}
    return {**spec, "params": [*spec.get("params", []), param]}


def _metric_rows(metric: str, settled: View, states: dict[str, list]) -> dict:
    """Per slider whose steps change this metric: its label (None if fixed) and value at
    each step ("—" where there is nothing to show)."""
    label0, value0 = settled.metrics[metric]
    out = {}
    for key, views in states.items():
        pairs = [v.metrics[metric] if v else (label0, "—") for v in views]
        labels, values = [p[0] for p in pairs], [p[1] for p in pairs]
        if any(v != value0 for v in values) or any(lab != label0 for lab in labels):
            out[key] = {"label": labels if any(lab != label0 for lab in labels) else None,
                        "value": values}
    return out
