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

import dataclasses
import hashlib
import json
import logging
import math
import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from itertools import repeat
from dataclasses import dataclass, field
from typing import NamedTuple
from pathlib import Path

import streamlit as st

import ce_core
from charts.style import Chart
from ui.draw import chart as draw_chart

#: Largest table a section may ship (Arrow bytes of its rows plus the numbers, as JSON).
BUDGET_BYTES = 200_000
PARAM = "scrub"
#: The param is ``"<token 0>:<state 0>:<token 1>:<state 1>…"``, a token and a state for
#: each dataset (in name order), split once per move (not once a row). A dataset the
#: moving slider leaves alone keeps that slider's first state, so its filter's input does
#: not change and Vega does not filter it again on each step (BENCHMARKS.md, bench_scrub).
#: A row shows for the states ``_lo`` to ``_hi`` of its token ``_t``; a settled row
#: (``_lo`` = -1) shows when the param is not of this token.
FILTER = ("scrub_t{i} == datum._t ? (datum._lo <= scrub_s{i} && scrub_s{i} <= datum._hi)"
          " : datum._lo < 0")
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
    return [round(low + i * step, decimals + 2) + 0.0 for i in range(n + 1)]   # no -0.0


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
        inputs = repr((key, context, sorted(values.items()), list(self.grids)))

        def build():
            states = {k: _cached((key, context, k, _frozen(values, k)),
                                 lambda k=k: many(k, self.grids[k], values)) for k in self.grids}
            return _build(self.settled, self.grids, states, _TOKEN)
        charts, table, digests = _cached(("table", inputs), build)   # shared by every session
        self.charts, self.table = _with_tokens(charts, table, self._tokens(digests))

    def _tokens(self, digests: dict) -> dict:
        """(chart, dataset) -> a number new to this session whenever that dataset's rows
        change from one rerun to the next: a param left over from an earlier drag never
        matches rows it was not meant for, and a dataset that did not change keeps its
        bytes, so the browser keeps it as it is (after a drag of p, Penalty's curves)."""
        memo = st.session_state.setdefault("_scrub_tokens", {}).setdefault(self.key, {})
        tokens = {}
        for where, digest in digests.items():
            last = memo.get(where)
            if not last or last[0] != digest:
                memo["n"] = memo.get("n", 0) + 1
                last = memo[where] = (digest, str(memo["n"]))
            tokens[where] = last[1]
        return tokens

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


_TOKEN = "0"    # in the shared table; each session's own tokens replace it


