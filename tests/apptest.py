"""AppTest helpers the page tests share: open a page, read its numbers and its charts' data."""

from __future__ import annotations

import pyarrow.ipc


def metrics(at) -> dict[str, str]:
    """Every st.metric on the page, label -> shown value."""
    return {m.label: m.value for m in at.metric}


def chart_datasets(at) -> list[dict]:
    """Each Vega-Lite chart's named datasets, {name: DataFrame}, read back from the page."""
    return [{d.name: pyarrow.ipc.open_stream(d.data.data).read_all().to_pandas()
             for d in chart.proto.datasets}
            for chart in at.get("vega_lite_chart")]


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
