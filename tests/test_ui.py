"""ui.py's pure helpers: page discovery, labels and unit formatting."""

import math
from pathlib import Path

import ui

ROOT = Path(__file__).resolve().parent.parent


def test_page_files_start_with_landing_page_then_pages_in_numeric_order():
    files = ui.page_files()
    assert files[0] == "app.py"
    on_disk = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    assert set(files[1:]) == on_disk
    numbers = [int(Path(f).name.split("_")[0]) for f in files[1:]]
    assert numbers == sorted(numbers)


def test_unknown_page_gets_a_label_from_its_file_name():
    assert ui.page_label("pages/9_Extra_topic.py") == ("Extra topic", ":material/article:")
    assert ui.page_label("app.py")[0] == "Start here"


def test_fmt_converts_nats_to_the_chosen_unit():
    # ln 2 nats is exactly one bit.
    assert ui.fmt(math.log(2), "bits") == "1.0000 bits"
    assert ui.fmt(math.log(2), "nats") == "0.6931 nats"
    assert ui.fmt(-math.log(0.7), "bits", digits=3) == "0.515 bits"   # seed 001's number
    assert ui.fmt(math.inf, "bits") == "∞ bits"


# ----------------------------------------------------------------------------- classroom views

from streamlit.testing.v1 import AppTest  # noqa: E402


def _styles(at) -> str:
    return "".join(el.proto.body for el in at.get("html"))


def test_present_1_in_the_url_turns_presenter_mode_on_and_stays_in_the_url():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["present"] = "1"
    at.run()
    assert at.toggle(key="present").value is True
    assert f"font-size: {ui.PRESENTER_FONT_PX}px" in _styles(at)
    at.toggle(key="present").set_value(False).run()
    assert "font-size" not in _styles(at)
    assert "present" not in at.query_params


def test_hide_flags_hide_exactly_the_named_controls_and_ignore_unsafe_keys():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["e_k_hide"] = "1"
    at.query_params["pc_p_hide"] = "0"            # 0 means shown
    at.query_params["x}body{display:none_hide"] = "1"   # not a key: would inject CSS
    at.run()
    css = _styles(at)
    assert ".st-key-e_k {" in css
    assert "pc_p" not in css
    assert "body{" not in css


def test_without_flags_no_style_is_added():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert _styles(at) == ""


def test_lesson_path_links_each_page_to_its_neighbours():
    files = ui.page_files()
    assert ui.neighbours("app.py") == (None, files[1])
    assert ui.neighbours(str(ROOT / files[2])) == (files[1], files[3])   # __file__ is absolute
    assert ui.neighbours(files[-1]) == (files[-2], None)
    assert ui.neighbours("pages/not_a_page.py") == (None, None)


def test_landing_page_shows_next_link_to_the_first_topic():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    links = [el.proto.label for el in at.get("page_link")]
    assert f"Next: {ui.page_label(ui.page_files()[1])[0]}" in links


def test_fmt_never_shows_negative_zero():
    assert ui.fmt(-1e-12, "nats") == "0.0000 nats"
    assert ui.fmt(-0.0, "bits") == "0.0000 bits"
    assert ui.fmt(-0.5, "nats") == "-0.5000 nats"     # a real negative stays negative


def test_unit_in_the_url_opens_the_page_in_bits():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["unit"] = "bits"
    at.run()
    assert at.radio(key="unit").value == "bits"


def test_freeze_imports_freezes_once_per_new_import():
    """After a freeze the collector skips the frozen objects; a rerun with no new import
    does not freeze again, an import does."""
    import gc
    import importlib
    import sys

    ui.freeze_imports()
    frozen = gc.get_freeze_count()
    assert frozen > 10_000          # the imported modules' objects, not a handful
    ui.freeze_imports()
    assert gc.get_freeze_count() == frozen
    name = next(m for m in ("tabnanny", "sndhdr", "pyclbr", "mailcap", "nntplib")
                if m not in sys.modules and importlib.util.find_spec(m))
    importlib.import_module(name)
    ui.freeze_imports()
    assert gc.get_freeze_count() > frozen


def test_landing_page_imports_no_scikit_learn():
    """ce_core loads its scikit-learn modules on first use, so the landing page starts fast."""
    import subprocess
    import sys
    code = ("import sys, ce_core, ui; assert 'sklearn' not in sys.modules, 'sklearn imported'; "
            "ce_core.Trainer; assert 'sklearn' in sys.modules")
    result = subprocess.run([sys.executable, "-c", code], cwd=ui.ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]


def test_chart_tables_keep_values_and_nulls_and_fall_back_on_mixed_columns():
    import pyarrow as pa
    table = ui._table({"k": ["a", "b"], "v": [0.25, None]})
    assert isinstance(table, pa.Table)
    assert table.to_pydict() == {"k": ["a", "b"], "v": [0.25, None]}
    mixed = {"v": [1.0, "∞"]}
    assert ui._table(mixed) is mixed          # left to pandas, which can hold objects