def _with_tokens(charts: dict, table: dict | None, tokens: dict) -> tuple[dict, dict | None]:
    """The shared table with this session's tokens (one dictionary entry a dataset), and,
    for the browser half, each chart's tokens by place (datasets in name order)."""
    import pyarrow as pa

    def column(old, token: str):
        if isinstance(old, pa.DictionaryArray):
            return pa.DictionaryArray.from_arrays(old.indices, pa.array([token]))
        return [token] * len(old)       # not Arrow (see _arrow): a plain list

    def retoken(key: str, chart: Chart) -> Chart:
        data = {name: ({**cols, "_t": column(cols["_t"], tokens[key, name])}
                       if (key, name) in tokens else cols)
                for name, cols in chart.data.items()}
        return dataclasses.replace(chart, data=data)
    charts = {key: retoken(key, chart) for key, chart in charts.items()}
    if table is None:
        return charts, None
    by_place = {key: [tokens.get((key, name), "") for name in _places(chart)]
                for key, chart in charts.items()}
    return charts, {**table, "tokens": by_place}


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
_CACHE_SIZE = 128   # a table is up to 200 KB


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
    the numbers alone follow the hand (the charts keep their spec and wait for the
    rerun); over budget even so, nothing does (the usual rerun)."""
    first, n = {}, 0
    for key, views in states.items():
        first[key], n = n, n + len(views)
    plans = {name: _plan(name, chart, {k: [v.charts.get(name) if v else None for v in views]
                                       for k, views in states.items()}, first)
             for name, chart in settled.charts.items()}
    table = {"sliders": grids,
             "charts": {name: {k: first[k] for k in plan.moves} for name, plan in plans.items()},
             "still": {name: {k: v for k, v in plan.still.items() if v}
                       for name, plan in plans.items() if any(plan.still.values())},
             "metrics": {m: _metric_rows(m, settled, states) for m in settled.metrics}}
    numbers = len(json.dumps(table))
    light: set = set()    # (chart, dataset) whose geometry goes as float32
    while True:
        charts = {name: _merged(chart, plans[name], token, light)
                  for name, chart in settled.charts.items()}
        sizes = {(name, ds): n for name, (_, by_set) in charts.items()
                 for ds, (n, _) in by_set.items()}
        size = sum(sizes.values())
        heavy = [k for k in sorted(sizes, key=sizes.get, reverse=True) if k not in light]
        if size + numbers <= BUDGET_BYTES or not heavy:
            break
        light.add(heavy[0])     # float64 where it fits: the largest table gives way first
    if size + numbers > BUDGET_BYTES:
        _log.info("scrub rows of %d bytes are over budget: only the numbers follow", size)
        charts = {name: _merged(chart, plans[name]._replace(states=[]), token, set())
                  for name, chart in settled.charts.items()}
        size, table["charts"] = 0, {}
    digests = {(name, ds): digest for name, (_, by_set) in charts.items()
               for ds, (_, digest) in by_set.items()}
    drawn = {name: chart for name, (chart, _) in charts.items()}
    if numbers > BUDGET_BYTES:
        return drawn, None, digests
    table["bytes"] = size + numbers
    return drawn, table, digests


class _Plan(NamedTuple):
    name: str            # the chart's key
    moving: set          # datasets some state changes
    moves: list          # sliders that change some dataset
    states: list         # (state number, Chart) for every state with something to show
    fields: "_Fields"
    still: dict          # slider -> the places (in name order) of the moving datasets it leaves alone


def _plan(name: str, chart: Chart, per_slider: dict[str, list], first: dict) -> _Plan:
    moving, moves, moved_by = set(), [], {}
    for key, charts in per_slider.items():
        moved_by[key] = set()
        for c in charts:
            moved_by[key] |= {"?"} if c is None else {
                ds for ds, cols in c.data.items() if cols != chart.data.get(ds)}
        moving |= moved_by[key] - {"?"}
        if moved_by[key]:
            moves.append(key)
    states = [(first[k] + i, c) for k in moves for i, c in enumerate(per_slider[k])
              if c is not None]     # None: nothing to show at that step, so no rows
    place = _places(chart)
    still = {k: sorted(place[ds] for ds in moving if not moved_by[k] & {ds, "?"}) for k in moves}
    return _Plan(name, moving, moves, states, _fields(chart.spec), still)


def _merged(chart: Chart, plan: _Plan, token: str, light: set) -> tuple[Chart, dict]:
    """The chart with its moving datasets holding every state's rows (see FILTER), and
    their Arrow sizes and digests; the datasets named in ``light`` carry their geometry
    in float32."""
    if not plan.moving:
        return chart, {}
    data, sizes = {}, {}
    for name, cols in chart.data.items():
        if name not in plan.moving:
            data[name] = cols
            continue
        blank = [c for c in cols if c in plan.fields.tooltip_only]
        out = _runs(cols, ((s, c.data.get(name, cols)) for s, c in plan.states), blank)
        out["_t"] = [token] * len(out["_lo"])
        exact = plan.fields.exact if (plan.name, name) in light else None
        data[name], *sizes[name] = _arrow(out, exact)
    places = {ds: i for ds, i in _places(chart).items() if ds in plan.moving}
    own = [param for i in places.values() for param in (
        {"name": f"scrub_t{i}", "expr": f"split({PARAM}, ':')[{2 * i}]"},
        {"name": f"scrub_s{i}", "expr": f"toNumber(split({PARAM}, ':')[{2 * i + 1}])"})]
    spec = _with_param(_filtered(chart.spec, places), own)
    return dataclasses.replace(chart, spec=spec, data=data), sizes


def _runs(settled: dict, states, blank: list) -> dict:
    """The settled rows (state -1), then each state's rows with the states ``_lo`` to
    ``_hi`` they show for: a row that stays the same over consecutive states (a curve γ
    does not move, the P bars while Q moves) is shipped once. Tooltip-only columns are
    blank in a state's new rows: no tooltip shows while the hand is on a slider."""
    names = list(settled)
    lo = [-1] * _length(settled)
    hi = list(lo)
    blanked = [c in blank for c in names]
    new_rows: list[tuple] = []
    last = {row: j for j, row in enumerate(zip(*(settled[c] for c in names)))}
    before = settled
    for state, rows in states:
        n = _length(rows)
        if len(last) == n and _same(rows, before):
            for j in last.values():   # the state before's rows, none twice: all of them go on
                hi[j] = state
            continue
        before = rows
        plain = zip(*(rows[c] for c in names))     # tuples made by zip, not one by one
        shown = (zip(*(repeat(None, n) if b else rows[c] for c, b in zip(names, blanked)))
                 if any(blanked) else None)
        now, prefix = {}, True
        for row in plain:
            blank_row = next(shown) if shown is not None else row
            j = last.get(row)
            if j is None or hi[j] != state - 1:
                row = blank_row
                j = last.get(row)
            # only a leading run of rows is shared: a chart that keeps its data's order on
            # an axis (outcome 1, 2, 3) sees the kept rows first, so their order must hold
            prefix = prefix and j is not None and hi[j] == state - 1
            if prefix:
                hi[j] = state
            else:
                j = len(lo)
                lo.append(state)
                hi.append(state)
                new_rows.append(row)
            now[row] = j
        last = now
    out = {c: [*settled[c], *column] for c, column in
           zip(names, zip(*new_rows) if new_rows else [()] * len(names))}
    return {**out, "_lo": lo, "_hi": hi}


