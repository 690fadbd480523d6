"""What the chart package may lean on: public ce_core names only, and Vega-Lite, not Plotly.

(The layering and no-math rules for charts live in tests/test_architecture.py.)
"""

import ast
from pathlib import Path

import pytest

CHART_FILES = sorted((Path(__file__).resolve().parent.parent / "charts").glob("*.py"))


def test_chart_files_exist():
    assert len(CHART_FILES) >= 7


@pytest.mark.parametrize("path", CHART_FILES, ids=lambda p: p.name)
def test_charts_use_only_public_ce_core_names(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ce_core"):
            private = [a.name for a in node.names if a.name.startswith("_")]
            assert not private, f"{path.name}:{node.lineno} imports {private} from {node.module}"


@pytest.mark.parametrize("path", CHART_FILES, ids=lambda p: p.name)
def test_charts_speak_vega_lite_only(path):
    assert "plotly" not in path.read_text(encoding="utf-8").lower(), (
        f"{path.name} still names Plotly; the 2-D charts are Vega-Lite")
