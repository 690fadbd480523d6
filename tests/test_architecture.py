"""The layout rules (README, "Layout"), checked on the source so they cannot rot:

* ``ce_core`` is the math and imports neither Streamlit, nor ``charts``, nor ``ui``;
* ``charts`` builds chart specs from numbers and imports neither Streamlit nor ``ui``;
* pages (every file of ``ui.registry.PAGES``, ``app.py`` included) and ``charts`` compute
  no math: no logs or exponentials, every number comes from ``ce_core``;
* no function in the app's code is longer than 60 lines;
* ``ce_core/__init__.py`` builds ``__all__`` in one statement, so the public API is
  one list a reader can see whole.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ui.registry import page_files

ROOT = Path(__file__).resolve().parent.parent
CORE_FILES = sorted((ROOT / "ce_core").rglob("*.py"))
CHART_FILES = sorted((ROOT / "charts").rglob("*.py"))
UI_FILES = sorted((ROOT / "ui").rglob("*.py"))
PAGE_FILES = [ROOT / file for file in page_files()]
APP_FILES = PAGE_FILES + CORE_FILES + CHART_FILES + UI_FILES

MAX_FUNCTION_LINES = 60
#: Calls that are the lesson's math: they belong in ce_core, whose result a page or a
#: chart shows. Owners are the modules (or their usual aliases) that provide them.
MATH_CALLS = {"log", "log2", "log10", "log1p", "exp", "expm1", "logaddexp", "xlogy"}
MATH_OWNERS = {"np", "numpy", "math", "scipy", "special"}


def name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=name(path))


def imported_modules(path: Path) -> dict[str, int]:
    """Top-level package of every absolute import in the file -> line of its first import."""
    found: dict[str, int] = {}
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module]
        else:
            continue
        for module in modules:
            found.setdefault(module.split(".")[0], node.lineno)
    return found


def forbidden_imports(path: Path, forbidden: set[str]) -> list[str]:
    return [f"{name(path)}:{line} imports {module}"
            for module, line in sorted(imported_modules(path).items()) if module in forbidden]


def test_every_layer_has_files():
    """Guards the checks below against an empty parametrization (a moved folder)."""
    assert len(CORE_FILES) >= 5 and CHART_FILES and UI_FILES
    assert PAGE_FILES[0].name == "app.py" and len(PAGE_FILES) > 1


# --- layering ------------------------------------------------------------------------------

@pytest.mark.parametrize("path", CORE_FILES, ids=name)
def test_ce_core_imports_neither_streamlit_nor_charts_nor_ui(path):
    problems = forbidden_imports(path, {"streamlit", "charts", "ui"})
    assert not problems, ("ce_core is the math, usable without the app: "
                          + "; ".join(problems) + ". Move that code to charts/ or ui/.")


@pytest.mark.parametrize("path", CHART_FILES, ids=name)
def test_charts_import_neither_streamlit_nor_ui(path):
    problems = forbidden_imports(path, {"streamlit", "ui"})
    assert not problems, ("charts build a spec from numbers and never draw: "
                          + "; ".join(problems) + ". Drawing belongs in ui/draw.py.")


# --- no math outside ce_core ---------------------------------------------------------------

def math_calls(path: Path) -> list[str]:
    """``np.log(...)``-style uses, and math functions imported by name (``from math import log``)."""
    found = []
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.Attribute) and node.attr in MATH_CALLS:
            owner = node.value.id if isinstance(node.value, ast.Name) else ""
            if owner in MATH_OWNERS:
                found.append(f"{name(path)}:{node.lineno} calls {owner}.{node.attr}")
        elif (isinstance(node, ast.ImportFrom) and node.module
              and node.module.split(".")[0] in {"numpy", "math", "scipy"}):
            found += [f"{name(path)}:{node.lineno} imports {alias.name} from {node.module}"
                      for alias in node.names if alias.name in MATH_CALLS]
    return found


@pytest.mark.parametrize("path", PAGE_FILES + CHART_FILES, ids=name)
def test_pages_and_charts_do_no_math(path):
    """Pages read widgets, call ce_core and draw; charts lay out numbers ce_core computed."""
    problems = math_calls(path)
    assert not problems, "; ".join(problems) + ": that math belongs in ce_core"


# --- small functions -----------------------------------------------------------------------

def long_functions(path: Path) -> list[str]:
    """Functions (and methods, nested ones too) longer than MAX_FUNCTION_LINES, counted from
    the ``def`` line to the last line of the body (decorators not counted)."""
    found = []
    for node in ast.walk(parse(path)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines = node.end_lineno - node.lineno + 1
            if lines > MAX_FUNCTION_LINES:
                found.append(f"{node.name} (line {node.lineno}) has {lines} lines")
    return found


@pytest.mark.parametrize("path", APP_FILES, ids=name)
def test_no_function_is_longer_than_60_lines(path):
    problems = long_functions(path)
    assert not problems, (f"{name(path)}: " + "; ".join(problems)
                          + f". Split each into functions of one idea "
                            f"(at most {MAX_FUNCTION_LINES} lines).")


# --- one public API list -------------------------------------------------------------------

def statements_building_all(tree: ast.Module) -> list[int]:
    """Lines of the statements that bind or change ``__all__`` (``=``, ``+=``, ``.extend``...)."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and isinstance(node.func.value, ast.Name) and node.func.value.id == "__all__"):
            lines.append(node.lineno)   # __all__.extend(...), .append(...), ...
            continue
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            lines.append(node.lineno)
    return sorted(lines)


def test_ce_core_builds_all_in_one_statement():
    path = ROOT / "ce_core" / "__init__.py"
    lines = statements_building_all(parse(path))
    assert len(lines) == 1, (f"{name(path)} builds __all__ in {len(lines)} statements "
                             f"(lines {lines}): write the public names as one list")
