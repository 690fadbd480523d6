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
    """Every 2-D chart is Vega-Lite; the one 3-D chart (landscape.py) is a plain Plotly
    dict, built without importing plotly (no figure validation on a rerun)."""
    text = path.read_text(encoding="utf-8")
    if path.name == "landscape.py":
        imports = [n for n in ast.walk(ast.parse(text)) if isinstance(n, (ast.Import, ast.ImportFrom))]
        names = [a.name for n in imports for a in n.names] + [n.module or "" for n in imports
                                                               if isinstance(n, ast.ImportFrom)]
        assert not any(name.startswith("plotly") for name in names), "landscape.py imports plotly"
        return
    assert "plotly" not in text.lower(), f"{path.name} names Plotly; the 2-D charts are Vega-Lite"
