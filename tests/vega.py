"""Checks every Vega-Lite chart test shares: valid against the schema, spec fixed by shape.

``assert_valid(chart)`` validates the spec with its datasets against the Vega-Lite
JSON schema that altair ships (an independent definition of the format, not ours).
``assert_same_spec(a, b)`` is the property that keeps a chart mounted in the browser:
two charts of the same shape with different numbers differ only in their data.
"""

from __future__ import annotations

import functools
import json

import jsonschema
import jsonschema.exceptions
import numpy as np


@functools.cache
def _validator():
    from altair.vegalite.v6.schema import load_schema
    schema = load_schema()
    return jsonschema.Draft7Validator(schema)


def assert_valid(chart) -> dict:
    """The chart as Streamlit gets it, checked against Vega-Lite's schema; returns it."""
    spec = chart.to_vega_lite()
    # JSON round trip: what crosses the wire (numpy scalars would fail here).
    spec = json.loads(json.dumps(spec))
    inline = {k: {"values": [dict(zip(cols, row)) for row in zip(*cols.values())]}
              for k, cols in spec.get("datasets", {}).items()}
    lengths = {name: {len(v) for v in cols.values()} for name, cols in spec.get("datasets", {}).items()}
    assert all(len(n) <= 1 for n in lengths.values()), f"ragged dataset columns: {lengths}"
    checked = {**spec, "datasets": {k: v["values"] for k, v in inline.items()}}
    error = jsonschema.exceptions.best_match(_validator().iter_errors(checked))
    assert error is None, f"not valid Vega-Lite at {list(error.path)}: {error.message[:300]}"
    return spec


def assert_same_spec(a, b) -> None:
    """Same spec (so the browser keeps the chart mounted) and different data."""
    assert a.spec == b.spec, "the spec changed with the numbers: the chart would re-embed"
    assert a.data != b.data, "different inputs drew the same data"


def column(chart, dataset: str, name: str) -> np.ndarray:
    """One column of one dataset as floats (None -> nan)."""
    values = chart.data[dataset][name]
    return np.array([np.nan if v is None else v for v in values], dtype=float)
