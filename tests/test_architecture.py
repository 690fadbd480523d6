"""The layout rules of DESIGN.md, checked so they cannot rot."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE_FILES = sorted((ROOT / "ce_core").rglob("*.py"))
PAGE_FILES = sorted((ROOT / "pages").glob("*.py")) + [ROOT / "app.py"]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_files_exist():
    assert len(CORE_FILES) >= 5


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_ce_core_never_imports_streamlit(path):
    assert "streamlit" not in imported_modules(path), f"{path.name} imports streamlit"


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_do_no_math(path):
    """Pages read widgets, call ce_core and draw: no logs, exponentials or loss formulas."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    forbidden = {"log", "log2", "log10", "log1p", "exp", "expm1", "logaddexp", "xlogy"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in forbidden:
            owner = node.value.id if isinstance(node.value, ast.Name) else ""
            assert owner not in {"np", "numpy", "math", "scipy", "special"}, (
                f"{path.name}:{node.lineno} calls {owner}.{node.attr}: that math belongs in ce_core")