def _places(chart: Chart) -> dict[str, int]:
    """Each dataset's place in the chart's param (and in the browser half's tokens)."""
    return {ds: i for i, ds in enumerate(sorted(chart.data))}


def _same(a: dict, b: dict) -> bool:
    """The same columns, compared in C (a Python pass a row was most of a rebuild)."""
    try:
        return a is b or (a.keys() == b.keys() and all(list(a[c]) == list(b[c]) for c in a))
    except (TypeError, ValueError):
        return False


def _length(columns: dict) -> int:
    return len(next(iter(columns.values()))) if columns else 0


class _Fields(NamedTuple):
    exact: set           # written as text on the chart, or read in an expression
    tooltip_only: set    # read in a tooltip and nowhere else


def _fields(spec) -> _Fields:
    """How a chart uses its fields. Text and expression fields stay float64; a field only
    drawn as a length or position goes as float32 (7 significant digits)."""
    text, tooltip, other = set(), set(), set()

    def walk(node, where):
        if isinstance(node, dict):
            if isinstance(node.get("field"), str):
                where.add(node["field"])
            for key, value in node.items():
                walk(value, text if key == "text" else tooltip if key == "tooltip" else where)
        elif isinstance(node, list):
            for value in node:
                walk(value, where)
        elif isinstance(node, str) and "datum." in node:
            text.update(re.findall(r"datum\.(\w+)", node))
    walk(spec, other)
    return _Fields(text, tooltip - text - other)


def _arrow(columns: dict, exact: set[str] | None) -> tuple[dict, int, str]:
    """Text columns dictionary-encoded (a label repeats across states), states in int16,
    and, given the fields that must stay exact, the others (geometry) in float32; the
    Arrow size and a digest of the bytes."""
    import pyarrow as pa

    out = {name: _column(pa, name, values, exact) for name, values in columns.items()}
    try:
        table = pa.table(out)
    except (pa.ArrowException, TypeError):
        text = json.dumps(columns)
        return columns, len(text), hashlib.blake2b(text.encode()).hexdigest()
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    raw = sink.getvalue()
    return out, raw.size, hashlib.blake2b(raw).hexdigest()


def _column(pa, name: str, values: list, exact: set[str] | None):
    if name in ("_lo", "_hi"):     # states: a few thousand at most
        return pa.array(values, pa.int16())
    present = [v for v in values if v is not None]
    if not present:
        return values
    if exact is not None and name not in exact and all(isinstance(v, float) for v in present):
        return pa.array(values, pa.float32())
    if all(isinstance(v, str) for v in present):
        codes = pa.array(values, pa.string()).dictionary_encode()
        small = pa.int8() if len(codes.dictionary) < 128 else pa.int16()
        return pa.DictionaryArray.from_arrays(codes.indices.cast(small), codes.dictionary)
    return values


def _filtered(node, moving: dict):
    """A copy of a spec whose layers that draw a moving dataset keep one state's rows
    (``moving``: dataset -> its place in the param)."""
    if isinstance(node, list):
        return [_filtered(v, moving) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _filtered(v, moving) for k, v in node.items()}
    data = node.get("data")
    if isinstance(data, dict) and data.get("name") in moving:
        place = moving[data["name"]]
        out["transform"] = [{"filter": FILTER.format(i=place)}, *out.get("transform", [])]
    return out


def _with_param(spec: dict, own: list) -> dict:
    param = {"name": PARAM, "value": "", "bind": _BIND}
    return {**spec, "params": [*spec.get("params", []), param, *own]}


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
